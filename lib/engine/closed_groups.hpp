// Groups of terms whose visible cells they fill (Lemma V candidates) for the closed prover: full
// chain groups (Lemma E), generic groups by matchings, groups full through one pinned line (Lemma G2).
#pragma once

#include <algorithm>
#include <optional>
#include <vector>

#include <nlohmann/json.hpp>

#include "engine/deadline.hpp"
#include "engine/subpattern.hpp"

namespace closecert::engine {

struct Absorbable {
    std::vector<std::size_t> terms;
    const char* rule = "absorb";
    const char* orientation = nullptr;  // absorb_chain and absorb_generic
    nlohmann::json matching;                      // absorb_generic: [i, j, k] per visible cell of the group
    nlohmann::json pin;                           // absorb_pinned: [line, term]; `matching` holds its matchings
    nlohmann::json tree;                          // absorb_tree: the case tree (Lemma F)
};

inline bool has_index(const IndexSet& s, Index v) { return std::binary_search(s.begin(), s.end(), v); }
inline bool subset_of(const IndexSet& a, const IndexSet& b) { return std::includes(b.begin(), b.end(), a.begin(), a.end()); }

std::vector<Absorbable> full_chain_groups(const SubPattern& sp);
std::optional<Absorbable> generic_group(const SubPattern& sp, bool by_cols, const Deadline& deadline);
std::optional<Absorbable> pinned_group(const SubPattern& sp, bool by_cols);

}  // namespace closecert::engine
