#include "core/rational.hpp"

#include <cstring>
#include <stdexcept>

namespace closecert::core {

namespace {

bool all_digits(std::string_view s) {
    if (s.empty()) return false;
    for (char c : s)
        if (c < '0' || c > '9') return false;
    return true;
}

}  // namespace

Rational::Rational(const Integer& num, const Integer& den) {
    if (den.is_zero()) throw std::domain_error("rational with zero denominator");
    fmpq_init(v_);
    fmpq_set_fmpz_frac(v_, num.raw(), den.raw());
}

Rational Rational::parse(std::string_view text) {
    auto bad = [&] { return std::invalid_argument("not a rational 'p' or 'p/q': '" + std::string(text) + "'"); };
    std::string_view s = text;
    bool neg = false;
    if (!s.empty() && s.front() == '-') {
        neg = true;
        s.remove_prefix(1);
    }
    auto slash = s.find('/');
    std::string_view num = s.substr(0, slash);
    if (!all_digits(num)) throw bad();
    Integer p(num);
    if (neg) p = -p;
    if (slash == std::string_view::npos) return Rational(p);
    std::string_view den = s.substr(slash + 1);
    if (!all_digits(den)) throw bad();
    Integer q(den);
    if (q.is_zero()) throw bad();
    return Rational(p, q);
}

std::string Rational::to_string() const {
    // Our own buffer: FLINT's allocating variant would need flint_free.
    std::string buf(fmpz_sizeinbase(fmpq_numref(v_), 10) + fmpz_sizeinbase(fmpq_denref(v_), 10) + 3, '\0');
    fmpq_get_str(buf.data(), 10, v_);
    buf.resize(std::strlen(buf.c_str()));
    return buf;
}

Rational& Rational::operator/=(const Rational& o) {
    if (o.is_zero()) throw std::domain_error("rational division by zero");
    fmpq_div(v_, v_, o.v_);
    return *this;
}

Rational Rational::inverse() const {
    if (is_zero()) throw std::domain_error("inverse of zero");
    Rational r;
    fmpq_inv(r.v_, v_);
    return r;
}

Integer Rational::numerator() const {
    Integer r;
    fmpz_set(r.raw(), fmpq_numref(v_));
    return r;
}

Integer Rational::denominator() const {
    Integer r;
    fmpz_set(r.raw(), fmpq_denref(v_));
    return r;
}

}  // namespace closecert::core
