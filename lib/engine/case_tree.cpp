#include "engine/case_tree.hpp"
#include "engine/case_tree_search.hpp"

#include <algorithm>
#include <cstdint>
#include <map>
#include <stdexcept>
#include <string>
#include <tuple>
#include <unordered_map>
#include <unordered_set>

#include "core/poly.hpp"
#include "core/rat_func.hpp"
#include "engine/poly_json.hpp"

namespace closecert::engine {

using namespace case_tree_detail;

namespace {

// value = num / (c * monomial in N): JSON {"num", "den": exponents per N entry}.
json value_json(const RatFunc& f, const std::vector<bool>& zero, const std::vector<std::size_t>& N,
                std::vector<unsigned long>& den_out, Poly& num_out) {
    Poly num = core::zero_variables(f.num(), zero), den = core::zero_variables(f.den(), zero);
    if (den.length() != 1) throw std::logic_error("case tree: denominator is not a monomial in the region");
    const auto t = den.terms().front();
    den_out.assign(N.size(), 0);
    for (std::size_t v = 0; v < t.exps.size(); ++v) {
        if (!t.exps[v]) continue;
        auto it = std::find(N.begin(), N.end(), v);
        if (it == N.end()) throw std::logic_error("case tree: denominator vanishes in the region");
        den_out[static_cast<std::size_t>(it - N.begin())] = t.exps[v];
    }
    num_out = num * (Rational(1) / t.coef);
    return json{{"num", poly_json(num_out)}, {"den", den_out}};
}

struct Finisher {
    const SubPattern& sp;
    const std::vector<std::size_t>& group;
    const Geometry& g;        // local geometry of the search (maybe transposed)
    bool transposed;
    const std::vector<Index>& rows;  // local -> global in the original orientation
    const std::vector<Index>& cols;
    const std::vector<std::vector<int>>& var;  // original orientation
    Poly::Context ctx;
    Search& search;

    // Replaces the leaf placeholders by realise leaves, tracking N and Z along the path.
    void walk(json& node, std::vector<std::size_t>& N, std::vector<std::size_t>& Z) {
        if (node.contains("split")) {
            const std::size_t x = *ctx->index_of(node["split"][0][1].begin().key());
            N.push_back(x);
            walk(node["nonzero"], N, Z);
            N.pop_back();
            Z.push_back(x);
            walk(node["zero"], N, Z);
            Z.pop_back();
            return;
        }
        const auto& leaf = search.leaves.at(node["__leaf"].get<std::size_t>());
        node = json{{"realise", realise(leaf, N, Z)}};
    }

