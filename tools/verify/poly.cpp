// Arithmetic on Poly and Laurent; every product is charged against the work budget.
#include "poly.hpp"

#include <cstdlib>

namespace verify {

void add_term(Poly& p, const Monomial& m, const mpq_class& c) {
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

Poly mul(const Poly& a, const Poly& b, const std::string& path) {
    charge(static_cast<long long>(a.size()) * static_cast<long long>(b.size()), path);
    Poly r;
    for (const auto& [ma, ca] : a)
        for (const auto& [mb, cb] : b) {
            add_term(r, times(ma, mb), ca * cb);
            if (r.size() > kMaxTerms) throw Reject(path, "polynomial with more terms than the checker's limit");
        }
    return r;
}

Poly constant(const mpq_class& c) {
    Poly p;
    add_term(p, {}, c);
    return p;
}

void add_term(Laurent& p, long e, const mpq_class& c) {
    if (c == 0) return;
    auto [it, fresh] = p.try_emplace(e, c);
    if (!fresh && (it->second += c) == 0) p.erase(it);
}

void add_into(Laurent& into, const Laurent& p) {
    for (const auto& [e, c] : p) add_term(into, e, c);
}

Laurent mul(const Laurent& a, const Laurent& b, const std::string& path) {
    charge(static_cast<long long>(a.size()) * static_cast<long long>(b.size()), path);
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

mpq_class mass(const Laurent& p) {
    mpq_class m = 0;
    for (const auto& [e, c] : p) m += abs(c);
    return m;
}

}  // namespace verify
