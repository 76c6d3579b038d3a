// Linear "closed" for two layers: a proof tree over sub-patterns (terms, forgotten cells).
#include "verify.hpp"

#include <algorithm>
#include <array>
#include <map>
#include <set>

namespace verify {
namespace {

using Cells = std::set<Cell>;
using Set = std::set<std::size_t>;
using Terms = std::vector<std::size_t>;

struct Rect {
    Set rows, cols;
    bool empty() const { return rows.empty() || cols.empty(); }
};

// Rows and columns of a cell set; `is_rect` tells whether the set is exactly rows x cols.
struct Shape {
    Rect rect;
    bool is_rect;
};
Shape shape(const Cells& v) {
    Shape s;
    for (const auto& [i, j] : v) s.rect.rows.insert(i), s.rect.cols.insert(j);
    s.is_rect = v.size() == s.rect.rows.size() * s.rect.cols.size();
    return s;
}

// Do the cells split, by shared rows and columns, into blocks that are each a full rectangle?
// Union-find on rows (keys 2i) and columns (keys 2j+1).
bool blocks_are_rects(const Cells& v) {
    std::map<std::size_t, std::size_t> up;
    auto root = [&](std::size_t x) {
        up.try_emplace(x, x);
        while (up[x] != x) x = up[x] = up[up[x]];
        return x;
    };
    for (const Cell& c : v) up[root(2 * c.first)] = root(2 * c.second + 1);
    std::map<std::size_t, std::array<std::size_t, 3>> count;  // block -> rows, cols, cells
    for (const auto& entry : up) ++count[root(entry.first)][entry.first % 2];
    for (const Cell& c : v) ++count[root(2 * c.first)][2];
    for (const auto& [b, n] : count)
        if (n[2] != n[0] * n[1]) return false;
    return true;
}

std::string orientation(const json& nd, const std::string& path) {
    std::string orient = str(field(nd, "orientation", path), at(path, "orientation"));
    if (orient != "rows" && orient != "cols") throw Reject(at(path, "orientation"), "expected \"rows\" or \"cols\"");
    return orient;
}

// Visible rectangles of a chain (Lemma E): same rows (or cols), nested other side. Returned in
// "rows" orientation (transposed for "cols"); terms without visible cells contribute {0}.
std::vector<Rect> nested_rects(const std::vector<Cells>& vis, const Terms& terms, const std::string& orient,
                               const std::string& path) {
    const bool rows = orient == "rows";
    std::vector<Rect> rects;
    for (std::size_t x = 0; x < terms.size(); ++x) {
        if (vis[x].empty()) continue;
        Shape s = shape(vis[x]);
        if (!s.is_rect) throw Reject(path, "visible cells of term " + std::to_string(terms[x]) + " do not form a rectangle");
        rects.push_back(rows ? s.rect : Rect{s.rect.cols, s.rect.rows});
    }
    for (const Rect& r : rects) {
        if (r.rows != rects[0].rows) throw Reject(path, "terms do not share their " + orient);
        for (const Rect& q : rects)
            if (!std::includes(r.cols.begin(), r.cols.end(), q.cols.begin(), q.cols.end()) &&
                !std::includes(q.cols.begin(), q.cols.end(), r.cols.begin(), r.cols.end()))
                throw Reject(path, "visible rectangles are not nested");
    }
    return rects;
}

struct Checker {
    const Arch& a;
    Tally& tally;
    std::vector<Set> I, J;  // term k's rectangle S_k = I[k] x J[k]

    Cells visible(std::size_t k, const Cells& forgotten) const {
        charge(static_cast<long long>(I[k].size() * J[k].size()), "linear.proof");
        Cells v;
        for (std::size_t i : I[k])
            for (std::size_t j : J[k])
                if (!forgotten.count({i, j})) v.insert({i, j});
        return v;
    }
    bool same_rect(std::size_t k, std::size_t l) const { return I[k] == I[l] && J[k] == J[l]; }

    Terms parse_terms(const json& v, const std::string& path) const {
        Terms t;
        const json& arr = array(v, path);
        for (std::size_t k = 0; k < arr.size(); ++k) {
            t.push_back(integer(arr[k], at(path, k), 0, static_cast<long>(I.size()) - 1));
            if (k > 0 && t[k] <= t[k - 1]) throw Reject(at(path, k), "terms are not strictly increasing");
        }
        return t;
    }

