// Deep architectures: a layer whose mask is a partial permutation (at most one 1 per row and per
// column) can be merged into a neighbour. {W A : supp W ⊆ P, supp A ⊆ M} is the set of matrices
// supported on the boolean product P·M, because row i of W A is w_i times row pi(i) of A and the
// rows pi(i) are distinct (docs/theory.md). Witnesses found on the merged architecture are mapped
// back: merged variables become products of original ones.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "arch/architecture.hpp"

namespace closecert::engine {

struct Reduction {
    arch::Architecture reduced;
    // Reduced variable name -> the original variables whose product it stands for; the first one
    // (the carrier) takes the reduced value, the others are set to 1.
    std::map<std::string, std::vector<std::string>> product_of;
    std::size_t merged_layers = 0;
};

// Merges monomial layers until two layers are left or none can be merged.
Reduction merge_monomial_layers(const arch::Architecture& a);

// A not-closed proof for `reduced`, rewritten for the original architecture; nullopt if the
// variable roles conflict (then the engine gives no verdict).
std::optional<nlohmann::json> lift_not_closed_proof(const Reduction& r, const nlohmann::json& reduced_proof);

}  // namespace closecert::engine
