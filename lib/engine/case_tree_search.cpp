#include "engine/case_tree_search.hpp"

#include <algorithm>
#include <map>
#include <stdexcept>
#include <tuple>
#include <unordered_set>

#include "engine/poly_json.hpp"

namespace closecert::engine::case_tree_detail {

// Determinant by the permutation expansion: lines have at most max_line (4) cells, so at most 24
// products, and zero entries cut most of them.
RatFunc det(const std::vector<std::vector<RatFunc>>& A, const Poly::Context& ctx) {
    const std::size_t n = A.size();
    std::vector<std::size_t> perm(n);
    for (std::size_t x = 0; x < n; ++x) perm[x] = x;
    RatFunc d(Poly::zero(ctx));
    do {
        RatFunc prod(Poly::constant(ctx, Rational(1)));
        bool zero = false;
        for (std::size_t x = 0; x < n && !zero; ++x) {
            if (A[x][perm[x]].is_zero()) zero = true;
            else prod = prod * A[x][perm[x]];
        }
        if (zero) continue;
        std::size_t inversions = 0;
        for (std::size_t a = 0; a < n; ++a)
            for (std::size_t b = a + 1; b < n; ++b) inversions += perm[a] > perm[b];
        d = (inversions % 2) ? d - prod : d + prod;
    } while (std::next_permutation(perm.begin(), perm.end()));
    return d;
}

std::uint32_t Search::intern(const Poly& p) {
    auto [it, fresh] = poly_ids_.emplace(p.to_string(), static_cast<std::uint32_t>(polys_.size()));
    if (fresh) polys_.push_back(p);
    return it->second;
}

bool Search::build() {
    // Columns: pinned when they have more visible rows than terms (no generic solve exists).
    std::vector<std::vector<bool>> u_used(g_.rows.size(), std::vector<bool>(g_.m, false));
    for (std::size_t j = 0; j < g_.n; ++j) {
        Column c;
        c.j = j;
        std::vector<bool> seen(g_.rows.size(), false);
        for (std::size_t i = 0; i < g_.m; ++i) {
            if (g_.var[i][j] < 0) continue;
            c.rows.push_back(i);
            for (std::size_t k : g_.cover[i][j]) seen[k] = true, u_used[k][i] = true;
        }
        if (c.rows.empty()) continue;
        for (std::size_t k = 0; k < seen.size(); ++k)
            if (seen[k]) c.slots.push_back(k);
        c.pinned = c.rows.size() > c.slots.size();
        if (!c.pinned) {
            if (c.rows.size() > limits_.max_line) return false;
            std::vector<bool> pick(c.slots.size(), false);
            std::fill(pick.begin(), pick.begin() + static_cast<long>(c.rows.size()), true);
            do {
                std::vector<std::size_t> s;
                for (std::size_t x = 0; x < pick.size(); ++x)
                    if (pick[x]) s.push_back(c.slots[x]);
                c.subsets.push_back(std::move(s));
            } while (std::prev_permutation(pick.begin(), pick.end()));
        } else {
            // Every subset of active terms; each row solved by an x or y entry of an active term
            // seeing it (y entries solve one row each), or by nobody when no active term sees it.
            for (std::uint32_t sub = 0; sub < (1u << c.slots.size()); ++sub) {
                PinChoice base;
                base.active.assign(g_.rows.size(), false);
                for (std::size_t x = 0; x < c.slots.size(); ++x)
                    if (sub >> x & 1u) base.active[c.slots[x]] = true;
                std::vector<std::vector<Solver>> opts;
                for (std::size_t i : c.rows) {
                    std::vector<Solver> o;
                    for (std::size_t k : g_.cover[i][j])
                        if (base.active[k]) o.push_back({'u', k}), o.push_back({'v', k});
                    if (o.empty()) o.push_back({});
                    opts.push_back(std::move(o));
                }
                std::vector<std::size_t> at(opts.size(), 0);
                while (true) {
                    PinChoice pc = base;
                    std::vector<bool> v_used(g_.rows.size(), false);
                    bool ok = true;
                    for (std::size_t r = 0; r < opts.size(); ++r) {
                        Solver s = opts[r][at[r]];
                        if (s.kind == 'v') ok = ok && !v_used[s.slot], v_used[s.slot] = true;
                        pc.by_row.push_back(s);
                    }
                    if (ok) c.choices.push_back(std::move(pc));
                    std::size_t r = 0;
                    while (r < at.size() && ++at[r] == opts[r].size()) at[r++] = 0;
                    if (r == at.size()) break;
                }
            }
        }
        cols_.push_back(std::move(c));
    }
    for (std::size_t k = 0; k < g_.rows.size(); ++k)
        for (std::size_t i : g_.rows[k])
            if (u_used[k][i]) free_u_.emplace_back(k, i);

    std::uint64_t combos = 1;
    for (const auto& c : cols_)
        if (c.pinned) {
            radix_.push_back(c.choices.size());
            combos *= c.choices.size();
            if (combos > limits_.max_evaluations) return false;
        }
    std::size_t evaluations = 0;
    for (std::uint64_t combo = 0; combo < combos; ++combo) {
        // x entries solving a pinned row are not given constants; each solves one row only.
        std::vector<bool> solver(free_u_.size(), false);
        bool ok = true;
        std::uint64_t rest = combo;
        std::size_t p = 0;
        for (const auto& c : cols_) {
            if (!c.pinned) continue;
            const PinChoice& pc = c.choices[rest % radix_[p]];
            rest /= radix_[p++];
            for (std::size_t r = 0; r < c.rows.size() && ok; ++r) {
                if (pc.by_row[r].kind != 'u') continue;
                auto it = std::find(free_u_.begin(), free_u_.end(), std::make_pair(pc.by_row[r].slot, c.rows[r]));
                std::size_t e = static_cast<std::size_t>(it - free_u_.begin());
                ok = !solver[e];
                solver[e] = true;
            }
        }
        if (!ok) continue;
        std::size_t n_const = std::count(solver.begin(), solver.end(), false);
        if (n_const > 12) continue;
        for (std::uint32_t mask = 0; mask < (1u << n_const); ++mask) {
            if (++evaluations > limits_.max_evaluations) return !cands_.empty();
            if (evaluations % 256 == 0) deadline_.check();
            auto ev = evaluate(combo, mask);
            if (!ev) continue;
            Stored s;
            s.combo = combo;
            s.mask = mask;
            for (const auto& f : ev->nonzero) {
                if (!f.num().is_constant()) s.polys.push_back(intern(f.num()));
                if (!f.den().is_constant()) s.polys.push_back(intern(f.den()));
            }
            s.zero_vars = ev->zero_vars;
            for (const auto& col : ev->dets) {
                std::vector<std::pair<std::uint32_t, std::uint32_t>> opts;
                for (const auto& d : col) {
                    if (!d) opts.emplace_back(kNone, kNone);
                    else opts.emplace_back(intern(d->num()), d->den().is_constant() ? kConstant : intern(d->den()));
                }
                s.dets.push_back(std::move(opts));
            }
            cands_.push_back(std::move(s));
        }
    }
    return !cands_.empty();
}

std::optional<Evaluated> Search::evaluate(std::uint64_t combo, std::uint32_t mask) const {
    const std::size_t T = g_.rows.size();
    Evaluated ev;
    ev.u.assign(T, std::vector<std::optional<RatFunc>>(g_.m));
    ev.v.assign(T, std::vector<std::optional<RatFunc>>(g_.n));
    const RatFunc zero(Poly::zero(ctx_)), one(Poly::constant(ctx_, Rational(1)));
    auto target = [&](std::size_t i, std::size_t j) { return RatFunc(Poly::variable(ctx_, static_cast<std::size_t>(g_.var[i][j]))); };

    // Decode the pinned choices; collect solver x entries.
    std::vector<const PinChoice*> pcs(cols_.size(), nullptr);
    std::uint64_t rest = combo;
    std::size_t p = 0;
    std::vector<std::vector<bool>> u_solver(T, std::vector<bool>(g_.m, false));
    for (std::size_t c = 0; c < cols_.size(); ++c) {
        if (!cols_[c].pinned) continue;
        pcs[c] = &cols_[c].choices[rest % radix_[p]];
        rest /= radix_[p++];
        for (std::size_t r = 0; r < cols_[c].rows.size(); ++r)
            if (pcs[c]->by_row[r].kind == 'u') u_solver[pcs[c]->by_row[r].slot][cols_[c].rows[r]] = true;
    }
    std::size_t bit = 0;
    for (auto [k, i] : free_u_)
        if (!u_solver[k][i]) ev.u[k][i] = (mask >> bit++ & 1u) ? one : zero;
    // x entries of rows no visible cell of the term uses are 0.
    for (std::size_t k = 0; k < T; ++k)
        for (std::size_t i = 0; i < g_.m; ++i)
            if (!u_solver[k][i] && !ev.u[k][i]) ev.u[k][i] = zero;

    // Pinned columns: y of active non-solvers is 1, of inactive terms 0; then solve rows in any
    // order in which every other product on the row is known (a known zero factor suffices).
    struct Todo {
        std::size_t c, r;
    };
    std::vector<Todo> todo;
    for (std::size_t c = 0; c < cols_.size(); ++c) {
        if (!pcs[c]) continue;
        const auto& col = cols_[c];
        std::vector<bool> v_solver(T, false);
        for (const Solver& s : pcs[c]->by_row)
            if (s.kind == 'v') v_solver[s.slot] = true;
        for (std::size_t k = 0; k < T; ++k)
            if (!v_solver[k]) ev.v[k][col.j] = pcs[c]->active[k] ? one : zero;
        for (std::size_t r = 0; r < col.rows.size(); ++r) {
            if (pcs[c]->by_row[r].kind == 0) ev.zero_vars.push_back(static_cast<std::size_t>(g_.var[col.rows[r]][col.j]));
            else todo.push_back({c, r});
        }
    }
    auto known_zero = [](const std::optional<RatFunc>& f) { return f && f->is_zero(); };
    while (!todo.empty()) {
        bool progress = false;
        for (std::size_t t = 0; t < todo.size();) {
            const auto& col = cols_[todo[t].c];
            const std::size_t i = col.rows[todo[t].r], j = col.j;
            const Solver s = pcs[todo[t].c]->by_row[todo[t].r];
            const auto& coef = s.kind == 'u' ? ev.v[s.slot][j] : ev.u[s.slot][i];
            bool ready = coef.has_value();
            RatFunc sum = zero;
            for (std::size_t k : g_.cover[i][j]) {
                if (k == s.slot || !ready) continue;
                if (known_zero(ev.u[k][i]) || known_zero(ev.v[k][j])) continue;
                if (!ev.u[k][i] || !ev.v[k][j]) ready = false;
                else sum = sum + *ev.u[k][i] * *ev.v[k][j];
            }
            if (!ready) {
                ++t;
                continue;
            }
            if (coef->is_zero()) return std::nullopt;
            RatFunc val = (target(i, j) - sum) / *coef;
            if (!coef->num().is_constant() || !coef->den().is_constant()) ev.nonzero.push_back(*coef);
            (s.kind == 'u' ? ev.u[s.slot][i] : ev.v[s.slot][j]) = std::move(val);
            todo.erase(todo.begin() + static_cast<long>(t));
            progress = true;
        }
        if (!progress) return std::nullopt;
    }

    // Free columns: Cramer's rule on each subset of terms.
    for (std::size_t c = 0; c < cols_.size(); ++c) {
        const auto& col = cols_[c];
        if (col.pinned) continue;
        std::vector<std::optional<RatFunc>> dets;
        const std::size_t n = col.rows.size();
        for (const auto& sub : col.subsets) {
            std::vector<std::vector<RatFunc>> M(n, std::vector<RatFunc>(n, zero));
            for (std::size_t r = 0; r < n; ++r)
                for (std::size_t s = 0; s < n; ++s) {
                    const std::size_t i = col.rows[r], k = sub[s];
                    if (std::find(g_.cover[i][col.j].begin(), g_.cover[i][col.j].end(), k) != g_.cover[i][col.j].end())
                        M[r][s] = *ev.u[k][i];
                }
            RatFunc d = det(M, ctx_);
            dets.push_back(d.is_zero() ? std::nullopt : std::optional<RatFunc>(d));
        }
        ev.dets.push_back(std::move(dets));
    }
    return ev;
}

Search::Status Search::analyse(std::uint32_t id, const std::vector<bool>& zero, const std::vector<bool>& nonzero,
                               std::unordered_map<std::uint32_t, Status>& cache) const {
    if (auto it = cache.find(id); it != cache.end()) return it->second;
    Status st;
    Poly p0 = core::zero_variables(polys_[id], zero);
    auto literal = [&](const Poly& f, std::size_t& var) {
        auto used = f.used_variables();
        if (f.length() != 1 || f.total_degree() != 1 || used.size() != 1) return false;
        var = used[0];
        return true;
    };
    if (p0.is_zero()) {
        st.dead = true;
    } else if (p0.length() == 1) {
        for (const auto& t : p0.terms())
            for (std::size_t v = 0; v < t.exps.size(); ++v)
                if (t.exps[v] && !nonzero[v]) st.bad.push_back(v);
    } else {
        core::Factored fac;
        try {
            fac = core::factor(p0);
        } catch (const std::runtime_error&) {
            ++st.nonliteral;  // FLINT gave up: treat the polynomial as an obstacle no split removes
            fac.factors.clear();
        }
        for (const auto& [f, e] : fac.factors) {
            std::size_t var = 0;
            if (literal(f, var)) {
                if (!nonzero[var]) st.bad.push_back(var);
            } else {
                ++st.nonliteral;
            }
        }
    }
    cache.emplace(id, st);
    return st;
}

std::optional<json> Search::solve(std::vector<std::size_t>& N, std::vector<std::size_t>& Z, unsigned depth) {
    if (++regions_ > limits_.max_regions) return std::nullopt;
    deadline_.check();
    const std::size_t nv = ctx_->nvars();
    std::vector<bool> zero(nv, false), nonzero(nv, false);
    for (std::size_t z : Z) zero[z] = true;
    for (std::size_t x : N) nonzero[x] = true;
    std::unordered_map<std::uint32_t, Status> cache;

    struct Option {
        std::size_t nonliteral, bad_count;
        std::vector<std::size_t> bad;
    };
    std::vector<Option> options;
    for (const auto& s : cands_) {
        if (!std::all_of(s.zero_vars.begin(), s.zero_vars.end(), [&](std::size_t z) { return zero[z]; })) continue;
        Option o{0, 0, {}};
        bool dead = false;
        auto add = [&](const Status& st) {
            dead = dead || st.dead;
            o.nonliteral += st.nonliteral;
            for (std::size_t b : st.bad)
                if (std::find(o.bad.begin(), o.bad.end(), b) == o.bad.end()) o.bad.push_back(b);
        };
        for (std::uint32_t id : s.polys) add(analyse(id, zero, nonzero, cache));
        if (dead) continue;
        // Free columns: the subset with the fewest obstacles.
        std::vector<std::size_t> subset;
        for (const auto& col : s.dets) {
            std::optional<std::pair<std::size_t, Status>> best;
            for (std::size_t x = 0; x < col.size(); ++x) {
                if (col[x].first == kNone) continue;
                Status st = analyse(col[x].first, zero, nonzero, cache);
                if (col[x].second != kConstant) {
                    Status sd = analyse(col[x].second, zero, nonzero, cache);
                    st.dead = st.dead || sd.dead;
                    st.nonliteral += sd.nonliteral;
                    st.bad.insert(st.bad.end(), sd.bad.begin(), sd.bad.end());
                }
                if (st.dead) continue;
                auto key = [](const Status& a) { return std::make_pair(a.nonliteral, a.bad.size()); };
                if (!best || key(st) < key(best->second)) best = std::make_pair(x, st);
            }
            if (!best) {
                dead = true;
                break;
            }
            subset.push_back(best->first);
            add(best->second);
        }
        if (dead) continue;
        if (o.nonliteral == 0 && o.bad.empty()) {
            leaves.push_back(Leaf{s.combo, s.mask, subset});
            return json{{"__leaf", leaves.size() - 1}};
        }
        if (!o.bad.empty()) {
            o.bad_count = o.bad.size();
            options.push_back(std::move(o));
        }
    }
    if (depth >= limits_.max_depth || options.empty()) return std::nullopt;
    std::stable_sort(options.begin(), options.end(), [](const Option& a, const Option& b) {
        return std::tie(a.nonliteral, a.bad_count) < std::tie(b.nonliteral, b.bad_count);
    });
    std::vector<std::size_t> tried;
    for (const auto& o : options) {
        const std::size_t x = o.bad.front();
        if (std::find(tried.begin(), tried.end(), x) != tried.end()) continue;
        tried.push_back(x);
        if (tried.size() > 3) break;
        N.push_back(x);
        auto t1 = solve(N, Z, depth + 1);
        N.pop_back();
        if (!t1) continue;
        Z.push_back(x);
        auto t0 = solve(N, Z, depth + 1);
        Z.pop_back();
        if (!t0) continue;
        return json{{"split", poly_json(Poly::variable(ctx_, x))}, {"nonzero", std::move(*t1)}, {"zero", std::move(*t0)}};
    }
    return std::nullopt;
}

}  // namespace closecert::engine::case_tree_detail
