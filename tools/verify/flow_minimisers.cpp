// The global minimisers of a data set's square loss against the component of the initialisation
// (docs/flow.md, Lemma G). In the coordinates g_k = a_k w_k a relevant unit contributes
// sigma relu(sigma g . x~), sigma the sign of a_k, and every (sigma, g) is realised with any invariant
// c_k; the component fixes sigma (split, c < 0) or the sign of sigma g (split, c > 0). Zero loss in
// the component is excluded pattern by pattern: each activity pattern of a unit is kept or excluded by
// a Motzkin certificate, each combination of kept patterns by a Farkas certificate.
#include "flow.hpp"

namespace verify {

namespace {

struct Unit {
    std::size_t index;
    std::vector<std::vector<Rational>> features;  // per sample
    std::vector<int> sigmas;
    int side = 0;
};

std::vector<Rational> rationals(const json& v, const std::string& path, std::size_t n) {
    const json& a = array(v, path);
    if (a.size() != n) throw Reject(path, "expected " + std::to_string(n) + " numbers");
    std::vector<Rational> out;
    for (std::size_t i = 0; i < n; ++i) out.push_back(rational(a[i], at(path, i)));
    return out;
}

// Row r of unit u under (sigma, S): the activity rows (sign sigma inside S, -sigma outside), then the side row.
std::vector<std::vector<Rational>> rows_of(const Unit& u, int sigma, std::uint64_t subset, std::vector<bool>& strict) {
    std::vector<std::vector<Rational>> rows;
    for (std::size_t i = 0; i < u.features.size(); ++i) {
        const bool in = (subset >> i) & 1U;
        rows.emplace_back();
        for (const Rational& v : u.features[i]) rows.back().push_back((in ? sigma : -sigma) * v);
        strict.push_back(in);
    }
    if (u.side != 0) {
        rows.emplace_back(u.features[0].size(), Rational(0));
        rows.back()[0] = sigma * u.side;
        strict.push_back(false);
    }
    return rows;
}

Rational dot(const std::vector<Rational>& a, const std::vector<Rational>& b) {
    Rational s = 0;
    for (std::size_t j = 0; j < a.size(); ++j) s += a[j] * b[j];
    return s;
}

}  // namespace

std::string check_minimisers(const json& cert, const Arch& a, const std::vector<UnitFacts>& facts, Tally& tally) {
    if (a.width(2) != 1) throw Reject("data", "global minimisers are checked for a scalar output only");
    const json& data = field(cert, "data", "");
    const json& xs = array(field(data, "x", "data"), "data.x");
    const std::size_t n = xs.size();
    if (n == 0 || n > 12) throw Reject("data.x", "needs 1 to 12 samples");
    std::vector<std::vector<Rational>> x;
    for (std::size_t i = 0; i < n; ++i) x.push_back(rationals(xs[i], at("data.x", i), a.width(0)));
    const json& ys = array(field(data, "y", "data"), "data.y");
    if (ys.size() != n) throw Reject("data.y", "one row per sample expected");
    std::vector<Rational> y;
    for (std::size_t i = 0; i < n; ++i) y.push_back(rationals(ys[i], at("data.y", i), 1)[0]);

    std::vector<Unit> units;
    for (std::size_t k = 0; k < facts.size(); ++k) {
        if (facts[k].in == 0 || facts[k].out == 0) continue;  // contributes nothing
        Unit u{k, {}, {}, 0};
        for (const auto& xi : x) {
            u.features.emplace_back();
            for (std::uint32_t j : a.row(1, k)) u.features.back().push_back(xi[j]);
            if (a.bias[0]) u.features.back().emplace_back(1);
        }
        u.sigmas = facts[k].split && facts[k].c < 0 ? std::vector<int>{facts[k].side} : std::vector<int>{-1, 1};
        if (facts[k].split && facts[k].c > 0) u.side = facts[k].side;
        units.push_back(std::move(u));
    }
    const json& proof = field(field(cert, "proof", ""), "minimisers", "proof");
    const std::string mp = "proof.minimisers";

    // The fit: zero loss; in the component if `constrained`.
    const json& fit = field(proof, "fit", mp);
    const json& fu = array(field(fit, "units", at(mp, "fit")), mp + ".fit.units");
    if (fu.size() != units.size()) throw Reject(mp + ".fit.units", "one entry per hidden unit connected to the output expected");
    const Rational beta = rational(field(fit, "beta", at(mp, "fit")), mp + ".fit.beta");
    if (!a.bias[1] && beta != 0) throw Reject(mp + ".fit.beta", "the output layer has no bias");
    std::vector<int> sigma(units.size());
    std::vector<std::vector<Rational>> g(units.size());
    bool in_component = true;
    for (std::size_t k = 0; k < units.size(); ++k) {
        const std::string p = at(mp + ".fit.units", k);
        if (integer(field(fu[k], "unit", p), at(p, "unit"), 0, 1 << 20) != static_cast<long>(units[k].index))
            throw Reject(at(p, "unit"), "expected unit " + std::to_string(units[k].index));
        sigma[k] = static_cast<int>(integer(field(fu[k], "sigma", p), at(p, "sigma"), -1, 1));
        if (sigma[k] == 0) throw Reject(at(p, "sigma"), "expected -1 or 1");
        g[k] = rationals(field(fu[k], "g", p), at(p, "g"), units[k].features[0].size());
        const bool sign_ok = units[k].sigmas.size() == 2 || sigma[k] == units[k].sigmas[0];
        if (!sign_ok || sigma[k] * units[k].side * (g[k][0]) < 0) in_component = false;
    }
    for (std::size_t i = 0; i < n; ++i) {
        Rational f = beta;
        for (std::size_t k = 0; k < units.size(); ++k) {
            const Rational z = sigma[k] * dot(g[k], units[k].features[i]);
            if (z > 0) f += sigma[k] * z;
        }
        if (f != y[i]) throw Reject(mp + ".fit", "does not fit sample " + std::to_string(i) + " (value " + f.str() + ")");
    }
    ++tally.checked;
    if (in_component) return "in_component";

    // Every activity pattern of every unit: kept, or excluded (Motzkin: mu, nu >= 0, sum nu = 1,
    // sum mu B + sum nu C = 0 contradicts C g > 0).
    const json& pj = array(field(proof, "patterns", mp), mp + ".patterns");
    if (pj.size() != units.size()) throw Reject(mp + ".patterns", "one list per hidden unit connected to the output expected");
    std::vector<std::vector<std::pair<int, std::uint64_t>>> kept(units.size());
    for (std::size_t k = 0; k < units.size(); ++k) {
        const std::string lp = at(mp + ".patterns", k);
        const json& list = array(pj[k], lp);
        if (list.size() != units[k].sigmas.size() << n) throw Reject(lp, "expected every (sigma, subset) pair in order");
        std::size_t idx = 0;
        for (int s : units[k].sigmas)
            for (std::uint64_t subset = 0; subset < (1ULL << n); ++subset, ++idx) {
                const std::string p = at(lp, idx);
                const json& e = list[idx];
                if (integer(field(e, "sigma", p), at(p, "sigma"), -1, 1) != s || integer(field(e, "subset", p), at(p, "subset"), 0, 1L << 20) != static_cast<long>(subset))
                    throw Reject(p, "expected sigma " + std::to_string(s) + ", subset " + std::to_string(subset));
                if (!has(e, "mu") && !has(e, "nu")) {
                    kept[k].push_back({s, subset});
                    continue;
                }
                charge(static_cast<long long>(n * n), p);
                std::vector<bool> strict;
                const auto rows = rows_of(units[k], s, subset, strict);
                std::size_t n_strict = 0;
                for (bool b : strict) n_strict += b;
                const auto mu = rationals(field(e, "mu", p), at(p, "mu"), rows.size() - n_strict);
                const auto nu = rationals(field(e, "nu", p), at(p, "nu"), n_strict);
                std::vector<Rational> sum(units[k].features[0].size());
                Rational total = 0;
                std::size_t im = 0, in = 0;
                for (std::size_t r = 0; r < rows.size(); ++r) {
                    const Rational& c = strict[r] ? nu[in++] : mu[im++];
                    if (c < 0) throw Reject(p, "a negative multiplier");
                    if (strict[r]) total += c;
                    for (std::size_t j = 0; j < sum.size(); ++j) sum[j] += c * rows[r][j];
                }
                if (total != 1) throw Reject(at(p, "nu"), "does not sum to 1");
                for (const Rational& v : sum)
                    if (v != 0) throw Reject(p, "the combination of rows is not zero: the pattern is not excluded");
                ++tally.checked;
            }
    }

    // Every combination of kept patterns: lambda^T E + mu^T B = 0 and lambda^T y > 0 (mu >= 0).
    const json& cj = array(field(proof, "combinations", mp), mp + ".combinations");
    std::size_t total = 1;
    for (const auto& k : kept) {
        if (k.empty()) { total = 0; break; }
        if (total > kMaxListed / k.size()) throw Reject(mp + ".combinations", "too many combinations");
        total *= k.size();
    }
    if (cj.size() != total) throw Reject(mp + ".combinations", "expected " + std::to_string(total) + " combinations of kept patterns");
    std::vector<std::size_t> idx(units.size(), 0);
    for (std::size_t c = 0; c < total; ++c) {
        const std::string p = at(mp + ".combinations", c);
        charge(static_cast<long long>(n * n * units.size()), p);
        // Variables: beta (if the output has a bias), then g_0, g_1, ...
        std::size_t nvar = a.bias[1] ? 1 : 0;
        std::vector<std::size_t> offset;
        for (const Unit& u : units) offset.push_back(nvar), nvar += u.features[0].size();
        std::vector<Rational> sum(nvar);
        const auto lambda = rationals(field(cj[c], "lambda", p), at(p, "lambda"), n);
        Rational ly = 0;
        for (std::size_t i = 0; i < n; ++i) {
            ly += lambda[i] * y[i];
            if (a.bias[1]) sum[0] += lambda[i];
            for (std::size_t k = 0; k < units.size(); ++k)
                if ((kept[k][idx[k]].second >> i) & 1U)
                    for (std::size_t j = 0; j < units[k].features[i].size(); ++j) sum[offset[k] + j] += lambda[i] * units[k].features[i][j];
        }
        std::vector<std::vector<std::vector<Rational>>> rows(units.size());
        std::size_t nrows = 0;
        for (std::size_t k = 0; k < units.size(); ++k) {
            std::vector<bool> strict;
            rows[k] = rows_of(units[k], kept[k][idx[k]].first, kept[k][idx[k]].second, strict);
            nrows += rows[k].size();
        }
        const auto mu = rationals(field(cj[c], "mu", p), at(p, "mu"), nrows);
        std::size_t r = 0;
        for (std::size_t k = 0; k < units.size(); ++k)
            for (const auto& row : rows[k]) {
                if (mu[r] < 0) throw Reject(at(p, "mu"), "a negative multiplier");
                for (std::size_t j = 0; j < row.size(); ++j) sum[offset[k] + j] += mu[r] * row[j];
                ++r;
            }
        for (const Rational& v : sum)
            if (v != 0) throw Reject(p, "lambda E + mu B is not zero");
        if (!(ly > 0)) throw Reject(at(p, "lambda"), "lambda . y is not positive");
        ++tally.checked;
        std::size_t k = units.size();
        while (k > 0 && ++idx[k - 1] == kept[k - 1].size()) idx[--k] = 0;
    }
    return "unreachable";
}

}  // namespace verify
