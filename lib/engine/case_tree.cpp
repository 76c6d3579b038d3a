#include "engine/case_tree.hpp"

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
namespace {

using core::Poly;
using core::RatFunc;
using core::Rational;
using json = nlohmann::json;

// The group on its own rows and columns (local indices), possibly transposed: the search always
// solves column by column, and the transposed geometry gives the row-by-row search.
struct Geometry {
    std::size_t m = 0, n = 0;
    std::vector<std::vector<int>> var;                       // [i][j] -> target variable, -1 if not a visible group cell
    std::vector<std::vector<std::size_t>> rows, cols;        // per slot, sorted local indices
    std::vector<std::vector<std::vector<std::size_t>>> cover; // [i][j] -> slots seeing the visible cell

    Geometry transposed() const {
        Geometry t;
        t.m = n, t.n = m, t.rows = cols, t.cols = rows;
        t.var.assign(n, std::vector<int>(m, -1));
        t.cover.assign(n, std::vector<std::vector<std::size_t>>(m));
        for (std::size_t i = 0; i < m; ++i)
            for (std::size_t j = 0; j < n; ++j) t.var[j][i] = var[i][j], t.cover[j][i] = cover[i][j];
        return t;
    }
};

// Who solves the equation of cell (row, col) of a pinned column: the x entry ('u') or the y entry
// ('v') of `slot`, or nobody (the entry must then be zero in the region).
struct Solver {
    char kind = 0;
    std::size_t slot = 0;
};

struct PinChoice {
    std::vector<bool> active;       // per slot: its y entry in this column is non-zero
    std::vector<Solver> by_row;     // per visible row of the column (in order)
};

struct Column {
    std::size_t j = 0;
    std::vector<std::size_t> rows;  // visible rows
    std::vector<std::size_t> slots; // slots seeing a visible cell of the column
    bool pinned = false;
    std::vector<PinChoice> choices;                     // pinned columns
    std::vector<std::vector<std::size_t>> subsets;      // free columns: |rows| slots for Cramer's rule
};

// Values of one candidate: x (u) per slot and local row, y (v) per slot and local column, the
// rational functions that must not vanish, and the entries that must vanish.
struct Evaluated {
    std::vector<std::vector<std::optional<RatFunc>>> u, v;
    std::vector<RatFunc> nonzero;
    std::vector<std::size_t> zero_vars;
    // Free columns: per column, per Cramer subset, the determinant (nullopt if identically zero).
    std::vector<std::vector<std::optional<RatFunc>>> dets;
};

// A candidate as stored for the search: interned polynomials, so that a region analyses each
// distinct polynomial once.
struct Stored {
    std::uint64_t combo = 0;
    std::uint32_t mask = 0;
    std::vector<std::uint32_t> polys;                    // numerators and denominators that must not vanish
    std::vector<std::size_t> zero_vars;
    std::vector<std::vector<std::pair<std::uint32_t, std::uint32_t>>> dets;  // free column -> (num, den) per subset
};

constexpr std::uint32_t kNone = UINT32_MAX;          // no determinant (identically zero)
constexpr std::uint32_t kConstant = UINT32_MAX - 1;  // a constant denominator

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

class Search {
public:
    Search(const Geometry& g, Poly::Context ctx, const Deadline& deadline, const CaseTreeLimits& limits)
        : g_(g), ctx_(std::move(ctx)), deadline_(deadline), limits_(limits) {}

    bool build();
    std::optional<json> solve(std::vector<std::size_t>& N, std::vector<std::size_t>& Z, unsigned depth);
    // Values for the leaf, in local (possibly transposed) coordinates.
    std::optional<Evaluated> evaluate(std::uint64_t combo, std::uint32_t mask) const;
    const std::vector<Column>& columns() const { return cols_; }

    // Set by solve() when it returns a leaf: the candidate and its free-column subsets.
    struct Leaf {
        std::uint64_t combo;
        std::uint32_t mask;
        std::vector<std::size_t> subset;
    };
    std::vector<Leaf> leaves;  // the tree's leaves hold {"__leaf": index} until they are realised

private:
    struct Status {
        bool dead = false;
        std::size_t nonliteral = 0;
        std::vector<std::size_t> bad;  // variables not known to be non-zero
    };
    Status analyse(std::uint32_t id, const std::vector<bool>& zero, const std::vector<bool>& nonzero,
                   std::unordered_map<std::uint32_t, Status>& cache) const;
    std::uint32_t intern(const Poly& p);

    const Geometry& g_;
    Poly::Context ctx_;
    const Deadline& deadline_;
    const CaseTreeLimits& limits_;
    std::vector<Column> cols_;
    std::vector<std::pair<std::size_t, std::size_t>> free_u_;  // x entries given constants: (slot, row)
    std::vector<std::size_t> radix_;                          // choices per pinned column
    std::vector<Stored> cands_;
    std::vector<Poly> polys_;
    std::unordered_map<std::string, std::uint32_t> poly_ids_;
    std::size_t regions_ = 0;
};

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
