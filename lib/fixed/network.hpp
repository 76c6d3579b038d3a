// Networks of one real input and one real output (seed 004): dense layers with exact rational
// weights and a per-layer activation. Knows nothing of masks, patterns or files.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "core/rational.hpp"

namespace closecert::fixed {

enum class Activation { identity, relu, leaky_relu, hardtanh, logistic, tanh, arctan, softplus };

// "relu", "leaky_relu", ...; nullopt for an unknown name.
std::optional<Activation> activation_from_name(const std::string& name);
std::string activation_name(Activation a);
// Piecewise linear activations are decided exactly; the others need interval arithmetic.
bool piecewise_linear(Activation a);

struct DenseLayer {
    std::vector<std::vector<core::Rational>> weights;  // rows = units of this layer (nn.Linear.weight)
    std::vector<core::Rational> bias;                  // one per unit
    Activation activation = Activation::identity;
    core::Rational slope;                              // leaky_relu: the slope on z < 0
    std::size_t units() const { return weights.size(); }
    std::size_t inputs() const { return weights.empty() ? 0 : weights[0].size(); }
};

struct Network {
    std::string name;
    std::vector<DenseLayer> layers;  // first to last; input and output width 1
};

// Why the network is not a 1-D network of consistent shapes ("" when it is one).
std::string shape_defect(const Network& n);

// Exact value at x; only for piecewise linear activations (throws std::logic_error otherwise).
core::Rational evaluate(const Network& n, const core::Rational& x);

}  // namespace closecert::fixed
