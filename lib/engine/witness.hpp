// Non-closedness witnesses for two-layer patterns: a first-order degeneration (Lemma D) giving a
// limit A in closure(L), and a Nullstellensatz proof, in A's window, that A is not in L.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "arch/pattern.hpp"
#include "engine/deadline.hpp"

namespace closecert::engine {

struct WitnessLimits {
    std::size_t max_candidates = 2000;
    unsigned max_degree = 4;
};

struct WitnessSearch {
    std::optional<nlohmann::json> proof;  // "linear" object of a not-closed certificate
    std::size_t candidates_tried = 0;
    std::size_t windows_closed = 0;       // candidates skipped: their window is provably closed
};

// Searches degenerations among `terms` (indices into p.terms): overlapping pairs (Lemma D), then
// three terms cancelling in one line (Lemma D') and pairs plus a two-cell third term.
WitnessSearch find_witness(const arch::Pattern& p, const std::vector<std::size_t>& terms, const WitnessLimits& limits,
                           const Deadline& deadline);

}  // namespace closecert::engine
