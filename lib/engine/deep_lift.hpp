// Not-closed proofs found on a derived architecture (a restriction, a fusion of layers, a shorter
// dense run), rewritten for the architecture it came from. A step gives the map of output rows and
// input columns, a map of Laurent families with the same product, and a substitution of every
// derived weight variable by a polynomial in the original ones that turns the derived product into
// the original product (a ring homomorphism, so Nullstellensatz and Positivstellensatz identities
// stay identities).
#pragma once

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "arch/architecture.hpp"
#include "core/laurent_poly.hpp"
#include "engine/deep_graph.hpp"

namespace closecert::engine {

using LaurentMatrix = std::map<std::pair<std::size_t, std::size_t>, core::LaurentPoly>;
using Family = std::vector<LaurentMatrix>;  // family[l-1] = W_l(t)
// A polynomial with coefficients 1 in the original variables: a sum of products of names.
using PathSum = std::vector<std::vector<std::string>>;

struct Lift {
    std::vector<std::size_t> row_of, col_of;           // derived output row / input column -> original
    std::function<std::optional<Family>(const Family&)> family;
    std::function<PathSum(std::size_t layer, std::size_t i, std::size_t j)> variable;  // derived w<layer>_i_j
};

std::string weight_name(std::size_t layer, std::size_t i, std::size_t j);

// The step kinds of the deep prover.
Lift lift_restriction(const UnitSets& units);
Lift lift_fusion_monomial(const arch::Architecture& original, std::size_t l);
// `rows`: which pair_matching orientation proved the pair full.
Lift lift_fusion_generic(const arch::Architecture& original, std::size_t l, bool rows);
Lift lift_run(const arch::Architecture& original, std::size_t first, std::size_t last, std::size_t width);

// The derived proof rewritten for the original; nullopt if the family cannot be mapped or a
// substituted polynomial would exceed `max_terms` terms.
std::optional<nlohmann::json> lift_proof(const Lift& lift, const nlohmann::json& derived, std::size_t max_terms = 200000);

Family family_from_json(const nlohmann::json& family, std::size_t depth);
nlohmann::json family_to_json(const Family& f);

}  // namespace closecert::engine
