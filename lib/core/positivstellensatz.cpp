#include "core/positivstellensatz.hpp"

#include <algorithm>
#include <climits>
#include <cstdint>
#include <unordered_map>

#include <flint/fmpq_mat.h>
#include <flint/fmpz_mat.h>
#include "core/glpk_lazy.hpp"

#include "core/poly_system.hpp"

// Method. For an even degree D the unknowns are the coefficients of the cofactors g_i (free) and
// nonnegative weights of candidate squares: m^2 and (m_a +- m_b)^2 for monomials of degree <= D/2
// (diagonally dominant Gram matrices). Matching coefficients of sum g_i f_i + 1 + sum w s^2 = 0
// gives linear equalities: an LP feasibility problem. GLPK's floating-point simplex finds a basis,
// glp_exact (rational simplex) polishes it; then the basic system is solved again over Q with FLINT
// and the identity is checked with Poly arithmetic, so GLPK's own numbers are never trusted.
//
// Gradings. Let every f_i be homogeneous of weight w_i for integer variable weights, and let the
// real scaling x_v -> t^{weight(v)} x_v (t > 0) act. Substituting it into a certificate gives, for
// every t > 0, sum_i t^{w_i} g_i(t.x) f_i + 1 + sum w_s s_s(t.x)^2 = 0, a Laurent polynomial identity
// in t; its t^0 coefficient is again an identity. If every candidate s is weight-homogeneous (as
// monomials and same-weight binomials are), s(t.x)^2 = t^{2 weight(s)} s^2, so the t^0 part keeps
// exactly the squares of weight 0 and the cofactor terms of weight -w_i, with the same positive
// weights: restricting the search to those loses nothing relative to the candidate set.
// (Averaging over a complex torus would not do: the weight-0 part of a non-homogeneous square is
// not a square.)

