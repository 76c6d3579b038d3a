#include "engine/closed_prover.hpp"
#include "engine/case_tree.hpp"

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

namespace {

// Kuhn's augmenting paths: every left vertex a matched to a distinct right vertex r in adj[a]
// (0 <= r < n_right) with allowed(a, r); the right vertex of each left one, or nothing.
template <class Allowed>
std::optional<std::vector<std::size_t>> match_all(const std::vector<std::vector<std::size_t>>& adj, std::size_t n_right,
                                                  Allowed allowed) {
    std::vector<std::size_t> left_of(n_right, SIZE_MAX);
    std::vector<char> visited;
    auto augment = [&](auto&& self, std::size_t a) -> bool {
        for (std::size_t r : adj[a]) {
            if (visited[r] || !allowed(a, r)) continue;
            visited[r] = 1;
            if (left_of[r] == SIZE_MAX || self(self, left_of[r])) {
                left_of[r] = a;
                return true;
            }
        }
        return false;
    };
    for (std::size_t a = 0; a < adj.size(); ++a) {
        visited.assign(n_right, 0);
        if (!augment(augment, a)) return std::nullopt;
    }
    std::vector<std::size_t> right_of(adj.size());
    for (std::size_t r = 0; r < n_right; ++r)
        if (left_of[r] != SIZE_MAX) right_of[left_of[r]] = r;
    return right_of;
}

struct Absorbable {
    std::vector<std::size_t> terms;
    const char* rule = "absorb";
    const char* orientation = nullptr;  // absorb_chain and absorb_generic
    json matching;                      // absorb_generic: [i, j, k] per visible cell of the group
    json pin;                           // absorb_pinned: [line, term]; `matching` holds its matchings
    json tree;                          // absorb_tree: the case tree (Lemma F)
};

bool has_index(const IndexSet& s, Index v) { return std::binary_search(s.begin(), s.end(), v); }

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
            if (nested && chain_is_full(same(vis[a]).size(), sets)) out.push_back({group, "absorb_chain", orientation, {}, {}, {}});
        }
    }
    return out;
}

