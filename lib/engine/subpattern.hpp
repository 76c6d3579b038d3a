// A sub-pattern: some terms of a two-layer pattern, observed on the cells that are not forgotten
// (Lemma V projections). Visible cells of term k are S_k minus the forgotten cells.
#pragma once

#include <cstddef>
#include <cstdint>
#include <utility>
#include <vector>

#include "arch/pattern.hpp"

namespace closecert::engine {

using arch::Index;
using arch::IndexSet;
using Cell = std::pair<Index, Index>;

// Bitmap of forgotten cells, one row of 64-bit words per matrix row, copied on absorb.
class CellSet {
public:
    CellSet() = default;
    // The bitmap is allocated on the first insert: most sub-patterns forget nothing.
    CellSet(std::size_t m, std::size_t n) : m_(m), n_(n), words_((n + 63) / 64) {}
    bool contains(Index i, Index j) const {
        return count_ != 0 && ((bits_[std::size_t(i) * words_ + j / 64] >> (j % 64)) & 1u);
    }
    void insert(Index i, Index j) {
        if (bits_.empty()) bits_.assign(m_ * words_, 0);
        std::uint64_t& w = bits_[std::size_t(i) * words_ + j / 64];
        const std::uint64_t bit = std::uint64_t{1} << (j % 64);
        if (!(w & bit)) {
            w |= bit;
            ++count_;
        }
    }
    std::size_t size() const { return count_; }
    // Row i's words, or nullptr when nothing is forgotten.
    const std::uint64_t* row(Index i) const { return count_ ? bits_.data() + std::size_t(i) * words_ : nullptr; }
    std::vector<Cell> sorted() const;
private:
    std::size_t m_ = 0, n_ = 0, words_ = 0, count_ = 0;
    std::vector<std::uint64_t> bits_;
};

struct SubPattern {
    const arch::Pattern* pattern = nullptr;
    std::vector<std::size_t> terms;  // strictly increasing
    CellSet forgotten;

    const arch::Rect& rect(std::size_t k) const { return pattern->terms[k]; }
    bool visible(Index i, Index j) const { return !forgotten.contains(i, j); }
    std::vector<Cell> visible_cells(std::size_t k) const;
    bool has_visible_cell(std::size_t k) const;
    // The visible cells of term k as a rectangle, if they form one (empty rectangle if none visible).
    bool visible_rect(std::size_t k, arch::Rect& out) const;
};

// Groups of terms with identical rectangles (classes), each sorted, ordered by first term.
std::vector<std::vector<std::size_t>> classes_of(const SubPattern& sp);
// Connected components by shared visible cells; terms without visible cells are singletons.
std::vector<std::vector<std::size_t>> visible_components(const SubPattern& sp);

}  // namespace closecert::engine
