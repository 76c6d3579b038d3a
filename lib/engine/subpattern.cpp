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
        for (std::size_t w = 0; w < words_; ++w)
            for (std::uint64_t bits = bits_[i * words_ + w]; bits; bits &= bits - 1)
                out.emplace_back(Index(i), Index(w * 64 + std::size_t(__builtin_ctzll(bits))));
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
    const std::size_t words = (p.n + 63) / 64;
    std::vector<std::size_t> parent(r);
    std::iota(parent.begin(), parent.end(), 0);
    auto find = [&](std::size_t x) {
        while (parent[x] != x) x = parent[x] = parent[parent[x]];
        return x;
    };
    // Column sets as bitsets: per row, terms whose visible columns meet are joined by OR-ing
    // bitsets of groups, O(terms x words) per row instead of one step per cell.
    std::vector<std::uint64_t> cols(r * words, 0);
    std::vector<std::vector<std::size_t>> by_row(p.m);
    for (std::size_t a = 0; a < r; ++a) {
        const auto& t = sp.rect(sp.terms[a]);
        if (t.empty()) continue;
        for (Index j : t.cols) cols[a * words + j / 64] |= std::uint64_t{1} << (j % 64);
        for (Index i : t.rows) by_row[i].push_back(a);
    }
    std::vector<std::uint64_t> vis(words), group_bits;
    std::vector<std::size_t> group_root;
    for (std::size_t i = 0; i < p.m; ++i) {
        if (by_row[i].size() < 2) continue;
        const std::uint64_t* gone = sp.forgotten.row(Index(i));
        group_bits.clear();
        group_root.clear();
        for (std::size_t a : by_row[i]) {
            bool any = false;
            for (std::size_t w = 0; w < words; ++w) {
                vis[w] = cols[a * words + w] & (gone ? ~gone[w] : ~std::uint64_t{0});
                any = any || vis[w];
            }
            if (!any) continue;
            // Merge every group this term's visible columns meet into one new group.
            for (std::size_t g = 0; g < group_root.size();) {
                bool meets = false;
                for (std::size_t w = 0; w < words && !meets; ++w) meets = group_bits[g * words + w] & vis[w];
                if (!meets) {
                    ++g;
                    continue;
                }
                parent[find(group_root[g])] = find(a);
                for (std::size_t w = 0; w < words; ++w) vis[w] |= group_bits[g * words + w];
                // Remove group g (swap with the last).
                const std::size_t last = group_root.size() - 1;
                for (std::size_t w = 0; w < words; ++w) group_bits[g * words + w] = group_bits[last * words + w];
                group_root[g] = group_root[last];
                group_root.pop_back();
                group_bits.resize(group_root.size() * words);
            }
            group_root.push_back(a);
            group_bits.insert(group_bits.end(), vis.begin(), vis.end());
        }
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
