#include "flow/minimisers.hpp"

#include <optional>

#include "core/simplex.hpp"

namespace closecert::flow {

using core::Rational;
using core::RationalMatrix;

namespace {

struct UnitData {
    std::vector<std::vector<Rational>> features;  // per sample: x~_i (the unit's inputs, then 1 for a bias)
    std::vector<int> sigmas;                      // allowed: {side} (split, c < 0) or {-1, +1}
    int side = 0;                                 // split with c > 0: the side row sigma side g >= 0
};

std::size_t dim(const UnitData& u) { return u.features[0].size(); }

// Non-strict rows of unit u under (sigma, S) as linear forms in g: the activity rows, then the side row.
std::vector<std::vector<Rational>> rows_of(const UnitData& u, int sigma, std::uint32_t subset, bool with_side, std::vector<bool>* strict) {
    std::vector<std::vector<Rational>> rows;
    for (std::size_t i = 0; i < u.features.size(); ++i) {
        const bool in = (subset >> i) & 1U;
        rows.emplace_back();
        for (const Rational& v : u.features[i]) rows.back().push_back(Rational((in ? sigma : -sigma)) * v);
        if (strict) strict->push_back(in);
    }
    if (with_side && u.side != 0) {
        rows.emplace_back(dim(u), Rational(0));
        rows.back()[0] = Rational(static_cast<long>(sigma * u.side));
        if (strict) strict->push_back(false);
    }
    return rows;
}

// Motzkin: the strict pattern system is infeasible iff mu, nu >= 0, sum nu = 1, sum mu B + sum nu C = 0.
std::optional<Pattern> exclusion(const UnitData& u, int sigma, std::uint32_t subset, bool with_side) {
    std::vector<bool> strict;
    const auto rows = rows_of(u, sigma, subset, with_side, &strict);
    const std::size_t p = dim(u), r = rows.size();
    RationalMatrix a(p + 1, std::vector<Rational>(r));
    std::vector<Rational> b(p + 1);
    for (std::size_t k = 0; k < r; ++k) {
        for (std::size_t j = 0; j < p; ++j) a[j][k] = rows[k][j];
        if (strict[k]) a[p][k] = Rational(1);
    }
    b[p] = Rational(1);
    const auto sol = core::nonnegative_solution(a, b);
    if (!sol) return std::nullopt;
    Pattern pat{sigma, subset, false, {}, {}};
    for (std::size_t k = 0; k < r; ++k) (strict[k] ? pat.nu : pat.mu).push_back((*sol)[k]);
    return pat;
}

struct System {
    RationalMatrix e, bmat;  // equalities E z = y, non-strict rows B z >= 0; z = (beta if any, g_0, g_1, ...)
    std::vector<Rational> y;
};

System system_of(const std::vector<UnitData>& units, const std::vector<const Pattern*>& combo, bool bias, const RMatrix& y,
                 bool with_side) {
    std::size_t n = bias ? 1 : 0;
    std::vector<std::size_t> offset;
    for (const UnitData& u : units) offset.push_back(n), n += dim(u);
    System s;
    const std::size_t N = y.size();
    for (std::size_t i = 0; i < N; ++i) {
        s.e.emplace_back(n, Rational(0));
        for (std::size_t k = 0; k < units.size(); ++k)
            if ((combo[k]->subset >> i) & 1U)
                for (std::size_t j = 0; j < dim(units[k]); ++j) s.e.back()[offset[k] + j] = units[k].features[i][j];
        if (bias) s.e.back()[0] = Rational(1);  // beta is variable 0
        s.y.push_back(y[i][0]);
    }
    for (std::size_t k = 0; k < units.size(); ++k)
        for (const auto& row : rows_of(units[k], combo[k]->sigma, combo[k]->subset, with_side, nullptr)) {
            s.bmat.emplace_back(n, Rational(0));
            for (std::size_t j = 0; j < row.size(); ++j) s.bmat.back()[offset[k] + j] = row[j];
        }
    return s;
}

// A point of {E z = y, B z >= 0} (z free: z = z+ - z-, slacks for B).
std::optional<std::vector<Rational>> solve(const System& s) {
    const std::size_t n = s.e.empty() ? 0 : s.e[0].size(), rb = s.bmat.size();
    RationalMatrix a;
    std::vector<Rational> b;
    for (std::size_t i = 0; i < s.e.size(); ++i) {
        a.emplace_back(2 * n + rb, Rational(0));
        for (std::size_t j = 0; j < n; ++j) a.back()[j] = s.e[i][j], a.back()[n + j] = -s.e[i][j];
        b.push_back(s.y[i]);
    }
    for (std::size_t r = 0; r < rb; ++r) {
        a.emplace_back(2 * n + rb, Rational(0));
        for (std::size_t j = 0; j < n; ++j) a.back()[j] = s.bmat[r][j], a.back()[n + j] = -s.bmat[r][j];
        a.back()[2 * n + r] = Rational(-1);
        b.emplace_back();
    }
    const auto sol = core::nonnegative_solution(a, b);
    if (!sol) return std::nullopt;
    std::vector<Rational> z(n);
    for (std::size_t j = 0; j < n; ++j) z[j] = (*sol)[j] - (*sol)[n + j];
    return z;
}

// Farkas: lambda^T E + mu^T B = 0, lambda^T y = 1, mu >= 0 (lambda = l+ - l-).
std::optional<Farkas> farkas(const System& s) {
    const std::size_t N = s.e.size(), n = N ? s.e[0].size() : 0, rb = s.bmat.size();
    RationalMatrix a(n + 1, std::vector<Rational>(2 * N + rb));
    std::vector<Rational> b(n + 1);
    for (std::size_t j = 0; j < n; ++j) {
        for (std::size_t i = 0; i < N; ++i) a[j][i] = s.e[i][j], a[j][N + i] = -s.e[i][j];
        for (std::size_t r = 0; r < rb; ++r) a[j][2 * N + r] = s.bmat[r][j];
    }
    for (std::size_t i = 0; i < N; ++i) a[n][i] = s.y[i], a[n][N + i] = -s.y[i];
    b[n] = Rational(1);
    const auto sol = core::nonnegative_solution(a, b);
    if (!sol) return std::nullopt;
    Farkas f;
    for (std::size_t i = 0; i < N; ++i) f.lambda.push_back((*sol)[i] - (*sol)[N + i]);
    for (std::size_t r = 0; r < rb; ++r) f.mu.push_back((*sol)[2 * N + r]);
    return f;
}

Fit fit_of(const std::vector<UnitData>& units, const std::vector<const Pattern*>& combo, bool bias, const std::vector<Rational>& z) {
    Fit f;
    std::size_t o = bias ? 1 : 0;
    for (std::size_t k = 0; k < units.size(); ++k) {
        f.sigma.push_back(combo[k]->sigma);
        f.g.emplace_back(z.begin() + static_cast<long>(o), z.begin() + static_cast<long>(o + dim(units[k])));
        o += dim(units[k]);
    }
    if (bias) f.beta = z[0];
    return f;
}

// Runs over the combinations of kept patterns in lexicographic order (unit 0 slowest) until `visit`
// returns true; false if none did.
template <class Visit>
bool for_each_combination(const std::vector<std::vector<const Pattern*>>& kept, Visit visit) {
    std::vector<std::size_t> idx(kept.size(), 0);
    for (;;) {
        std::vector<const Pattern*> combo;
        for (std::size_t k = 0; k < kept.size(); ++k) combo.push_back(kept[k][idx[k]]);
        if (visit(combo)) return true;
        std::size_t k = kept.size();
        while (k > 0 && ++idx[k - 1] == kept[k - 1].size()) idx[--k] = 0;
        if (k == 0) return false;
    }
}

}  // namespace

MinimiserAnalysis analyse_minimisers(const arch::Architecture& a, const Invariants& inv, const RMatrix& x, const RMatrix& y) {
    MinimiserAnalysis res;
    using A = MinimiserAnalysis::Answer;
    if (a.output_dim() != 1) return res.reason = "global minimisers are analysed for a scalar output only", res;
    if (x.size() > kMaxMinimiserSamples)
        return res.reason = "more than " + std::to_string(kMaxMinimiserSamples) + " samples (2^N activity patterns per unit)", res;
    const arch::Mask& m1 = a.layers[0].mask;
    const bool bias1 = a.layers[0].bias, bias2 = a.layers[1].bias;
    std::vector<UnitData> units;
    for (std::size_t k = 0; k < m1.rows(); ++k) {
        const Unit& u = inv.units[k];
        if (u.q == 0 || u.p == 0) continue;  // contributes nothing to the output
        UnitData d;
        for (const auto& xi : x) {
            d.features.emplace_back();
            for (std::size_t j = 0; j < m1.cols(); ++j)
                if (m1.at(k, j)) d.features.back().push_back(xi[j]);
            if (bias1) d.features.back().emplace_back(1);
        }
        if (u.split && u.c.sign() < 0) d.sigmas = {u.side};
        else d.sigmas = {-1, 1};
        if (u.split && u.c.sign() > 0) d.side = u.side;
        units.push_back(std::move(d));
        res.units.push_back(k);
    }
    const std::uint32_t subsets = 1U << x.size();
    // Kept patterns with the component's constraints (with_side) or without them (any sign, no side).
    auto patterns = [&](bool constrained, std::vector<std::vector<Pattern>>* all) {
        std::vector<std::vector<Pattern>> kept(units.size());
        for (std::size_t k = 0; k < units.size(); ++k) {
            UnitData u = units[k];
            if (!constrained) u.sigmas = {-1, 1}, u.side = 0;
            if (all) all->emplace_back();
            for (int sigma : u.sigmas)
                for (std::uint32_t s = 0; s < subsets; ++s) {
                    auto ex = exclusion(u, sigma, s, true);
                    if (ex) {
                        if (all) all->back().push_back(std::move(*ex));
                        continue;
                    }
                    kept[k].push_back({sigma, s, true, {}, {}});
                    if (all) all->back().push_back(kept[k].back());
                }
        }
        return kept;
    };
    auto pointers = [](const std::vector<std::vector<Pattern>>& kept) {
        std::vector<std::vector<const Pattern*>> p(kept.size());
        for (std::size_t k = 0; k < kept.size(); ++k)
            for (const Pattern& q : kept[k]) p[k].push_back(&q);
        return p;
    };
    auto count = [](const std::vector<std::vector<Pattern>>& kept) {
        double n = 1;
        for (const auto& k : kept) n *= static_cast<double>(k.size());
        return n;
    };
    std::vector<std::vector<Pattern>> all;
    const auto kept = patterns(true, &all);
    if (count(kept) > kMaxMinimiserCombinations) return res.reason = "more than " + std::to_string(kMaxMinimiserCombinations) + " combinations of activity patterns", res;
    std::vector<Farkas> certs;
    const bool found = for_each_combination(pointers(kept), [&](const std::vector<const Pattern*>& combo) {
        const System s = system_of(units, combo, bias2, y, true);
        if (const auto z = solve(s)) {
            res.fit = fit_of(units, combo, bias2, *z);
            return true;
        }
        const auto f = farkas(s);
        if (!f) throw std::logic_error("analyse_minimisers: neither a point nor a Farkas certificate (Farkas' lemma)");
        certs.push_back(*f);
        return false;
    });
    if (found) return res.answer = A::in_component, res;
    // None in the component: the minimisers are known exactly only if the data can be fitted at all.
    const auto free_kept = patterns(false, nullptr);
    if (count(free_kept) > kMaxMinimiserCombinations) return res.reason = "too many activity patterns to find a zero-loss fit", res;
    const bool fits = for_each_combination(pointers(free_kept), [&](const std::vector<const Pattern*>& combo) {
        const System s = system_of(units, combo, bias2, y, false);
        if (const auto z = solve(s)) return res.fit = fit_of(units, combo, bias2, *z), true;
        return false;
    });
    if (!fits) return res.reason = "the data cannot be fitted with zero loss, so the global minimisers are not known exactly", res;
    res.answer = A::unreachable;
    res.patterns = std::move(all);
    res.combinations = std::move(certs);
    return res;
}

}  // namespace closecert::flow
