// Arithmetic on Poly and Laurent; every product is charged against the work budget.
#include "poly.hpp"

#include <algorithm>

namespace verify {

void add_term(Poly& p, const Monomial& m, const Rational& c) {
    if (c == 0) return;
    auto [it, fresh] = p.try_emplace(m, c);
    if (!fresh && (it->second += c) == 0) p.erase(it);
}

void add_into(Poly& into, const Poly& p) {
    for (const auto& [m, c] : p) add_term(into, m, c);
}

static Monomial times(const Monomial& a, const Monomial& b) {
    Monomial r;
    r.reserve(a.size() + b.size());
    std::size_t i = 0, j = 0;
    while (i < a.size() || j < b.size()) {
        if (j == b.size() || (i < a.size() && a[i].first < b[j].first)) r.push_back(a[i++]);
        else if (i == a.size() || b[j].first < a[i].first) r.push_back(b[j++]);
        else r.emplace_back(a[i].first, a[i].second + b[j].second), ++i, ++j;
    }
    return r;
}

// 64-bit words of |x| (0 for 0), the size measure of the work budget.
static std::size_t limbs_of(const Integer& x) {
    return x == 0 ? 0 : static_cast<std::size_t>(boost::multiprecision::msb(boost::multiprecision::abs(x))) / 64 + 1;
}

// Cost of multiplying every term of a by every term of b, weighted by coefficient sizes (in limbs).
template <class P>
static void charge_product(const P& a, const P& b, const std::string& path) {
    auto limbs = [](const P& p) {
        std::size_t m = 1;
        for (const auto& t : p) m = std::max(m, limbs_of(numerator(t.second)) + limbs_of(denominator(t.second)));
        return static_cast<long long>(m);
    };
    long long pairs = static_cast<long long>(a.size()) * static_cast<long long>(b.size());
    charge(pairs, path);
    if (pairs > 0) charge(pairs * (limbs(a) * limbs(b) / 32), path);
}

Poly mul(const Poly& a, const Poly& b, const std::string& path) {
    charge_product(a, b, path);
    Poly r;
    for (const auto& [ma, ca] : a)
        for (const auto& [mb, cb] : b) {
            add_term(r, times(ma, mb), ca * cb);
            if (r.size() > kMaxTerms) throw Reject(path, "polynomial with more terms than the checker's limit");
        }
    return r;
}

Poly constant(const Rational& c) {
    Poly p;
    add_term(p, {}, c);
    return p;
}

void add_term(Laurent& p, long e, const Rational& c) {
    if (c == 0) return;
    auto [it, fresh] = p.try_emplace(e, c);
    if (!fresh && (it->second += c) == 0) p.erase(it);
}

void add_into(Laurent& into, const Laurent& p) {
    for (const auto& [e, c] : p) add_term(into, e, c);
}

Laurent mul(const Laurent& a, const Laurent& b, const std::string& path) {
    charge_product(a, b, path);
    Laurent r;
    for (const auto& [ea, ca] : a)
        for (const auto& [eb, cb] : b) add_term(r, ea + eb, ca * cb);
    return r;
}

Laurent parse_laurent(const json& v, const std::string& path) {
    Laurent p;
    const json& terms = array(v, path);
    for (std::size_t k = 0; k < terms.size(); ++k) {
        std::string tp = at(path, k);
        if (!terms[k].is_array() || terms[k].size() != 2) throw Reject(tp, "expected [coef, exponent]");
        add_term(p, integer(terms[k][1], at(tp, 1), -kMaxExponent, kMaxExponent), rational(terms[k][0], at(tp, 0)));
    }
    return p;
}

long ord(const Laurent& p) { return p.begin()->first; }

Rational mass(const Laurent& p) {
    Rational m = 0;
    for (const auto& [e, c] : p) m += abs(c);
    return m;
}

}  // namespace verify
