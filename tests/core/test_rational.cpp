#include <stdexcept>
#include <string>
#include <utility>

#include <doctest/doctest.h>

#include "core/rational.hpp"
#include "generators.hpp"
#include "seed.hpp"

using closecert::core::Integer;
using closecert::core::Rational;
namespace t = closecert::test;

TEST_CASE("Rational: field laws on random operands") {
    t::Rng rng(t::seed("rational field laws"));
    for (int it = 0; it < 400 * t::scale(); ++it) {
        Rational a = t::random_rational(rng), b = t::random_rational(rng), c = t::random_rational(rng);
        t::check_ring_laws(a, b, c);
        CHECK(a - b == a + (-b));
        CHECK((a <=> b) == ((b - a).sign() > 0 ? std::strong_ordering::less
                            : (b - a).sign() < 0 ? std::strong_ordering::greater : std::strong_ordering::equal));
        if (!b.is_zero()) {
            CHECK((a / b) * b == a);
            CHECK(b * b.inverse() == Rational(1));
        }
        CHECK(Rational(a.numerator(), a.denominator()) == a);
        CHECK(a.denominator().sign() > 0);
        CHECK(a.abs().sign() >= 0);
    }
}

TEST_CASE("Rational: parse/to_string round trip") {
    t::Rng rng(t::seed("rational strings"));
    for (int it = 0; it < 300 * t::scale(); ++it) {
        Rational a = t::random_rational(rng, 300);
        std::string s = a.to_string();
        CHECK(Rational::parse(s) == a);
        CHECK(Rational::parse(s).to_string() == s);
    }
    CHECK(Rational::parse("2/4").to_string() == "1/2");
    CHECK(Rational::parse("-6/3").to_string() == "-2");
    CHECK(Rational::parse("0/5").to_string() == "0");
    CHECK(Rational::parse("-0").to_string() == "0");
    CHECK(Rational::parse("-3/2") == Rational(Integer(-3), Integer(2)));
    CHECK(Rational(Integer(3), Integer(-6)).to_string() == "-1/2");
}

TEST_CASE("Rational: bad strings are rejected") {
    for (const char* bad : {"", "-", "/", "1/", "/2", "1/0", "+1", " 1", "1 ", "1 /2", "1/-2", "1/+2", "1/2/3",
                            "a", "1.5", "--1", "- 1", "1e3", "0x1", "1//2", "-/2", "1/2 "})
        CHECK_THROWS_AS(Rational::parse(bad), std::invalid_argument);
}

TEST_CASE("Rational: division by zero and zero denominators throw") {
    CHECK_THROWS_AS(Rational(1) / Rational(0), std::domain_error);
    CHECK_THROWS_AS(Rational(0).inverse(), std::domain_error);
    CHECK_THROWS_AS(Rational(Integer(1), Integer(0)), std::domain_error);
}

TEST_CASE("Rational: copy and move semantics") {
    Rational a = Rational::parse("-123456789012345678901234567891/1024");
    Rational b(a);
    b += Rational(1);
    CHECK(b != a);
    Rational c(std::move(b));
    CHECK(c == a + Rational(1));
    CHECK(b.is_zero());
    b -= Rational(3);
    CHECK(b == Rational(-3));
    b = std::move(c);
    CHECK(c.is_zero());
    Rational& self = b;
    b = self;
    CHECK(b == a + Rational(1));
    b = std::move(self);
    CHECK(b == a + Rational(1));
    CHECK(a.numerator().to_string() == "-123456789012345678901234567891");
    CHECK(a.denominator() == Integer(1024));
}
