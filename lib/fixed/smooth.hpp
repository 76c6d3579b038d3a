// Fixed points of 1-D networks with smooth activations (docs/fixed.md, rule interval_newton):
// every fixed point isolated in a rational interval with existence and uniqueness proved by the
// interval Newton test, and the rest of the search domain excluded, in Arb's ball arithmetic.
#pragma once

#include "fixed/fixed_points.hpp"

namespace closecert::fixed {

// Requires a layer with a bounded activation (tanh, logistic, arctan, hardtanh): the fixed points
// then lie in the range of f, which bounds the search. Otherwise, or when a cell can be neither
// excluded nor isolated (a fixed point where f'(x) = 1, an interval of fixed points), unknown.
FixedResult smooth_fixed_points(const Network& n, const FixedLimits& limits);

}  // namespace closecert::fixed
