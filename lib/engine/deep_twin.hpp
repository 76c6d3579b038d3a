// Twin classes (docs/theory.md 4.10, Lemma TW): when the hidden units before a split layer s have
// equal-or-disjoint in-supports (and twins share their out-supports), and those after it the
// transpose, every product has a factorisation with bounded factors, so L_I is closed.
#pragma once

#include <optional>

#include <nlohmann/json.hpp>

#include "arch/architecture.hpp"

namespace closecert::engine {

// Hidden layer h (1 <= h < L) is a forward twin layer when two of its units whose in-supports (row
// supports of mask h) meet have equal in-supports and equal out-supports (column supports of mask
// h + 1); a backward twin layer when the same holds with in and out exchanged.
bool forward_twins(const arch::Architecture& a, std::size_t h);
bool backward_twins(const arch::Architecture& a, std::size_t h);

// The certificate node of rule `twin` with the least split s (1 <= s <= L: hidden layers 1..s-1
// forward, s..L-1 backward), or nullopt.
std::optional<nlohmann::json> twin_node(const arch::Architecture& a);

}  // namespace closecert::engine
