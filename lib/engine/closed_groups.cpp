#include "engine/closed_groups.hpp"

#include <array>
#include <cstdint>
#include <map>
#include <set>

#include "engine/case_tree.hpp"

namespace closecert::engine {

using nlohmann::json;

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

}  // namespace

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

}  // namespace closecert::engine
