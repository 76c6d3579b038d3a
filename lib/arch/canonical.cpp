#include "arch/canonical.hpp"

#include <algorithm>
#include <cstdint>
#include <map>
#include <numeric>
#include <stdexcept>

// Individualisation-refinement canonical labelling (the scheme of nauty, written small): rows,
// columns and distinct rectangles (with multiplicity) are the vertices of a coloured graph; colour
// refinement splits them; where it stops, each vertex of the first non-singleton row (then column)
// cell is individualised in turn; every leaf yields a relabelled pattern; the least one is canonical.
// Subtrees equivalent under an automorphism found so far (or a swap of twin vertices) are skipped.

namespace closecert::arch {

namespace {

using Code = std::uint16_t;  // (row mask << 8) | column mask, in canonical positions

struct Graph {
    int m = 0, n = 0, t = 0;  // rows, columns, distinct rectangles
    std::vector<std::uint8_t> trows, tcols;
    std::vector<int> mult;
    std::vector<std::vector<int>> adj;  // vertex ids: rows 0..m-1, cols m..m+n-1, rects m+n..
    std::vector<int> twin;              // rows/cols with identical neighbourhoods share a twin id
    int vertices() const { return m + n + t; }
};

Graph build(const Pattern& p) {
    Graph g;
    g.m = static_cast<int>(p.m);
    g.n = static_cast<int>(p.n);
    std::map<std::pair<std::uint8_t, std::uint8_t>, int> count;
    for (const auto& r : p.terms) {
        std::uint8_t rm = 0, cm = 0;
        for (Index i : r.rows) rm |= static_cast<std::uint8_t>(1u << i);
        for (Index j : r.cols) cm |= static_cast<std::uint8_t>(1u << j);
        ++count[{rm, cm}];
    }
    for (const auto& [rc, c] : count) {
        g.trows.push_back(rc.first);
        g.tcols.push_back(rc.second);
        g.mult.push_back(c);
    }
    g.t = static_cast<int>(g.mult.size());
    g.adj.assign(static_cast<std::size_t>(g.vertices()), {});
    for (int c = 0; c < g.t; ++c) {
        const int cv = g.m + g.n + c;
        for (int i = 0; i < g.m; ++i)
            if (g.trows[c] >> i & 1) { g.adj[i].push_back(cv); g.adj[cv].push_back(i); }
        for (int j = 0; j < g.n; ++j)
            if (g.tcols[c] >> j & 1) { g.adj[g.m + j].push_back(cv); g.adj[cv].push_back(g.m + j); }
    }
    g.twin.assign(static_cast<std::size_t>(g.m + g.n), -1);
    std::map<std::pair<bool, std::vector<int>>, int> ids;
    for (int v = 0; v < g.m + g.n; ++v) {
        auto key = std::make_pair(v >= g.m, g.adj[v]);
        auto it = ids.emplace(key, static_cast<int>(ids.size())).first;
        g.twin[v] = it->second;
    }
    return g;
}

// Replaces colours by dense ranks of (colour, sorted neighbour colours) until stable.
void refine(const Graph& g, std::vector<int>& col) {
    const int V = g.vertices();
    std::vector<std::pair<std::vector<int>, int>> sig(static_cast<std::size_t>(V));
    int classes = -1;
    for (;;) {
        for (int v = 0; v < V; ++v) {
            auto& s = sig[v].first;
            s.clear();
            s.push_back(col[v]);
            for (int w : g.adj[v]) s.push_back(col[w]);
            std::sort(s.begin() + 1, s.end());
            sig[v].second = v;
        }
        std::sort(sig.begin(), sig.end());
        int rank = -1;
        for (int k = 0; k < V; ++k) {
            if (k == 0 || sig[k].first != sig[k - 1].first) ++rank;
            col[sig[k].second] = rank;
        }
        if (rank + 1 == classes) return;
        classes = rank + 1;
    }
}

struct Search {
    const Graph& g;
    bool have_best = false;
    std::vector<Code> best;
    std::vector<int> best_pos;  // vertex -> canonical position of the best leaf
    std::vector<int> first_pos;
    std::vector<Code> first;
    std::vector<int> first_path, best_path;  // individualised vertices leading to those leaves
    std::vector<std::vector<int>> autos;  // automorphisms on rows+cols (vertex -> vertex)

