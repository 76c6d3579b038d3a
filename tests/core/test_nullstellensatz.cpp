#include <chrono>
#include <iostream>
#include <stdexcept>
#include <string>

#include <doctest/doctest.h>

#include "core/nullstellensatz.hpp"
#include "generators.hpp"
#include "seed.hpp"

using namespace closecert::core;
namespace t = closecert::test;

namespace {

// Independent re-check of the identity, written out here rather than reusing the library's.
void check_identity(const std::vector<Poly>& f, const std::vector<Poly>& g) {
    REQUIRE(g.size() == f.size());
    Poly sum = Poly::zero(f.front().context());
    for (std::size_t i = 0; i < f.size(); ++i) {
        REQUIRE(g[i].context() == f[i].context());
        sum = sum + g[i] * f[i];
    }
    CHECK(sum.to_string() == "1");
}

// Random polynomial of total degree <= d.
Poly random_poly_deg(t::Rng& rng, const Poly::Context& ctx, unsigned d, std::size_t max_terms) {
    std::vector<Poly::Term> terms;
    std::size_t n = t::uniform(rng, 1, max_terms);
    for (std::size_t k = 0; k < n; ++k) {
        Poly::Term term{t::random_nonzero_rational(rng, 20), std::vector<unsigned long>(ctx->nvars(), 0)};
        unsigned deg = static_cast<unsigned>(t::uniform(rng, 0, d));
        for (unsigned s = 0; s < deg; ++s) ++term.exps[t::uniform(rng, 0, ctx->nvars() - 1)];
        terms.push_back(std::move(term));
    }
    return Poly::from_terms(ctx, terms);
}

Poly var(const Poly::Context& ctx, const std::string& name) { return Poly::variable(ctx, *ctx->index_of(name)); }

Poly one(const Poly::Context& ctx) { return Poly::constant(ctx, Rational(1)); }

double seconds_since(std::chrono::steady_clock::time_point t0) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

}  // namespace

TEST_CASE("Nullstellensatz: the LU example") {
    auto ctx = make_poly_context({"x11", "y11", "x21", "y21"});
    Poly x11 = var(ctx, "x11"), y11 = var(ctx, "y11"), x21 = var(ctx, "x21"), y21 = var(ctx, "y21");
    std::vector<Poly> f{x11 * y11, x11 * y21 - one(ctx), x21 * y11 - one(ctx)};
    auto t0 = std::chrono::steady_clock::now();
    auto g = find_nullstellensatz(f, {});
    std::cout << "[nullstellensatz LU] " << seconds_since(t0) << " s\n";
    REQUIRE(g.has_value());
    check_identity(f, *g);
    CHECK(is_nullstellensatz_certificate(f, *g));
    // The known identity x21 y21 f1 - f2 f3 - f2 - f3 = 1 passes the library's check too.
    CHECK(is_nullstellensatz_certificate(f, {x21 * y21, -f[2] - one(ctx), -one(ctx)}));
    CHECK(!is_nullstellensatz_certificate(f, {x21 * y21, -f[2], -one(ctx)}));

    NullstellensatzLimits low;
    low.max_degree = 3;
    CHECK(!find_nullstellensatz(f, low).has_value());
    NullstellensatzLimits tiny;
    tiny.max_unknowns = 5;
    CHECK(!find_nullstellensatz(f, tiny).has_value());
    NullstellensatzLimits late;
    late.deadline = std::chrono::steady_clock::now() - std::chrono::seconds(1);
    CHECK(!find_nullstellensatz(f, late).has_value());
}

TEST_CASE("Nullstellensatz: a 3x3 window with 16 variables") {
    // Three LU-shaped terms plus a fourth on rows/cols {2,3}; target: the anti-diagonal permutation.
    std::vector<std::string> names;
    const int rect[4][2] = {{1, 1}, {2, 2}, {3, 3}, {2, 2}};  // first row/col of each term's support
    for (int k = 0; k < 4; ++k) {
        for (int i = rect[k][0]; i <= 3; ++i) names.push_back("x" + std::to_string(i) + "_" + std::to_string(k));
        for (int j = rect[k][1]; j <= 3; ++j) names.push_back("y" + std::to_string(j) + "_" + std::to_string(k));
    }
    auto ctx = make_poly_context(names);
    REQUIRE(ctx->nvars() == 16);
    std::vector<Poly> f;
    for (int i = 1; i <= 3; ++i)
        for (int j = 1; j <= 3; ++j) {
            Poly e = Poly::constant(ctx, Rational(i + j == 4 ? -1 : 0));
            for (int k = 0; k < 4; ++k) {
                auto xi = ctx->index_of("x" + std::to_string(i) + "_" + std::to_string(k));
                auto yj = ctx->index_of("y" + std::to_string(j) + "_" + std::to_string(k));
                if (xi && yj) e += Poly::variable(ctx, *xi) * Poly::variable(ctx, *yj);
            }
            f.push_back(e);
        }
    auto t0 = std::chrono::steady_clock::now();
    auto g = find_nullstellensatz(f, {});
    std::cout << "[nullstellensatz 16 variables] " << seconds_since(t0) << " s\n";
    REQUIRE(g.has_value());
    check_identity(f, *g);
}

