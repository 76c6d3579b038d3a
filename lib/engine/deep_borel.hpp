// Borel-invariant outer masks (docs/theory.md §4.8): when every column of the last mask is a down-set
// (or every one an up-set) and every row of the first mask a right-set (or a left-set), L_I is a
// union of orbits of two triangular groups, each holding one rook placement. If every rook placement
// within the vertex-cut bounds on the corner ranks is realised by vertex-disjoint paths, L_I is the
// closed set cut out by those rank bounds.
#pragma once

#include <optional>

#include <nlohmann/json.hpp>

#include "arch/architecture.hpp"
#include "engine/deadline.hpp"

namespace closecert::engine {

struct BorelResult {
    std::optional<nlohmann::json> node;     // the `borel` node: L_I is closed
    std::optional<nlohmann::json> witness;  // a not-closed proof: a placement within the bounds outside L_I
};

// Neither when the masks are not invariant, the sides exceed 6, or a placement is neither realised
// nor reached by one elementary degeneration from a realised one with a non-membership proof.
BorelResult borel(const arch::Architecture& a, unsigned max_degree, const Deadline& deadline);

}  // namespace closecert::engine