    explicit Search(const Graph& gr) : g(gr) {}

    std::vector<Code> leaf_codes(const std::vector<int>& pos) const {
        std::vector<Code> codes;
        for (int c = 0; c < g.t; ++c) {
            unsigned rm = 0, cm = 0;
            for (int i = 0; i < g.m; ++i)
                if (g.trows[c] >> i & 1) rm |= 1u << pos[i];
            for (int j = 0; j < g.n; ++j)
                if (g.tcols[c] >> j & 1) cm |= 1u << pos[g.m + j];
            for (int k = 0; k < g.mult[c]; ++k) codes.push_back(static_cast<Code>(rm << 8 | cm));
        }
        std::sort(codes.begin(), codes.end());
        return codes;
    }

    // Maps vertex v (with position pos[v]) to the vertex holding that position in other.
    std::vector<int> automorphism(const std::vector<int>& pos, const std::vector<int>& other) const {
        const int RC = g.m + g.n;
        std::vector<int> inv(static_cast<std::size_t>(RC));
        for (int v = 0; v < RC; ++v) inv[other[v]] = v;
        std::vector<int> a(static_cast<std::size_t>(RC));
        for (int v = 0; v < RC; ++v) a[v] = inv[pos[v]];
        return a;
    }

    static int divergence(const std::vector<int>& a, const std::vector<int>& b) {
        std::size_t d = 0;
        while (d < a.size() && d < b.size() && a[d] == b[d]) ++d;
        return static_cast<int>(d);
    }

    // Returns -1, or the depth to return to: a leaf equivalent to the first (or best) leaf gives an
    // automorphism mapping that leaf's path to this one, so the whole subtree below the point where
    // the two paths part has been seen already (its image).
    int leaf(const std::vector<int>& col, const std::vector<int>& prefix) {
        // Discrete on rows and columns: rows hold colours 0..m-1, columns m..m+n-1.
        std::vector<int> pos(col.begin(), col.begin() + g.m + g.n);
        for (int j = 0; j < g.n; ++j) pos[g.m + j] -= g.m;
        auto codes = leaf_codes(pos);
        if (!have_best) {
            have_best = true;
            best = first = codes;
            best_pos = first_pos = pos;
            best_path = first_path = prefix;
            return -1;
        }
        if (codes == first) {
            autos.push_back(automorphism(pos, first_pos));
            return divergence(prefix, first_path);
        }
        if (codes == best) {
            autos.push_back(automorphism(pos, best_pos));
            return divergence(prefix, best_path);
        }
        if (codes < best) {
            best = std::move(codes);
            best_pos = pos;
            best_path = prefix;
        }
        return -1;
    }

    int find(std::vector<int>& uf, int x) const {
        while (uf[x] != x) x = uf[x] = uf[uf[x]];
        return x;
    }

    int node(std::vector<int> col, std::vector<int>& prefix) {
        refine(g, col);
        // Target cell: smallest non-singleton colour among rows, else among columns.
        const int RC = g.m + g.n;
        std::vector<int> size(static_cast<std::size_t>(g.vertices()), 0);
        for (int v = 0; v < RC; ++v) ++size[col[v]];
        int target = -1;
        for (int v = 0; v < RC; ++v)
            if (size[col[v]] > 1 && (target < 0 || col[v] < target)) target = col[v];
        if (target < 0) return leaf(col, prefix);
        std::vector<int> cell;
        for (int v = 0; v < RC; ++v)
            if (col[v] == target) cell.push_back(v);
        std::vector<int> tried;
        for (int u : cell) {
            if (skip(u, cell, tried, prefix)) continue;
            tried.push_back(u);
            std::vector<int> child(col.size());
            for (std::size_t v = 0; v < col.size(); ++v)
                child[v] = 2 * col[v] + ((col[v] == target && static_cast<int>(v) != u) ? 1 : 0);
            const int depth = static_cast<int>(prefix.size());
            prefix.push_back(u);
            const int back = node(std::move(child), prefix);
            prefix.pop_back();
            if (back >= 0 && back < depth) return back;
        }
        return -1;
    }

