// Lemma G: the exact phase-I simplex against planted feasible and planted infeasible systems, and the
// global-minimiser analysis on known answers and on planted fits, each fit evaluated independently.
#include <doctest/doctest.h>

#include <random>

#include "core/simplex.hpp"
#include "flow/minimisers.hpp"
#include "seed.hpp"

using closecert::core::Rational;
using namespace closecert;
using namespace closecert::flow;

namespace {

Rational q(long p, long d = 1) { return Rational(p) / Rational(d); }

arch::Architecture dense(std::size_t in, std::size_t hidden, bool bias1, bool bias2) {
    arch::Architecture a;
    a.name = "dense";
    a.input_dim = in;
    arch::Layer l1{arch::Mask(hidden, in), bias1}, l2{arch::Mask(1, hidden), bias2};
    for (std::size_t i = 0; i < hidden; ++i) {
        for (std::size_t j = 0; j < in; ++j) l1.mask.set(i, j);
        l2.mask.set(0, i);
    }
    a.layers = {l1, l2};
    return a;
}

// The network value of the parameters, directly.
Rational value(const Params& p, const std::vector<Rational>& x) {
    Rational f = p.b2[0];
    for (std::size_t k = 0; k < p.w1.size(); ++k) {
        Rational z = p.b1[k];
        for (std::size_t j = 0; j < x.size(); ++j) z += p.w1[k][j] * x[j];
        if (z.sign() > 0) f += p.w2[0][k] * z;
    }
    return f;
}

// The fit of Lemma G's coordinates, evaluated from its definition.
Rational fit_value(const arch::Architecture& a, const MinimiserAnalysis& m, const std::vector<Rational>& x) {
    Rational f = m.fit.beta;
    for (std::size_t k = 0; k < m.units.size(); ++k) {
        Rational z;
        std::size_t j = 0;
        for (std::size_t c = 0; c < a.input_dim; ++c)
            if (a.layers[0].mask.at(m.units[k], c)) z += m.fit.g[k][j++] * x[c];
        if (a.layers[0].bias) z += m.fit.g[k][j];
        z *= Rational(static_cast<long>(m.fit.sigma[k]));
        if (z.sign() > 0) f += Rational(static_cast<long>(m.fit.sigma[k])) * z;
    }
    return f;
}

Params params(std::vector<std::vector<Rational>> w1, std::vector<Rational> b1, std::vector<Rational> a, Rational b2 = Rational(0)) {
    Params p;
    p.w1 = std::move(w1), p.b1 = std::move(b1), p.w2 = {std::move(a)}, p.b2 = {b2};
    return p;
}

}  // namespace

TEST_CASE("phase I finds planted points and refuses systems with a planted Farkas vector") {
    std::mt19937_64 rng(test::seed("simplex"));
    std::uniform_int_distribution<long> c(-3, 3), dims(1, 6), pos(0, 3);
    for (int t = 0; t < 300; ++t) {
        const std::size_t m = static_cast<std::size_t>(dims(rng)), n = static_cast<std::size_t>(dims(rng));
        core::RationalMatrix a(m, std::vector<Rational>(n));
        for (auto& row : a)
            for (auto& v : row) v = q(c(rng));
        if (t % 2 == 0) {  // b = A x0 with x0 >= 0: feasible
            std::vector<Rational> x0(n), b(m);
            for (auto& v : x0) v = q(pos(rng), 2);
            for (std::size_t i = 0; i < m; ++i)
                for (std::size_t j = 0; j < n; ++j) b[i] += a[i][j] * x0[j];
            const auto x = core::nonnegative_solution(a, b);
            REQUIRE(x);
            for (std::size_t i = 0; i < m; ++i) {
                Rational s;
                for (std::size_t j = 0; j < n; ++j) s += a[i][j] * (*x)[j];
                CHECK(s == b[i]);
            }
            for (const auto& v : *x) CHECK(v.sign() >= 0);
        } else {  // y with y^T A >= 0 and y^T b < 0: infeasible. Make the first row the y-combination's fix.
            std::vector<Rational> y(m);
            for (auto& v : y) v = q(c(rng));
            y[0] = q(1);
            // Row 0 := (v - sum_{i>0} y_i A_i) with v >= 0 gives y^T A = v >= 0; b_0 := -1 - sum_{i>0} y_i b_i.
            std::vector<Rational> b(m);
            for (std::size_t i = 1; i < m; ++i) b[i] = q(c(rng));
            for (std::size_t j = 0; j < n; ++j) {
                Rational s = q(pos(rng));
                for (std::size_t i = 1; i < m; ++i) s -= y[i] * a[i][j];
                a[0][j] = s;
            }
            b[0] = q(-1);
            for (std::size_t i = 1; i < m; ++i) b[0] -= y[i] * b[i];
            CHECK_FALSE(core::nonnegative_solution(a, b));
        }
    }
}

