#include "core/laurent_poly.hpp"

#include <limits>
#include <stdexcept>

namespace closecert::core {

namespace {

int add_exponents(int a, int b) {
    long long s = static_cast<long long>(a) + b;
    if (s > std::numeric_limits<int>::max() || s < std::numeric_limits<int>::min())
        throw std::overflow_error("LaurentPoly: exponent overflow");
    return static_cast<int>(s);
}

}  // namespace

LaurentPoly::LaurentPoly(const Rational& c, int e) {
    if (!c.is_zero()) terms_.emplace(e, c);
}

void LaurentPoly::add_term(int e, const Rational& c) {
    if (c.is_zero()) return;
    auto [it, inserted] = terms_.try_emplace(e, c);
    if (inserted) return;
    it->second += c;
    if (it->second.is_zero()) terms_.erase(it);
}

LaurentPoly& LaurentPoly::operator+=(const LaurentPoly& o) {
    if (this == &o) return *this *= Rational(2);
    for (const auto& [e, c] : o.terms_) add_term(e, c);
    return *this;
}

LaurentPoly& LaurentPoly::operator-=(const LaurentPoly& o) {
    if (this == &o) {
        terms_.clear();
        return *this;
    }
    for (const auto& [e, c] : o.terms_) add_term(e, -c);
    return *this;
}

LaurentPoly& LaurentPoly::operator*=(const Rational& c) {
    if (c.is_zero()) {
        terms_.clear();
        return *this;
    }
    for (auto& [e, v] : terms_) v *= c;
    return *this;
}

LaurentPoly operator*(const LaurentPoly& a, const LaurentPoly& b) {
    LaurentPoly r;
    for (const auto& [ea, ca] : a.terms_)
        for (const auto& [eb, cb] : b.terms_) r.add_term(add_exponents(ea, eb), ca * cb);
    return r;
}

LaurentPoly LaurentPoly::operator-() const {
    LaurentPoly r(*this);
    for (auto& [e, v] : r.terms_) v = -v;
    return r;
}

Rational LaurentPoly::coeff(int e) const {
    auto it = terms_.find(e);
    return it == terms_.end() ? Rational() : it->second;
}

int LaurentPoly::min_exponent() const {
    if (terms_.empty()) throw std::domain_error("min_exponent of the zero Laurent polynomial");
    return terms_.begin()->first;
}

int LaurentPoly::max_exponent() const {
    if (terms_.empty()) throw std::domain_error("max_exponent of the zero Laurent polynomial");
    return terms_.rbegin()->first;
}

std::vector<std::pair<int, Rational>> LaurentPoly::terms() const {
    return {terms_.begin(), terms_.end()};
}

std::string LaurentPoly::to_string(const std::string& var) const {
    if (terms_.empty()) return "0";
    std::string s;
    bool first = true;
    for (const auto& [e, c] : terms_) {
        if (first) s += c.sign() < 0 ? "-" : "";
        else s += c.sign() < 0 ? " - " : " + ";
        first = false;
        Rational a = c.abs();
        if (e == 0) {
            s += a.to_string();
            continue;
        }
        if (!a.is_one()) s += a.to_string() + "*";
        s += var;
        if (e != 1) s += "^" + std::to_string(e);
    }
    return s;
}

LaurentPoly LaurentPoly::pow(int n) const {
    if (n < 0) {
        if (n == std::numeric_limits<int>::min()) throw std::overflow_error("LaurentPoly::pow: exponent overflow");
        if (!is_monomial()) throw std::domain_error("LaurentPoly::pow: negative power of a non-monomial");
        const auto& [e, c] = *terms_.begin();
        Rational inv = c.inverse();
        LaurentPoly base(inv, -e);
        return base.pow(-n);
    }
    LaurentPoly result(Rational(1), 0);
    LaurentPoly base(*this);
    for (unsigned k = static_cast<unsigned>(n); k; k >>= 1) {
        if (k & 1) result *= base;
        if (k > 1) base *= base;
    }
    return result;
}

}  // namespace closecert::core
