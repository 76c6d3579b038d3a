// Chainable Kronecker-sparse chains (butterfly, Monarch, deformable butterflies): a cited theorem
// (Le, Zheng, Riccietti, Gribonval, arXiv 2411.04506) says their sets of products are closed. The
// engine recognises the masks I_a (x) 1_{b x c} (x) I_d with hidden units in their natural order.
#pragma once

#include <array>
#include <optional>

#include <nlohmann/json.hpp>

#include "arch/architecture.hpp"

namespace closecert::engine {

using KronTuple = std::array<std::size_t, 4>;  // (a, b, c, d): shape (a b d) x (a c d)

// (a, b, c, d) with m == I_a (x) 1_{b x c} (x) I_d, or nullopt (also when b = c = 1, a bare identity,
// whose split of a d is not determined by the mask).
std::optional<KronTuple> kronecker_tuple(const arch::Mask& m);
// Factor l (1-based, output side first) and l + 1 of a chain: a_l | a_{l+1}, d_{l+1} | d_l,
// a_{l+1} | a_l c_l.
bool chainable_pair(const KronTuple& left, const KronTuple& right);
// The certificate node of rule `kronecker_chain`, or nullopt when the masks, in the product order
// or transposed, are not a chainable chain.
std::optional<nlohmann::json> kronecker_chain_node(const arch::Architecture& a);

}  // namespace closecert::engine
