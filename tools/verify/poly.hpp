// Exact sparse polynomials in weight variables and Laurent polynomials in t.
#pragma once

#include "check.hpp"

#include <cstdint>
#include <map>
#include <utility>
#include <vector>

namespace verify {

// Weight variable w<l>_<i>_<j>, packed so that monomials sort deterministically.
using Var = std::uint64_t;
inline Var make_var(std::size_t l, std::size_t i, std::size_t j) { return (Var(l) << 40) | (Var(i) << 20) | Var(j); }

// Sorted by variable, every exponent > 0.
using Monomial = std::vector<std::pair<Var, int>>;
// No zero coefficients are stored, so equality of maps is equality of polynomials.
using Poly = std::map<Monomial, Rational>;
// Exponent of t -> coefficient, no zero coefficients.
using Laurent = std::map<long, Rational>;

void add_term(Poly& p, const Monomial& m, const Rational& c);
void add_into(Poly& into, const Poly& p);
Poly mul(const Poly& a, const Poly& b, const std::string& path);
Poly constant(const Rational& c);

void add_term(Laurent& p, long e, const Rational& c);
void add_into(Laurent& into, const Laurent& p);
Laurent mul(const Laurent& a, const Laurent& b, const std::string& path);
// Array of [coef, exponent], |exponent| <= kMaxExponent.
Laurent parse_laurent(const json& v, const std::string& path);
// ord(p) = min exponent (p != 0); M(p) = sum |c_e|, so |p(t)| <= M(p) t^ord(p) on (0, 1].
long ord(const Laurent& p);
Rational mass(const Laurent& p);

}  // namespace verify