    void node(const json& nd, const std::string& path, const Terms& terms, const Cells& forgotten);

    // A group's terms, all in the node with a visible cell; maps each visible cell of the group to
    // the group terms that see it.
    std::map<Cell, Set> group_cells(const Terms& group, const Terms& terms, const std::vector<Cells>& vis,
                                    const std::string& gp) const {
        std::map<Cell, Set> seen_by;
        for (std::size_t k : group) {
            auto pos = std::lower_bound(terms.begin(), terms.end(), k);
            if (pos == terms.end() || *pos != k) throw Reject(gp, "term " + std::to_string(k) + " is not in the node");
            const Cells& v = vis[static_cast<std::size_t>(pos - terms.begin())];
            if (v.empty()) throw Reject(gp, "term " + std::to_string(k) + " has no visible cell");
            for (const Cell& c : v) seen_by[c].insert(k);
        }
        return seen_by;
    }

    // A non-empty class of the node: its terms are in the node and share one rectangle.
    Terms parse_class(const json& v, const std::string& cp, const Terms& terms) const {
        Terms cls = parse_terms(v, cp);
        if (cls.empty()) throw Reject(cp, "empty class");
        for (std::size_t k : cls) {
            if (!std::binary_search(terms.begin(), terms.end(), k)) throw Reject(cp, "term " + std::to_string(k) + " is not in the node");
            if (!same_rect(k, cls[0])) throw Reject(cp, "terms have different rectangles");
        }
        return cls;
    }

    // One [row, col, term] entry of a matching: a visible cell of the group and a group term seeing it.
    static std::pair<Cell, std::size_t> matched_cell(const json& e, const std::string& ep, const std::map<Cell, Set>& seen_by) {
        if (!e.is_array() || e.size() != 3) throw Reject(ep, "expected [row, col, term]");
        Cell c{static_cast<std::size_t>(integer(e[0], ep, 0, kMaxWidth)), static_cast<std::size_t>(integer(e[1], ep, 0, kMaxWidth))};
        std::size_t k = static_cast<std::size_t>(integer(e[2], ep, 0, kMaxWidth));
        auto it = seen_by.find(c);
        if (it == seen_by.end()) throw Reject(ep, "not a visible cell of the group");
        if (!it->second.count(k)) throw Reject(ep, "term " + std::to_string(k) + " is not in the group or does not see this cell");
        return {c, k};
    }