TEST_CASE("Nullstellensatz: consistent systems give nullopt") {
    auto ctx = make_poly_context({"x", "y", "z"});
    Poly x = var(ctx, "x"), y = var(ctx, "y"), z = var(ctx, "z");
    CHECK(!find_nullstellensatz({x * y - one(ctx)}, {}).has_value());
    CHECK(!find_nullstellensatz({x * y, y * z, x + z}, {}).has_value());  // no constant term
    CHECK(!find_nullstellensatz({x - one(ctx), y * y - Poly::constant(ctx, Rational(2))}, {}).has_value());
    // Random systems vanishing at a random rational point.
    t::Rng rng(t::seed("nullstellensatz consistent"));
    for (int it = 0; it < 15 * t::scale(); ++it) {
        std::vector<Rational> pt;
        for (int i = 0; i < 3; ++i) pt.push_back(t::random_rational(rng, 8));
        std::vector<Poly> f;
        std::size_t n = t::uniform(rng, 1, 5);
        for (std::size_t k = 0; k < n; ++k) {
            Poly p = random_poly_deg(rng, ctx, 2, 4);
            f.push_back(p - Poly::constant(ctx, p.evaluate(pt)));
        }
        CHECK(!find_nullstellensatz(f, {}).has_value());
    }
}

TEST_CASE("Nullstellensatz: random infeasible systems get verified certificates") {
    t::Rng rng(t::seed("nullstellensatz infeasible"));
    for (int it = 0; it < 20 * t::scale(); ++it) {
        auto ctx = t::random_context(rng, 8);
        // {p, p*q - 1} has the certificate q*p - (p*q - 1) = 1.
        Poly p = random_poly_deg(rng, ctx, 2, 3), q = random_poly_deg(rng, ctx, 1, 3);
        std::vector<Poly> base{p, p * q - one(ctx)};
        std::size_t extra = t::uniform(rng, 0, 2);
        for (std::size_t k = 0; k < extra; ++k) base.push_back(random_poly_deg(rng, ctx, 2, 3));
        // Hide the structure: f = M * base. For invertible M, g = M^{-T} g_base has degree <= 1
        // and deg f <= 3, so degree 4 suffices.
        QMatrix M = t::random_matrix(rng, base.size(), base.size(), 10);
        std::vector<Poly> f;
        std::string text;
        for (std::size_t i = 0; i < base.size(); ++i) {
            Poly s = Poly::zero(ctx);
            for (std::size_t j = 0; j < base.size(); ++j) s += base[j] * M.get(i, j);
            text += s.to_string() + "; ";
            f.push_back(s);
        }
        INFO("iteration " << it << ": " << text);
        auto g = find_nullstellensatz(f, {});
        if (g) check_identity(f, *g);
        if (M.rank() == base.size()) CHECK(g.has_value());
    }
}

TEST_CASE("Nullstellensatz: edge cases") {
    auto ctx = make_poly_context({"x", "y"});
    Poly x = var(ctx, "x");
    auto g = find_nullstellensatz({x, Poly::constant(ctx, Rational(3))}, {});
    REQUIRE(g.has_value());
    check_identity({x, Poly::constant(ctx, Rational(3))}, *g);
    CHECK(!find_nullstellensatz({}, {}).has_value());
    CHECK(!find_nullstellensatz({Poly::zero(ctx)}, {}).has_value());
    // A zero polynomial among the inputs gets the cofactor 0.
    auto h = find_nullstellensatz({Poly::zero(ctx), x - one(ctx), x}, {});
    REQUIRE(h.has_value());
    check_identity({Poly::zero(ctx), x - one(ctx), x}, *h);
    // Rational coefficients.
    std::vector<Poly> f{x * Rational::parse("2/3") - Poly::constant(ctx, Rational::parse("1/5")),
                        x * Rational::parse("-7/11")};
    auto k = find_nullstellensatz(f, {});
    REQUIRE(k.has_value());
    check_identity(f, *k);
    auto other = make_poly_context({"x"});
    CHECK_THROWS_AS(find_nullstellensatz({x, Poly::variable(other, 0)}, {}), std::invalid_argument);
}
