#include "engine/deep_witness.hpp"

#include <algorithm>
#include <functional>
#include <set>

#include "core/nullstellensatz.hpp"
#include "core/positivstellensatz.hpp"
#include "engine/deep_graph.hpp"
#include "engine/deep_lift.hpp"
#include "engine/deep_prover.hpp"
#include "engine/poly_json.hpp"

namespace closecert::engine {

using nlohmann::json;

std::optional<json> deep_nonmembership(const arch::Architecture& a, const std::vector<std::size_t>& rows,
                                       const std::vector<std::size_t>& cols, const Limit& limit, unsigned max_degree,
                                       const Deadline& deadline) {
    const std::size_t L = a.depth();
    // Units on a path from the window's columns to its rows: the only variables of the system.
    const auto on = units_between(a, cols, rows);
    auto live = [&](std::size_t l, std::size_t u) { return on[l][u] != 0; };
    std::vector<std::string> names;
    std::map<std::tuple<std::size_t, std::size_t, std::size_t>, std::size_t> index;
    for (std::size_t l = 1; l <= L; ++l)
        for (std::size_t i = 0; i < a.width(l); ++i)
            for (std::size_t j = 0; j < a.width(l - 1); ++j)
                if (a.layers[l - 1].mask.at(i, j) && live(l, i) && live(l - 1, j)) {
                    index[{l, i, j}] = names.size();
                    names.push_back(weight_name(l, i, j));
                }
    if (names.empty() || names.size() > 400) return std::nullopt;
    auto ctx = core::make_poly_context(names);
    std::vector<core::Poly> f;
    std::vector<std::pair<std::size_t, std::size_t>> cells;
    for (std::size_t j : cols) {
        std::vector<core::Poly> v(a.input_dim, core::Poly::zero(ctx));
        v[j] = core::Poly::constant(ctx, core::Rational(1));
        for (std::size_t l = 1; l <= L; ++l) {
            std::vector<core::Poly> next(a.width(l), core::Poly::zero(ctx));
            for (const auto& [key, var] : index) {
                auto [kl, i, jj] = key;
                if (kl == l && !v[jj].is_zero()) next[i] += core::Poly::variable(ctx, var) * v[jj];
            }
            v = std::move(next);
            deadline.check();
        }
        for (std::size_t i : rows) {
            auto it = limit.find({i, j});
            core::Poly e = v[i];
            if (it != limit.end()) e -= core::Poly::constant(ctx, it->second);
            if (e.is_zero()) continue;
            f.push_back(std::move(e));
            cells.push_back({i, j});
        }
    }
    core::NullstellensatzLimits nl;
    nl.max_degree = max_degree;
    nl.deadline = deadline.at();
    // Rescaling hidden unit u of layer l (row u of W_l by s, column u of W_{l+1} by 1/s) keeps the product.
    for (std::size_t l = 1; l < L; ++l)
        for (std::size_t u = 0; u < a.width(l); ++u) {
            if (!live(l, u)) continue;
            std::vector<int> g(names.size(), 0);
            for (const auto& [key, var] : index) {
                auto [kl, i, j] = key;
                if (kl == l && i == u) g[var] = 1;
                if (kl == l + 1 && j == u) g[var] = -1;
            }
            nl.gradings.push_back(std::move(g));
        }
    auto cofactor_json = [&](const std::vector<core::Poly>& g) {
        json cof = json::array();
        for (std::size_t e = 0; e < f.size(); ++e)
            if (!g[e].is_zero()) cof.push_back({{"row", cells[e].first}, {"col", cells[e].second}, {"poly", poly_json(g[e])}});
        return cof;
    };
    if (auto g = core::find_nullstellensatz(f, nl)) return json{{"kind", "nullstellensatz"}, {"cofactors", cofactor_json(*g)}};
    deadline.check();
    core::PositivstellensatzLimits pl;
    pl.max_degree = std::min(4u, max_degree);
    pl.max_unknowns = 4000;
    pl.max_rows = 2000;
    pl.deadline = nl.deadline;
    pl.gradings = nl.gradings;
    auto c = core::find_positivstellensatz(f, pl);
    deadline.check();
    if (!c) return std::nullopt;
    json squares = json::array();
    for (const auto& s : c->squares) squares.push_back({{"weight", rational_json(s.weight)}, {"poly", poly_json(s.poly)}});
    return json{{"kind", "positivstellensatz"}, {"cofactors", cofactor_json(c->cofactors)}, {"squares", std::move(squares)}};
}

namespace {

// Up to `cap` maximal partial permutations inside mask m (each a sub-mask), the first one a
// maximum matching found greedily.
std::vector<arch::Mask> maximal_matchings(const arch::Mask& m, std::size_t cap) {
    std::vector<arch::Mask> out;
    std::vector<long> col_of(m.rows(), -1);
    std::vector<char> used(m.cols(), 0);
    std::function<void(std::size_t)> go = [&](std::size_t i) {
        if (out.size() >= cap) return;
        if (i == m.rows()) {
            // Maximal: no free row and free column joined by an allowed entry.
            for (std::size_t r = 0; r < m.rows(); ++r)
                if (col_of[r] < 0)
                    for (std::size_t c = 0; c < m.cols(); ++c)
                        if (!used[c] && m.at(r, c)) return;
            arch::Mask s(m.rows(), m.cols());
            for (std::size_t r = 0; r < m.rows(); ++r)
                if (col_of[r] >= 0) s.set(r, static_cast<std::size_t>(col_of[r]));
            out.push_back(std::move(s));
            return;
        }
        for (std::size_t c = 0; c < m.cols(); ++c)
            if (!used[c] && m.at(i, c)) {
                used[c] = 1, col_of[i] = static_cast<long>(c);
                go(i + 1);
                used[c] = 0, col_of[i] = -1;
            }
        go(i + 1);
    };
    go(0);
    return out;
}

}  // namespace

// Lemma W at any depth: 2 x 2 windows with the fewest paths first; a window's not-closed proof is one
// of the whole architecture once its rows and columns are renamed.
void window_witness(const arch::Architecture& a, const Options& opts, const Deadline& deadline, DeepWitness& w) {
    const std::size_t m = a.output_dim(), n = a.input_dim, L = a.depth();
    if (m < 2 || n < 2 || (m == 2 && n == 2)) return;
    // Path counts (as doubles: only an ordering) from every input to every output.
    std::vector<std::vector<double>> count(n, std::vector<double>(n, 0.0));
    for (std::size_t j = 0; j < n; ++j) count[j][j] = 1;
    for (std::size_t l = 1; l <= L; ++l) {
        const arch::Mask& mk = a.layers[l - 1].mask;
        std::vector<std::vector<double>> next(mk.rows(), std::vector<double>(n, 0.0));
        for (std::size_t i = 0; i < mk.rows(); ++i)
            for (std::uint32_t k : mk.row_support(i))
                for (std::size_t j = 0; j < n; ++j) next[i][j] += count[k][j];
        count = std::move(next);
        deadline.check();
    }
    struct Window { double score; std::size_t i1, i2, j1, j2; };
    std::vector<Window> windows;
    for (std::size_t i1 = 0; i1 < m; ++i1)
        for (std::size_t i2 = i1 + 1; i2 < m; ++i2)
            for (std::size_t j1 = 0; j1 < n; ++j1) {
                if (count[i1][j1] == 0 || count[i2][j1] == 0) continue;
                for (std::size_t j2 = j1 + 1; j2 < n; ++j2)
                    if (count[i1][j2] > 0 && count[i2][j2] > 0)
                        windows.push_back({count[i1][j1] + count[i1][j2] + count[i2][j1] + count[i2][j2], i1, i2, j1, j2});
                if (windows.size() > 200000) break;
            }
    const std::size_t keep = std::min<std::size_t>(windows.size(), 300);
    std::partial_sort(windows.begin(), windows.begin() + static_cast<std::ptrdiff_t>(keep), windows.end(),
                      [](const Window& x, const Window& y) { return x.score < y.score; });
    for (std::size_t k = 0; k < keep; ++k) {
        const Window& wd = windows[k];
        UnitSets u(L + 1);
        u[0] = {wd.j1, wd.j2};
        u[L] = {wd.i1, wd.i2};
        for (std::size_t l = 1; l < L; ++l)
            for (std::size_t x = 0; x < a.width(l); ++x) u[l].push_back(x);
        ++w.windows;
        LinearResult r = decide_deep(restrict_units(a, u), opts, deadline);
        if (r.verdict != Verdict::not_closed) continue;
        if (auto lifted = lift_proof(lift_restriction(u), r.proof)) {
            w.proof = std::move(*lifted);
            return;
        }
    }
}

DeepWitness find_deep_witness(const arch::Architecture& a, const Options& opts, const Deadline& deadline) {
    DeepWitness w;
    const std::size_t L = a.depth();
    if (a.nonzeros() > 4096) {
        window_witness(a, opts, deadline, w);
        return w;
    }
    const std::size_t per_layer = L <= 3 ? 6 : 3, max_routings = 200;
    std::vector<std::vector<arch::Mask>> choices(L);
    for (std::size_t l = 0; l < L; ++l) choices[l] = maximal_matchings(a.layers[l].mask, per_layer);
    std::set<std::string> seen;
    for (std::size_t p = 1; p < L; ++p) {
        // Every combination of the other layers' routings (odometer over choices).
        std::vector<std::size_t> pick(L, 0);
        for (bool more = true; more && w.routings < max_routings;) {
            arch::Architecture sub = a;
            for (std::size_t l = 0; l < L; ++l)
                if (l + 1 != p && l + 1 != p + 1) sub.layers[l].mask = choices[l].at(pick[l]);
            more = false;
            for (std::size_t l = 0; l < L && !more; ++l) {
                if (l + 1 == p || l + 1 == p + 1 || choices[l].size() <= 1) continue;
                if (++pick[l] < choices[l].size()) more = true;
                else pick[l] = 0;
            }
            ++w.routings;
            LinearResult r = decide_deep(sub, opts, deadline);
            if (r.verdict != Verdict::not_closed) continue;
            // Its family lies in the sub-masks, so in the masks of `a`; is the limit outside L_I?
            const json& proof = r.proof;
            std::string key = proof.at("limit").dump() + proof.at("window").dump();
            if (!seen.insert(key).second) continue;
            ++w.limits;
            Limit limit;
            for (const auto& e : proof.at("limit"))
                limit[{e.at("row").get<std::size_t>(), e.at("col").get<std::size_t>()}] = core::Rational::parse(e.at("value").get<std::string>());
            auto rows = proof.at("window").at("rows").get<std::vector<std::size_t>>();
            auto cols = proof.at("window").at("cols").get<std::vector<std::size_t>>();
            const unsigned degree = std::min(10u, opts.max_nullstellensatz_degree + 2 * static_cast<unsigned>(L - 2));
            if (auto nm = deep_nonmembership(a, rows, cols, limit, degree, deadline)) {
                json out = proof;
                out["nonmembership"] = std::move(*nm);
                w.proof = std::move(out);
                return w;
            }
        }
    }
    window_witness(a, opts, deadline, w);
    return w;
}

}  // namespace closecert::engine
