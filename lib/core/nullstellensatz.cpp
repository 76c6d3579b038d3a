#include "core/nullstellensatz.hpp"

#include <algorithm>
#include <numeric>
#include <random>
#include <unordered_map>

#include <flint/fmpq_mat.h>
#include <flint/fmpz_mat.h>
#include <flint/nmod_mat.h>
#include <flint/ulong_extras.h>

#include "core/poly_system.hpp"

namespace closecert::core {

namespace {

double since(std::chrono::steady_clock::time_point t0) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

using Clock = std::chrono::steady_clock;
using detail::Mono;
using detail::MonoHash;
using detail::monomials_up_to;
using detail::weight_of;
using Input = detail::ExactSystem;  // exact coefficients: the modular and Dixon solves take fmpz

// One unknown: the coefficient of monomial `mult` in g_eq.
struct Column {
    std::size_t eq;
    Mono mult;
    std::vector<std::pair<std::size_t, std::size_t>> entries;  // (row, term index of f'_eq)
};

struct Macaulay {
    std::vector<Column> cols;
    std::size_t nrows = 0;
    std::size_t one_row = 0;  // the row of the monomial 1
};

Macaulay build(const Input& in, unsigned D) {
    Macaulay M;
    std::unordered_map<Mono, std::size_t, MonoHash> rows;
    const std::size_t nv = in.vars.size();
    rows.emplace(Mono(nv, 0), 0);
    struct Pending {
        unsigned deg;
        std::size_t eq;
        const Mono* mult;
    };
    std::vector<Pending> order;
    std::vector<std::vector<Mono>> by_eq(in.terms.size());
    for (std::size_t i = 0; i < in.terms.size(); ++i) {
        if (in.degree[i] < 0 || in.degree[i] > static_cast<long>(D)) continue;
        by_eq[i] = monomials_up_to(nv, D - static_cast<unsigned>(in.degree[i]));
        if (!in.grading.empty())
            std::erase_if(by_eq[i], [&](const Mono& m) {
                for (std::size_t g = 0; g < in.grading.size(); ++g)
                    if (weight_of(m, in.grading[g]) + in.eq_weight[g][i] != 0) return true;
                return false;
            });
        for (const Mono& m : by_eq[i])
            order.push_back({static_cast<unsigned>(std::accumulate(m.begin(), m.end(), 0u)), i, &m});
    }
    std::stable_sort(order.begin(), order.end(), [](const Pending& a, const Pending& b) { return a.deg < b.deg; });
    Mono prod(nv);
    for (const Pending& p : order) {
        Column c{p.eq, *p.mult, {}};
        const auto& ts = in.terms[p.eq];
        for (std::size_t j = 0; j < ts.size(); ++j) {
            for (std::size_t v = 0; v < nv; ++v) prod[v] = static_cast<std::uint16_t>((*p.mult)[v] + ts[j].exps[v]);
            auto it = rows.try_emplace(prod, rows.size()).first;
            c.entries.emplace_back(it->second, j);
        }
        M.cols.push_back(std::move(c));
    }
    M.nrows = rows.size();
    return M;
}

// A row (other than the row of 1) met by a single unknown forces that unknown to 0; drop such
// unknowns until none is left. Returns the surviving columns, or nothing if the row of 1 empties.
std::optional<std::vector<std::size_t>> prune(const Macaulay& M) {
    std::vector<std::vector<std::size_t>> row_cols(M.nrows);
    for (std::size_t c = 0; c < M.cols.size(); ++c)
        for (const auto& e : M.cols[c].entries) row_cols[e.first].push_back(c);
    std::vector<std::size_t> count(M.nrows);
    std::vector<std::size_t> queue;
    for (std::size_t r = 0; r < M.nrows; ++r) {
        count[r] = row_cols[r].size();
        if (count[r] == 1 && r != M.one_row) queue.push_back(r);
    }
    std::vector<bool> alive(M.cols.size(), true);
    while (!queue.empty()) {
        std::size_t r = queue.back();
        queue.pop_back();
        if (count[r] != 1) continue;
        for (std::size_t c : row_cols[r]) {
            if (!alive[c]) continue;
            alive[c] = false;
            for (const auto& e : M.cols[c].entries)
                if (--count[e.first] == 1 && e.first != M.one_row) queue.push_back(e.first);
            break;
        }
    }
    if (count[M.one_row] == 0) return std::nullopt;
    std::vector<std::size_t> live;
    for (std::size_t c = 0; c < M.cols.size(); ++c)
        if (alive[c]) live.push_back(c);
    return live;
}

std::vector<Poly> cofactors(const std::vector<Poly>& f, const Input& in, const Macaulay& M,
                            const std::vector<std::size_t>& unknowns, const fmpq_mat_t x) {
    const auto& ctx = f.front().context();
    std::vector<std::vector<Poly::Term>> terms(f.size());
    for (std::size_t k = 0; k < unknowns.size(); ++k) {
        const fmpq* v = fmpq_mat_entry(x, static_cast<slong>(k), 0);
        if (fmpq_is_zero(v)) continue;
        const Column& c = M.cols[unknowns[k]];
        Poly::Term t{Rational(), detail::global_exponents(in.vars, c.mult, ctx->nvars())};
        fmpq_mul(t.coef.raw(), v, in.scale[c.eq].raw());
        terms[c.eq].push_back(std::move(t));
    }
    std::vector<Poly> g;
    for (const auto& ts : terms) g.push_back(Poly::from_terms(ctx, ts));
    return g;
}

enum class Status { found, inconsistent, failed, limit };

struct Attempt {
    Status status;
    std::vector<Poly> g;
};

// Decides solvability modulo p, then solves a square nonsingular subsystem exactly.
Attempt solve_with_prime(const std::vector<Poly>& f, const Input& in, const Macaulay& M,
                         const std::vector<std::size_t>& live, mp_limb_t p, Clock::time_point deadline,
                         NullstellensatzStats& stats) {
    // Rows met by the surviving unknowns.
    std::vector<slong> row_index(M.nrows, -1);
    std::vector<std::size_t> rows;
    for (std::size_t c : live)
        for (const auto& e : M.cols[c].entries)
            if (row_index[e.first] < 0) {
                row_index[e.first] = static_cast<slong>(rows.size());
                rows.push_back(e.first);
            }
    const slong nr = static_cast<slong>(rows.size()), nc = static_cast<slong>(live.size());
    const slong one = row_index[M.one_row];
    stats.live_rows = rows.size();
    auto residue = [&](const Column& c, std::size_t j) { return fmpz_fdiv_ui(in.terms[c.eq][j].coef.raw(), p); };

    // One LU factorisation P [M | b] = L U modulo p gives both the pivot columns of U (b among them
    // iff the system is inconsistent mod p) and, in the first rank rows of P, independent rows.
    std::vector<slong> pivots;
    std::vector<slong> perm(static_cast<std::size_t>(nr));
    auto t0 = Clock::now();
    {
        nmod_mat_t A;
        nmod_mat_init(A, nr, nc + 1, p);
        for (slong k = 0; k < nc; ++k) {
            const Column& c = M.cols[live[static_cast<std::size_t>(k)]];
            for (std::size_t j = 0; j < c.entries.size(); ++j)
                nmod_mat_entry(A, row_index[c.entries[j].first], k) = residue(c, j);
        }
        nmod_mat_entry(A, one, nc) = 1;
        std::iota(perm.begin(), perm.end(), 0);
        const slong rank = nmod_mat_lu(perm.data(), A, 0);
        // FLINT stores L compactly left of column i in row i, so U's row i is read from column i on.
        for (slong i = 0, j = 0; i < rank && j <= nc; ++i, ++j) {
            j = std::max(j, i);
            while (j <= nc && nmod_mat_entry(A, i, j) == 0) ++j;
            if (j <= nc) pivots.push_back(j);
        }
        nmod_mat_clear(A);
        if (static_cast<slong>(pivots.size()) != rank) return {Status::failed, {}};
    }
    stats.rank = pivots.size();
    if (!pivots.empty() && pivots.back() == nc) return {Status::inconsistent, {}};
    if (Clock::now() > deadline) return {Status::limit, {}};
    const slong r = static_cast<slong>(pivots.size());

    stats.seconds_modular += since(t0);
    t0 = Clock::now();
    // The square system over Z (columns were scaled to integers), solved exactly over Q.
    std::vector<slong> pos_of_row(static_cast<std::size_t>(nr), -1);
    for (slong k = 0; k < r; ++k) pos_of_row[static_cast<std::size_t>(perm[static_cast<std::size_t>(k)])] = k;
    Attempt out{Status::failed, {}};
    {
        detail::SquareSystem S(r);
        for (slong k = 0; k < r; ++k) {
            const Column& c = M.cols[live[static_cast<std::size_t>(pivots[static_cast<std::size_t>(k)])]];
            for (std::size_t j = 0; j < c.entries.size(); ++j) {
                slong pr = pos_of_row[static_cast<std::size_t>(row_index[c.entries[j].first])];
                if (pr >= 0) fmpz_set(fmpz_mat_entry(S.A, pr, k), in.terms[c.eq][j].coef.raw());
            }
        }
        if (pos_of_row[static_cast<std::size_t>(one)] >= 0) fmpz_one(fmpz_mat_entry(S.B, pos_of_row[static_cast<std::size_t>(one)], 0));
        if (r > 0 && S.solve()) {
            std::vector<std::size_t> unknowns;
            for (slong k = 0; k < r; ++k) unknowns.push_back(live[static_cast<std::size_t>(pivots[static_cast<std::size_t>(k)])]);
            std::vector<Poly> g = cofactors(f, in, M, unknowns, S.X);
            if (is_nullstellensatz_certificate(f, g)) out = {Status::found, std::move(g)};
        }
    }
    stats.seconds_exact += since(t0);
    return out;
}

}  // namespace

bool is_nullstellensatz_certificate(const std::vector<Poly>& f, const std::vector<Poly>& g) {
    if (f.empty() || f.size() != g.size()) return false;
    const auto& ctx = f.front().context();
    Poly sum = Poly::zero(ctx);
    for (std::size_t i = 0; i < f.size(); ++i) {
        if (f[i].context() != ctx || g[i].context() != ctx) return false;
        sum += g[i] * f[i];
    }
    return sum == Poly::constant(ctx, Rational(1));
}

std::optional<std::vector<Poly>> find_nullstellensatz(const std::vector<Poly>& f, const NullstellensatzLimits& limits) {
    NullstellensatzStats stats;
    return find_nullstellensatz(f, limits, stats);
}

std::optional<std::vector<Poly>> find_nullstellensatz(const std::vector<Poly>& f, const NullstellensatzLimits& limits,
                                                      NullstellensatzStats& stats) {
    stats = {};
    if (f.empty()) return std::nullopt;
    const auto [top, has_constant] = detail::survey(f, "find_nullstellensatz");
    // Without a constant term every f_i vanishes at the origin: no certificate exists.
    if (!has_constant || top > static_cast<long>(limits.max_degree)) return std::nullopt;

    Input in = detail::scale_system(f);
    detail::keep_gradings(in, limits.gradings, f.front().context()->nvars(), "find_nullstellensatz");
    // Graded searches enumerate more monomials than they keep; the kept count is checked after build.
    const std::size_t raw_cap = in.grading.empty() ? limits.max_unknowns : 40 * limits.max_unknowns;
    std::mt19937_64 rng(limits.seed);
    for (unsigned D = static_cast<unsigned>(top); D <= limits.max_degree; ++D) {
        if (Clock::now() > limits.deadline) return std::nullopt;
        std::size_t unknowns = 0;
        for (long d : in.degree)
            if (d >= 0) unknowns += detail::count_monomials(in.vars.size(), D - static_cast<unsigned>(d), raw_cap + 1);
        if (unknowns > raw_cap) return std::nullopt;
        stats.degree = D;
        stats.unknowns = stats.rows = stats.live_unknowns = stats.live_rows = stats.rank = 0;
        stats.primes_tried = 0;
        auto t0 = Clock::now();
        const Macaulay M = build(in, D);
        stats.unknowns = M.cols.size();
        if (M.cols.size() > limits.max_unknowns) return std::nullopt;
        stats.rows = M.nrows;
        if (Clock::now() > limits.deadline) return std::nullopt;
        auto live = prune(M);
        stats.seconds_build += since(t0);
        if (!live) continue;
        stats.live_unknowns = live->size();
        std::size_t nrows = 0;
        {
            std::vector<bool> seen(M.nrows, false);
            for (std::size_t c : *live)
                for (const auto& e : M.cols[c].entries)
                    if (!seen[e.first]) seen[e.first] = true, ++nrows;
        }
        if (static_cast<double>(nrows) * static_cast<double>(live->size() + 1) > static_cast<double>(limits.max_dense_entries))
            return std::nullopt;
        // A wrong answer needs an unlucky prime; the exact check catches it, so retry a few times.
        for (int attempt = 0; attempt < 3; ++attempt) {
            mp_limb_t p = n_nextprime((rng() >> 4) | (1ULL << 59), 1);
            ++stats.primes_tried;
            Attempt a = solve_with_prime(f, in, M, *live, p, limits.deadline, stats);
            if (a.status == Status::found) return std::move(a.g);
            if (a.status == Status::limit) return std::nullopt;
            if (a.status == Status::inconsistent) break;  // b outside the column space mod p
            if (Clock::now() > limits.deadline) return std::nullopt;
        }
    }
    return std::nullopt;
}

}  // namespace closecert::core
