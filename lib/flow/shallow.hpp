// Gradient flow on one-hidden-layer ReLU networks (seed 003): the conserved quantities, the
// connected components of the invariant set they fix, and reachability of a target from an
// initialisation (docs/flow.md). Knows nothing of files.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "arch/architecture.hpp"
#include "core/integer.hpp"
#include "core/rational.hpp"

namespace closecert::flow {

using RMatrix = std::vector<std::vector<core::Rational>>;

// Parameters of a two-layer architecture: W1 (hidden x input), b1, W2 (output x hidden), b2;
// entries outside the masks are zero, absent biases are zero.
struct Params {
    RMatrix w1, w2;
    std::vector<core::Rational> b1, b2;
};

// Why params do not fit the architecture ("" when they do).
std::string params_defect(const arch::Architecture& a, const Params& p);

// One hidden unit k: c_k = |w_k|^2 + b_k^2 - |a_k|^2 (incoming weights and bias minus outgoing
// weights), p = number of incoming parameters (in-degree + bias), q = out-degree. Its quadric
// {|w|^2 - |a|^2 = c} is disconnected iff c > 0 and p = 1, or c < 0 and q = 1 (docs/flow.md,
// Lemma Q); then `side` is the sign of its single incoming (c > 0) or outgoing (c < 0) parameter.
struct Unit {
    core::Rational c;
    std::size_t p = 0, q = 0;
    bool split = false;
    int side = 0;
    std::size_t cls = 0;  // units of one class are interchangeable (same masks, same c)
};

struct Invariants {
    std::vector<Unit> units;
    std::size_t split_units = 0;
    core::Integer components;                 // 2^split_units
    core::Integer components_up_to_symmetry;  // prod over classes of (split units in it + 1)
};

Invariants invariants(const arch::Architecture& a, const Params& p);

// A target is unreachable from init under gradient flow when some unit's invariant differs, or
// when the target lies in another component (a split unit on the other side).
struct Reach {
    bool unreachable = false;
    std::size_t unit = 0;
    std::string why;  // "invariant" or "side"
};
Reach reach(const Invariants& init, const Invariants& target);

// Plain gradient descent with step eta on L = 1/(2N) sum_i |F(x_i) - y_i|^2 changes each c_k by
// exactly eta^2 (|grad_{w_k,b_k} L|^2 - |grad_{a_k} L|^2) per step (Lemma D); this is that change
// at params, for data X (N x input) and Y (N x output). relu'(0) = 0.
std::vector<core::Rational> gd_drift(const arch::Architecture& a, const Params& p, const RMatrix& x, const RMatrix& y,
                                     const core::Rational& eta);

}  // namespace closecert::flow
