// Two-factor view of a two-layer architecture: one rank-one rectangle S_k = I_k x J_k per hidden unit.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "arch/architecture.hpp"

namespace closecert::arch {

using Index = std::uint32_t;
using IndexSet = std::vector<Index>;  // strictly increasing

struct Rect {
    IndexSet rows;  // I_k: output units fed by hidden unit k
    IndexSet cols;  // J_k: inputs feeding hidden unit k
    bool empty() const { return rows.empty() || cols.empty(); }
    std::size_t cells() const { return rows.size() * cols.size(); }
    bool contains(Index i, Index j) const;
    friend bool operator==(const Rect&, const Rect&) = default;
    friend auto operator<=>(const Rect&, const Rect&) = default;
};

bool rects_overlap(const Rect& a, const Rect& b);

struct Pattern {
    std::size_t m = 0;         // output rows
    std::size_t n = 0;         // input columns
    std::vector<Rect> terms;   // term k = hidden unit k
    friend bool operator==(const Pattern&, const Pattern&) = default;
};

// Requires a validated two-layer architecture.
Pattern two_layer_pattern(const Architecture& a);
// The two-layer architecture (with biases) whose pattern is p.
Architecture architecture_of(const Pattern& p, const std::string& name = "pattern");
// Window (Lemma W): every term restricted to rows R x cols C, renumbered 0..|R|-1, 0..|C|-1.
Pattern window(const Pattern& p, const IndexSet& rows, const IndexSet& cols);
// Transposition swaps the roles of the factors.
Pattern transposed(const Pattern& p);
std::string to_string(const Pattern& p);

}  // namespace closecert::arch
