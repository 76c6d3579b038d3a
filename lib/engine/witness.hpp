// Non-closedness witnesses for two-layer patterns: a first-order degeneration (Lemma D) giving a
// limit A in closure(L), and a Nullstellensatz proof, in A's window, that A is not in L.
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "arch/pattern.hpp"
#include "engine/deadline.hpp"

namespace closecert::engine {

struct WitnessLimits {
    std::size_t max_candidates = 2000;
    unsigned max_degree = 4;
    // Random families with poles up to order 2 (pass 6): only on patterns spanning at most
    // max_random_side rows and columns, random_trials draws per pole order.
    std::size_t max_random_side = 4;
    std::size_t random_trials = 200;
    unsigned first_random_order = 1;
    // false: only pass 6 (tests and ablations; the structured passes are cheaper when they apply).
    bool structured = true;
};

struct WitnessSearch {
    std::optional<nlohmann::json> proof;  // "linear" object of a not-closed certificate
    std::size_t candidates_tried = 0;
    std::size_t windows_closed = 0;       // candidates skipped: their window is provably closed
};

// Searches degenerations among `terms` (indices into p.terms): overlapping pairs (Lemma D), then
// three terms cancelling in one line (Lemma D') and pairs plus a two-cell third term, then (small
// patterns only) random families with poles of order 1 and 2 (Lemma D2).
WitnessSearch find_witness(const arch::Pattern& p, const std::vector<std::size_t>& terms, const WitnessLimits& limits,
                           const Deadline& deadline);

// Numerical filter of the witness search: cells c with target[c] = sum over prods[c] of z_x z_y.
// True if Levenberg-Marquardt finds, from a few random starts, a residual below 1e-10 (relative)
// with every |z| < 1e4. Used only to skip exact non-membership searches that cannot succeed.
bool numerically_in_image(std::size_t n, const std::vector<std::vector<std::pair<std::size_t, std::size_t>>>& prods,
                          const std::vector<double>& target);

}  // namespace closecert::engine