// absorb_generic (docs/certificates.md): with generic x's, the group's set on its visible cells is
// every matrix when, in each column, the visible rows can be matched to distinct group terms that see
// the cell ("cols"; "rows" is the transpose). Prunes from all terms: a column that cannot be matched
// loses every term seen in it, until stable. Returns the group (sorted) and its matching, or nothing.
std::optional<Absorbable> generic_group(const SubPattern& sp, bool by_cols, const Deadline& deadline) {
    const std::size_t n_lines = by_cols ? sp.pattern->n : sp.pattern->m;
    const std::size_t n_pos = by_cols ? sp.pattern->m : sp.pattern->n;
    const std::size_t n_terms = sp.terms.size();
    auto lines_of = [&](std::size_t a) -> const IndexSet& { return by_cols ? sp.rect(sp.terms[a]).cols : sp.rect(sp.terms[a]).rows; };
    auto positions_of = [&](std::size_t a) -> const IndexSet& { return by_cols ? sp.rect(sp.terms[a]).rows : sp.rect(sp.terms[a]).cols; };
    auto visible = [&](Index l, Index p) { return by_cols ? sp.visible(p, l) : sp.visible(l, p); };
    // Phase 1, cheap (no cell is visited): a line on which one term sees more cells than there are
    // terms on the line fails Hall's condition, so its terms go. Per (term, line) the visible count is
    // the term's positions minus the forgotten ones on that line. On LU-like patterns this removes
    // nearly everything before phase 2 has to count cells.
    std::vector<std::vector<Index>> forgotten_on(n_lines);
    for (auto [i, j] : sp.forgotten.sorted()) forgotten_on[by_cols ? j : i].push_back(by_cols ? i : j);
    std::vector<std::vector<std::pair<std::size_t, std::size_t>>> counted(n_lines);  // line -> (term, visible count)
    std::vector<std::size_t> n_alive(n_lines, 0);
    std::vector<bool> alive(n_terms, false);
    for (std::size_t a = 0; a < n_terms; ++a) {
        const IndexSet& ps = positions_of(a);
        for (Index l : lines_of(a)) {
            std::size_t n = ps.size();
            for (Index p : forgotten_on[l]) n -= std::binary_search(ps.begin(), ps.end(), p);
            if (n == 0) continue;
            counted[l].emplace_back(a, n);
            ++n_alive[l];
            alive[a] = true;
        }
    }
    {
        std::vector<Index> work;
        std::vector<bool> queued(n_lines, false);
        for (std::size_t l = 0; l < n_lines; ++l)
            if (n_alive[l]) work.push_back(Index(l)), queued[l] = true;
        while (!work.empty()) {
            Index l = work.back();
            work.pop_back();
            queued[l] = false;
            std::size_t most = 0;
            for (auto [a, n] : counted[l])
                if (alive[a]) most = std::max(most, n);
            if (most <= n_alive[l]) continue;
            for (auto [a, n] : counted[l]) {
                if (!alive[a]) continue;
                alive[a] = false;
                for (Index l2 : lines_of(a)) {
                    std::size_t n2 = positions_of(a).size();
                    for (Index p : forgotten_on[l2]) n2 -= std::binary_search(positions_of(a).begin(), positions_of(a).end(), p);
                    if (n2 == 0) continue;
                    --n_alive[l2];
                    if (!queued[l2]) work.push_back(l2), queued[l2] = true;
                }
            }
        }
    }
    deadline.check();
    if (std::none_of(alive.begin(), alive.end(), [](bool x) { return x; })) return std::nullopt;
    // Phase 2, exact, on the survivors. Counts kept under removals, so Hall's condition on a whole
    // line costs O(1): alive terms seeing the line, how many of them see each cell, and how many
    // cells are seen at all. Nothing stores the cells themselves (visible areas can be huge).
    std::vector<std::vector<std::size_t>> on_line(n_lines);
    std::vector<std::uint32_t> cover(n_lines * n_pos, 0);
    std::vector<std::size_t> n_seen_terms(n_lines, 0), n_seen_pos(n_lines, 0);
    for (std::size_t a = 0; a < n_terms; ++a) {
        if (!alive[a]) continue;
        for (Index l : lines_of(a)) {
            bool any = false;
            for (Index p : positions_of(a))
                if (visible(l, p)) {
                    any = true;
                    if (cover[l * n_pos + p]++ == 0) ++n_seen_pos[l];
                }
            if (!any) continue;
            on_line[l].push_back(a);
            ++n_seen_terms[l];
        }
    }
    // Kuhn's augmenting paths: visible positions of line l to distinct alive terms; fills `owner`
    // with (position, term slot a) pairs and says whether every position is matched.
    std::vector<std::size_t> slot_of(n_pos, SIZE_MAX);
    auto match_line = [&](Index l, std::vector<std::pair<Index, std::size_t>>& owner) {
        owner.clear();
        if (n_seen_pos[l] > n_seen_terms[l]) return false;  // Hall's condition fails on the whole line
        std::vector<Index> pos;
        std::vector<std::vector<std::size_t>> adj;  // position slot -> candidate terms (index into `terms`)
        std::vector<std::size_t> terms;
        for (std::size_t a : on_line[l]) {
            if (!alive[a]) continue;
            terms.push_back(a);
            for (Index p : positions_of(a)) {
                if (!visible(l, p)) continue;
                if (slot_of[p] == SIZE_MAX) slot_of[p] = pos.size(), pos.push_back(p), adj.emplace_back();
                adj[slot_of[p]].push_back(terms.size() - 1);
            }
        }
        for (Index p : pos) slot_of[p] = SIZE_MAX;
        auto m = match_all(adj, terms.size(), [](std::size_t, std::size_t) { return true; });
        if (!m) return false;
        std::vector<std::size_t> slot_of_term(terms.size(), SIZE_MAX);
        for (std::size_t slot = 0; slot < pos.size(); ++slot) slot_of_term[(*m)[slot]] = slot;
        for (std::size_t t = 0; t < terms.size(); ++t)
            if (slot_of_term[t] != SIZE_MAX) owner.emplace_back(pos[slot_of_term[t]], terms[t]);
        return true;
    };
    auto remove = [&](std::size_t a, std::vector<Index>& work, std::vector<bool>& queued) {
        alive[a] = false;
        for (Index l : lines_of(a)) {
            bool any = false;
            for (Index p : positions_of(a))
                if (visible(l, p)) {
                    any = true;
                    if (--cover[l * n_pos + p] == 0) --n_seen_pos[l];
                }
            if (!any) continue;
            --n_seen_terms[l];
            if (!queued[l]) work.push_back(l), queued[l] = true;
        }
    };
    // Worklist of lines to (re)check: removing a term can break a line that matched before.
    std::vector<Index> work;
    std::vector<bool> queued(n_lines, false);
    for (std::size_t l = 0; l < n_lines; ++l)
        if (!on_line[l].empty()) work.push_back(Index(l)), queued[l] = true;
    std::vector<std::pair<Index, std::size_t>> owner;
    while (!work.empty()) {
        deadline.check();
        Index l = work.back();
        work.pop_back();
        queued[l] = false;
        if (n_seen_terms[l] == 0 || match_line(l, owner)) continue;
        for (std::size_t a : on_line[l])
            if (alive[a]) remove(a, work, queued);
    }
    Absorbable out;
    out.rule = "absorb_generic";
    out.orientation = by_cols ? "cols" : "rows";
    for (std::size_t a = 0; a < n_terms; ++a)
        if (alive[a]) out.terms.push_back(sp.terms[a]);
    if (out.terms.empty()) return std::nullopt;
    std::vector<std::array<std::size_t, 3>> triples;
    for (std::size_t l = 0; l < n_lines; ++l) {
        if (n_seen_terms[l] == 0) continue;
        if (!match_line(Index(l), owner)) return std::nullopt;  // cannot happen once stable
        for (auto [p, a] : owner)
            triples.push_back(by_cols ? std::array<std::size_t, 3>{p, l, sp.terms[a]} : std::array<std::size_t, 3>{l, p, sp.terms[a]});
    }
    std::sort(triples.begin(), triples.end());
    out.matching = json::array();
    for (const auto& t : triples) out.matching.push_back({t[0], t[1], t[2]});
    return out;
}

