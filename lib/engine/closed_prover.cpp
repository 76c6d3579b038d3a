#include "engine/closed_prover.hpp"

#include <algorithm>
#include <set>
#include <sstream>


namespace closecert::engine {

using nlohmann::json;

SubPattern make_subpattern(const arch::Pattern& p, std::vector<std::size_t> terms, const CellSet& forgotten) {
    SubPattern sp;
    sp.pattern = &p;
    std::sort(terms.begin(), terms.end());
    sp.terms = std::move(terms);
    sp.forgotten = CellSet(p.m, p.n);
    if (forgotten.size() == 0) return sp;
    for (std::size_t k : sp.terms)
        for (Index i : p.terms[k].rows)
            for (Index j : p.terms[k].cols)
                if (forgotten.contains(i, j)) sp.forgotten.insert(i, j);
    return sp;
}

std::string describe(const SubPattern& sp) {
    std::ostringstream os;
    os << "terms {";
    for (std::size_t a = 0; a < sp.terms.size(); ++a) {
        const auto& r = sp.rect(sp.terms[a]);
        os << (a ? ", " : "") << sp.terms[a] << ": {";
        for (std::size_t b = 0; b < r.rows.size(); ++b) os << (b ? "," : "") << r.rows[b];
        os << "}x{";
        for (std::size_t b = 0; b < r.cols.size(); ++b) os << (b ? "," : "") << r.cols[b];
        os << "}";
    }
    os << "}";
    if (sp.forgotten.size()) {
        os << " forgetting {";
        bool first = true;
        for (auto [i, j] : sp.forgotten.sorted()) {
            os << (first ? "" : ", ") << "(" << i << "," << j << ")";
            first = false;
        }
        os << "}";
    }
    return os.str();
}

SubPattern ClosedProver::root() const {
    std::vector<std::size_t> all(pattern_.terms.size());
    for (std::size_t k = 0; k < all.size(); ++k) all[k] = k;
    return make_subpattern(pattern_, std::move(all), CellSet(pattern_.m, pattern_.n));
}

std::optional<json> ClosedProver::prove_all() { return prove(root()); }

json ClosedProver::header(const SubPattern& sp, const char* rule) const {
    json forgotten = json::array();
    for (auto [i, j] : sp.forgotten.sorted()) forgotten.push_back({i, j});
    return {{"terms", sp.terms}, {"forgotten", std::move(forgotten)}, {"rule", rule}};
}

static std::uint64_t key_of(const SubPattern& sp) {
    std::uint64_t h = 1469598103934665603ULL;
    auto mix = [&](std::uint64_t v) { h = (h ^ v) * 1099511628211ULL; };
    for (std::size_t k : sp.terms) mix(k);
    mix(~0ULL);
    for (auto [i, j] : sp.forgotten.sorted()) mix((std::uint64_t(i) << 32) | j);
    return h;
}

std::optional<json> ClosedProver::prove(const SubPattern& sp) {
    deadline_.check();
    // A hash collision can only make the prover give up early (then the engine says unknown or
    // finds a witness); it never produces a proof.
    const std::uint64_t key = key_of(sp);
    if (failed_.count(key)) return std::nullopt;
    if (budget_ == 0) {
        if (!stuck_) stuck_ = Stuck{sp, "proof search budget exhausted"};
        return std::nullopt;
    }
    --budget_;
    auto node = prove_uncached(sp);
    if (!node) failed_.insert(key);
    return node;
}

std::optional<json> ClosedProver::prove_uncached(const SubPattern& sp) {
    if (std::none_of(sp.terms.begin(), sp.terms.end(), [&](std::size_t k) { return sp.has_visible_cell(k); }))
        return header(sp, "empty");

    auto comps = visible_components(sp);
    if (comps.size() > 1) {
        json node = header(sp, "components");
        json parts = json::array();
        for (auto& c : comps) {
            auto part = prove(make_subpattern(pattern_, c, sp.forgotten));
            if (!part) return std::nullopt;
            parts.push_back(std::move(*part));
        }
        node["parts"] = std::move(parts);
        return node;
    }

    auto classes = classes_of(sp);
    if (classes.size() == 1) {
        const auto& r = sp.rect(classes[0][0]);
        arch::Rect vis;
        if (sp.visible_rect(classes[0][0], vis) || classes[0].size() >= std::min(r.rows.size(), r.cols.size()))
            return header(sp, "class");
    }
    auto saved = stuck_;
    if (auto node = try_absorb(sp, classes)) return node;
    if (auto node = try_chain(sp)) return stuck_ = saved, node;
    // Lemma P (`proper`) is not tried: two classes sharing a visible cell always cancel, so inside one
    // component with two or more classes it cannot apply (docs/theory.md).
    if (!stuck_) stuck_ = Stuck{sp, "no closedness rule applies (components, class, absorb, chain)"};
    return std::nullopt;
}

bool class_is_full(const SubPattern& sp, const std::vector<std::size_t>& cls) {
    const auto& r = sp.rect(cls[0]);
    if (cls.size() >= std::min(r.rows.size(), r.cols.size())) return true;
    // One row, one column, or a matching; scan with early exit so large rectangles cost O(|J|).
    bool one_row = true, one_col = true, matching = true, any = false;
    Index row0 = 0, col0 = 0;
    std::set<Index> rows_seen, cols_seen;
    for (Index i : r.rows)
        for (Index j : r.cols) {
            if (!sp.visible(i, j)) continue;
            if (!any) {
                any = true;
                row0 = i;
                col0 = j;
            }
            one_row = one_row && i == row0;
            one_col = one_col && j == col0;
            matching = matching && rows_seen.insert(i).second && cols_seen.insert(j).second;
            if (!one_row && !one_col && !matching) return false;
        }
    return any;
}

namespace {

struct Absorbable {
    std::vector<std::size_t> terms;
    const char* orientation = nullptr;  // set for a full chain group
};

bool subset_of(const IndexSet& a, const IndexSet& b) { return std::includes(b.begin(), b.end(), a.begin(), a.end()); }

// Lemma E (chain) with every rank condition vacuous: the group's set is every matrix on its cells.
// Rows orientation: same rows I, columns J_1 >= ... >= J_c; full iff min(|I|, |J_1 \ J_{s+1}|) <= s.
bool chain_is_full(std::size_t rows, std::vector<IndexSet> cols) {
    std::sort(cols.begin(), cols.end(), [](const IndexSet& a, const IndexSet& b) { return a.size() > b.size(); });
    for (std::size_t s = 1; s <= cols.size(); ++s) {
        std::size_t outside = cols[0].size() - (s < cols.size() ? cols[s].size() : 0);
        if (std::min(rows, outside) > s) return false;
    }
    return true;
}

std::vector<Absorbable> full_chain_groups(const SubPattern& sp) {
    std::vector<Absorbable> out;
    std::vector<arch::Rect> vis(sp.terms.size());
    for (std::size_t a = 0; a < sp.terms.size(); ++a)
        if (!sp.visible_rect(sp.terms[a], vis[a])) vis[a] = arch::Rect{};
    std::set<std::vector<std::size_t>> seen;
    for (const char* orientation : {"rows", "cols"}) {
        const bool by_rows = orientation[0] == 'r';
        auto same = [&](const arch::Rect& r) -> const IndexSet& { return by_rows ? r.rows : r.cols; };
        auto other = [&](const arch::Rect& r) -> const IndexSet& { return by_rows ? r.cols : r.rows; };
        for (std::size_t a = 0; a < sp.terms.size(); ++a) {
            if (vis[a].empty()) continue;
            std::vector<std::size_t> group;
            std::vector<IndexSet> sets;
            bool distinct = false;
            for (std::size_t b = 0; b < sp.terms.size(); ++b)
                if (!vis[b].empty() && same(vis[b]) == same(vis[a]) && subset_of(other(vis[b]), other(vis[a]))) {
                    group.push_back(sp.terms[b]);
                    sets.push_back(other(vis[b]));
                    distinct = distinct || other(vis[b]) != other(vis[a]);
                }
            if (!distinct || !seen.insert(group).second) continue;
            bool nested = true;
            for (std::size_t x = 0; x < sets.size() && nested; ++x)
                for (std::size_t y = 0; y < x && nested; ++y)
                    nested = subset_of(sets[x], sets[y]) || subset_of(sets[y], sets[x]);
            if (nested && chain_is_full(same(vis[a]).size(), sets)) out.push_back({group, orientation});
        }
    }
    return out;
}

}  // namespace

std::optional<json> ClosedProver::try_absorb(const SubPattern& sp, const std::vector<std::vector<std::size_t>>& classes) {
    // Lemma V is an equivalence, so any absorbable group gives a child with the same verdict; the
    // rules differ in what they can prove, so a few alternatives are tried, full chain groups first.
    std::vector<Absorbable> options = full_chain_groups(sp);
    for (const auto& cls : classes)
        if (class_is_full(sp, cls)) options.push_back({cls, nullptr});
    constexpr std::size_t kMaxAlternatives = 3;
    for (std::size_t o = 0; o < options.size() && o < kMaxAlternatives; ++o) {
        const auto& group = options[o].terms;
        CellSet forgotten = sp.forgotten;
        for (std::size_t k : group)
            for (auto [i, j] : sp.visible_cells(k)) forgotten.insert(i, j);
        std::vector<std::size_t> rest;
        std::set_difference(sp.terms.begin(), sp.terms.end(), group.begin(), group.end(), std::back_inserter(rest));
        auto saved = stuck_;
        auto child = prove(make_subpattern(pattern_, rest, forgotten));
        if (!child) continue;  // keeps the first place where the engine got stuck
        stuck_ = saved;
        json node = header(sp, options[o].orientation ? "absorb_chain" : "absorb");
        if (options[o].orientation) {
            node["group"] = group;
            node["orientation"] = options[o].orientation;
        } else {
            node["class"] = group;
        }
        node["child"] = std::move(*child);
        return node;
    }
    return std::nullopt;
}

std::optional<json> ClosedProver::try_chain(const SubPattern& sp) {
    std::vector<arch::Rect> vis;
    for (std::size_t k : sp.terms) {
        arch::Rect r;
        if (!sp.visible_rect(k, r) || r.empty()) return std::nullopt;
        vis.push_back(std::move(r));
    }
    auto subset = [](const IndexSet& a, const IndexSet& b) { return std::includes(b.begin(), b.end(), a.begin(), a.end()); };
    for (const char* orientation : {"rows", "cols"}) {
        bool rows = orientation[0] == 'r';
        bool ok = true;
        for (std::size_t a = 0; a < vis.size() && ok; ++a) {
            const auto& same_a = rows ? vis[a].rows : vis[a].cols;
            const auto& same_0 = rows ? vis[0].rows : vis[0].cols;
            if (same_a != same_0) ok = false;
            for (std::size_t b = 0; b < a && ok; ++b) {
                const auto& x = rows ? vis[a].cols : vis[a].rows;
                const auto& y = rows ? vis[b].cols : vis[b].rows;
                if (!subset(x, y) && !subset(y, x)) ok = false;
            }
        }
        if (ok) {
            json node = header(sp, "chain");
            node["orientation"] = orientation;
            return node;
        }
    }
    return std::nullopt;
}


}  // namespace closecert::engine
