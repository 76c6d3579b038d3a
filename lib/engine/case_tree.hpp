// Lemma F (docs/theory.md): a small group of terms whose visible cells carry every matrix, shown by
// a case tree. Internal nodes split on whether a target entry a_i_j vanishes; each leaf gives the
// group's factors as rational functions of the target whose denominators are products of the
// entries known to be non-zero there. The certificate is checked by expanding polynomial identities.
#pragma once

#include <cstddef>
#include <optional>
#include <vector>

#include <nlohmann/json.hpp>

#include "engine/deadline.hpp"
#include "engine/subpattern.hpp"

namespace closecert::engine {

struct CaseTreeLimits {
    std::size_t max_cells = 16;        // visible cells of the group
    std::size_t max_terms = 5;
    std::size_t max_line = 4;          // visible cells on a line solved by Cramer's rule
    std::size_t max_evaluations = 100000;  // candidate evaluations (~45 us each); LU 4x4 needs more and is skipped
    std::size_t max_regions = 64;      // tree nodes visited by the search (the census trees need <= 31)
    unsigned max_depth = 10;
};

// The "tree" of an absorb_tree proof node (docs/certificates.md) showing that the projection of the
// group's sum onto the group's visible cells is onto; nullopt if the search finds none.
// `group`: sorted terms of sp, each with a visible cell.
std::optional<nlohmann::json> case_tree_fullness(const SubPattern& sp, const std::vector<std::size_t>& group,
                                                 const Deadline& deadline, const CaseTreeLimits& limits = {});

}  // namespace closecert::engine
