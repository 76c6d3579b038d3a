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

// The `borel` node, or nullopt (masks not invariant, too large, or a placement not found).
std::optional<nlohmann::json> borel_node(const arch::Architecture& a, const Deadline& deadline);

}  // namespace closecert::engine
