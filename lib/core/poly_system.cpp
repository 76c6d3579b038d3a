#include "core/poly_system.hpp"

#include <algorithm>
#include <stdexcept>
#include <string>

#include <flint/fmpz.h>

namespace closecert::core::detail {

Survey survey(const std::vector<Poly>& f, const char* who) {
    Survey s;
    const auto& ctx = f.front().context();
    for (const Poly& p : f)
        if (p.context() != ctx) throw std::invalid_argument(std::string(who) + ": polynomials over different contexts");
    for (const Poly& p : f) {
        s.top = std::max(s.top, p.total_degree());
        s.has_constant = s.has_constant || !p.constant_term().is_zero();
    }
    return s;
}

ExactSystem scale_system(const std::vector<Poly>& f) {
    ExactSystem in;
    const std::size_t n = f.front().context()->nvars();
    std::vector<bool> used(n, false);
    for (const Poly& p : f)
        for (std::size_t v : p.used_variables()) used[v] = true;
    std::vector<std::size_t> local(n, 0);
    for (std::size_t v = 0; v < n; ++v)
        if (used[v]) {
            local[v] = in.vars.size();
            in.vars.push_back(v);
        }
    for (const Poly& p : f) {
        in.degree.push_back(p.total_degree());
        auto ts = p.terms();
        Integer den(1), num(0);
        for (const auto& t : ts) {
            fmpz_lcm(den.raw(), den.raw(), t.coef.denominator().raw());
            fmpz_gcd(num.raw(), num.raw(), t.coef.numerator().raw());
        }
        Rational s = num.is_zero() ? Rational(1) : Rational(den, num);
        std::vector<ScaledTerm<Integer>> st;
        for (const auto& t : ts) {
            Mono m(in.vars.size(), 0);
            for (std::size_t v = 0; v < n; ++v)
                if (t.exps[v]) {
                    in.max_exponent = std::max(in.max_exponent, t.exps[v]);
                    m[local[v]] = static_cast<std::uint16_t>(t.exps[v]);
                }
            st.push_back({std::move(m), (t.coef * s).numerator()});
        }
        in.terms.push_back(std::move(st));
        in.scale.push_back(std::move(s));
    }
    return in;
}

void keep_gradings(ExactSystem& in, const std::vector<std::vector<int>>& gradings, std::size_t nvars,
                   const char* who) {
    for (const auto& g : gradings) {
        if (g.size() != nvars) throw std::invalid_argument(std::string(who) + ": grading of the wrong length");
        std::vector<int> lw;
        for (std::size_t v : in.vars) lw.push_back(g[v]);
        std::vector<long> weights;
        bool homogeneous = true;
        for (const auto& ts : in.terms) {
            long w = ts.empty() ? 0 : weight_of(ts.front().exps, lw);
            for (const auto& t : ts) homogeneous = homogeneous && weight_of(t.exps, lw) == w;
            weights.push_back(w);
        }
        if (!homogeneous) continue;
        in.grading.push_back(std::move(lw));
        in.eq_weight.push_back(std::move(weights));
    }
}

long weight_of(const Mono& m, const std::vector<int>& w) {
    long s = 0;
    for (std::size_t v = 0; v < m.size(); ++v) s += static_cast<long>(m[v]) * w[v];
    return s;
}

std::size_t count_monomials(std::size_t nv, unsigned d, std::size_t cap) {
    unsigned __int128 c = 1;
    for (unsigned k = 1; k <= d; ++k) {
        c = c * (nv + k) / k;
        if (c > cap) return cap;
    }
    return static_cast<std::size_t>(c);
}

namespace {

void monomials_of_degree(std::size_t pos, unsigned left, Mono& cur, std::vector<Mono>& out) {
    if (pos + 1 == cur.size()) {
        cur[pos] = static_cast<std::uint16_t>(left);
        out.push_back(cur);
        cur[pos] = 0;
        return;
    }
    for (unsigned e = left + 1; e-- > 0;) {
        cur[pos] = static_cast<std::uint16_t>(e);
        monomials_of_degree(pos + 1, left - e, cur, out);
    }
    cur[pos] = 0;
}

}  // namespace

std::vector<Mono> monomials_up_to(std::size_t nv, unsigned d) {
    std::vector<Mono> out;
    if (nv == 0) {
        out.emplace_back();
        return out;
    }
    Mono cur(nv, 0);
    for (unsigned k = 0; k <= d; ++k) monomials_of_degree(0, k, cur, out);
    return out;
}

std::vector<unsigned long> global_exponents(const std::vector<std::size_t>& vars, const Mono& m, std::size_t nvars) {
    std::vector<unsigned long> e(nvars, 0);
    for (std::size_t j = 0; j < vars.size(); ++j) e[vars[j]] = m[j];
    return e;
}

}  // namespace closecert::core::detail
