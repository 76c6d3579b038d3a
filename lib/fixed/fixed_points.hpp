// Every fixed point of a 1-D network (seed 004). Piecewise linear activations: exact, through the
// network's function as a continuous piecewise affine map; smooth ones: smooth.hpp (docs/fixed.md).
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "fixed/network.hpp"

namespace closecert::fixed {

// A connected component of {x : f(x) = x}: a point (lo == hi) or a closed interval, nullopt ends
// being infinite; or (isolating) one fixed point known to lie in [lo, hi], the only one there.
struct Component {
    std::optional<core::Rational> lo, hi;
    bool isolating = false;
    bool point() const { return lo && hi && *lo == *hi; }
};

// A cell of the interval Newton search and how it was settled: "no_zero" (f(x) - x has no zero
// on it), "newton_empty" (the Newton image misses it), "newton_unique" (exactly one fixed point).
struct SearchCell {
    core::Rational lo, hi;
    std::string verdict;
};

struct FixedResult {
    bool decided = false;
    std::string rule = "pwl_partition";   // or "interval_newton" (a smooth activation)
    std::string reason;                   // why not decided
    std::vector<Component> components;    // increasing, disjoint, maximal
    // Every point where some unit's activation changes piece: on each cell between consecutive
    // ones every unit is affine in x (the certificate's partition).
    std::vector<core::Rational> partition;
    std::size_t pieces = 0;               // affine pieces of f itself
    // interval_newton: the search domain (it holds the range of f), the layer whose bounded
    // activation bounds it (0-based), and the cells covering the domain from left to right.
    core::Rational domain_lo, domain_hi;
    std::size_t bounded_layer = 0;
    std::vector<SearchCell> cells;
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