TEST_CASE("Lemma G on |x|: unreachable from the obstructed init, in the component from a good one") {
    const arch::Architecture a = dense(1, 2, true, false);
    RMatrix x, y;
    for (long k : {-4, -3, -2, -1, 1, 2, 3, 4}) x.push_back({q(k, 4)}), y.push_back({q(k < 0 ? -k : k, 4)});
    // c_k = 1/4 - 4 < 0 with one outgoing weight: the signs of a are fixed, +1 and -1; |x| needs both positive.
    const Params obstructed = params({{q(1, 2)}, {q(-1, 2)}}, {q(0), q(0)}, {q(2), q(-2)});
    const MinimiserAnalysis m = analyse_minimisers(a, invariants(a, obstructed), x, y);
    REQUIRE(m.answer == MinimiserAnalysis::Answer::unreachable);
    CHECK(m.combinations.size() > 0);
    for (std::size_t s = 0; s < x.size(); ++s) CHECK(fit_value(a, m, x[s]) == y[s][0]);  // zero loss is attained
    const Params good = params({{q(1)}, {q(-1)}}, {q(0), q(0)}, {q(1, 2), q(1, 2)});
    const MinimiserAnalysis g = analyse_minimisers(a, invariants(a, good), x, y);
    REQUIRE(g.answer == MinimiserAnalysis::Answer::in_component);
    for (std::size_t s = 0; s < x.size(); ++s) CHECK(fit_value(a, g, x[s]) == y[s][0]);
}

TEST_CASE("data no network of the architecture fits: the minimisers are not known exactly") {
    const arch::Architecture a = dense(1, 1, false, false);  // f(x) = a relu(w x): f(1) = 1, f(2) = 1 is impossible
    const Params init = params({{q(1)}}, {q(0)}, {q(1)});
    const MinimiserAnalysis m = analyse_minimisers(a, invariants(a, init), {{q(1)}, {q(2)}}, {{q(1)}, {q(1)}});
    CHECK(m.answer == MinimiserAnalysis::Answer::unknown);
    CHECK(m.reason.find("cannot be fitted") != std::string::npos);
}

TEST_CASE("planted fits: data from a network with the init's output signs is never unreachable") {
    std::mt19937_64 rng(test::seed("minimisers-planted"));
    std::uniform_int_distribution<long> c(-3, 3), mag(1, 3), npts(2, 5);
    int in_component = 0;
    for (int t = 0; t < 40; ++t) {
        const bool bias2 = t % 3 == 0;
        const arch::Architecture a = dense(1, 2, true, bias2);
        Params init = params({{q(c(rng))}, {q(c(rng))}}, {q(c(rng)), q(c(rng))}, {q(c(rng) == 0 ? 2 : 1) * q(mag(rng)), q(-mag(rng))});
        Params target = params({{q(c(rng))}, {q(c(rng))}}, {q(c(rng)), q(c(rng))}, {}, bias2 ? q(c(rng)) : q(0));
        for (const Rational& s : init.w2[0]) target.w2[0].push_back(Rational(static_cast<long>(s.sign())) * q(mag(rng)));
        RMatrix x, y;
        const long n = npts(rng);
        for (long k = 0; k < n; ++k) {
            x.push_back({q(2 * k - n, 2)});
            y.push_back({value(target, x.back())});
        }
        const MinimiserAnalysis m = analyse_minimisers(a, invariants(a, init), x, y);
        INFO("trial ", t);
        CHECK(m.answer != MinimiserAnalysis::Answer::unreachable);
        if (m.answer == MinimiserAnalysis::Answer::in_component) {
            ++in_component;
            for (std::size_t s = 0; s < x.size(); ++s) CHECK(fit_value(a, m, x[s]) == y[s][0]);
        }
    }
    CHECK(in_component >= 30);
}
