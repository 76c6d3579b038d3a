// The closedness question of a two-layer pattern as input for generic real-algebraic solvers
// (development references only): QEPCAD B and SMT-LIB for z3.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "arch/pattern.hpp"

namespace closecert::crosscheck {

// The sentence of THEORY.md section 2 in prenex form,
//   (A a)(E e)(E u,v)(A p,q)[ (e > 0 /\ sum (P(p,q) - a)^2 >= e) \/ P(u,v) = a ],
// with a only on the cells some rectangle covers (outside them closure and set are both 0).
// Empty string when the pattern has no non-empty rectangle (L = {0}, trivially closed).
std::string qepcad_input(const arch::Pattern& p);

// The negated sentence for z3's nlqsat: sat iff L is not closed.
std::string smt_negated_closedness(const arch::Pattern& p);

// A = sum of the listed entries (row, col, rational text); sat iff A is in L.
using Entry = std::pair<std::pair<std::size_t, std::size_t>, std::string>;
std::string smt_membership(const arch::Pattern& p, const std::vector<Entry>& a);

}  // namespace closecert::crosscheck
