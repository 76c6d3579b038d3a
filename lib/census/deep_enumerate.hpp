// Enumeration of deep architectures (any number of layers, small widths) up to symmetry: the units
// of every layer (inputs, hidden layers, outputs) permuted independently, and transposition (layer
// order reversed, every mask transposed, so inputs and outputs swap). Brute force: a class is
// represented by the architecture whose encoding is lexicographically smallest in its orbit.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "arch/architecture.hpp"

namespace closecert::census {

using Widths = std::vector<std::size_t>;  // N_0 (inputs), N_1, ..., N_L (outputs)

// Largest number of mask entries (sum of N_l N_{l-1}) enumerated: 2^this labelled architectures
// (27: three layers of width 3).
inline constexpr std::size_t kDeepMaxEntries = 27;

// The encoding of an architecture: the masks of layers 1..L, each row-major (rows = units of the
// layer, columns = units of the one below), concatenated; as a number, the first entry is the most
// significant bit, so numeric order is the lexicographic order of the 0/1 string.
using DeepCode = std::uint64_t;

struct DeepClass {
    Widths widths;                  // the class's widths (w <= reversed(w) lexicographically)
    std::vector<arch::Mask> masks;  // layers 1..L of the least encoding in the orbit
    DeepCode code = 0;              // that encoding
    std::string key;                // "2-2-2-2:01.10,01.11,01.11" (widths, then each mask's rows)
};

// The width tuples with `depth` layers and every width in [min_width, max_width], one per pair
// {w, reversed(w)} (the lexicographically smaller one): transposition maps one to the other.
std::vector<Widths> deep_width_tuples(std::size_t depth, std::size_t min_width, std::size_t max_width);

// Number of mask entries sum N_l N_{l-1}.
std::size_t deep_entries(const Widths& w);

// "2-2-2-2".
std::string widths_label(const Widths& w);

struct DeepEnumerationStats {
    std::size_t labelled = 0;    // 2^entries architectures
    std::size_t group_order = 0; // prod N_l!, times 2 when w is a palindrome
    double seconds = 0.0;
};

// Every class of architectures with these widths, by increasing code. Widths that are not the
// smaller of {w, reversed(w)} are refused (std::invalid_argument), as are more than
// kDeepMaxEntries entries, a width of 0, or fewer than one layer.
std::vector<DeepClass> enumerate_deep(const Widths& w, DeepEnumerationStats* stats = nullptr);

// The canonical class of any architecture with at least one layer and at most kDeepMaxEntries
// entries (its widths may be either orientation): equal for two architectures iff some symmetry maps
// one to the other.
DeepClass canonical_deep(const std::vector<arch::Mask>& masks);

// Masks <-> code for widths w.
std::vector<arch::Mask> deep_masks(const Widths& w, DeepCode code);
DeepCode deep_code(const std::vector<arch::Mask>& masks);

// The key of masks as given (not canonicalised): widths, ':', rows of each mask joined by '.',
// masks joined by ','.
std::string deep_key(const std::vector<arch::Mask>& masks);

// The architecture (every layer with a bias) of the masks, validated.
arch::Architecture deep_architecture(const std::vector<arch::Mask>& masks, const std::string& name);

// Row strings of each mask, e.g. [["01", "10"], ["01", "11"]].
std::vector<std::vector<std::string>> mask_rows(const std::vector<arch::Mask>& masks);

// Inverse of mask_rows (std::invalid_argument on ragged or non-0/1 rows, or shapes that do not chain).
std::vector<arch::Mask> masks_from_rows(const std::vector<std::vector<std::string>>& rows);

}  // namespace closecert::census
