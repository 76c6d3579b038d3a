#include <chrono>
#include <iostream>
#include <string>

#include <doctest/doctest.h>

#include "core/nullstellensatz.hpp"
#include "core/positivstellensatz.hpp"
#include "generators.hpp"
#include "seed.hpp"

using namespace closecert::core;
namespace t = closecert::test;

namespace {

// Independent re-check, written out here rather than reusing the library's.
void check_identity(const std::vector<Poly>& f, const PositivstellensatzCertificate& c) {
    REQUIRE(c.cofactors.size() == f.size());
    Poly sum = Poly::constant(f.front().context(), Rational(1));
    for (std::size_t i = 0; i < f.size(); ++i) {
        REQUIRE(c.cofactors[i].context() == f[i].context());
        sum = sum + c.cofactors[i] * f[i];
    }
    for (const auto& s : c.squares) {
        CHECK(s.weight > Rational(0));
        CHECK(!s.poly.is_zero());
        sum = sum + s.weight * s.poly.pow(2);
    }
    CHECK(sum.to_string() == "0");
    CHECK(is_positivstellensatz_certificate(f, c));
}

Poly var(const Poly::Context& ctx, const std::string& name) { return Poly::variable(ctx, *ctx->index_of(name)); }
Poly cst(const Poly::Context& ctx, long c) { return Poly::constant(ctx, Rational(c)); }

// Random polynomial of total degree <= d with small coefficients.
Poly random_poly_deg(t::Rng& rng, const Poly::Context& ctx, unsigned d, std::size_t max_terms) {
    std::vector<Poly::Term> terms;
    std::size_t n = t::uniform(rng, 1, max_terms);
    for (std::size_t k = 0; k < n; ++k) {
        Poly::Term term{t::random_nonzero_rational(rng, 6), std::vector<unsigned long>(ctx->nvars(), 0)};
        unsigned deg = static_cast<unsigned>(t::uniform(rng, 0, d));
        for (unsigned s = 0; s < deg; ++s) ++term.exps[t::uniform(rng, 0, ctx->nvars() - 1)];
        terms.push_back(std::move(term));
    }
    return Poly::from_terms(ctx, terms);
}

}  // namespace

TEST_CASE("Positivstellensatz: real-infeasible systems with complex solutions") {
    auto ctx = make_poly_context({"x", "y", "x1", "y1", "x2", "y2"});
    Poly x = var(ctx, "x"), y = var(ctx, "y");
    Poly x1 = var(ctx, "x1"), y1 = var(ctx, "y1"), x2 = var(ctx, "x2"), y2 = var(ctx, "y2");
    const std::vector<std::vector<Poly>> systems{
        {x * x + cst(ctx, 1)},
        {x * x + y * y + cst(ctx, 1)},
        {x * y - cst(ctx, 1), x * x + y * y},          // needs the binomial square (x - y)^2
        {x1 * y1 + x2 * y2 + cst(ctx, 1), x1 - y1, x2 - y2},
        {x * x + Poly::constant(ctx, Rational::parse("1/3")), x * y - cst(ctx, 5)},
        {x * x * y * y + x * x + cst(ctx, 2)},
    };
    for (const auto& f : systems) {
        CAPTURE(f.front().to_string());
        // Each has complex solutions, so no Nullstellensatz certificate can exist.
        CHECK(!find_nullstellensatz(f, {}).has_value());
        PositivstellensatzStats stats;
        auto c = find_positivstellensatz(f, {}, stats);
        REQUIRE(c.has_value());
        check_identity(f, *c);
        std::cout << "[positivstellensatz] " << f.front().to_string() << ": degree " << stats.degree << ", "
                  << stats.unknowns << " unknowns, " << stats.rows << " rows, " << c->squares.size() << " squares\n";
    }
    // Without binomial squares (diagonal SOS only), x*y - 1, x^2 + y^2 has no certificate of degree 2.
    PositivstellensatzLimits diag;
    diag.binomials = false;
    diag.max_degree = 2;
    CHECK(!find_positivstellensatz({x * y - cst(ctx, 1), x * x + y * y}, diag).has_value());
    diag.binomials = true;
    CHECK(find_positivstellensatz({x * y - cst(ctx, 1), x * x + y * y}, diag).has_value());
}

