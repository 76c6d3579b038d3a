// Laurent polynomials in one variable t with rational coefficients (sparse, no zero terms stored).
#pragma once

#include <map>
#include <string>
#include <utility>
#include <vector>

#include "core/rational.hpp"

namespace closecert::core {

class LaurentPoly {
public:
    LaurentPoly() = default;  // zero
    // The monomial c * t^e (zero if c == 0).
    LaurentPoly(const Rational& c, int e);
    static LaurentPoly constant(const Rational& c) { return LaurentPoly(c, 0); }

    LaurentPoly& operator+=(const LaurentPoly& o);
    LaurentPoly& operator-=(const LaurentPoly& o);
    LaurentPoly& operator*=(const LaurentPoly& o) { return *this = *this * o; }
    LaurentPoly& operator*=(const Rational& c);
    friend LaurentPoly operator+(LaurentPoly a, const LaurentPoly& b) { return a += b; }
    friend LaurentPoly operator-(LaurentPoly a, const LaurentPoly& b) { return a -= b; }
    friend LaurentPoly operator*(const LaurentPoly& a, const LaurentPoly& b);
    friend LaurentPoly operator*(LaurentPoly a, const Rational& c) { return a *= c; }
    friend LaurentPoly operator*(const Rational& c, LaurentPoly a) { return a *= c; }
    LaurentPoly operator-() const;
    friend bool operator==(const LaurentPoly& a, const LaurentPoly& b) = default;

    bool is_zero() const { return terms_.empty(); }
    bool is_monomial() const { return terms_.size() == 1; }
    Rational coeff(int e) const;
    // Throw std::domain_error on the zero polynomial.
    int min_exponent() const;
    int max_exponent() const;
    // (exponent, coefficient), ascending exponents.
    std::vector<std::pair<int, Rational>> terms() const;
    // E.g. "3/2*t^-1 - 2 + t^2"; "0" for zero.
    std::string to_string(const std::string& var = "t") const;
    // Power of a monomial (negative exponents allowed when the coefficient is non-zero); any
    // exponent >= 0 for a general polynomial. Throws std::domain_error otherwise.
    LaurentPoly pow(int n) const;

private:
    void add_term(int e, const Rational& c);
    std::map<int, Rational> terms_;
};

}  // namespace closecert::core