    json realise(const Search::Leaf& leaf, const std::vector<std::size_t>& N, const std::vector<std::size_t>& Z) {
        auto ev = search.evaluate(leaf.combo, leaf.mask);
        if (!ev) throw std::logic_error("case tree: leaf candidate no longer evaluates");
        const RatFunc zero_f(Poly::zero(ctx));
        // Free columns: y from Cramer's rule on the chosen subset.
        std::size_t f = 0;
        for (const auto& col : search.columns()) {
            if (col.pinned) continue;
            const auto& sub = col.subsets[leaf.subset[f++]];
            const std::size_t n = col.rows.size();
            std::vector<std::vector<RatFunc>> M(n, std::vector<RatFunc>(n, zero_f));
            for (std::size_t r = 0; r < n; ++r)
                for (std::size_t s = 0; s < n; ++s) {
                    const auto& cv = g.cover[col.rows[r]][col.j];
                    if (std::find(cv.begin(), cv.end(), sub[s]) != cv.end()) M[r][s] = *ev->u[sub[s]][col.rows[r]];
                }
            auto solved = solve_linear(M, col);
            for (std::size_t k = 0; k < g.rows.size(); ++k) ev->v[k][col.j] = zero_f;
            for (std::size_t s = 0; s < n; ++s) ev->v[sub[s]][col.j] = solved[s];
        }
        std::vector<bool> zero(ctx->nvars(), false);
        for (std::size_t z : Z) zero[z] = true;
        // Factors in the original orientation: x over the term's rows, y over its columns.
        json factors = json::array();
        struct Val {
            Poly num;
            std::vector<unsigned long> den;
        };
        std::map<std::pair<std::size_t, Index>, Val> X, Y;  // (slot, global row / col)
        for (std::size_t k = 0; k < group.size(); ++k) {
            json xs = json::array(), ys = json::array();
            const auto& r = sp.rect(group[k]);
            auto local_value = [&](bool row_side, std::size_t local) -> const std::optional<RatFunc>& {
                // Original rows are local rows unless transposed.
                if (row_side != transposed) return ev->u[k][local];
                return ev->v[k][local];
            };
            for (int side = 0; side < 2; ++side) {
                const bool row_side = side == 0;
                const auto& globals = row_side ? r.rows : r.cols;
                const auto& map = row_side ? rows : cols;
                for (Index gi : globals) {
                    auto it = std::lower_bound(map.begin(), map.end(), gi);
                    RatFunc val = zero_f;
                    if (it != map.end() && *it == gi) {
                        const auto& lv = local_value(row_side, static_cast<std::size_t>(it - map.begin()));
                        if (lv) val = *lv;
                    }
                    Val out{Poly::zero(ctx), {}};
                    json j = value_json(val, zero, N, out.den, out.num);
                    (row_side ? xs : ys).push_back(std::move(j));
                    (row_side ? X : Y).emplace(std::make_pair(k, gi), std::move(out));
                }
            }
            factors.push_back({{"term", group[k]}, {"x", std::move(xs)}, {"y", std::move(ys)}});
        }
        // Cell identities; a non-zero one lies in the ideal of the zero entries (monomials split
        // by their first zero variable).
        json cells = json::array();
        auto n_power = [&](const std::vector<unsigned long>& e) {
            Poly p = Poly::constant(ctx, Rational(1));
            for (std::size_t a = 0; a < N.size(); ++a)
                if (e[a]) p *= Poly::variable(ctx, N[a]).pow(e[a]);
            return p;
        };
        for (std::size_t i = 0; i < rows.size(); ++i)
            for (std::size_t j = 0; j < cols.size(); ++j) {
                if (var[i][j] < 0) continue;
                std::vector<std::size_t> K;
                for (std::size_t k = 0; k < group.size(); ++k) {
                    const auto& r = sp.rect(group[k]);
                    if (std::binary_search(r.rows.begin(), r.rows.end(), rows[i]) &&
                        std::binary_search(r.cols.begin(), r.cols.end(), cols[j]))
                        K.push_back(k);
                }
                std::vector<unsigned long> D(N.size(), 0);
                for (std::size_t k : K)
                    for (std::size_t a = 0; a < N.size(); ++a)
                        D[a] = std::max(D[a], X.at({k, rows[i]}).den[a] + Y.at({k, cols[j]}).den[a]);
                Poly F = Poly::zero(ctx);
                for (std::size_t k : K) {
                    const Val& x = X.at({k, rows[i]});
                    const Val& y = Y.at({k, cols[j]});
                    std::vector<unsigned long> e(N.size());
                    for (std::size_t a = 0; a < N.size(); ++a) e[a] = D[a] - x.den[a] - y.den[a];
                    F += x.num * y.num * n_power(e);
                }
                F -= Poly::variable(ctx, static_cast<std::size_t>(var[i][j])) * n_power(D);
                if (F.is_zero()) continue;
                if (!core::zero_variables(F, zero).is_zero()) throw std::logic_error("case tree: cell identity fails in the region");
                std::vector<std::vector<Poly::Term>> cof(Z.size());
                for (auto t : F.terms()) {
                    std::size_t l = 0;
                    while (!t.exps[Z[l]]) ++l;
                    --t.exps[Z[l]];
                    cof[l].push_back(std::move(t));
                }
                json cj = json::array();
                for (const auto& c : cof) cj.push_back(poly_json(Poly::from_terms(ctx, c)));
                cells.push_back({{"cell", {rows[i], cols[j]}}, {"scale", "1"}, {"powers", std::vector<unsigned long>(N.size(), 0)},
                                 {"cofactors", std::move(cj)}});
            }
        return json{{"factors", std::move(factors)}, {"cells", std::move(cells)}};
    }