TEST_CASE("Positivstellensatz: a Nullstellensatz certificate is one too") {
    auto ctx = make_poly_context({"x11", "y11", "x21", "y21"});
    Poly x11 = var(ctx, "x11"), y11 = var(ctx, "y11"), x21 = var(ctx, "x21"), y21 = var(ctx, "y21");
    std::vector<Poly> f{x11 * y11, x11 * y21 - cst(ctx, 1), x21 * y11 - cst(ctx, 1)};
    auto c = find_positivstellensatz(f, {});
    REQUIRE(c.has_value());
    check_identity(f, *c);
}

TEST_CASE("Positivstellensatz: gradings") {
    auto ctx = make_poly_context({"x", "y", "z"});
    Poly x = var(ctx, "x"), y = var(ctx, "y"), z = var(ctx, "z");
    // x -> s x, y -> y / s: every f is weight 0; the square (x y)^2 is weight 0 as well.
    std::vector<Poly> f{x * x * y * y + cst(ctx, 1), z - cst(ctx, 3)};
    PositivstellensatzLimits lim;
    lim.gradings = {{1, -1, 0}};
    PositivstellensatzStats graded, plain;
    auto c = find_positivstellensatz(f, lim, graded);
    REQUIRE(c.has_value());
    check_identity(f, *c);
    REQUIRE(find_positivstellensatz(f, {}, plain).has_value());
    CHECK(graded.unknowns < plain.unknowns);
    // A grading under which some f is not homogeneous is ignored, not applied.
    lim.gradings = {{1, 0, 0}};
    auto d = find_positivstellensatz({x * x + cst(ctx, 1)}, lim);
    REQUIRE(d.has_value());
    check_identity({x * x + cst(ctx, 1)}, *d);
    lim.gradings = {{1, 0}};
    CHECK_THROWS_AS(find_positivstellensatz({x * x + cst(ctx, 1)}, lim), std::invalid_argument);
}

TEST_CASE("Positivstellensatz: systems with real solutions give nullopt") {
    auto ctx = make_poly_context({"x", "y", "z"});
    Poly x = var(ctx, "x"), y = var(ctx, "y"), z = var(ctx, "z");
    CHECK(!find_positivstellensatz({x * x - cst(ctx, 1)}, {}).has_value());
    CHECK(!find_positivstellensatz({x * x + y * y - cst(ctx, 1), x * y}, {}).has_value());
    CHECK(!find_positivstellensatz({x * y, y * z, x + z}, {}).has_value());  // no constant term
    CHECK(!find_positivstellensatz({x * x - cst(ctx, 2), y * y - x}, {}).has_value());  // irrational zero
    // Random systems vanishing at a random rational point: any claimed certificate would be false.
    t::Rng rng(t::seed("positivstellensatz consistent"));
    for (int it = 0; it < 15 * t::scale(); ++it) {
        std::vector<Rational> pt;
        for (int i = 0; i < 3; ++i) pt.push_back(t::random_rational(rng, 6));
        std::vector<Poly> f;
        std::size_t n = t::uniform(rng, 1, 4);
        for (std::size_t k = 0; k < n; ++k) {
            Poly p = random_poly_deg(rng, ctx, 2, 4);
            f.push_back(p - Poly::constant(ctx, p.evaluate(pt)));
        }
        CHECK(!find_positivstellensatz(f, {}).has_value());
    }
}

TEST_CASE("Positivstellensatz: limits") {
    auto ctx = make_poly_context({"x", "y"});
    Poly x = var(ctx, "x"), y = var(ctx, "y");
    std::vector<Poly> f{x * y - cst(ctx, 1), x * x + y * y};
    PositivstellensatzLimits tiny;
    tiny.max_unknowns = 3;
    CHECK(!find_positivstellensatz(f, tiny).has_value());
    PositivstellensatzLimits late;
    late.deadline = std::chrono::steady_clock::now() - std::chrono::seconds(1);
    CHECK(!find_positivstellensatz(f, late).has_value());
    PositivstellensatzLimits low;
    low.max_degree = 1;
    CHECK(!find_positivstellensatz(f, low).has_value());
    // Wrong certificates are rejected by the checker function.
    PositivstellensatzCertificate bad{{cst(ctx, 1), cst(ctx, 0)}, {}};
    CHECK(!is_positivstellensatz_certificate(f, bad));
    PositivstellensatzCertificate neg{{-cst(ctx, 1)}, {{Rational(-1), x}}};
    CHECK(!is_positivstellensatz_certificate({x * x + cst(ctx, 1)}, neg));
    PositivstellensatzCertificate good{{-cst(ctx, 1)}, {{Rational(1), x}}};
    CHECK(is_positivstellensatz_certificate({x * x + cst(ctx, 1)}, good));
}