    // u is equivalent to a tried vertex under twin swaps or automorphisms fixing the prefix.
    bool skip(int u, const std::vector<int>& cell, const std::vector<int>& tried, const std::vector<int>& prefix) {
        if (tried.empty()) return false;
        for (int w : tried)
            if (g.twin[w] == g.twin[u]) return true;
        std::vector<int> uf(static_cast<std::size_t>(g.m + g.n));
        std::iota(uf.begin(), uf.end(), 0);
        bool any = false;
        for (const auto& a : autos) {
            bool fixes = std::all_of(prefix.begin(), prefix.end(), [&](int p) { return a[p] == p; });
            if (!fixes) continue;
            any = true;
            for (int v : cell) {
                int x = find(uf, v), y = find(uf, a[v]);
                if (x != y) uf[x] = y;
            }
        }
        if (!any) return false;
        for (int w : tried)
            if (find(uf, w) == find(uf, u)) return true;
        return false;
    }
};

struct Oriented {
    std::size_t m, n;
    std::vector<Code> codes;
    bool operator<(const Oriented& o) const {
        if (m != o.m) return m < o.m;
        if (n != o.n) return n < o.n;
        return codes < o.codes;
    }
};

Oriented canonical_oriented(const Pattern& p) {
    Graph g = build(p);
    std::vector<int> col(static_cast<std::size_t>(g.vertices()));
    for (int v = 0; v < g.vertices(); ++v)
        col[v] = v < g.m ? 0 : v < g.m + g.n ? 1 : 2 + g.mult[v - g.m - g.n];
    Search s(g);
    std::vector<int> prefix;
    s.node(std::move(col), prefix);
    return Oriented{p.m, p.n, std::move(s.best)};
}

void check_input(const Pattern& p) {
    if (p.m > kCanonicalMaxDim || p.n > kCanonicalMaxDim)
        throw std::invalid_argument("canonical_form: pattern " + std::to_string(p.m) + "x" + std::to_string(p.n) +
                                    " is too large (at most " + std::to_string(kCanonicalMaxDim) + " rows and columns)");
    for (const auto& r : p.terms) {
        for (Index i : r.rows)
            if (i >= p.m) throw std::invalid_argument("canonical_form: term row index out of range");
        for (Index j : r.cols)
            if (j >= p.n) throw std::invalid_argument("canonical_form: term column index out of range");
    }
}

std::string key_of(const Oriented& o) {
    static const char* hex = "0123456789abcdef";
    std::string k = std::to_string(o.m) + "x" + std::to_string(o.n) + ":";
    for (std::size_t i = 0; i < o.codes.size(); ++i) {
        if (i) k += ',';
        const unsigned rm = o.codes[i] >> 8, cm = o.codes[i] & 0xff;
        if (rm >= 16) k += hex[rm >> 4];
        k += hex[rm & 15];
        k += '.';
        if (cm >= 16) k += hex[cm >> 4];
        k += hex[cm & 15];
    }
    return k;
}

Oriented best_orientation(const Pattern& p) {
    check_input(p);
    Oriented a = canonical_oriented(p);
    Oriented b = canonical_oriented(transposed(p));
    return b < a ? b : a;
}

}  // namespace

CanonicalForm canonical_form(const Pattern& p) {
    Oriented o = best_orientation(p);
    CanonicalForm f;
    f.pattern.m = o.m;
    f.pattern.n = o.n;
    for (Code c : o.codes) {
        Rect r;
        for (Index i = 0; i < 8; ++i)
            if (c >> (8 + i) & 1) r.rows.push_back(i);
        for (Index j = 0; j < 8; ++j)
            if (c >> j & 1) r.cols.push_back(j);
        f.pattern.terms.push_back(std::move(r));
    }
    f.key = key_of(o);
    return f;
}

std::string canonical_key(const Pattern& p) { return key_of(best_orientation(p)); }

}  // namespace closecert::arch
