#include "fixed/network.hpp"

#include <array>
#include <stdexcept>
#include <utility>

namespace closecert::fixed {

using core::Rational;

namespace {

constexpr std::array<std::pair<Activation, const char*>, 8> kNames = {{
    {Activation::identity, "identity"}, {Activation::relu, "relu"}, {Activation::leaky_relu, "leaky_relu"},
    {Activation::hardtanh, "hardtanh"}, {Activation::logistic, "logistic"}, {Activation::tanh, "tanh"},
    {Activation::arctan, "arctan"}, {Activation::softplus, "softplus"},
}};

}  // namespace

std::optional<Activation> activation_from_name(const std::string& name) {
    for (const auto& [a, n] : kNames)
        if (name == n) return a;
    return std::nullopt;
}

std::string activation_name(Activation a) {
    for (const auto& [b, n] : kNames)
        if (a == b) return n;
    return "?";
}

bool piecewise_linear(Activation a) {
    return a == Activation::identity || a == Activation::relu || a == Activation::leaky_relu || a == Activation::hardtanh;
}

std::string shape_defect(const Network& n) {
    if (n.layers.empty()) return "no layers";
    std::size_t width = 1;
    for (std::size_t l = 0; l < n.layers.size(); ++l) {
        const DenseLayer& d = n.layers[l];
        const std::string where = "layer " + std::to_string(l + 1) + ": ";
        if (d.units() == 0) return where + "no units";
        for (const auto& row : d.weights)
            if (row.size() != width)
                return where + "a weight row has " + std::to_string(row.size()) + " entries, the layer before has " +
                       std::to_string(width) + " units";
        if (d.bias.size() != d.units())
            return where + std::to_string(d.bias.size()) + " biases for " + std::to_string(d.units()) + " units";
        width = d.units();
    }
    if (width != 1) return "the last layer has " + std::to_string(width) + " units, a 1-D network has one output";
    return "";
}

Rational evaluate(const Network& n, const Rational& x) {
    std::vector<Rational> h{x};
    for (const DenseLayer& d : n.layers) {
        std::vector<Rational> z(d.units());
        for (std::size_t i = 0; i < d.units(); ++i) {
            z[i] = d.bias[i];
            for (std::size_t j = 0; j < h.size(); ++j) z[i] += d.weights[i][j] * h[j];
            switch (d.activation) {
            case Activation::identity: break;
            case Activation::relu: if (z[i].sign() < 0) z[i] = Rational(0); break;
            case Activation::leaky_relu: if (z[i].sign() < 0) z[i] *= d.slope; break;
            case Activation::hardtanh:
                if (z[i] > Rational(1)) z[i] = Rational(1);
                else if (z[i] < Rational(-1)) z[i] = Rational(-1);
                break;
            default: throw std::logic_error("evaluate: " + activation_name(d.activation) + " is not piecewise linear");
            }
        }
        h = std::move(z);
    }
    return h[0];
}

}  // namespace closecert::fixed
