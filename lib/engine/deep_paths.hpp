// Disjoint paths (docs/theory.md 4.9, Lemma DP): L_I is the whole coordinate subspace on the
// boolean product S of all masks when, for every input j, the outputs of S's column j are joined to
// j by paths that are vertex-disjoint after j (orientation `cols`: W_1 free, the other layers
// generic), or the transpose for every output row (`rows`: W_L free).
#pragma once

#include <optional>

#include <nlohmann/json.hpp>

#include "arch/architecture.hpp"
#include "engine/deadline.hpp"

namespace closecert::engine {

// The certificate node of rule `disjoint_paths`, or nullopt when neither orientation has the paths
// (or the product or the path search is larger than the rule's bounds).
std::optional<nlohmann::json> disjoint_paths_node(const arch::Architecture& a, const Deadline& deadline);

}  // namespace closecert::engine
