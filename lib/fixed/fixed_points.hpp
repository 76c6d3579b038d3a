// Every fixed point of a 1-D network (seed 004). Piecewise linear activations: exact, through the
// network's function as a continuous piecewise affine map (docs/fixed.md).
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "fixed/network.hpp"

namespace closecert::fixed {

// A connected component of {x : f(x) = x}: a point (lo == hi) or a closed interval, nullopt ends
// being infinite.
struct Component {
    std::optional<core::Rational> lo, hi;
    bool point() const { return lo && hi && *lo == *hi; }
};

struct FixedResult {
    bool decided = false;
    std::string reason;                   // why not decided
    std::vector<Component> components;    // increasing, disjoint, maximal
    // Every point where some unit's activation changes piece: on each cell between consecutive
    // ones every unit is affine in x (the certificate's partition).
    std::vector<core::Rational> partition;
    std::size_t pieces = 0;               // affine pieces of f itself
    double seconds = 0;
};

struct FixedLimits {
    std::size_t max_breaks = std::size_t{1} << 20;  // of any unit, and of the partition
    double timeout_seconds = 60;
};

FixedResult fixed_points(const Network& n, const FixedLimits& limits = {});

// The components of {x : g(x) = 0} for g affine on each cell of `partition` (cells closed), given
// the affine map of each cell: shared by the engine's answer and its tests.
std::vector<Component> zero_components(const std::vector<core::Rational>& partition,
                                       const std::vector<std::pair<core::Rational, core::Rational>>& cell_maps);

}  // namespace closecert::fixed
