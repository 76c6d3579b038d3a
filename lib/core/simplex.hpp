// Exact feasibility of {x >= 0 : A x = b} over Q by the simplex method (phase I, Bland's rule, so
// it terminates): small dense systems only, where a certificate needs exact numbers.
#pragma once

#include <optional>
#include <vector>

#include "core/rational.hpp"

namespace closecert::core {

using RationalMatrix = std::vector<std::vector<Rational>>;

// A point x >= 0 with A x = b (checked exactly before it is returned), or nullopt when there is
// none. A has b.size() rows of equal length.
std::optional<std::vector<Rational>> nonnegative_solution(const RationalMatrix& a, const std::vector<Rational>& b);

}  // namespace closecert::core
