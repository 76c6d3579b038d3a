#include "engine/closed_prover.hpp"
#include "engine/case_tree.hpp"
#include "engine/closed_groups.hpp"

#include <algorithm>
#include <array>
#include <cstdint>
#include <map>
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
        if (sp.visible_rect(classes[0][0], vis) || classes[0].size() >= std::min(r.rows.size(), r.cols.size()) ||
            visible_blocks_are_rectangles(sp, classes[0][0]))
            return header(sp, "class");
    }
    auto saved = stuck_;
    if (auto node = try_absorb(sp, classes)) return node;
    if (auto node = try_chain(sp)) return stuck_ = saved, node;
    if (auto node = try_rotate(sp, classes)) return stuck_ = saved, node;
    // Lemma P (`proper`) is not tried: two classes sharing a visible cell always cancel, so inside one
    // component with two or more classes it cannot apply (docs/theory.md).
    if (!stuck_) stuck_ = Stuck{sp, "no closedness rule applies (components, class, absorb, chain, rotate)"};
    return std::nullopt;
}

bool visible_blocks_are_rectangles(const SubPattern& sp, std::size_t k) {
    // Union-find over the term's rows and columns (column slots after the rows); a cell joins its row
    // and column, and a block is a rectangle iff it has #rows * #cols cells.
    const auto& r = sp.rect(k);
    const std::size_t nr = r.rows.size();
    std::vector<std::size_t> parent(nr + r.cols.size());
    for (std::size_t x = 0; x < parent.size(); ++x) parent[x] = x;
    auto find = [&](std::size_t x) {
        while (parent[x] != x) x = parent[x] = parent[parent[x]];
        return x;
    };
    std::vector<std::pair<std::size_t, std::size_t>> cells;
    for (std::size_t a = 0; a < nr; ++a)
        for (std::size_t b = 0; b < r.cols.size(); ++b)
            if (sp.visible(r.rows[a], r.cols[b])) {
                cells.emplace_back(a, nr + b);
                parent[find(a)] = find(nr + b);
            }
    std::map<std::size_t, std::array<std::size_t, 3>> blocks;  // root -> rows, cols, cells
    for (std::size_t x = 0; x < parent.size(); ++x) ++blocks[find(x)][x < nr ? 0 : 1];
    for (auto [a, b] : cells) ++blocks[find(a)][2];
    for (const auto& [root, n] : blocks)
        if (n[2] != 0 && n[2] != n[0] * n[1]) return false;
    return true;
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


std::optional<json> ClosedProver::try_absorb(const SubPattern& sp, const std::vector<std::vector<std::size_t>>& classes) {
    // Lemma V is an equivalence, so any absorbable group gives a child with the same verdict; the
    // rules differ in what they can prove, so a few alternatives are tried: full chain groups, then
    // the largest generic groups (columns, rows), then full classes, then a pinned group.
    std::vector<Absorbable> options = full_chain_groups(sp);
    std::vector<std::vector<std::size_t>> full_classes;
    for (const auto& cls : classes)
        if (class_is_full(sp, cls)) full_classes.push_back(cls);
    for (bool by_cols : {true, false}) {
        auto g = generic_group(sp, by_cols, deadline_);
        if (!g) continue;
        auto same = [&](const auto& o) { return o == g->terms; };
        auto same_option = [&](const Absorbable& o) { return o.terms == g->terms; };
        if (std::none_of(full_classes.begin(), full_classes.end(), same) &&
            std::none_of(options.begin(), options.end(), same_option))
            options.push_back(std::move(*g));
    }
    for (auto& cls : full_classes) options.push_back({std::move(cls), "absorb", nullptr, {}, {}, {}});
    constexpr std::size_t kMaxAlternatives = 3;
    if (options.size() > kMaxAlternatives) options.resize(kMaxAlternatives);
    // A pinned group, else a case tree (Lemma F), holds every term and settles the node at once; they
    // are the last resort, computed once and only when the others fail, because the simpler rules
    // give smaller certificates and the case tree is the costliest search.
    bool last_resort_added = false;
    for (std::size_t o = 0; o <= options.size(); ++o) {
        if (o == options.size()) {
            if (last_resort_added) break;
            last_resort_added = true;
            for (bool by_cols : {true, false})
                if (auto g = pinned_group(sp, by_cols)) {
                    options.push_back(std::move(*g));
                    break;
                }
            if (o == options.size()) {
                std::vector<std::size_t> group;
                for (std::size_t k : sp.terms)
                    if (sp.has_visible_cell(k)) group.push_back(k);
                if (auto tree = case_tree_fullness(sp, group, deadline_)) {
                    Absorbable a;
                    a.terms = std::move(group);
                    a.rule = "absorb_tree";
                    a.tree = std::move(*tree);
                    options.push_back(std::move(a));
                }
            }
            if (o == options.size()) break;
        }
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
        json node = header(sp, options[o].rule);
        if (!options[o].tree.is_null()) {
            node["group"] = group;
            node["tree"] = std::move(options[o].tree);
        } else if (options[o].orientation) {
            node["group"] = group;
            node["orientation"] = options[o].orientation;
        } else {
            node["class"] = group;
        }
        if (!options[o].pin.is_null()) {
            node["pin"] = std::move(options[o].pin);
            node["matchings"] = std::move(options[o].matching);
        } else if (!options[o].matching.is_null()) {
            node["matching"] = std::move(options[o].matching);
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

std::optional<json> ClosedProver::try_rotate(const SubPattern& sp, const std::vector<std::vector<std::size_t>>& classes) {
    // Lemma K (docs/theory.md): a class of c terms on I x J whose lines J every other term and the
    // forgotten cells respect (contain J or miss it) may be replaced by the coordinate block I x C,
    // C = c lines of J. Sufficient only, so every candidate is tried.
    std::vector<std::vector<std::size_t>> on_col, on_row;  // line -> node terms with visible cells on it
    for (const auto& cls : classes) {
        const auto& r = sp.rect(cls[0]);
        if (class_is_full(sp, cls) || !sp.has_visible_cell(cls[0])) continue;
        for (const char* orientation : {"cols", "rows"}) {
            const bool by_cols = orientation[0] == 'c';
            const IndexSet& lines = by_cols ? r.cols : r.rows;
            if (cls.size() >= lines.size()) continue;
            // A term missing J is fine, so only terms on some line of J are tested, and each of those
            // must contain J. The per-line index makes this cost the area near J, not classes x terms.
            auto& on_line = by_cols ? on_col : on_row;
            if (on_line.empty()) {
                on_line.resize(by_cols ? sp.pattern->n : sp.pattern->m);
                for (std::size_t k : sp.terms)
                    if (sp.has_visible_cell(k))
                        for (Index l : by_cols ? sp.rect(k).cols : sp.rect(k).rows) on_line[l].push_back(k);
            }
            // Pass 1 refutes in O(1) per (line, term) (nested patterns such as LU fail here); pass 2 is exact.
            auto mine_of = [&](std::size_t k) -> const IndexSet& { return by_cols ? sp.rect(k).cols : sp.rect(k).rows; };
            bool ok = true;
            for (std::size_t a = 0; a < lines.size() && ok; ++a)
                for (std::size_t k : on_line[lines[a]]) {
                    const IndexSet& mine = mine_of(k);
                    if (mine.size() < lines.size() || mine.front() > lines.front() || mine.back() < lines.back()) {
                        ok = std::binary_search(cls.begin(), cls.end(), k);
                        if (!ok) break;
                    }
                }
            std::set<std::size_t> checked;
            for (std::size_t a = 0; a < lines.size() && ok; ++a)
                for (std::size_t k : on_line[lines[a]])
                    if (!std::binary_search(cls.begin(), cls.end(), k) && checked.insert(k).second && !subset_of(lines, mine_of(k))) {
                        ok = false;
                        break;
                    }
            if (!ok) continue;
            std::map<Index, std::size_t> per_line;  // forgotten cells in `lines`, per crossing line
            for (auto [i, j] : sp.forgotten.sorted())
                if (std::binary_search(lines.begin(), lines.end(), by_cols ? j : i)) ++per_line[by_cols ? i : j];
            if (std::any_of(per_line.begin(), per_line.end(), [&](const auto& e) { return e.second != lines.size(); })) continue;
            IndexSet block(lines.begin(), lines.begin() + static_cast<std::ptrdiff_t>(cls.size()));
            CellSet forgotten = sp.forgotten;
            for (Index a : by_cols ? r.rows : r.cols)
                for (Index b : block) by_cols ? forgotten.insert(a, b) : forgotten.insert(b, a);
            std::vector<std::size_t> rest;
            std::set_difference(sp.terms.begin(), sp.terms.end(), cls.begin(), cls.end(), std::back_inserter(rest));
            auto child = prove(make_subpattern(pattern_, rest, forgotten));
            if (!child) continue;
            json node = header(sp, "rotate");
            node["class"] = cls;
            node["orientation"] = orientation;
            node["block"] = block;
            node["child"] = std::move(*child);
            return node;
        }
    }
    return std::nullopt;
}

}  // namespace closecert::engine
