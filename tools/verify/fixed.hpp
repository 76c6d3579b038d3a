// Kind "fixed" (docs/fixed.md): the network of a certificate or network file, re-parsed here,
// and the two proof rules (fixed.cpp: pwl_partition; fixed_newton.cpp: interval_newton).
#pragma once

#include "verify.hpp"

namespace verify {

enum class Act { identity, relu, leaky_relu, hardtanh, logistic, tanh, arctan, softplus };

struct FixedLayer {
    std::vector<std::vector<Rational>> w;
    std::vector<Rational> b;
    Act act = Act::identity;
    Rational slope;
    bool operator==(const FixedLayer&) const = default;
};

struct Net {
    std::string name;
    std::vector<FixedLayer> layers;
};

bool piecewise_linear(Act a);
// `file_form`: a network file (JSON floats, decimals, defaults); otherwise the canonical form of
// a certificate (strings "p" or "p/q", every field present).
Net parse_net(const json& v, const std::string& path, bool file_form);

// The rules: each checks the proof against the network and returns the components it derived,
// as the JSON claim they must equal, with a short text of them for the summary.
struct FixedFacts {
    json components = json::array();
    std::size_t points = 0, intervals = 0;
    std::string listed;  // the first 16 components
};
FixedFacts check_pwl_partition(const Net& net, const json& proof, Tally& tally);
FixedFacts check_interval_newton(const Net& net, const json& proof, Tally& tally);

}  // namespace verify