TEST_CASE("Positivstellensatz: planted certificates are found (random)") {
    // f_1..f_{n-1} random of degree <= 1 with random linear cofactors; f_n is chosen so that
    // sum g_i f_i + f_n + 1 + sum w s^2 = 0 for random monomial and binomial squares of degree <= 1.
    // So a degree-2 certificate exists within the candidate set and must be found.
    auto ctx = make_poly_context({"a", "b", "c"});
    std::vector<Poly> mono{cst(ctx, 1), var(ctx, "a"), var(ctx, "b"), var(ctx, "c")};
    t::Rng rng(t::seed("positivstellensatz planted"));
    PositivstellensatzLimits lim;
    lim.max_degree = 2;
    for (int it = 0; it < 20 * t::scale(); ++it) {
        std::vector<Poly> f;
        Poly rest = cst(ctx, 1);
        std::size_t n = t::uniform(rng, 0, 2);
        for (std::size_t k = 0; k < n; ++k) {
            f.push_back(random_poly_deg(rng, ctx, 1, 3));
            rest += random_poly_deg(rng, ctx, 1, 3) * f.back();
        }
        std::size_t ns = t::uniform(rng, 1, 4);
        for (std::size_t k = 0; k < ns; ++k) {
            Poly s = mono[t::uniform(rng, 0, 3)];
            if (t::uniform(rng, 0, 1)) s += Rational(t::uniform(rng, 0, 1) ? 1 : -1) * mono[t::uniform(rng, 0, 3)];
            Rational w = t::random_nonzero_rational(rng, 5).abs();
            rest += w * s.pow(2);
        }
        f.push_back(-rest);
        CAPTURE(f.back().to_string());
        auto c = find_positivstellensatz(f, lim);
        REQUIRE(c.has_value());
        check_identity(f, *c);
    }
}

TEST_CASE("Positivstellensatz: the 3x3 cyclic pattern and J - I (complex but no real factorisation)") {
    // Terms {0,1}x{0,1}, {1,2}x{1,2}, {0,2}x{0,2}. Writing A = sum_h x_h y_h^T with A = J - I, the
    // off-diagonal cells force every variable nonzero and the diagonal cells reduce to p^2 = -1 for
    // p = x_{0,1} y_{1,0}: complex solutions exist, real ones do not.
    std::vector<std::string> names;
    const int rect[3][2] = {{0, 1}, {1, 2}, {0, 2}};
    for (int h = 0; h < 3; ++h)
        for (int a : rect[h]) {
            names.push_back("x" + std::to_string(a) + "_" + std::to_string(h));
            names.push_back("y" + std::to_string(h) + "_" + std::to_string(a));
        }
    auto ctx = make_poly_context(names);
    std::vector<Poly> f;
    std::vector<std::vector<int>> gradings(3, std::vector<int>(ctx->nvars(), 0));
    for (int h = 0; h < 3; ++h)
        for (int a : rect[h]) {
            gradings[h][*ctx->index_of("x" + std::to_string(a) + "_" + std::to_string(h))] = 1;
            gradings[h][*ctx->index_of("y" + std::to_string(h) + "_" + std::to_string(a))] = -1;
        }
    for (int p = 0; p < 3; ++p)
        for (int q = 0; q < 3; ++q) {
            Poly e = cst(ctx, p == q ? 0 : -1);
            for (int h = 0; h < 3; ++h) {
                auto xi = ctx->index_of("x" + std::to_string(p) + "_" + std::to_string(h));
                auto yj = ctx->index_of("y" + std::to_string(h) + "_" + std::to_string(q));
                if (xi && yj) e += Poly::variable(ctx, *xi) * Poly::variable(ctx, *yj);
            }
            f.push_back(e);
        }
    NullstellensatzLimits nl;
    nl.gradings = gradings;
    CHECK(!find_nullstellensatz(f, nl).has_value());
    PositivstellensatzLimits pl;
    pl.gradings = gradings;
    pl.max_degree = 4;
    CHECK(!find_positivstellensatz(f, pl).has_value());  // none of degree 4 or 6 in the candidate set
    pl.max_degree = 8;
    PositivstellensatzStats stats;
    auto t0 = std::chrono::steady_clock::now();
    auto c = find_positivstellensatz(f, pl, stats);
    std::cout << "[positivstellensatz cyclic J - I] "
              << std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count() << " s, degree "
              << stats.degree << ", " << stats.unknowns << " unknowns, " << stats.rows << " rows, LP "
              << stats.seconds_lp << " s, exact " << stats.seconds_exact << " s\n";
    REQUIRE(c.has_value());
    check_identity(f, *c);
}
