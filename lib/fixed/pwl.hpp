// Continuous piecewise affine functions of one real variable with exact rational data.
#pragma once

#include <cstddef>
#include <vector>

#include "core/rational.hpp"

namespace closecert::fixed {

struct Affine {
    core::Rational slope, offset;  // x -> slope * x + offset
    core::Rational at(const core::Rational& x) const { return slope * x + offset; }
    friend bool operator==(const Affine&, const Affine&) = default;
};

// pieces.size() == breaks.size() + 1; piece k holds on [breaks[k-1], breaks[k]] (unbounded at the
// ends), breaks strictly increasing. Kept minimal: adjacent pieces differ.
struct Pwl {
    std::vector<core::Rational> breaks;
    std::vector<Affine> pieces;

    static Pwl affine(core::Rational slope, core::Rational offset);
    core::Rational at(const core::Rational& x) const;
    // c * this + other (breakpoints merged, then minimised).
    Pwl scaled_plus(const core::Rational& c, const Pwl& other) const;
    // Merges adjacent pieces that are the same affine map.
    void minimise();
};

// The composition r(z(x)) with the ramp r(z) = kink_value + (z < kink ? low_slope : high_slope) * (z - kink);
// relu, leaky relu and hardtanh (two ramps) are such compositions. Kinks are the crossings of `kink`.
Pwl apply_ramp(const Pwl& z, const core::Rational& kink, const core::Rational& kink_value,
               const core::Rational& low_slope, const core::Rational& high_slope);

}  // namespace closecert::fixed
