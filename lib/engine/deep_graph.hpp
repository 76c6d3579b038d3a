// The layered graph of a deep architecture: units of layers 0..L, an edge per allowed weight.
// Operations that keep the linear counterpart's set (up to zero rows and columns and relabelling):
// restriction to live units, connected components, fusion of consecutive layers.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <vector>

#include "arch/architecture.hpp"

namespace closecert::engine {

// units[l] = kept units of layer l (0 = inputs, L = outputs), strictly increasing.
using UnitSets = std::vector<std::vector<std::size_t>>;

// on[l][u]: unit u of layer l lies on a path from one of the inputs `cols` to one of the outputs `rows`.
std::vector<std::vector<char>> units_between(const arch::Architecture& a, const std::vector<std::size_t>& cols,
                                             const std::vector<std::size_t>& rows);
// Units on some input-to-output path (the others contribute nothing to any product).
UnitSets live_units(const arch::Architecture& a);
bool all_units(const arch::Architecture& a, const UnitSets& u);
// The sub-architecture on the given units (masks restricted, biases kept).
arch::Architecture restrict_units(const arch::Architecture& a, const UnitSets& u);
// Connected components of the layered graph of an architecture whose units are all live, ordered
// by their first output unit.
std::vector<UnitSets> layered_components(const arch::Architecture& a);

bool is_full(const arch::Mask& m);
// At most one 1 per row and per column.
bool is_partial_permutation(const arch::Mask& m);

// Layers l and l + 1 (1-based, l + 1 <= L) replaced by one layer with the boolean product mask.
arch::Architecture fuse_pair(const arch::Architecture& a, std::size_t l);
// Layers first..last (1-based) replaced by full layers: one if `width` is 0, else two through a
// hidden layer of `width` units.
arch::Architecture replace_run(const arch::Architecture& a, std::size_t first, std::size_t last, std::size_t width);

// For column orientation (`rows == false`): for every column j of the pair's boolean product, a
// matching of the product's rows in column j to distinct hidden units k with (i, k) in the upper
// mask and (k, j) in the lower one; as (i, j, k) triples. The transpose for `rows == true`.
// nullopt if some line has no such matching (then this generic-rank argument does not apply).
using Triple = std::array<std::size_t, 3>;
std::optional<std::vector<Triple>> pair_matching(const arch::Mask& lower, const arch::Mask& upper, bool rows);

// The boolean product S of all masks as bitsets: row i has bit j when output i is joined to input
// j. nullopt when the work (mask entries / 8 + nonzeros times input words) exceeds max_work.
std::optional<std::vector<std::vector<std::uint64_t>>> product_support(const arch::Architecture& a, double max_work);

}  // namespace closecert::engine