namespace closecert::core {

namespace {

using Clock = std::chrono::steady_clock;
using detail::count_monomials;
using detail::Mono;
using detail::MonoHash;
using detail::weight_of;
using System = detail::ScaledSystem<long>;  // GLPK reads the coefficients as doubles

double since(Clock::time_point t0) { return std::chrono::duration<double>(Clock::now() - t0).count(); }

// GLPK reads doubles: coefficients must be integers of at most 53 bits to be passed exactly.
// (Inexact input would still be caught by the exact re-solve, but could hide certificates.)
// Checked before the gradings, so that such input gives nullopt even with a bad grading.
std::optional<System> prepare(const std::vector<Poly>& f, const std::vector<std::vector<int>>& gradings) {
    detail::ExactSystem in = detail::scale_system(f);
    if (in.max_exponent > 1000) return std::nullopt;
    for (const auto& ts : in.terms)
        for (const auto& t : ts)
            if (fmpz_bits(t.coef.raw()) > 53) return std::nullopt;
    detail::keep_gradings(in, gradings, f.front().context()->nvars(), "find_positivstellensatz");
    return detail::convert_coefficients<long>(std::move(in), [](const Integer& c) { return fmpz_get_si(c.raw()); });
}

// Monomials of degree <= d whose weight is target[g] in every kept grading g, in ascending
// lexicographic order (the column order the LP has always had).
std::vector<Mono> monomials(const System& in, unsigned d, const std::vector<long>& target) {
    std::vector<Mono> all = detail::monomials_up_to(in.vars.size(), d);
    std::erase_if(all, [&](const Mono& m) {
        for (std::size_t g = 0; g < in.grading.size(); ++g)
            if (weight_of(m, in.grading[g]) != target[g]) return true;
        return false;
    });
    std::sort(all.begin(), all.end());
    return all;
}

Mono add(const Mono& a, const Mono& b) {
    Mono c(a.size());
    for (std::size_t v = 0; v < a.size(); ++v) c[v] = static_cast<std::uint16_t>(a[v] + b[v]);
    return c;
}

struct Column {
    bool square = false;
    std::size_t eq = 0;           // cofactor: g_eq's monomial `mult`
    Mono mult;
    std::size_t a = 0, b = 0;     // square: half[a] + sign * half[b] (b == a: the monomial alone)
    int sign = 0;
    std::vector<std::pair<std::size_t, long>> entries;  // (row, coefficient)
};

struct Lp {
    std::vector<Column> cols;
    std::vector<Mono> half;
    std::size_t nrows = 0;
    std::size_t one_row = 0;
};

struct Budget {
    std::size_t unknowns, rows;
};

std::optional<Lp> build(const System& in, unsigned D, bool binomials, Budget budget) {
    Lp lp;
    const std::size_t nv = in.vars.size();
    const std::size_t raw_cap = (in.grading.empty() ? 1 : 40) * budget.unknowns;
    std::unordered_map<Mono, std::size_t, MonoHash> rows;
    auto row = [&](const Mono& m) { return rows.try_emplace(m, rows.size()).first->second; };
    lp.one_row = row(Mono(nv, 0));
    if (count_monomials(nv, D / 2, raw_cap + 1) > raw_cap) return std::nullopt;
    lp.half = monomials(in, D / 2, std::vector<long>(in.grading.size(), 0));
    const std::size_t h = lp.half.size();
    const std::size_t nsquares = h + (binomials ? h * (h - 1) : 0);
    if (nsquares > budget.unknowns) return std::nullopt;
    for (std::size_t i = 0; i < in.terms.size(); ++i) {
        if (in.degree[i] < 0 || in.degree[i] > static_cast<long>(D)) continue;
        const unsigned d = D - static_cast<unsigned>(in.degree[i]);
        if (count_monomials(nv, d, raw_cap + 1) > raw_cap) return std::nullopt;
        std::vector<long> target;
        for (const auto& w : in.eq_weight) target.push_back(-w[i]);
        for (Mono& m : monomials(in, d, target)) {
            Column c;
            c.eq = i;
            for (const auto& [e, coef] : in.terms[i]) c.entries.emplace_back(row(add(m, e)), coef);
            c.mult = std::move(m);
            lp.cols.push_back(std::move(c));
            if (lp.cols.size() + nsquares > budget.unknowns || rows.size() > budget.rows) return std::nullopt;
        }
    }
    for (std::size_t a = 0; a < h; ++a) {
        Column c;
        c.square = true;
        c.a = c.b = a;
        c.entries.emplace_back(row(add(lp.half[a], lp.half[a])), 1);
        lp.cols.push_back(std::move(c));
    }
    if (binomials)
        for (std::size_t a = 0; a < h; ++a)
            for (std::size_t b = a + 1; b < h; ++b)
                for (int sign : {1, -1}) {
                    Column c;
                    c.square = true;
                    c.a = a, c.b = b, c.sign = sign;
                    c.entries.emplace_back(row(add(lp.half[a], lp.half[a])), 1);
                    c.entries.emplace_back(row(add(lp.half[b], lp.half[b])), 1);
                    c.entries.emplace_back(row(add(lp.half[a], lp.half[b])), 2 * sign);
                    lp.cols.push_back(std::move(c));
                }
    lp.nrows = rows.size();
    if (lp.nrows > budget.rows) return std::nullopt;
    return lp;
}

Poly monomial(const Poly::Context& ctx, const System& in, const Mono& m, const Rational& c) {
    Poly::Term t{c, detail::global_exponents(in.vars, m, ctx->nvars())};
    return Poly::from_terms(ctx, {t});
}

// Owns a GLPK problem. GLPK keeps a per-thread environment (its library is built with thread-local
// storage), which is freed after each search so that worker threads leave nothing behind; no other
// code here uses GLPK, so nothing else lives in that environment.
struct GlpkProblem {
    glp_prob* p;
    GlpkProblem() {
        glpk().term_out(GLP_OFF);  // glp_adv_basis prints regardless of msg_lev
        p = glpk().create_prob();
    }
    GlpkProblem(const GlpkProblem&) = delete;
    GlpkProblem& operator=(const GlpkProblem&) = delete;
    ~GlpkProblem() {
        glpk().delete_prob(p);
        glpk().free_env();
    }
};

int remaining_ms(Clock::time_point deadline) {
    if (deadline == Clock::time_point::max()) return INT_MAX;
    auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
    return static_cast<int>(std::clamp<long long>(ms, 1, INT_MAX));
}

// Finds a feasible basis with GLPK, re-solves it exactly and verifies; nullopt on any failure.
std::optional<PositivstellensatzCertificate> solve(const std::vector<Poly>& f, const System& in, const Lp& lp,
                                                   Clock::time_point deadline, PositivstellensatzStats& stats) {
    auto t0 = Clock::now();
    GlpkProblem prob;
    glp_prob* P = prob.p;
    const int m = static_cast<int>(lp.nrows), n = static_cast<int>(lp.cols.size());
    glpk().add_rows(P, m);
    for (int r = 1; r <= m; ++r) {
        const double rhs = static_cast<std::size_t>(r - 1) == lp.one_row ? -1.0 : 0.0;
        glpk().set_row_bnds(P, r, GLP_FX, rhs, rhs);
    }
    glpk().add_cols(P, n);
    std::vector<int> ia{0}, ja{0};
    std::vector<double> ar{0};
    for (int c = 1; c <= n; ++c) {
        const Column& col = lp.cols[static_cast<std::size_t>(c - 1)];
        glpk().set_col_bnds(P, c, col.square ? GLP_LO : GLP_FR, 0.0, 0.0);
        for (const auto& [r, v] : col.entries) {
            ia.push_back(static_cast<int>(r) + 1);
            ja.push_back(c);
            ar.push_back(static_cast<double>(v));
        }
    }
    // A binomial square may meet one row twice (never: its three monomials are distinct), and a
    // cofactor column meets distinct rows since f's monomials are distinct: no duplicate entries.
    glpk().load_matrix(P, static_cast<int>(ia.size()) - 1, ia.data(), ja.data(), ar.data());
    glp_smcp parm;
    glpk().init_smcp(&parm);
    parm.msg_lev = GLP_MSG_OFF;
    parm.presolve = GLP_OFF;  // keep the basis available afterwards
    parm.tm_lim = remaining_ms(deadline);
    glpk().adv_basis(P, 0);
    int rc = glpk().simplex(P, &parm);
    int st = glpk().get_status(P);
    if (rc != 0 || (st != GLP_OPT && st != GLP_FEAS)) {
        stats.seconds_lp += since(t0);
        return std::nullopt;
    }
    if (Clock::now() > deadline) return std::nullopt;
    // Floating-point feasibility may be an artefact of tolerances; the exact simplex starts from that
    // basis and usually only confirms it.
    parm.tm_lim = remaining_ms(deadline);
    rc = glpk().exact(P, &parm);
    st = glpk().get_status(P);
    stats.seconds_lp += since(t0);
    if (rc != 0 || (st != GLP_OPT && st != GLP_FEAS)) return std::nullopt;

    t0 = Clock::now();
    // Nonbasic columns are 0 (at their bound 0, or free nonbasic); the equations of rows whose
    // auxiliary variable is nonbasic determine the basic columns.
    std::vector<std::size_t> basic;
    for (int c = 1; c <= n; ++c)
        if (glpk().get_col_stat(P, c) == GLP_BS) basic.push_back(static_cast<std::size_t>(c - 1));
    std::vector<slong> pos(lp.nrows, -1);
    slong k = 0;
    for (int r = 1; r <= m; ++r)
        if (glpk().get_row_stat(P, r) != GLP_BS) pos[static_cast<std::size_t>(r - 1)] = k++;
    stats.basic = basic.size();
    if (basic.empty() || static_cast<std::size_t>(k) != basic.size()) return std::nullopt;
    if (basic.size() > 3000) return std::nullopt;  // dense exact solve: memory and time guard
    const slong nb = k;
    std::optional<PositivstellensatzCertificate> out;
    {
        detail::SquareSystem S(nb);
        for (slong j = 0; j < nb; ++j)
            for (const auto& [r, v] : lp.cols[basic[static_cast<std::size_t>(j)]].entries)
                if (pos[r] >= 0) fmpz_set_si(fmpz_mat_entry(S.A, pos[r], j), v);
        if (pos[lp.one_row] >= 0) fmpz_set_si(fmpz_mat_entry(S.B, pos[lp.one_row], 0), -1);
        if (S.solve()) {
            const auto& ctx = f.front().context();
            PositivstellensatzCertificate cert;
            std::vector<Poly> g(f.size(), Poly::zero(ctx));
            bool ok = true;
            for (slong j = 0; j < nb && ok; ++j) {
                Rational v;
                fmpq_set(v.raw(), fmpq_mat_entry(S.X, j, 0));
                if (v.is_zero()) continue;
                const Column& col = lp.cols[basic[static_cast<std::size_t>(j)]];
                if (col.square) {
                    if (v.sign() < 0) ok = false;
                    Poly s = monomial(ctx, in, lp.half[col.a], Rational(1));
                    if (col.b != col.a) s += monomial(ctx, in, lp.half[col.b], Rational(col.sign));
                    cert.squares.push_back({std::move(v), std::move(s)});
                } else {
                    g[col.eq] += monomial(ctx, in, col.mult, v * in.scale[col.eq]);
                }
            }
            cert.cofactors = std::move(g);
            if (ok && is_positivstellensatz_certificate(f, cert)) out = std::move(cert);
        }
    }
    stats.seconds_exact += since(t0);
    return out;
}

}  // namespace

bool is_positivstellensatz_certificate(const std::vector<Poly>& f, const PositivstellensatzCertificate& c) {
    if (f.empty() || f.size() != c.cofactors.size()) return false;
    const auto& ctx = f.front().context();
    Poly sum = Poly::constant(ctx, Rational(1));
    for (std::size_t i = 0; i < f.size(); ++i) {
        if (f[i].context() != ctx || c.cofactors[i].context() != ctx) return false;
        sum += c.cofactors[i] * f[i];
    }
    for (const auto& s : c.squares) {
        if (s.weight.sign() <= 0 || s.poly.context() != ctx) return false;
        sum += s.weight * (s.poly * s.poly);
    }
    return sum.is_zero();
}

std::optional<PositivstellensatzCertificate> find_positivstellensatz(const std::vector<Poly>& f,
                                                                     const PositivstellensatzLimits& limits) {
    PositivstellensatzStats stats;
    return find_positivstellensatz(f, limits, stats);
}

std::optional<PositivstellensatzCertificate> find_positivstellensatz(const std::vector<Poly>& f,
                                                                     const PositivstellensatzLimits& limits,
                                                                     PositivstellensatzStats& stats) {
    stats = {};
    if (f.empty()) return std::nullopt;
    const auto [top, has_constant] = detail::survey(f, "find_positivstellensatz");
    // Without a constant term the origin is a real common zero: no certificate exists.
    if (!has_constant) return std::nullopt;
    auto in = prepare(f, limits.gradings);
    if (!in) return std::nullopt;
    for (unsigned D = 2; D <= limits.max_degree; D += 2) {
        if (static_cast<long>(D) < top) continue;
        if (Clock::now() > limits.deadline) return std::nullopt;
        stats.degree = D;
        stats.unknowns = stats.rows = stats.squares = stats.basic = 0;
        auto t0 = Clock::now();
        auto lp = build(*in, D, limits.binomials, {limits.max_unknowns, limits.max_rows});
        stats.seconds_build += since(t0);
        if (!lp) return std::nullopt;
        stats.unknowns = lp->cols.size();
        stats.rows = lp->nrows;
        stats.squares = static_cast<std::size_t>(std::count_if(lp->cols.begin(), lp->cols.end(), [](const Column& c) { return c.square; }));
        if (auto cert = solve(f, *in, *lp, limits.deadline, stats)) return cert;
    }
    return std::nullopt;
}

}  // namespace closecert::core