    // Cramer's rule; the determinant is non-zero in the region (the search checked it).
    std::vector<RatFunc> solve_linear(const std::vector<std::vector<RatFunc>>& M, const Column& col) {
        const std::size_t n = M.size();
        RatFunc d = det(M, ctx);
        std::vector<RatFunc> out;
        for (std::size_t s = 0; s < n; ++s) {
            auto A = M;
            for (std::size_t r = 0; r < n; ++r)
                A[r][s] = RatFunc(Poly::variable(ctx, static_cast<std::size_t>(g.var[col.rows[r]][col.j])));
            out.push_back(det(A, ctx) / d);
        }
        return out;
    }
};

}  // namespace

std::optional<json> case_tree_fullness(const SubPattern& sp, const std::vector<std::size_t>& group, const Deadline& deadline,
                                       const CaseTreeLimits& limits) {
    if (group.size() < 2 || group.size() > limits.max_terms) return std::nullopt;
    std::vector<Index> rows, cols;
    std::size_t cells = 0;
    for (std::size_t k : group) {
        const auto& r = sp.rect(k);
        if (r.rows.size() * r.cols.size() > 4 * limits.max_cells) return std::nullopt;
        rows.insert(rows.end(), r.rows.begin(), r.rows.end());
        cols.insert(cols.end(), r.cols.begin(), r.cols.end());
    }
    std::sort(rows.begin(), rows.end());
    rows.erase(std::unique(rows.begin(), rows.end()), rows.end());
    std::sort(cols.begin(), cols.end());
    cols.erase(std::unique(cols.begin(), cols.end()), cols.end());
    if (rows.size() * cols.size() > 4 * limits.max_cells) return std::nullopt;

    Geometry g;
    g.m = rows.size(), g.n = cols.size();
    g.var.assign(g.m, std::vector<int>(g.n, -1));
    g.cover.assign(g.m, std::vector<std::vector<std::size_t>>(g.n));
    std::vector<std::string> names;
    for (std::size_t k = 0; k < group.size(); ++k) {
        const auto& r = sp.rect(group[k]);
        std::vector<std::size_t> lr, lc;
        for (Index i : r.rows) lr.push_back(static_cast<std::size_t>(std::lower_bound(rows.begin(), rows.end(), i) - rows.begin()));
        for (Index j : r.cols) lc.push_back(static_cast<std::size_t>(std::lower_bound(cols.begin(), cols.end(), j) - cols.begin()));
        for (std::size_t i : lr)
            for (std::size_t j : lc)
                if (sp.visible(rows[i], cols[j])) g.cover[i][j].push_back(k);
        g.rows.push_back(std::move(lr));
        g.cols.push_back(std::move(lc));
    }
    for (std::size_t i = 0; i < g.m; ++i)
        for (std::size_t j = 0; j < g.n; ++j)
            if (!g.cover[i][j].empty()) {
                g.var[i][j] = static_cast<int>(names.size());
                names.push_back("a_" + std::to_string(rows[i]) + "_" + std::to_string(cols[j]));
                if (++cells > limits.max_cells) return std::nullopt;
            }
    if (names.empty()) return std::nullopt;
    // A hook seen by one term alone refutes fullness at once: if term k is the only one seeing
    // (i, j), (i, j') and (i', j), then a_ij = x_i y_j = 0 forces x_i = 0 or y_j = 0, so a_ij' or
    // a_i'j is 0 too, and the matrix with a_ij = 0, a_ij' = a_i'j = 1 is not realised.
    auto alone = [&](std::size_t i, std::size_t j, std::size_t k) { return g.cover[i][j].size() == 1 && g.cover[i][j][0] == k; };
    for (std::size_t i = 0; i < g.m; ++i)
        for (std::size_t j = 0; j < g.n; ++j) {
            if (g.cover[i][j].size() != 1) continue;
            const std::size_t k = g.cover[i][j][0];
            bool in_row = false, in_col = false;
            for (std::size_t j2 = 0; j2 < g.n && !in_row; ++j2) in_row = j2 != j && alone(i, j2, k);
            for (std::size_t i2 = 0; i2 < g.m && !in_col; ++i2) in_col = i2 != i && alone(i2, j, k);
            if (in_row && in_col) return std::nullopt;
        }
    // Groups of the same shape recur (windows, census neighbours); a failed search is not repeated
    // in the same thread. Only exhausted searches are recorded: a time-out throws past this.
    std::string key = std::to_string(g.m) + "x" + std::to_string(g.n);
    for (std::size_t k = 0; k < g.rows.size(); ++k) {
        key += "|";
        for (std::size_t i : g.rows[k]) key += std::to_string(i) + ",";
        key += "x";
        for (std::size_t j : g.cols[k]) key += std::to_string(j) + ",";
    }
    key += "|";
    for (const auto& row : g.var)
        for (int v : row) key += v < 0 ? '.' : '#';
    thread_local std::unordered_set<std::string> failed;
    if (failed.count(key)) return std::nullopt;
    if (failed.size() > 100000) failed.clear();
    auto ctx = core::make_poly_context(names);

    for (bool transpose : {false, true}) {
        Geometry local = transpose ? g.transposed() : g;
        Search search(local, ctx, deadline, limits);
        if (!search.build()) continue;
        std::vector<std::size_t> N, Z;
        auto tree = search.solve(N, Z, 0);
        if (!tree) continue;
        Finisher fin{sp, group, local, transpose, rows, cols, g.var, ctx, search};
        try {
            fin.walk(*tree, N, Z);
        } catch (const std::logic_error&) {
            continue;  // an internal inconsistency: no certificate rather than a wrong one
        }
        return tree;
    }
    failed.insert(std::move(key));
    return std::nullopt;
}

}  // namespace closecert::engine
