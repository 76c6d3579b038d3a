#include <stdexcept>
#include <string>
#include <utility>

#include <doctest/doctest.h>

#include "core/poly.hpp"
#include "generators.hpp"
#include "seed.hpp"

using closecert::core::make_poly_context;
using closecert::core::Poly;
using closecert::core::Rational;
namespace t = closecert::test;

TEST_CASE("PolyContext: names and indices") {
    auto ctx = make_poly_context({"x11", "y11", "x1"});
    CHECK(ctx->nvars() == 3);
    CHECK(ctx->name(1) == "y11");
    CHECK(ctx->index_of("x1") == 2);
    CHECK(!ctx->index_of("z").has_value());
    CHECK_THROWS_AS(make_poly_context({"x", "x"}), std::invalid_argument);
    CHECK_THROWS_AS(make_poly_context({""}), std::invalid_argument);
    CHECK_THROWS_AS(make_poly_context({"a*b"}), std::invalid_argument);
    CHECK(make_poly_context({})->nvars() == 0);
}

TEST_CASE("Poly: ring laws on random operands") {
    t::Rng rng(t::seed("poly ring laws"));
    for (int it = 0; it < 150 * t::scale(); ++it) {
        auto ctx = t::random_context(rng, 6);
        Poly a = t::random_poly(rng, ctx), b = t::random_poly(rng, ctx), c = t::random_poly(rng, ctx);
        Rational s = t::random_rational(rng, 40);
        t::check_ring_laws(a, b, c);
        CHECK((a - a).is_zero());
        CHECK(s * (a + b) == s * a + s * b);
        CHECK(a * Poly::constant(ctx, s) == a * s);
        CHECK(a.pow(3) == a * a * a);
        CHECK(a.pow(0) == Poly::constant(ctx, Rational(1)));
        if (!a.is_zero() && !b.is_zero()) CHECK((a * b).total_degree() == a.total_degree() + b.total_degree());
        // Evaluation is a ring homomorphism.
        std::vector<Rational> pt;
        for (std::size_t i = 0; i < ctx->nvars(); ++i) pt.push_back(t::random_rational(rng, 20));
        CHECK((a * b + c).evaluate(pt) == a.evaluate(pt) * b.evaluate(pt) + c.evaluate(pt));
    }
}

TEST_CASE("Poly: terms, from_terms, to_string and parse round trips") {
    t::Rng rng(t::seed("poly strings"));
    for (int it = 0; it < 150 * t::scale(); ++it) {
        auto ctx = t::random_context(rng, 12);  // x1 and x10 test prefix handling in parse
        Poly a = t::random_poly(rng, ctx);
        CHECK(Poly::from_terms(ctx, a.terms()) == a);
        CHECK(a.terms().size() == a.length());
        std::string s = a.to_string();
        Poly b = Poly::parse(ctx, s);
        CHECK_MESSAGE(b == a, s);
        CHECK(b.to_string() == s);
    }
    auto ctx = make_poly_context({"w1_0_0", "w2_1_0"});
    Poly w = Poly::variable(ctx, 0), v = Poly::variable(ctx, 1);
    Poly p = w * v.pow(2) - Poly::constant(ctx, Rational::parse("3/2"));
    CHECK(p.to_string() == "w1_0_0*w2_1_0^2 - 3/2");
    CHECK((-p).to_string() == "-w1_0_0*w2_1_0^2 + 3/2");
    CHECK((Rational(-2) * w).to_string() == "-2*w1_0_0");
    CHECK(Poly::zero(ctx).to_string() == "0");
    CHECK(p.total_degree() == 3);
    CHECK(p.degree(1) == 2);
    CHECK(p.length() == 2);
    CHECK(p.constant_term() == Rational::parse("-3/2"));
    CHECK(Poly::zero(ctx).total_degree() == -1);
    CHECK(Poly::constant(ctx, Rational(5)).is_constant());
    CHECK(!p.is_constant());
    CHECK(p.evaluate({Rational(2), Rational(3)}) == Rational::parse("33/2"));
    CHECK_THROWS_AS(p.evaluate({Rational(2)}), std::invalid_argument);
    CHECK_THROWS_AS(Poly::parse(ctx, "w1_0_0 +* 2"), std::invalid_argument);
    CHECK_THROWS_AS(Poly::parse(ctx, "z"), std::invalid_argument);
    CHECK_THROWS_AS(Poly::variable(ctx, 2), std::out_of_range);
    CHECK_THROWS_AS(Poly::from_terms(ctx, {{Rational(1), {1}}}), std::invalid_argument);
    // Like terms combine, zero terms vanish.
    CHECK(Poly::from_terms(ctx, {{Rational(1), {1, 0}}, {Rational(-1), {1, 0}}, {Rational(0), {0, 3}}}).is_zero());
}

TEST_CASE("Poly: operands over different contexts are rejected") {
    auto c1 = make_poly_context({"x"});
    auto c2 = make_poly_context({"x"});
    Poly a = Poly::variable(c1, 0), b = Poly::variable(c2, 0);
    CHECK_THROWS_AS(a + b, std::invalid_argument);
    CHECK_THROWS_AS(a - b, std::invalid_argument);
    CHECK_THROWS_AS(a * b, std::invalid_argument);
    CHECK_THROWS_AS((void)(a == b), std::invalid_argument);
}

TEST_CASE("Poly: copy and move semantics, contexts kept alive") {
    Poly keep = Poly::zero(make_poly_context({"a"}));
    {
        auto ctx = make_poly_context({"x", "y"});
        Poly p = Poly::variable(ctx, 0) + Poly::variable(ctx, 1);
        Poly q(p);
        q *= p;
        CHECK(q != p);
        Poly r(std::move(q));
        CHECK(q.is_zero());  // moved-from: zero over the same context, usable
        q += p;
        CHECK(q == p);
        r = std::move(q);
        CHECK(r == p);
        CHECK(q.is_zero());
        Poly& self = r;
        r = self;
        CHECK(r == p);
        r = std::move(self);
        CHECK(r == p);
        keep = r;  // assignment across contexts takes the source's context
    }
    // The context outlived its creator's scope.
    CHECK(keep.to_string() == "x + y");
    CHECK(keep.context()->nvars() == 2);
    std::vector<Poly> v(3, keep);
    v.push_back(keep * keep);
    CHECK(v.back() == keep.pow(2));
}
