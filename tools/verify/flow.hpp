// Kind "flow" (flow.cpp): the facts of one hidden unit at the initialisation, and the check of the
// global-minimiser claim (flow_minimisers.cpp, docs/flow.md Lemma G).
#pragma once

#include "verify.hpp"

namespace verify {

struct UnitFacts {
    Rational c;
    bool split = false;
    int side = 0;
    std::size_t in = 0, out = 0;  // incoming parameters (weights and bias), outgoing weights
};

// Checks cert["data"] and cert["proof"]["minimisers"]; returns the claim they prove, "unreachable"
// (no zero-loss parameter in the component, and one exists) or "in_component".
std::string check_minimisers(const json& cert, const Arch& a, const std::vector<UnitFacts>& units, Tally& tally);

}  // namespace verify
