// Canonical form of a two-layer pattern under permutations of rows, columns and hidden units and
// under transposition: two patterns get the same form iff one maps to the other.
#pragma once

#include <cstddef>
#include <string>

#include "arch/pattern.hpp"

namespace closecert::arch {

// Largest m and n handled (the search is exact but exponential in the worst case).
inline constexpr std::size_t kCanonicalMaxDim = 6;

struct CanonicalForm {
    Pattern pattern;  // m <= n when the shapes differ; terms sorted
    std::string key;  // compact, equal iff the canonical patterns are equal, e.g. "2x2:3.3,2.2"
};

// Throws std::invalid_argument if m or n exceeds kCanonicalMaxDim.
CanonicalForm canonical_form(const Pattern& p);

// Same key as canonical_form(p).key.
std::string canonical_key(const Pattern& p);

}  // namespace closecert::arch
