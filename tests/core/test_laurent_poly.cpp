#include <stdexcept>

#include <doctest/doctest.h>

#include "core/laurent_poly.hpp"
#include "generators.hpp"
#include "seed.hpp"

using closecert::core::LaurentPoly;
using closecert::core::Rational;
namespace t = closecert::test;

TEST_CASE("LaurentPoly: ring laws on random operands") {
    t::Rng rng(t::seed("laurent ring laws"));
    for (int it = 0; it < 300 * t::scale(); ++it) {
        LaurentPoly a = t::random_laurent(rng), b = t::random_laurent(rng), c = t::random_laurent(rng);
        t::check_ring_laws(a, b, c);
        CHECK((a - a).is_zero());
        CHECK(a - b == a + (-b));
        CHECK(a.pow(3) == a * a * a);
        if (!a.is_zero() && !b.is_zero()) {
            CHECK((a * b).min_exponent() == a.min_exponent() + b.min_exponent());
            CHECK((a * b).max_exponent() == a.max_exponent() + b.max_exponent());
        }
        auto ts = a.terms();
        for (std::size_t k = 0; k < ts.size(); ++k) {
            CHECK(!ts[k].second.is_zero());
            CHECK(a.coeff(ts[k].first) == ts[k].second);
            if (k) CHECK(ts[k - 1].first < ts[k].first);
        }
    }
}

TEST_CASE("LaurentPoly: monomials, powers and printing") {
    LaurentPoly m(Rational::parse("2/3"), -2);
    CHECK(m.pow(-2) == LaurentPoly(Rational::parse("9/4"), 4));
    CHECK(m.pow(0) == LaurentPoly(Rational(1), 0));
    CHECK(m * m.pow(-1) == LaurentPoly::constant(Rational(1)));
    LaurentPoly p = LaurentPoly(Rational::parse("3/2"), -1) - LaurentPoly::constant(Rational(2)) + LaurentPoly(Rational(1), 2);
    CHECK(p.to_string() == "3/2*t^-1 - 2 + t^2");
    CHECK((-p).to_string("s") == "-3/2*s^-1 + 2 - s^2");
    CHECK(p.coeff(5).is_zero());
    CHECK(p.min_exponent() == -1);
    CHECK(p.max_exponent() == 2);
    CHECK_THROWS_AS(p.pow(-1), std::domain_error);
    CHECK_THROWS_AS(LaurentPoly().min_exponent(), std::domain_error);
    CHECK_THROWS_AS(LaurentPoly().max_exponent(), std::domain_error);
    CHECK(LaurentPoly(Rational(0), 3).is_zero());
    CHECK(LaurentPoly().to_string() == "0");
    LaurentPoly q = p;
    q += q;
    CHECK(q == p * Rational(2));
    q -= q;
    CHECK(q.is_zero());
    LaurentPoly r(std::move(p));
    CHECK(r.max_exponent() == 2);
    p = r;  // moved-from object is assignable and usable
    CHECK(p == r);
}
