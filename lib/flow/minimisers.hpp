// Whether a global minimiser of the square loss on a data set lies in the initialisation's component
// of the invariant set (docs/flow.md, Lemma G). Exact when the data can be fitted with zero loss:
// then the global minimisers are exactly the zero-loss parameters. Scalar output only.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "flow/shallow.hpp"

namespace closecert::flow {

inline constexpr std::size_t kMaxMinimiserSamples = 10;      // 2^N activity patterns per unit
inline constexpr std::size_t kMaxMinimiserCombinations = 20000;

// A zero-loss realisation in the coordinates of Lemma G: unit k contributes
// sigma_k relu(sigma_k g_k . x~_k) (x~_k: the unit's inputs, then 1 if layer 1 has a bias), plus beta.
struct Fit {
    std::vector<int> sigma;                     // per relevant unit
    std::vector<std::vector<core::Rational>> g;
    core::Rational beta;
};

// An activity pattern (sigma, subset S of the samples) of one unit: kept, or excluded by a Motzkin
// certificate: mu, nu >= 0, sum nu = 1, sum_r mu_r B_r + sum_l nu_l C_l = 0 (rows of the strict
// system sigma g.x~_i > 0 for i in S, <= 0 for i not in S, then the side row if any).
struct Pattern {
    int sigma = 1;
    std::uint32_t subset = 0;
    bool kept = false;
    std::vector<core::Rational> mu, nu;
};

// Farkas certificate of one combination of kept patterns: lambda (per sample), mu >= 0 (per
// non-strict row) with lambda^T E + mu^T B = 0 and lambda^T y = 1.
struct Farkas {
    std::vector<core::Rational> lambda, mu;
};

struct MinimiserAnalysis {
    enum class Answer { unreachable, in_component, unknown } answer = Answer::unknown;
    std::string reason;                       // unknown: why
    std::vector<std::size_t> units;           // the relevant hidden units (connected to the output, with inputs)
    Fit fit;                                  // in_component: in the component; unreachable: anywhere (so the loss's minimum is 0)
    std::vector<std::vector<Pattern>> patterns;  // unreachable: per relevant unit, every (sigma, S) in order
    std::vector<Farkas> combinations;         // unreachable: per combination of kept patterns, lexicographic
};

MinimiserAnalysis analyse_minimisers(const arch::Architecture& a, const Invariants& inv, const RMatrix& x, const RMatrix& y);

}  // namespace closecert::flow
