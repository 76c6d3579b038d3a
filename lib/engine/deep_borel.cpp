#include "engine/deep_borel.hpp"

#include <algorithm>
#include <functional>
#include <map>
#include <random>
#include <set>

#include "core/laurent_poly.hpp"
#include "core/qmatrix.hpp"
#include "engine/deep_lift.hpp"
#include "engine/deep_witness.hpp"

namespace closecert::engine {

using nlohmann::json;

namespace {

constexpr std::size_t kMaxSide = 6, kMaxPlacements = 20000, kMaxSteps = 200000;

// "down": every column of m is closed under going to larger row indices; "up": smaller.
std::optional<std::string> column_sets(const arch::Mask& m) {
    bool down = true, up = true;
    for (std::size_t j = 0; j < m.cols(); ++j)
        for (std::size_t i = 0; i + 1 < m.rows(); ++i) {
            if (m.at(i, j) && !m.at(i + 1, j)) down = false;
            if (m.at(i + 1, j) && !m.at(i, j)) up = false;
        }
    if (down) return "down";
    if (up) return "up";
    return std::nullopt;
}

// The units of the layered graph as (layer, unit), numbered consecutively.
struct Graph {
    std::vector<std::size_t> offset;
    std::size_t size = 0;
    explicit Graph(const arch::Architecture& a) {
        for (std::size_t l = 0; l <= a.depth(); ++l) offset.push_back(size), size += a.width(l);
    }
    std::size_t id(std::size_t l, std::size_t u) const { return offset[l] + u; }
};

// Minimum vertex cut (every unit capacity 1) between the inputs `cols` and the outputs `rows`, by
// augmenting paths on the split graph; returns the cut's units as (layer, unit).
std::vector<std::pair<std::size_t, std::size_t>> min_cut(const arch::Architecture& a, const Graph& g,
                                                         const std::vector<std::size_t>& rows, const std::vector<std::size_t>& cols) {
    const std::size_t L = a.depth(), V = g.size;
    // Node 2v = v_in, 2v+1 = v_out, source 2V, sink 2V+1; residual capacities in a map.
    std::map<std::pair<std::size_t, std::size_t>, int> cap;
    std::vector<std::vector<std::size_t>> adj(2 * V + 2);
    auto edge = [&](std::size_t x, std::size_t y, int c) {
        if (!cap.count({x, y}) && !cap.count({y, x})) adj[x].push_back(y), adj[y].push_back(x);
        cap[{x, y}] += c;
        cap.try_emplace({y, x}, 0);
    };
    const int inf = 1 << 20;
    for (std::size_t v = 0; v < V; ++v) edge(2 * v, 2 * v + 1, 1);
    for (std::size_t l = 1; l <= L; ++l)
        for (std::size_t i = 0; i < a.width(l); ++i)
            for (std::size_t j = 0; j < a.width(l - 1); ++j)
                if (a.layers[l - 1].mask.at(i, j)) edge(2 * g.id(l - 1, j) + 1, 2 * g.id(l, i), inf);
    const std::size_t s = 2 * V, t = 2 * V + 1;
    for (std::size_t j : cols) edge(s, 2 * g.id(0, j), inf);
    for (std::size_t i : rows) edge(2 * g.id(L, i) + 1, t, inf);
    std::vector<long> from;
    auto bfs = [&] {
        from.assign(2 * V + 2, -1);
        from[s] = static_cast<long>(s);
        std::vector<std::size_t> q{s};
        for (std::size_t h = 0; h < q.size(); ++h)
            for (std::size_t y : adj[q[h]])
                if (from[y] < 0 && cap[{q[h], y}] > 0) from[y] = static_cast<long>(q[h]), q.push_back(y);
        return from[t] >= 0;
    };
    while (bfs())
        for (std::size_t y = t; y != s; y = static_cast<std::size_t>(from[y])) {
            std::size_t x = static_cast<std::size_t>(from[y]);
            --cap[{x, y}], ++cap[{y, x}];
        }
    // Cut: units whose in-node is reachable from the source in the residual graph and out-node not.
    std::vector<std::pair<std::size_t, std::size_t>> cut;
    for (std::size_t l = 0; l <= L; ++l)
        for (std::size_t u = 0; u < a.width(l); ++u) {
            std::size_t v = g.id(l, u);
            if (from[2 * v] >= 0 && from[2 * v + 1] < 0) cut.push_back({l, u});
        }
    return cut;
}

// Vertex-disjoint paths joining input j to output i for every one (i, j) of the placement.
std::optional<json> disjoint_paths(const arch::Architecture& a, const Graph& g, const std::vector<std::pair<std::size_t, std::size_t>>& ones,
                                   std::size_t& steps) {
    const std::size_t L = a.depth();
    std::vector<char> used(g.size, 0);
    std::vector<std::vector<std::size_t>> paths(ones.size());
    std::function<bool(std::size_t)> place = [&](std::size_t k) -> bool {
        if (k == ones.size()) return true;
        const auto [oi, oj] = ones[k];
        std::vector<std::size_t>& p = paths[k];
        std::function<bool(std::size_t, std::size_t)> walk = [&](std::size_t l, std::size_t u) -> bool {
            if (++steps > kMaxSteps) return false;
            if (used[g.id(l, u)]) return false;
            used[g.id(l, u)] = 1;
            p.push_back(u);
            if (l == L ? u == oi && place(k + 1) : false) return true;
            if (l < L)
                for (std::size_t v = 0; v < a.width(l + 1); ++v)
                    if (a.layers[l].mask.at(v, u) && (l + 1 < L || v == oi) && walk(l + 1, v)) return true;
            used[g.id(l, u)] = 0;
            p.pop_back();
            return false;
        };
        return walk(0, oj);
    };
    if (!place(0)) return std::nullopt;
    return json(paths);
}

using Ones = std::vector<std::pair<std::size_t, std::size_t>>;

// Random integer weights on random sub-supports; a product A lies in the orbit of the placement with
// A's corner ranks. Returns, per placement reached (sorted ones), the weights as a family JSON.
std::map<Ones, json> sample_orbits(const arch::Architecture& a, const std::function<std::size_t(std::size_t)>& row_at,
                                   const std::function<std::size_t(std::size_t)>& col_at, std::size_t trials, const Deadline& deadline) {
    const std::size_t m = a.output_dim(), n = a.input_dim;
    std::mt19937_64 rng(0x626f72656cULL);
    std::map<Ones, json> found;
    for (std::size_t t = 0; t < trials; ++t) {
        if (t % 64 == 0) deadline.check();
        const unsigned keep = 1 + static_cast<unsigned>(rng() % 4);  // density keep/4
        core::QMatrix prod = core::QMatrix::identity(n);
        json family = json::array();
        for (std::size_t l = 1; l <= a.depth(); ++l) {
            const arch::Mask& mk = a.layers[l - 1].mask;
            core::QMatrix w(mk.rows(), mk.cols());
            json entries = json::array();
            for (std::size_t i = 0; i < mk.rows(); ++i)
                for (std::size_t j = 0; j < mk.cols(); ++j)
                    if (mk.at(i, j) && rng() % 4 < keep) {
                        long v = static_cast<long>(rng() % 5) - 2;
                        if (v == 0) continue;
                        w.set(i, j, core::Rational(v));
                        entries.push_back({{"row", i}, {"col", j}, {"value", std::to_string(v)}});
                    }
            prod = w * prod;
            family.push_back({{"layer", l}, {"entries", std::move(entries)}});
        }
        // Corner ranks in orientation order, then the placement by second differences.
        std::vector<std::vector<long>> r(m + 1, std::vector<long>(n + 1, 0));
        for (std::size_t k = 1; k <= m; ++k)
            for (std::size_t l = 1; l <= n; ++l) {
                core::QMatrix c(k, l);
                for (std::size_t p = 0; p < k; ++p)
                    for (std::size_t q = 0; q < l; ++q) c.set(p, q, prod.get(row_at(p), col_at(q)));
                r[k][l] = static_cast<long>(c.rank());
            }
        Ones ones;
        for (std::size_t k = 1; k <= m; ++k)
            for (std::size_t l = 1; l <= n; ++l)
                if (r[k][l] - r[k - 1][l] - r[k][l - 1] + r[k - 1][l - 1] == 1) ones.push_back({row_at(k - 1), col_at(l - 1)});
        std::sort(ones.begin(), ones.end());
        found.try_emplace(std::move(ones), std::move(family));
    }
    return found;
}

// An elementary degeneration g(t) P h(t) -> Q inside the triangular groups (oriented coordinates:
// g lower, h upper): remove a rook, move one down or right into an empty line, or untwist a pair.
struct Move {
    std::map<std::pair<std::size_t, std::size_t>, core::LaurentPoly> g, h;  // off-identity entries (diagonal included)
    Ones result;  // in oriented coordinates
};

std::vector<Move> moves_from(const Ones& P, std::size_t m, std::size_t n) {
    using core::LaurentPoly;
    using core::Rational;
    const LaurentPoly t(Rational(1), 1), one = LaurentPoly::constant(Rational(1));
    std::set<std::size_t> rows, cols;
    for (const auto& [p, q] : P) rows.insert(p), cols.insert(q);
    std::vector<Move> out;
    auto without = [&](std::size_t k) { Ones r = P; r.erase(r.begin() + static_cast<std::ptrdiff_t>(k)); return r; };
    for (std::size_t k = 0; k < P.size(); ++k) {
        const auto [p, q] = P[k];
        Move rm;
        rm.g[{p, p}] = t;
        rm.result = without(k);
        out.push_back(rm);
        for (std::size_t p2 = p + 1; p2 < m; ++p2)
            if (!rows.count(p2)) {
                Move mv;
                mv.g[{p, p}] = t;
                mv.g[{p2, p}] = one;
                mv.result = without(k);
                mv.result.push_back({p2, q});
                out.push_back(mv);
            }
        for (std::size_t q2 = q + 1; q2 < n; ++q2)
            if (!cols.count(q2)) {
                Move mv;
                mv.h[{q, q}] = t;
                mv.h[{q, q2}] = one;
                mv.result = without(k);
                mv.result.push_back({p, q2});
                out.push_back(mv);
            }
        for (std::size_t k2 = 0; k2 < P.size(); ++k2) {
            const auto [p2, q2] = P[k2];
            if (!(p < p2 && q < q2)) continue;
            Move mv;
            mv.g[{p2, p}] = LaurentPoly(Rational(1), -1);
            mv.h[{q, q}] = t;
            mv.h[{q, q2}] = one;
            mv.h[{q2, q2}] = LaurentPoly(Rational(-1), -1);
            for (std::size_t r = 0; r < P.size(); ++r)
                if (r != k && r != k2) mv.result.push_back(P[r]);
            mv.result.push_back({p, q2});
            mv.result.push_back({p2, q});
            out.push_back(mv);
        }
    }
    for (auto& mv : out) std::sort(mv.result.begin(), mv.result.end());
    return out;
}

LaurentMatrix times(const LaurentMatrix& x, const LaurentMatrix& y) {
    LaurentMatrix r;
    for (const auto& [a, u] : x)
        for (const auto& [b, v] : y)
            if (a.second == b.first) {
                auto& e = r[{a.first, b.second}];
                e += u * v;
            }
    for (auto it = r.begin(); it != r.end();) it = it->second.is_zero() ? r.erase(it) : std::next(it);
    return r;
}

// A not-closed proof: a placement Q within the bounds with no factorisation (Nullstellensatz in the
// deep system), reached from a placement P realised by disjoint paths by one elementary move.
std::optional<json> degeneration(const arch::Architecture& a, const std::function<std::size_t(std::size_t)>& row_at,
                                 const std::function<std::size_t(std::size_t)>& col_at, const std::map<Ones, json>& by_paths,
                                 const std::vector<Ones>& unrealised, unsigned max_degree, const Deadline& deadline) {
    const std::size_t m = a.output_dim(), n = a.input_dim, L = a.depth();
    auto oriented = [&](const Ones& o) {
        Ones r;
        for (const auto& [i, j] : o) {
            std::size_t p = 0, q = 0;
            while (row_at(p) != i) ++p;
            while (col_at(q) != j) ++q;
            r.push_back({p, q});
        }
        std::sort(r.begin(), r.end());
        return r;
    };
    std::map<Ones, Ones> original_of;  // oriented -> original ones
    for (const Ones& q : unrealised) original_of[oriented(q)] = q;
    std::size_t tried = 0;
    for (const auto& [P, paths] : by_paths)
        for (const Move& mv : moves_from(oriented(P), m, n)) {
            auto target = original_of.find(mv.result);
            if (target == original_of.end() || ++tried > 40) continue;
            deadline.check();
            // Weights 1 on the paths; W_L <- g W_L and W_1 <- W_1 h in original coordinates.
            Family f(L);
            for (const auto& path : paths)
                for (std::size_t l = 1; l <= L; ++l)
                    f[l - 1][{path[l].get<std::size_t>(), path[l - 1].get<std::size_t>()}] = core::LaurentPoly::constant(core::Rational(1));
            LaurentMatrix G, H;
            for (std::size_t p = 0; p < m; ++p) G[{row_at(p), row_at(p)}] = core::LaurentPoly::constant(core::Rational(1));
            for (std::size_t q = 0; q < n; ++q) H[{col_at(q), col_at(q)}] = core::LaurentPoly::constant(core::Rational(1));
            for (const auto& [pq, v] : mv.g) G[{row_at(pq.first), row_at(pq.second)}] = v;
            for (const auto& [pq, v] : mv.h) H[{col_at(pq.first), col_at(pq.second)}] = v;
            f[L - 1] = times(G, f[L - 1]);
            f[0] = times(f[0], H);
            // Guard: the product tends to Q (positive powers only in the difference).
            LaurentMatrix prod = f[0];
            for (std::size_t l = 2; l <= L; ++l) prod = times(f[l - 1], prod);
            Limit limit;
            for (const auto& [i, j] : target->second) {
                limit[{i, j}] = core::Rational(1);
                prod[{i, j}] -= core::LaurentPoly::constant(core::Rational(1));
            }
            for (const auto& [pos, v] : prod)
                if (!v.is_zero() && v.min_exponent() < 1) throw std::logic_error("borel degeneration does not converge");
            std::vector<std::size_t> rs(m), cs(n);
            for (std::size_t i = 0; i < m; ++i) rs[i] = i;
            for (std::size_t j = 0; j < n; ++j) cs[j] = j;
            auto nm = deep_nonmembership(a, rs, cs, limit, max_degree, deadline);
            if (!nm) continue;
            json lim = json::array();
            for (const auto& [i, j] : target->second) lim.push_back({{"row", i}, {"col", j}, {"value", "1"}});
            return json{{"verdict", "not_closed"}, {"rule", "limit_outside"}, {"window", {{"rows", rs}, {"cols", cs}}},
                        {"family", family_to_json(f)}, {"limit", std::move(lim)}, {"nonmembership", std::move(*nm)}};
        }
    return std::nullopt;
}

}  // namespace

BorelResult borel(const arch::Architecture& a, unsigned max_degree, const Deadline& deadline) {
    const std::size_t m = a.output_dim(), n = a.input_dim;
    if (m == 0 || n == 0 || m > kMaxSide || n > kMaxSide) return {};
    auto rows = column_sets(a.layers.back().mask);
    auto cols_t = column_sets(a.layers.front().mask.transposed());  // rows of I_1 as columns
    if (!rows || !cols_t) return {};
    const std::string cols = *cols_t == "down" ? "right" : "left";
    // Position p of the orientation order -> index.
    const bool down = *rows == "down", right = cols == "right";
    std::function<std::size_t(std::size_t)> row_at = [m, down](std::size_t p) { return down ? p : m - 1 - p; };
    std::function<std::size_t(std::size_t)> col_at = [n, right](std::size_t q) { return right ? q : n - 1 - q; };
    const Graph g(a);
    std::vector<std::vector<std::size_t>> bound(m, std::vector<std::size_t>(n));
    json cuts = json::array();
    for (std::size_t k = 1; k <= m; ++k)
        for (std::size_t l = 1; l <= n; ++l) {
            std::vector<std::size_t> rs, cs;
            for (std::size_t p = 0; p < k; ++p) rs.push_back(row_at(p));
            for (std::size_t q = 0; q < l; ++q) cs.push_back(col_at(q));
            auto cut = min_cut(a, g, rs, cs);
            bound[k - 1][l - 1] = cut.size();
            json units = json::array();
            for (const auto& [layer, u] : cut) units.push_back({layer, u});
            cuts.push_back({{"rows", k}, {"cols", l}, {"units", std::move(units)}});
        }
    deadline.check();
    // Placements: in orientation order, row p takes position q or none; corner counts within bounds.
    json placements = json::array();
    std::map<Ones, json> sampled;
    bool sampled_done = false;
    std::vector<long> pos(m, -1);
    std::size_t count = 0, steps = 0;
    bool failed = false;
    std::map<Ones, json> by_paths;
    std::vector<Ones> unrealised;
    std::function<void(std::size_t, std::vector<char>&)> go = [&](std::size_t p, std::vector<char>& taken) {
        if (failed) return;
        if (p == m) {
            if (++count > kMaxPlacements) return void(failed = true);
            std::vector<std::pair<std::size_t, std::size_t>> ones;
            for (std::size_t r = 0; r < m; ++r)
                if (pos[r] >= 0) ones.push_back({row_at(r), col_at(static_cast<std::size_t>(pos[r]))});
            if (auto paths = disjoint_paths(a, g, ones, steps)) {
                std::sort(ones.begin(), ones.end());
                by_paths[ones] = *paths;
                placements.push_back({{"paths", std::move(*paths)}});
                return;
            }
            // Not by disjoint paths: a product of random weights in the placement's orbit.
            if (!sampled_done) sampled = sample_orbits(a, row_at, col_at, 3000, deadline), sampled_done = true;
            std::sort(ones.begin(), ones.end());
            auto it = sampled.find(ones);
            if (it == sampled.end()) return void(unrealised.push_back(ones));
            json listed = json::array();
            for (const auto& [i, j] : ones) listed.push_back({i, j});
            placements.push_back({{"ones", std::move(listed)}, {"weights", it->second}});
            return;
        }
        for (long q = -1; q < static_cast<long>(n); ++q) {
            if (q >= 0 && taken[static_cast<std::size_t>(q)]) continue;
            pos[p] = q;
            // Corner counts for corners with p + 1 rows.
            bool ok = true;
            for (std::size_t l = 0; l < n && ok; ++l) {
                std::size_t c = 0;
                for (std::size_t r = 0; r <= p; ++r) c += pos[r] >= 0 && static_cast<std::size_t>(pos[r]) <= l;
                ok = c <= bound[p][l];
            }
            if (!ok) continue;
            if (q >= 0) taken[static_cast<std::size_t>(q)] = 1;
            go(p + 1, taken);
            if (q >= 0) taken[static_cast<std::size_t>(q)] = 0;
        }
        pos[p] = -1;
    };
    std::vector<char> taken(n, 0);
    go(0, taken);
    deadline.check();
    BorelResult out;
    if (failed) return out;
    if (unrealised.empty()) {
        out.node = json{{"rule", "borel"}, {"rows", *rows}, {"cols", cols}, {"cuts", std::move(cuts)}, {"placements", std::move(placements)}};
        return out;
    }
    out.witness = degeneration(a, row_at, col_at, by_paths, unrealised, max_degree, deadline);
    return out;
}

}  // namespace closecert::engine
