// Closedness of L_I for three or more layers: a proof tree of reductions that keep the set
// (restriction to live units, components, fusion of pairs, shorter dense runs) down to base rules
// (one layer, two layers, dense ends, chainable Kronecker chains); a not-closed proof found below a
// reduction is rewritten for the architecture above it (deep_lift.hpp).
#pragma once

#include "arch/architecture.hpp"
#include "engine/deadline.hpp"
#include "engine/engine.hpp"

namespace closecert::engine {

// The two-layer engine (engine.cpp).
LinearResult decide_two_layer(const arch::Architecture& a, const Options& opts, const Deadline& deadline);

// Any depth >= 1; the closed proof's "linear" object is {"verdict": "closed", "deep": node}.
LinearResult decide_deep(const arch::Architecture& a, const Options& opts, const Deadline& deadline);

}  // namespace closecert::engine
