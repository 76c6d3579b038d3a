// Orderly enumeration of two-layer patterns up to symmetry (rows, columns, hidden units, transposition).
#pragma once

#include <cstddef>
#include <functional>
#include <vector>

#include "arch/canonical.hpp"
#include "arch/pattern.hpp"

namespace closecert::census {

// Every (I, J) with I subset of [m], J subset of [n], empty sets included, in a fixed order.
std::vector<arch::Rect> all_rectangles(std::size_t m, std::size_t n);

struct EnumerationStats {
    std::size_t canonicalisations = 0;  // canonical forms computed
    std::vector<std::size_t> per_level; // distinct patterns with 0, 1, ..., r terms
    double seconds = 0.0;
};

// One canonical form per symmetry class of patterns with m rows, n columns and r hidden units
// (each unit any rectangle, possibly empty), sorted by key. The shape is normalised to
// min(m, n) x max(m, n) since transposition is a symmetry. Level k is built from level k-1 by adding
// one rectangle and deduplicating canonical keys, so only classes (not labelled patterns) are held.
std::vector<arch::CanonicalForm> enumerate_patterns(std::size_t m, std::size_t n, std::size_t r,
                                                    unsigned jobs = 1, EnumerationStats* stats = nullptr);

}  // namespace closecert::census
