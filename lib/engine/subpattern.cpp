#include "engine/subpattern.hpp"

#include <algorithm>
#include <map>
#include <numeric>

namespace closecert::engine {

std::vector<Cell> CellSet::sorted() const {
    std::vector<Cell> out;
    if (count_ == 0) return out;
    out.reserve(count_);
    for (std::size_t i = 0; i < m_; ++i)
        for (std::size_t j = 0; j < n_; ++j)
            if (bits_[i * n_ + j]) out.emplace_back(Index(i), Index(j));
    return out;
}

std::vector<Cell> SubPattern::visible_cells(std::size_t k) const {
    std::vector<Cell> out;
    const auto& r = rect(k);
    for (Index i : r.rows)
        for (Index j : r.cols)
            if (visible(i, j)) out.emplace_back(i, j);
    return out;
}

bool SubPattern::has_visible_cell(std::size_t k) const {
    const auto& r = rect(k);
    if (forgotten.size() == 0) return !r.empty();
    for (Index i : r.rows)
        for (Index j : r.cols)
            if (visible(i, j)) return true;
    return false;
}

bool SubPattern::visible_rect(std::size_t k, arch::Rect& out) const {
    const auto& r = rect(k);
    out = arch::Rect{};
    if (forgotten.size() == 0) {
        if (!r.empty()) out = r;
        return true;
    }
    std::size_t count = 0;
    std::vector<bool> col_seen(r.cols.size(), false);
    for (Index i : r.rows) {
        bool row_seen = false;
        for (std::size_t b = 0; b < r.cols.size(); ++b)
            if (visible(i, r.cols[b])) {
                ++count;
                row_seen = true;
                col_seen[b] = true;
            }
        if (row_seen) out.rows.push_back(i);
    }
    for (std::size_t b = 0; b < r.cols.size(); ++b)
        if (col_seen[b]) out.cols.push_back(r.cols[b]);
    if (count != out.rows.size() * out.cols.size()) return false;
    return true;
}

std::vector<std::vector<std::size_t>> classes_of(const SubPattern& sp) {
    std::map<const arch::Rect*, std::size_t, bool (*)(const arch::Rect*, const arch::Rect*)> slot(
        [](const arch::Rect* a, const arch::Rect* b) { return *a < *b; });
    std::vector<std::vector<std::size_t>> out;
    for (std::size_t k : sp.terms) {
        auto [it, fresh] = slot.emplace(&sp.rect(k), out.size());
        if (fresh) out.emplace_back();
        out[it->second].push_back(k);
    }
    return out;
}

std::vector<std::vector<std::size_t>> visible_components(const SubPattern& sp) {
    const auto& p = *sp.pattern;
    const std::size_t r = sp.terms.size();
    std::vector<std::size_t> parent(r);
    std::iota(parent.begin(), parent.end(), 0);
    auto find = [&](std::size_t x) {
        while (parent[x] != x) x = parent[x] = parent[parent[x]];
        return x;
    };
    // Terms sharing a visible cell share its row: sweep rows, remembering the last owner per column.
    std::vector<std::vector<std::size_t>> by_row(p.m);
    for (std::size_t a = 0; a < r; ++a)
        for (Index i : sp.rect(sp.terms[a]).rows) by_row[i].push_back(a);
    std::vector<std::size_t> owner(p.n, SIZE_MAX);
    for (std::size_t i = 0; i < p.m; ++i) {
        if (by_row[i].size() < 2) continue;
        for (std::size_t a : by_row[i])
            for (Index j : sp.rect(sp.terms[a]).cols) {
                if (!sp.visible(Index(i), j)) continue;
                if (owner[j] != SIZE_MAX) parent[find(owner[j])] = find(a);
                owner[j] = a;
            }
        for (std::size_t a : by_row[i])
            for (Index j : sp.rect(sp.terms[a]).cols) owner[j] = SIZE_MAX;
    }
    std::vector<std::vector<std::size_t>> out;
    std::vector<std::size_t> slot(r, SIZE_MAX);
    for (std::size_t a = 0; a < r; ++a) {
        std::size_t root = find(a);
        if (slot[root] == SIZE_MAX) {
            slot[root] = out.size();
            out.emplace_back();
        }
        out[slot[root]].push_back(sp.terms[a]);
    }
    return out;
}

}  // namespace closecert::engine