    // Lemma V: the child has the other terms and also forgets the group's cells. The node's cell
    // sets are released first, so a deep proof holds one level's sets at a time.
    void absorb_into_child(const json& nd, const std::string& path, const Terms& terms, const Terms& group,
                           const Cells& forgotten, std::map<Cell, Set>& seen_by, std::vector<Cells>& vis) {
        Terms rest;
        std::set_difference(terms.begin(), terms.end(), group.begin(), group.end(), std::back_inserter(rest));
        Cells more = forgotten;
        for (const auto& entry : seen_by) more.insert(entry.first);
        std::vector<Cells>().swap(vis);
        seen_by.clear();
        node(field(nd, "child", path), at(path, "child"), rest, more);
    }
    void refute(const json& r, const std::string& path, std::map<std::size_t, Rect> state,
                const std::map<std::size_t, std::size_t>& rank);
};

void Checker::node(const json& nd, const std::string& path, const Terms& terms, const Cells& given) {
    // Forgotten cells are normalised: only those in the rectangle of one of the node's terms.
    charge(static_cast<long long>(given.size() * (terms.size() + 1)), path);
    Cells forgotten;
    for (const Cell& c : given)
        if (std::any_of(terms.begin(), terms.end(), [&](std::size_t k) { return I[k].count(c.first) && J[k].count(c.second); }))
            forgotten.insert(c);
    // The restatement must be exactly what the parent's rule gives.
    if (parse_terms(field(nd, "terms", path), at(path, "terms")) != terms)
        throw Reject(at(path, "terms"), "terms differ from what the parent's rule gives");
    std::string fp = at(path, "forgotten");
    const json& fa = array(field(nd, "forgotten", path), fp);
    std::vector<Cell> fl;
    for (std::size_t k = 0; k < fa.size(); ++k) {
        if (!fa[k].is_array() || fa[k].size() != 2) throw Reject(at(fp, k), "expected [row, col]");
        fl.push_back({integer(fa[k][0], at(fp, k), 0, kMaxWidth), integer(fa[k][1], at(fp, k), 0, kMaxWidth)});
        if (k > 0 && fl[k] <= fl[k - 1]) throw Reject(at(fp, k), "forgotten cells are not sorted without repeats");
    }
    if (Cells(fl.begin(), fl.end()) != forgotten) throw Reject(fp, "forgotten cells differ from what the parent's rule gives");

    std::string rule = str(field(nd, "rule", path), at(path, "rule"));
    ++tally.checked;
    std::vector<Cells> vis;
    for (std::size_t k : terms) vis.push_back(visible(k, forgotten));

    if (rule == "empty") {
        for (std::size_t x = 0; x < terms.size(); ++x)
            if (!vis[x].empty()) throw Reject(path, "term " + std::to_string(terms[x]) + " has a visible cell");
    } else if (rule == "components") {
        // Parts in order of their first term, so a certificate has one canonical form.
        std::string pp = at(path, "parts");
        const json& parts = array(field(nd, "parts", path), pp);
        std::map<std::size_t, std::size_t> part_of;
        std::vector<Terms> pt;
        for (std::size_t p = 0; p < parts.size(); ++p) {
            pt.push_back(parse_terms(field(parts[p], "terms", at(pp, p)), at(at(pp, p), "terms")));
            if (pt[p].empty()) throw Reject(at(pp, p), "empty part");
            if (p > 0 && pt[p][0] <= pt[p - 1][0]) throw Reject(at(pp, p), "parts are not ordered by their first term");
            for (std::size_t k : pt[p])
                if (!part_of.emplace(k, p).second) throw Reject(at(pp, p), "term in two parts");
        }
        if (part_of.size() != terms.size() || !std::all_of(terms.begin(), terms.end(), [&](auto k) { return part_of.count(k); }))
            throw Reject(pp, "parts do not partition the node's terms");
        std::map<Cell, std::size_t> owner;
        for (std::size_t x = 0; x < terms.size(); ++x)
            for (const Cell& c : vis[x]) {
                auto [it, fresh] = owner.emplace(c, part_of[terms[x]]);
                if (!fresh && it->second != part_of[terms[x]])
                    throw Reject(pp, "parts share the visible cell (" + std::to_string(c.first) + ", " + std::to_string(c.second) + ")");
            }
        std::vector<Cells>().swap(vis);  // children need no memory of this node
        owner.clear();
        for (std::size_t p = 0; p < parts.size(); ++p) node(parts[p], at(pp, p), pt[p], forgotten);
    } else if (rule == "class") {
        for (std::size_t x = 1; x < terms.size(); ++x)
            if (!same_rect(terms[x], terms[0])) throw Reject(path, "terms have different rectangles");
        if (!terms.empty() && terms.size() < std::min(I[terms[0]].size(), J[terms[0]].size()) && !shape(vis[0]).is_rect &&
            !blocks_are_rects(vis[0]))
            throw Reject(path, "visible cells of the class do not form rectangles in separate rows and columns");
    } else if (rule == "absorb") {
        std::string cp = at(path, "class");
        Terms cls = parse_class(field(nd, "class", path), cp, terms);
        Cells v = visible(cls[0], forgotten);
        Shape s = shape(v);
        bool matching = s.rect.rows.size() == v.size() && s.rect.cols.size() == v.size();
        bool full = cls.size() >= std::min(I[cls[0]].size(), J[cls[0]].size());
        if (!full && s.rect.rows.size() > 1 && s.rect.cols.size() > 1 && !matching)
            throw Reject(cp, "visible cells of the class are not full for it");
        Terms rest;
        std::set_difference(terms.begin(), terms.end(), cls.begin(), cls.end(), std::back_inserter(rest));
        Cells more = forgotten;
        more.insert(v.begin(), v.end());
        std::vector<Cells>().swap(vis);
        v.clear();
        node(field(nd, "child", path), at(path, "child"), rest, more);
    } else if (rule == "chain") {
        std::string orient = orientation(nd, path);
        nested_rects(vis, terms, orient, path);
    } else if (rule == "absorb_chain") {
        // Lemma V with V = the cells of a chain group whose rank conditions are all vacuous.
        std::string orient = orientation(nd, path);
        std::string gp = at(path, "group");
        Terms group = parse_terms(field(nd, "group", path), gp);
        std::vector<Cells> gvis;
        for (std::size_t k : group) {
            auto pos = std::lower_bound(terms.begin(), terms.end(), k);
            if (pos == terms.end() || *pos != k) throw Reject(gp, "term " + std::to_string(k) + " is not in the node");
            gvis.push_back(vis[static_cast<std::size_t>(pos - terms.begin())]);
            if (gvis.back().empty()) throw Reject(gp, "term " + std::to_string(k) + " has no visible cell");
        }
        if (group.size() < 2) throw Reject(gp, "a chain group needs two terms");
        std::vector<Rect> rects = nested_rects(gvis, group, orient, path);
        std::sort(rects.begin(), rects.end(), [](const Rect& a, const Rect& b) { return a.cols.size() > b.cols.size(); });
        for (std::size_t q = 1; q <= rects.size(); ++q) {
            std::size_t outside = rects[0].cols.size() - (q < rects.size() ? rects[q].cols.size() : 0);
            if (std::min(rects[0].rows.size(), outside) > q)
                throw Reject(gp, "the chain group is not full (rank condition " + std::to_string(q) + " is not vacuous)");
        }
        Terms rest;
        std::set_difference(terms.begin(), terms.end(), group.begin(), group.end(), std::back_inserter(rest));
        Cells more = forgotten;
        for (const Cells& c : gvis) more.insert(c.begin(), c.end());
        std::vector<Cells>().swap(vis);
        node(field(nd, "child", path), at(path, "child"), rest, more);
    } else if (rule == "absorb_generic") {
        // Lemma V with a generic-rank fullness proof: per column ("cols") or row ("rows"), the group's
        // visible cells are matched to distinct group terms that see them, so the group's set is every
        // matrix on those cells.
        std::string orient = orientation(nd, path);
        const bool by_cols = orient == "cols";
        std::string gp = at(path, "group");
        Terms group = parse_terms(field(nd, "group", path), gp);
        if (group.empty()) throw Reject(gp, "empty group");
        std::map<Cell, Set> seen_by = group_cells(group, terms, vis, gp);
        std::string mp = at(path, "matching");
        const json& ma = array(field(nd, "matching", path), mp);
        charge(static_cast<long long>(ma.size()), mp);
        Cells listed;
        std::set<std::pair<std::size_t, std::size_t>> used;  // (column, term) for "cols", (row, term) for "rows"
        for (std::size_t x = 0; x < ma.size(); ++x) {
            std::string ep = at(mp, x);
            const auto [c, k] = matched_cell(ma[x], ep, seen_by);
            if (!listed.insert(c).second) throw Reject(ep, "cell listed twice");
            if (!used.insert({by_cols ? c.second : c.first, k}).second)
                throw Reject(ep, "term " + std::to_string(k) + " is matched twice in the same " + (by_cols ? "column" : "row"));
        }
        if (listed.size() != seen_by.size()) throw Reject(mp, "the matching misses a visible cell of the group");
        absorb_into_child(nd, path, terms, group, forgotten, seen_by, vis);
    } else if (rule == "absorb_pinned") {
        // Lemma G2: the group's visible cells on the pinned line are all seen by the pinned term k
        // (positions R); every other line with visible group cells has matchings of its positions to
        // distinct group terms seeing them, and every i in R is served by one of them: k unused,
        // matched outside R, or matched to i.
        std::string orient = orientation(nd, path);
        const bool by_cols = orient == "cols";
        std::string gp = at(path, "group");
        Terms group = parse_terms(field(nd, "group", path), gp);
        if (group.size() < 2) throw Reject(gp, "a pinned group needs two terms");
        std::map<Cell, Set> seen_by = group_cells(group, terms, vis, gp);
        auto line_of = [&](const Cell& c) { return by_cols ? c.second : c.first; };
        auto pos_of = [&](const Cell& c) { return by_cols ? c.first : c.second; };
        std::string pp = at(path, "pin");
        const json& pin = field(nd, "pin", path);
        if (!pin.is_array() || pin.size() != 2) throw Reject(pp, "expected [line, term]");
        const std::size_t j0 = integer(pin[0], pp, 0, kMaxWidth), k = integer(pin[1], pp, 0, kMaxWidth);
        if (!std::binary_search(group.begin(), group.end(), k)) throw Reject(pp, "the pinned term is not in the group");
        Set R;
        for (const auto& [c, who] : seen_by)
            if (line_of(c) == j0) {
                if (!who.count(k)) throw Reject(pp, "the pinned term does not see every visible cell of the line");
                R.insert(pos_of(c));
            }
        if (R.empty()) throw Reject(pp, "the pinned line has no visible cell of the group");
        std::map<std::size_t, Set> served;  // line -> pinned positions served
        std::string mp = at(path, "matchings");
        const json& ms = array(field(nd, "matchings", path), mp);
        charge(static_cast<long long>(ms.size()), mp);
        for (std::size_t x = 0; x < ms.size(); ++x) {
            std::string xp = at(mp, x);
            const json& m = array(ms[x], xp);
            if (m.empty()) throw Reject(xp, "empty matching");
            charge(static_cast<long long>(m.size()), xp);
            Cells cells;
            Set used;
            std::size_t line = 0;
            Set serves = R;
            for (std::size_t y = 0; y < m.size(); ++y) {
                std::string ep = at(xp, y);
                const auto [c, t] = matched_cell(m[y], ep, seen_by);
                if (y == 0) line = line_of(c);
                if (line_of(c) != line) throw Reject(ep, "a matching lies on one line");
                if (line == j0) throw Reject(ep, "the pinned line takes no matching");
                if (!cells.insert(c).second) throw Reject(ep, "cell listed twice");
                if (!used.insert(t).second) throw Reject(ep, "term " + std::to_string(t) + " is matched twice");
                if (t == k && R.count(pos_of(c))) serves = {pos_of(c)};
            }
            std::size_t on_line = 0;
            for (const auto& entry : seen_by) on_line += line_of(entry.first) == line;
            if (cells.size() != on_line) throw Reject(xp, "the matching misses a visible cell of its line");
            served[line].insert(serves.begin(), serves.end());
        }
        for (const auto& entry : seen_by) {
            std::size_t line = line_of(entry.first);
            if (line != j0 && served[line] != R)
                throw Reject(mp, "line " + std::to_string(line) + " has no matching for some pinned position");
        }
        absorb_into_child(nd, path, terms, group, forgotten, seen_by, vis);
    } else if (rule == "absorb_tree") {
        // Lemma F with Lemma V: a case tree shows that the group realises every matrix on its visible cells.
        std::string gp = at(path, "group");
        Terms group = parse_terms(field(nd, "group", path), gp);
        if (group.empty()) throw Reject(gp, "empty group");
        std::map<Cell, Set> seen_by = group_cells(group, terms, vis, gp);
        Cells omega;
        for (const auto& entry : seen_by) omega.insert(omega.end(), entry.first);
        check_case_tree(field(nd, "tree", path), at(path, "tree"), group, I, J, omega, tally);
        absorb_into_child(nd, path, terms, group, forgotten, seen_by, vis);
    } else if (rule == "rotate") {
        // Lemma K: the class's lines (columns for "cols") are respected by the other terms with visible
        // cells (each contains them or misses them) and by the forgotten cells (all or none per
        // crossing line); the class is replaced by the coordinate block on `block`, c of its lines.
        std::string orient = orientation(nd, path);
        const bool by_cols = orient == "cols";
        std::string cp = at(path, "class");
        Terms cls = parse_class(field(nd, "class", path), cp, terms);
        const Set& lines = by_cols ? J[cls[0]] : I[cls[0]];
        const Set& across = by_cols ? I[cls[0]] : J[cls[0]];
        std::string bp = at(path, "block");
        const json& ba = array(field(nd, "block", path), bp);
        Set block;
        for (std::size_t x = 0; x < ba.size(); ++x) {
            std::size_t b = integer(ba[x], at(bp, x), 0, kMaxWidth);
            if (!lines.count(b)) throw Reject(at(bp, x), "not a line of the class");
            if (!block.insert(b).second) throw Reject(at(bp, x), "line listed twice");
        }
        if (block.size() != cls.size()) throw Reject(bp, "the block must have as many lines as the class has terms");
        for (std::size_t x = 0; x < terms.size(); ++x) {
            if (std::binary_search(cls.begin(), cls.end(), terms[x]) || vis[x].empty()) continue;
            const Set& mine = by_cols ? J[terms[x]] : I[terms[x]];
            bool contains = std::includes(mine.begin(), mine.end(), lines.begin(), lines.end());
            bool misses = std::none_of(lines.begin(), lines.end(), [&](std::size_t v) { return mine.count(v) > 0; });
            if (!contains && !misses) throw Reject(path, "term " + std::to_string(terms[x]) + " neither contains nor misses the class's " + orient);
        }
        std::map<std::size_t, std::size_t> per_line;
        for (const Cell& c : forgotten)
            if (lines.count(by_cols ? c.second : c.first)) ++per_line[by_cols ? c.first : c.second];
        for (const auto& [line, n] : per_line)
            if (n != lines.size())
                throw Reject(path, "forgotten cells cut the class's " + orient + " on line " + std::to_string(line));
        Terms rest;
        std::set_difference(terms.begin(), terms.end(), cls.begin(), cls.end(), std::back_inserter(rest));
        Cells more = forgotten;
        for (std::size_t a : across)
            for (std::size_t b : block) more.insert(by_cols ? Cell{a, b} : Cell{b, a});
        std::vector<Cells>().swap(vis);
        node(field(nd, "child", path), at(path, "child"), rest, more);
    } else if (rule == "proper") {
        std::map<std::size_t, Rect> state;
        std::map<std::size_t, std::size_t> rank;  // class id (smallest term) -> number of terms
        std::map<std::pair<Set, Set>, std::size_t> id_of;
        for (std::size_t x = 0; x < terms.size(); ++x) {
            std::size_t id = id_of.try_emplace({I[terms[x]], J[terms[x]]}, terms[x]).first->second;
            ++rank[id];
            Shape s = shape(vis[x]);
            if (!s.is_rect) throw Reject(path, "visible cells of class " + std::to_string(id) + " do not form a rectangle");
            state[id] = s.rect;
        }
        std::vector<Cells>().swap(vis);
        refute(field(nd, "refutation", path), at(path, "refutation"), state, rank);
    } else {
        throw Reject(at(path, "rule"), "unknown rule \"" + rule + "\"");
    }
}

// Invariant: in every cancelling family, class c's matrix is supported in state[c].rows x state[c].cols.
void Checker::refute(const json& r, const std::string& path, std::map<std::size_t, Rect> state,
                     const std::map<std::size_t, std::size_t>& rank) {
    auto current = [&](std::size_t c, const std::string& p) -> Rect& {
        if (!state.count(c)) throw Reject(p, "no class " + std::to_string(c));
        return state[c];
    };
    auto meets = [](const Set& x, const Set& y) {
        for (std::size_t v : x)
            if (y.count(v)) return true;
        return false;
    };
    // Does a class other than c, with a non-empty rectangle, have a current cell in rows x cols?
    auto other_covers = [&](std::size_t c, const Set& rows, const Set& cols) {
        for (const auto& [d, q] : state) {
            charge(1 + rows.size() + cols.size(), path);
            if (d != c && !q.empty() && meets(rows, q.rows) && meets(cols, q.cols)) return true;
        }
        return false;
    };
    ++tally.checked;
    if (has(r, "done") + has(r, "drop") + has(r, "split") != 1)
        throw Reject(path, "expected exactly one of \"drop\", \"split\" and \"done\"");
    if (has(r, "done")) {
        if (!boolean(r["done"], at(path, "done"))) throw Reject(at(path, "done"), "expected true");
        for (const auto& [c, q] : state)
            if (!q.empty()) throw Reject(path, "class " + std::to_string(c) + " can still be non-zero");
    } else if (has(r, "drop")) {
        std::string dp = at(path, "drop");
        const json& drops = array(r["drop"], dp);
        for (std::size_t k = 0; k < drops.size(); ++k) {
            std::string sp = at(dp, k);
            std::size_t c = integer(field(drops[k], "class", sp), at(sp, "class"), 0, kMaxWidth);
            Rect& q = current(c, sp);
            bool by_row = has(drops[k], "row");
            if (by_row == has(drops[k], "col")) throw Reject(sp, "give exactly one of \"row\" and \"col\"");
            std::size_t x = integer(drops[k][by_row ? "row" : "col"], at(sp, by_row ? "row" : "col"), 0, kMaxWidth);
            Set& line = by_row ? q.rows : q.cols;
            if (!line.count(x)) throw Reject(sp, "not a current " + std::string(by_row ? "row" : "column") + " of the class");
            if (by_row ? other_covers(c, {x}, q.cols) : other_covers(c, q.rows, {x}))
                throw Reject(sp, "another class has a current cell there");
            line.erase(x);
        }
        refute(field(r, "then", path), at(path, "then"), state, rank);
    } else if (has(r, "split")) {
        std::string sp = at(path, "split");
        const json& s = r["split"];
        std::size_t c = integer(field(s, "class", sp), at(sp, "class"), 0, kMaxWidth);
        std::size_t i = integer(field(s, "row", sp), at(sp, "row"), 0, kMaxWidth);
        std::size_t j = integer(field(s, "col", sp), at(sp, "col"), 0, kMaxWidth);
        Rect q = current(c, sp);
        if (rank.at(c) != 1) throw Reject(sp, "class has more than one term");
        if (!q.rows.count(i) || !q.cols.count(j)) throw Reject(sp, "not a current cell of the class");
        if (other_covers(c, {i}, {j})) throw Reject(sp, "another class has this current cell");
        state[c].rows.erase(i);
        refute(field(r, "if_row", path), at(path, "if_row"), state, rank);
        state[c] = q;
        state[c].cols.erase(j);
        refute(field(r, "if_col", path), at(path, "if_col"), state, rank);
    }
}

}  // namespace

void check_two_layer(const json& root, const Arch& a, const std::string& path, Tally& tally) {
    if (a.depth() != 2) throw Reject(path, "two-layer proof trees are for two-layer architectures");
    std::size_t r = a.width(1);
    // The total area is bounded before any set is built: two dense 4096 x 4096 layers would need
    // 2^25 set nodes before the limit could refuse them.
    std::vector<std::size_t> rows(r, 0);
    for (const auto& out : a.ones[1])
        for (std::uint32_t k : out) ++rows[k];
    std::size_t area = 0;
    for (std::size_t k = 0; k < r; ++k) area += rows[k] * a.ones[0][k].size();
    if (area > kMaxArea) throw Reject(path, "rectangles larger in total than the checker's limit for proof trees");
    Checker ch{a, tally, {}, {}};
    ch.I.resize(r), ch.J.resize(r);
    for (std::size_t k = 0; k < r; ++k) {
        for (std::size_t i = 0; i < a.width(2); ++i)
            if (a.at(2, i, k)) ch.I[k].insert(i);
        for (std::size_t j = 0; j < a.input_dim; ++j)
            if (a.at(1, k, j)) ch.J[k].insert(j);
    }
    Terms all(r);
    for (std::size_t k = 0; k < r; ++k) all[k] = k;
    ch.node(root, path, all, {});
}

void check_linear_closed(const json& proof, const Arch& a, const std::string& path, Tally& tally) {
    // Exactly one proof form, so that no reader can pick a different one.
    if (has(proof, "rule") + has(proof, "proof") + has(proof, "deep") != 1)
        throw Reject(path, "a closed linear proof has exactly one of \"rule\", \"proof\" and \"deep\"");
    if (has(proof, "rule")) {
        // One layer: L is the coordinate subspace on the mask, a linear subspace.
        if (str(proof["rule"], at(path, "rule")) != "single_layer") throw Reject(at(path, "rule"), "unknown rule for a closed linear proof");
        if (a.depth() != 1) throw Reject(path, "single_layer needs exactly one layer");
        ++tally.checked;
        return;
    }
    if (has(proof, "deep")) return check_deep(proof["deep"], a, at(path, "deep"), tally);
    check_two_layer(field(proof, "proof", path), a, at(path, "proof"), tally);
}

}  // namespace verify
