// Exact proof that a sum of closed class cones has no non-zero cancelling family (Lemma P):
// a refutation tree of row/column drops and rank-one cell splits (docs/certificates.md).
#pragma once

#include <optional>
#include <vector>

#include <nlohmann/json.hpp>

#include "arch/pattern.hpp"
#include "engine/deadline.hpp"

namespace closecert::engine {

struct ClassState {
    std::size_t id;       // smallest term index of the class
    std::size_t size;     // number of terms (rank bound)
    arch::IndexSet rows;  // current rows
    arch::IndexSet cols;  // current columns
    bool empty() const { return rows.empty() || cols.empty(); }
};

// Refutation tree, or nullopt if none found within `max_nodes` split nodes.
std::optional<nlohmann::json> refute_cancellation(std::vector<ClassState> classes, const Deadline& deadline,
                                                  std::size_t max_nodes = 4096);

}  // namespace closecert::engine
