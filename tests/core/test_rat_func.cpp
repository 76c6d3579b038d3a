#include <doctest/doctest.h>

#include "core/rat_func.hpp"
#include "generators.hpp"
#include "seed.hpp"

using closecert::core::make_poly_context;
using closecert::core::Poly;
using closecert::core::RatFunc;
using closecert::core::Rational;
namespace core = closecert::core;
namespace t = closecert::test;

TEST_CASE("gcd, exact division and factorisation agree on random products") {
    auto ctx = make_poly_context({"a", "b", "c"});
    t::Rng rng(t::seed("rat_func gcd/factor"));
    for (int it = 0; it < 60 * t::scale(); ++it) {
        Poly f = t::random_poly(rng, ctx, 3, 2, 8), g = t::random_poly(rng, ctx, 3, 2, 8), h = t::random_poly(rng, ctx, 3, 2, 8);
        if (f.is_zero() || g.is_zero() || h.is_zero()) continue;
        Poly fg = f * g, fh = f * h;
        // gcd(f g, f h) is f times gcd(g, h), up to a constant.
        Poly d = core::gcd(fg, fh);
        auto q = core::divide_exact(d, core::gcd(g, h));
        REQUIRE(q.has_value());
        CHECK(core::divide_exact(*q, f).has_value());
        CHECK(core::divide_exact(f, *q).has_value());
        CHECK(*core::divide_exact(fg, g) == f);
        // The factors multiply back.
        auto fac = core::factor(fg);
        Poly back = Poly::constant(ctx, fac.unit);
        for (const auto& [p, e] : fac.factors) back *= p.pow(e);
        CHECK(back == fg);
    }
    CHECK_FALSE(core::divide_exact(Poly::variable(ctx, 0), Poly::variable(ctx, 1)).has_value());
    CHECK_FALSE(core::divide_exact(Poly::variable(ctx, 0), Poly::zero(ctx)).has_value());
    CHECK_THROWS_AS(core::factor(Poly::zero(ctx)), std::invalid_argument);
}

TEST_CASE("zero_variables is evaluation at zero") {
    auto ctx = make_poly_context({"a", "b", "c"});
    t::Rng rng(t::seed("rat_func zero_variables"));
    for (int it = 0; it < 80 * t::scale(); ++it) {
        Poly p = t::random_poly(rng, ctx);
        std::vector<bool> zero = {t::uniform(rng, 0, 1) == 1, t::uniform(rng, 0, 1) == 1, t::uniform(rng, 0, 1) == 1};
        std::vector<Rational> at(3), at0(3);
        for (int v = 0; v < 3; ++v) at[v] = t::random_rational(rng, 20), at0[v] = zero[v] ? Rational(0) : at[v];
        CHECK(core::zero_variables(p, zero).evaluate(at) == p.evaluate(at0));
    }
}

TEST_CASE("RatFunc: field laws and normal form") {
    auto ctx = make_poly_context({"a", "b"});
    t::Rng rng(t::seed("rat_func field laws"));
    auto rnd = [&] {
        for (;;) {
            Poly n = t::random_poly(rng, ctx, 3, 2, 10), d = t::random_poly(rng, ctx, 3, 2, 10);
            if (!d.is_zero()) return RatFunc(n, d);
        }
    };
    for (int it = 0; it < 60 * t::scale(); ++it) {
        RatFunc x = rnd(), y = rnd(), z = rnd();
        CHECK((x + y) * z == x * z + y * z);
        CHECK((x - y) + y == x);
        if (!y.is_zero()) CHECK((x / y) * y == x);
        // Normal form: gcd 1, monic denominator, so equal functions have equal representations.
        CHECK(core::gcd(x.num(), x.den()).is_constant());
        CHECK(x.den().terms().front().coef == Rational(1));
    }
    RatFunc a(Poly::variable(ctx, 0)), b(Poly::variable(ctx, 1));
    CHECK(((a * a - b * b) / (a - b)) == a + b);
    CHECK_THROWS_AS(a / RatFunc(Poly::zero(ctx)), std::domain_error);
    CHECK_THROWS_AS(RatFunc(Poly::variable(ctx, 0), Poly::zero(ctx)), std::domain_error);
}
