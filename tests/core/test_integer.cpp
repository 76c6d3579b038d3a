#include <algorithm>
#include <stdexcept>
#include <utility>

#include <doctest/doctest.h>

#include "core/integer.hpp"
#include "generators.hpp"
#include "seed.hpp"

using closecert::core::Integer;
namespace t = closecert::test;

TEST_CASE("Integer: ring laws on random operands") {
    t::Rng rng(t::seed("integer ring laws"));
    for (int it = 0; it < 500 * t::scale(); ++it) {
        Integer a = t::random_integer(rng), b = t::random_integer(rng), c = t::random_integer(rng);
        t::check_ring_laws(a, b, c);
        CHECK(a - a == Integer(0));
        CHECK(a + Integer(0) == a);
        CHECK(a * Integer(1) == a);
        CHECK(-(-a) == a);
        CHECK((a < b) == ((b - a).sign() > 0));
        CHECK(a.abs() * a.abs() == a * a);
    }
}

TEST_CASE("Integer: decimal round trip and rejection of bad text") {
    t::Rng rng(t::seed("integer strings"));
    for (int it = 0; it < 300 * t::scale(); ++it) {
        Integer a = t::random_integer(rng, 400);
        CHECK(Integer(a.to_string()) == a);
    }
    CHECK(Integer("-123456789012345678901234567890").to_string() == "-123456789012345678901234567890");
    CHECK(Integer("0").to_string() == "0");
    CHECK(Integer(-42).to_long() == -42);
    for (const char* bad : {"", "-", "+1", " 1", "1 ", "1a", "--1", "0x10", "1.0", "1/2"})
        CHECK_THROWS_AS(Integer(std::string_view(bad)), std::invalid_argument);
    CHECK_THROWS_AS((Integer("100000000000000000000000").to_long()), std::overflow_error);
}

TEST_CASE("Integer: copy and move semantics") {
    Integer a("123456789012345678901234567890");
    Integer b(a);
    CHECK(b == a);
    b += Integer(1);
    CHECK(b != a);  // deep copy
    Integer c(std::move(b));
    CHECK(c.to_string() == "123456789012345678901234567891");
    CHECK(b.is_zero());  // moved-from holds zero and stays usable
    b += Integer(5);
    CHECK(b == Integer(5));
    b = std::move(c);
    CHECK(c.is_zero());
    c = b;
    CHECK(c == b);
    Integer& self = c;
    c = self;
    CHECK(c == b);
    c = std::move(self);
    CHECK(c == b);
}
