// The closedness question of a deep architecture (any number of layers) as solver input:
//   for all A [ (for all e > 0 exists W: ||W_L ... W_1 - A||^2 < e) => exists W: W_L ... W_1 = A ],
// where every W_l ranges over the matrices supported on mask l. Entry (i, j) of the product is the
// sum over the paths j -> ... -> i of the products of their weights.
#pragma once

#include <string>
#include <vector>

#include "arch/architecture.hpp"
#include "formulas.hpp"

namespace closecert::crosscheck {

// Number of output-input cells joined by at least one path (0: L = {0}, trivially closed).
std::size_t deep_cells(const std::vector<arch::Mask>& masks);

// The negated sentence for z3's nlqsat (sat iff L is not closed), in the form of
// smt_negated_closedness: (exists a)(forall e, u)(exists p)[(e > 0 => ||P(p) - a||^2 < e) and P(u) != a],
// a only on the cells some path reaches.
std::string deep_smt_negated_closedness(const std::vector<arch::Mask>& masks);

// sat iff the matrix with the listed entries (others 0) is W_L ... W_1 for some W (qfnra-nlsat).
std::string deep_smt_membership(const std::vector<arch::Mask>& masks, const std::vector<Entry>& a);

// The sentence in prenex form for QEPCAD B, (A a)(E e)(E u)(A p)[(e > 0 /\ ||P(p) - a||^2 >= e) \/ P(u) = a];
// empty when L = {0}. Variable names are single digits after a letter: widths and depth <= 9.
std::string deep_qepcad_input(const std::vector<arch::Mask>& masks);

}  // namespace closecert::crosscheck