// absorb_pinned (Lemma G2, docs/theory.md): all terms with visible cells form the group; a line j0
// whose visible cells term k sees all of (positions R) is pinned to k, and every other line has, for
// each i in R, a matching of its visible positions to distinct terms in which k is unused, outside R,
// or at i. Only for small nodes: the matchings are per line and per pinned position.
std::optional<Absorbable> pinned_group(const SubPattern& sp, bool by_cols) {
    constexpr std::size_t kMaxLines = 24, kMaxPins = 8;
    std::vector<std::size_t> group;
    {
        // Cheap size test before any map is built: large nodes are left to the other rules.
        std::vector<bool> line_used(by_cols ? sp.pattern->n : sp.pattern->m, false);
        std::size_t n_lines = 0;
        for (std::size_t k : sp.terms) {
            const auto& r = sp.rect(k);
            if (r.empty()) continue;
            if (r.rows.size() > kMaxLines || r.cols.size() > kMaxLines) return std::nullopt;
            for (Index l : by_cols ? r.cols : r.rows)
                if (!line_used[l]) {
                    line_used[l] = true;
                    if (++n_lines > kMaxLines) return std::nullopt;
                }
        }
    }
    std::map<Index, std::map<Index, std::vector<std::size_t>>> seen;  // line -> position -> slots of terms
    for (std::size_t k : sp.terms) {
        if (!sp.has_visible_cell(k)) continue;
        const auto& r = sp.rect(k);
        group.push_back(k);
        for (Index i : r.rows)
            for (Index j : r.cols)
                if (sp.visible(i, j)) seen[by_cols ? j : i][by_cols ? i : j].push_back(group.size() - 1);
    }
    if (group.size() < 2 || seen.size() > kMaxLines) return std::nullopt;
    // Positions of a line matched to distinct group slots seeing them, `allowed(p, slot)` filtering
    // the pairs: (position, slot) pairs in slot order, or nothing.
    auto match = [&](const std::map<Index, std::vector<std::size_t>>& line, auto allowed)
        -> std::optional<std::vector<std::pair<Index, std::size_t>>> {
        std::vector<Index> pos;
        std::vector<std::vector<std::size_t>> adj;
        for (const auto& [p, slots] : line) pos.push_back(p), adj.push_back(slots);
        auto m = match_all(adj, group.size(), [&](std::size_t a, std::size_t t) { return allowed(pos[a], t); });
        if (!m) return std::nullopt;
        std::vector<std::size_t> owner(group.size(), SIZE_MAX);
        for (std::size_t a = 0; a < pos.size(); ++a) owner[(*m)[a]] = a;
        std::vector<std::pair<Index, std::size_t>> out;
        for (std::size_t t = 0; t < group.size(); ++t)
            if (owner[t] != SIZE_MAX) out.emplace_back(pos[owner[t]], t);
        return out;
    };
    std::size_t pins = 0;
    for (const auto& [j0, at_j0] : seen) {
        for (std::size_t k = 0; k < group.size() && pins < kMaxPins; ++k) {
            IndexSet R;
            bool sees_all = true;
            for (const auto& [p, slots] : at_j0) {
                sees_all = sees_all && std::find(slots.begin(), slots.end(), k) != slots.end();
                R.push_back(p);
            }
            if (!sees_all) continue;
            ++pins;
            json matchings = json::array();
            bool ok = true;
            for (const auto& [l, line] : seen) {
                if (l == j0) continue;
                auto emit = [&](const std::vector<std::pair<Index, std::size_t>>& m) {
                    json one = json::array();
                    for (auto [p, t] : m) one.push_back(by_cols ? json{p, l, group[t]} : json{l, p, group[t]});
                    matchings.push_back(std::move(one));
                };
                // k kept off R serves every pinned position at once; otherwise one matching per i.
                if (auto m = match(line, [&](Index p, std::size_t t) { return t != k || !has_index(R, p); })) {
                    emit(*m);
                    continue;
                }
                for (Index i : R) {
                    auto m = match(line, [&](Index p, std::size_t t) { return t != k || p == i || !has_index(R, p); });
                    if (!m) {
                        ok = false;
                        break;
                    }
                    emit(*m);
                }
                if (!ok) break;
            }
            if (!ok) continue;
            Absorbable out;
            out.terms = group;
            out.rule = "absorb_pinned";
            out.orientation = by_cols ? "cols" : "rows";
            out.matching = std::move(matchings);
            out.pin = json{j0, group[k]};
            return out;
        }
    }
    return std::nullopt;
}

}  // namespace

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
