// Plain gradient descent in doubles on a one-hidden-layer ReLU network with the square loss, for
// the experiment of docs/flow.md: the loss and the invariants c_k at every step.
#pragma once

#include <vector>

#include "flow/shallow.hpp"

namespace closecert::flow {

struct DescentRecord {
    double loss = 0;
    std::vector<double> c;  // per hidden unit
};

// Masks are respected (entries outside stay zero), biases only where the architecture has them.
std::vector<DescentRecord> descend(const arch::Architecture& a, const Params& init, const RMatrix& x, const RMatrix& y,
                                   double eta, long steps);

}  // namespace closecert::flow
