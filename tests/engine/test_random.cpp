// Randomised comparison with an independent slow method on small patterns. The slow method tries
// every first-order degeneration (Lemma D: pairs of overlapping terms, a shared cell, one-arm hooks)
// and decides exact non-membership of the limit with a Nullstellensatz search on the whole m x n
// system, without windows, absorption or any of the engine's rules. A witness it finds contradicts a
// "closed" verdict. Every certificate the engine produces is re-verified by the checker.
#include <doctest/doctest.h>

#include <random>

#include "arch/pattern.hpp"
#include "core/nullstellensatz.hpp"
#include "core/poly.hpp"
#include "engine/engine.hpp"
#include "lockstep.hpp"
#include "seed.hpp"

using namespace closecert;
using engine::Verdict;

namespace {

arch::Pattern random_pattern(std::mt19937_64& rng, std::size_t m, std::size_t n, std::size_t r) {
    arch::Pattern p{m, n, {}};
    for (std::size_t k = 0; k < r; ++k) {
        arch::Rect t;
        for (arch::Index i = 0; i < m; ++i)
            if (rng() % 2) t.rows.push_back(i);
        for (arch::Index j = 0; j < n; ++j)
            if (rng() % 2) t.cols.push_back(j);
        p.terms.push_back(t);
    }
    return p;
}

// Exact: true only with a verified Nullstellensatz certificate that A is not in L.
bool provably_outside(const arch::Pattern& p, const std::vector<std::vector<int>>& A) {
    std::vector<std::string> names;
    for (std::size_t h = 0; h < p.terms.size(); ++h) {
        for (auto i : p.terms[h].rows) names.push_back("x" + std::to_string(i) + "_" + std::to_string(h));
        for (auto j : p.terms[h].cols) names.push_back("y" + std::to_string(h) + "_" + std::to_string(j));
    }
    auto ctx = core::make_poly_context(names);
    auto var = [&](const std::string& s) { return core::Poly::variable(ctx, *ctx->index_of(s)); };
    std::vector<core::Poly> f;
    for (arch::Index i = 0; i < p.m; ++i)
        for (arch::Index j = 0; j < p.n; ++j) {
            core::Poly e = core::Poly::constant(ctx, core::Rational(-A[i][j]));
            for (std::size_t h = 0; h < p.terms.size(); ++h)
                if (p.terms[h].contains(i, j))
                    e += var("x" + std::to_string(i) + "_" + std::to_string(h)) * var("y" + std::to_string(h) + "_" + std::to_string(j));
            f.push_back(e);
        }
    core::NullstellensatzLimits lim;
    lim.max_degree = 4;
    auto g = core::find_nullstellensatz(f, lim);
    return g && core::is_nullstellensatz_certificate(f, *g);
}

// A first-order witness of non-closedness found by brute force, if any.
bool slow_witness(const arch::Pattern& p) {
    for (std::size_t k = 0; k < p.terms.size(); ++k)
        for (std::size_t l = k + 1; l < p.terms.size(); ++l) {
            const auto& a = p.terms[k];
            const auto& b = p.terms[l];
            if (a == b) continue;
            for (auto i : a.rows)
                for (auto j : a.cols) {
                    if (!b.contains(i, j)) continue;
                    for (int vi = -1; vi < int(p.m); ++vi)
                        for (int uj = -1; uj < int(p.n); ++uj) {
                            if (vi == int(i) || uj == int(j) || (vi < 0 && uj < 0)) continue;
                            bool v_ok = vi < 0 || a.contains(arch::Index(vi), j) || std::binary_search(a.rows.begin(), a.rows.end(), arch::Index(vi)) ||
                                        std::binary_search(b.rows.begin(), b.rows.end(), arch::Index(vi));
                            bool u_ok = uj < 0 || std::binary_search(a.cols.begin(), a.cols.end(), arch::Index(uj)) ||
                                        std::binary_search(b.cols.begin(), b.cols.end(), arch::Index(uj));
                            if (!v_ok || !u_ok) continue;
                            std::vector<std::vector<int>> A(p.m, std::vector<int>(p.n, 0));
                            if (vi >= 0) A[vi][j] = 1;
                            if (uj >= 0) A[i][uj] = 1;
                            if (provably_outside(p, A)) return true;
                        }
                }
        }
    return false;
}

}  // namespace

TEST_CASE("random small patterns: engine vs checker vs slow witness search") {
    const auto seed = test::seed("engine-random");
    std::mt19937_64 rng(seed);
    const int rounds = 60 * test::scale();
    int counts[3] = {0, 0, 0};
    for (int round = 0; round < rounds; ++round) {
        std::size_t m = 2 + rng() % 2, n = 2 + rng() % 2, r = 2 + rng() % 2;
        auto p = random_pattern(rng, m, n, r);
        auto a = arch::architecture_of(p, "random");
        engine::Options o;
        o.timeout_seconds = 20;
        auto res = engine::decide_linear(a, o);
        INFO("seed " << seed << " round " << round << " pattern " << arch::to_string(p) << " verdict "
                     << engine::to_string(res.verdict) << " " << res.reason);
        counts[int(res.verdict)]++;
        if (res.verdict != Verdict::unknown) {
            auto run = test::check_linear(a, res);
            INFO("checker: " << run.output);
            CHECK(run.status == 0);
        }
        if (res.verdict == Verdict::closed) CHECK_FALSE(slow_witness(p));
    }
    MESSAGE("closed " << counts[0] << ", not closed " << counts[1] << ", unknown " << counts[2]);
}
