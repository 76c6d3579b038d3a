// Rule `borel` (docs/theory.md §4.8): triangular-invariant outer masks; every rook placement within
// the vertex-cut bounds on the corner ranks is realised by vertex-disjoint paths.
#include "verify.hpp"

#include <algorithm>
#include <functional>

namespace verify {

namespace {

constexpr std::size_t kMaxSide = 8, kMaxPlacements = 50000;

using Unit = std::pair<std::size_t, std::size_t>;  // (layer, unit)

// Is every column of layer l's mask closed towards larger (down) or smaller (up) row indices?
bool columns_closed(const Arch& a, std::size_t l, bool down, bool transposed) {
    const std::size_t R = transposed ? a.width(l - 1) : a.width(l), C = transposed ? a.width(l) : a.width(l - 1);
    auto at = [&](std::size_t i, std::size_t j) { return transposed ? a.at(l, j, i) : a.at(l, i, j); };
    for (std::size_t j = 0; j < C; ++j)
        for (std::size_t i = 0; i + 1 < R; ++i)
            if (down ? at(i, j) && !at(i + 1, j) : at(i + 1, j) && !at(i, j)) return false;
    return true;
}

using QMat = std::vector<std::vector<Rational>>;

std::size_t rank(QMat m) {
    std::size_t r = 0;
    const std::size_t cols = m.empty() ? 0 : m[0].size();
    for (std::size_t c = 0; c < cols && r < m.size(); ++c) {
        std::size_t p = r;
        while (p < m.size() && m[p][c] == 0) ++p;
        if (p == m.size()) continue;
        std::swap(m[p], m[r]);
        for (std::size_t i = r + 1; i < m.size(); ++i)
            if (m[i][c] != 0) {
                Rational f = m[i][c] / m[r][c];
                for (std::size_t j = c; j < cols; ++j) m[i][j] -= f * m[r][j];
            }
        ++r;
    }
    return r;
}

// W_L ... W_1 for rational weights listed per layer (entries at mask positions, each once).
QMat product(const json& weights, const Arch& a, const std::string& path) {
    const std::size_t L = a.depth();
    const json& layers = array(weights, path);
    if (layers.size() != L) throw Reject(path, "expected one entry list per layer");
    QMat p(a.input_dim, std::vector<Rational>(a.input_dim));
    for (std::size_t j = 0; j < a.input_dim; ++j) p[j][j] = 1;
    for (std::size_t l = 1; l <= L; ++l) {
        std::string lp = at(path, l - 1);
        if (integer(field(layers[l - 1], "layer", lp), at(lp, "layer"), 1, static_cast<long>(L)) != static_cast<long>(l))
            throw Reject(at(lp, "layer"), "layers out of order");
        QMat w(a.width(l), std::vector<Rational>(a.width(l - 1)));
        std::set<Cell> seen;
        const json& entries = array(field(layers[l - 1], "entries", lp), at(lp, "entries"));
        for (std::size_t e = 0; e < entries.size(); ++e) {
            std::string ep = at(at(lp, "entries"), e);
            std::size_t i = integer(field(entries[e], "row", ep), at(ep, "row"), 0, static_cast<long>(a.width(l)) - 1);
            std::size_t j = integer(field(entries[e], "col", ep), at(ep, "col"), 0, static_cast<long>(a.width(l - 1)) - 1);
            if (!a.at(l, i, j)) throw Reject(ep, "position is not in layer " + std::to_string(l) + "'s mask");
            if (!seen.insert({i, j}).second) throw Reject(ep, "position listed twice");
            w[i][j] = rational(field(entries[e], "value", ep), at(ep, "value"));
        }
        charge(static_cast<long long>(a.width(l) * a.width(l - 1) * a.input_dim), lp);
        QMat next(a.width(l), std::vector<Rational>(a.input_dim));
        for (std::size_t i = 0; i < a.width(l); ++i)
            for (std::size_t k = 0; k < a.width(l - 1); ++k)
                if (w[i][k] != 0)
                    for (std::size_t j = 0; j < a.input_dim; ++j) next[i][j] += w[i][k] * p[k][j];
        p = std::move(next);
    }
    return p;
}

}  // namespace

void check_borel(const json& nd, const Arch& a, const std::string& path, Tally& tally) {
    const std::size_t L = a.depth(), m = a.width(L), n = a.input_dim;
    if (L < 2) throw Reject(path, "borel needs at least two layers");
    if (m == 0 || n == 0 || m > kMaxSide || n > kMaxSide) throw Reject(path, "borel is checked for at most 8 outputs and 8 inputs");
    std::string rows = str(field(nd, "rows", path), at(path, "rows")), cols = str(field(nd, "cols", path), at(path, "cols"));
    if (rows != "down" && rows != "up") throw Reject(at(path, "rows"), "expected \"down\" or \"up\"");
    if (cols != "right" && cols != "left") throw Reject(at(path, "cols"), "expected \"right\" or \"left\"");
    if (!columns_closed(a, L, rows == "down", false)) throw Reject(at(path, "rows"), "a column of the last mask is not a " + rows + "-set");
    if (!columns_closed(a, 1, cols == "right", true)) throw Reject(at(path, "cols"), "a row of the first mask is not a " + cols + "-set");
    auto row_at = [&](std::size_t p) { return rows == "down" ? p : m - 1 - p; };
    auto col_at = [&](std::size_t q) { return cols == "right" ? q : n - 1 - q; };
    // Bounds: for each corner (first k rows, first l columns in orientation order) a vertex set that
    // every path from those columns to those rows meets; its size bounds the corner's rank.
    std::vector<std::vector<long>> bound(m, std::vector<long>(n, -1));
    std::string cp = at(path, "cuts");
    const json& cuts = array(field(nd, "cuts", path), cp);
    for (std::size_t c = 0; c < cuts.size(); ++c) {
        std::string ep = at(cp, c);
        std::size_t k = integer(field(cuts[c], "rows", ep), at(ep, "rows"), 1, static_cast<long>(m));
        std::size_t l = integer(field(cuts[c], "cols", ep), at(ep, "cols"), 1, static_cast<long>(n));
        if (bound[k - 1][l - 1] >= 0) throw Reject(ep, "corner listed twice");
        std::vector<std::vector<char>> blocked(L + 1);
        for (std::size_t x = 0; x <= L; ++x) blocked[x].assign(a.width(x), 0);
        const json& units = array(field(cuts[c], "units", ep), at(ep, "units"));
        for (std::size_t u = 0; u < units.size(); ++u) {
            std::string up = at(at(ep, "units"), u);
            if (!units[u].is_array() || units[u].size() != 2) throw Reject(up, "expected [layer, unit]");
            std::size_t layer = integer(units[u][0], up, 0, static_cast<long>(L));
            std::size_t unit = integer(units[u][1], up, 0, static_cast<long>(a.width(layer)) - 1);
            if (blocked[layer][unit]) throw Reject(up, "unit listed twice");
            blocked[layer][unit] = 1;
        }
        // Reachability from the corner's columns avoiding the cut must not reach its rows.
        std::vector<char> reach(n, 0);
        for (std::size_t q = 0; q < l; ++q) reach[col_at(q)] = !blocked[0][col_at(q)];
        for (std::size_t x = 1; x <= L; ++x) {
            charge(static_cast<long long>(a.width(x) * a.width(x - 1)), ep);
            std::vector<char> next(a.width(x), 0);
            for (std::size_t i = 0; i < a.width(x); ++i)
                for (std::size_t j = 0; j < a.width(x - 1) && !next[i]; ++j) next[i] = reach[j] && a.at(x, i, j) && !blocked[x][i];
            reach = std::move(next);
        }
        for (std::size_t p = 0; p < k; ++p)
            if (reach[row_at(p)]) throw Reject(ep, "a path avoids the cut");
        bound[k - 1][l - 1] = static_cast<long>(units.size());
        ++tally.checked;
    }
    for (std::size_t k = 0; k < m; ++k)
        for (std::size_t l = 0; l < n; ++l)
            if (bound[k][l] < 0) throw Reject(cp, "corner (" + std::to_string(k + 1) + ", " + std::to_string(l + 1) + ") has no cut");
    // Every rook placement within the bounds, as its sorted ones (row, col).
    std::set<std::vector<Cell>> want;
    std::vector<long> pos(m, -1);
    std::vector<char> taken(n, 0);
    std::function<void(std::size_t)> go = [&](std::size_t p) {
        if (p == m) {
            std::vector<Cell> ones;
            for (std::size_t r = 0; r < m; ++r)
                if (pos[r] >= 0) ones.push_back({row_at(r), col_at(static_cast<std::size_t>(pos[r]))});
            std::sort(ones.begin(), ones.end());
            want.insert(std::move(ones));
            if (want.size() > kMaxPlacements) throw Reject(path, "more rook placements than the checker's limit");
            return;
        }
        for (long q = -1; q < static_cast<long>(n); ++q) {
            if (q >= 0 && taken[static_cast<std::size_t>(q)]) continue;
            pos[p] = q;
            bool ok = true;
            for (std::size_t l = 0; l < n && ok; ++l) {
                long c = 0;
                for (std::size_t r = 0; r <= p; ++r) c += pos[r] >= 0 && static_cast<std::size_t>(pos[r]) <= l;
                ok = c <= bound[p][l];
            }
            if (!ok) continue;
            if (q >= 0) taken[static_cast<std::size_t>(q)] = 1;
            go(p + 1);
            if (q >= 0) taken[static_cast<std::size_t>(q)] = 0;
        }
        pos[p] = -1;
    };
    go(0);
    // Each listed placement: vertex-disjoint input-output paths; with weight 1 on their edges and 0
    // elsewhere the product is the 0/1 matrix of their end points.
    std::string pp = at(path, "placements");
    const json& placements = array(field(nd, "placements", path), pp);
    std::set<std::vector<Cell>> got;
    for (std::size_t q = 0; q < placements.size(); ++q) {
        std::vector<Cell> ones;
        if (has(placements[q], "weights")) {
            // A product of the listed weights in the placement's orbit: equal corner ranks.
            std::string op = at(at(pp, q), "ones");
            const json& listed = array(field(placements[q], "ones", at(pp, q)), op);
            for (std::size_t e = 0; e < listed.size(); ++e) {
                if (!listed[e].is_array() || listed[e].size() != 2) throw Reject(at(op, e), "expected [row, col]");
                ones.push_back({static_cast<std::size_t>(integer(listed[e][0], at(op, e), 0, static_cast<long>(m) - 1)),
                                static_cast<std::size_t>(integer(listed[e][1], at(op, e), 0, static_cast<long>(n) - 1))});
            }
            QMat A = product(placements[q]["weights"], a, at(at(pp, q), "weights"));
            for (std::size_t k = 1; k <= m; ++k)
                for (std::size_t l = 1; l <= n; ++l) {
                    QMat c(k, std::vector<Rational>(l));
                    long count = 0;
                    for (std::size_t p = 0; p < k; ++p)
                        for (std::size_t r = 0; r < l; ++r) {
                            c[p][r] = A[row_at(p)][col_at(r)];
                            count += std::count(ones.begin(), ones.end(), Cell{row_at(p), col_at(r)});
                        }
                    if (static_cast<long>(rank(c)) != count)
                        throw Reject(at(at(pp, q), "weights"), "the product's corner rank differs from the placement's at (" + std::to_string(k) + ", " + std::to_string(l) + ")");
                }
            std::sort(ones.begin(), ones.end());
            if (!want.count(ones)) throw Reject(at(pp, q), "not a rook placement within the bounds");
            if (!got.insert(ones).second) throw Reject(at(pp, q), "placement listed twice");
            ++tally.checked;
            continue;
        }
        std::string qp = at(at(pp, q), "paths");
        const json& paths = array(field(placements[q], "paths", at(pp, q)), qp);
        std::vector<std::vector<char>> used(L + 1);
        for (std::size_t x = 0; x <= L; ++x) used[x].assign(a.width(x), 0);
        for (std::size_t r = 0; r < paths.size(); ++r) {
            std::string rp = at(qp, r);
            const json& units = array(paths[r], rp);
            if (units.size() != L + 1) throw Reject(rp, "a path has one unit per layer 0.." + std::to_string(L));
            std::vector<std::size_t> u(L + 1);
            for (std::size_t x = 0; x <= L; ++x) {
                u[x] = integer(units[x], at(rp, x), 0, static_cast<long>(a.width(x)) - 1);
                if (used[x][u[x]]) throw Reject(at(rp, x), "paths share a unit");
                used[x][u[x]] = 1;
                if (x > 0 && !a.at(x, u[x], u[x - 1])) throw Reject(at(rp, x), "no weight from the previous unit");
            }
            ones.push_back({u[L], u[0]});
        }
        std::sort(ones.begin(), ones.end());
        if (!want.count(ones)) throw Reject(at(pp, q), "not a rook placement within the bounds");
        if (!got.insert(ones).second) throw Reject(at(pp, q), "placement listed twice");
        ++tally.checked;
    }
    if (got.size() != want.size()) throw Reject(pp, std::to_string(want.size() - got.size()) + " rook placements within the bounds are not realised");
}

}  // namespace verify
