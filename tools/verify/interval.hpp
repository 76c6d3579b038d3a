// Rigorous interval arithmetic on rationals for the checker (Boost.Multiprecision only): results
// rounded outward to the grid 2^-kIvBits, and enclosures of exp, log, arctan, tanh, the logistic
// function and softplus at rational points (series with explicit remainder bounds, docs/fixed.md).
#pragma once

#include "check.hpp"

namespace verify {

inline constexpr unsigned kIvBits = 200;

struct Iv {
    Rational lo, hi;
};

inline Iv point(const Rational& x) { return {x, x}; }
Iv round_out(const Iv& a);
Iv add(const Iv& a, const Iv& b);
Iv sub(const Iv& a, const Iv& b);
Iv mul(const Iv& a, const Iv& b);
// Requires 0 outside b.
Iv div(const Iv& a, const Iv& b);
inline bool contains_zero(const Iv& a) { return a.lo <= 0 && 0 <= a.hi; }

Iv exp_at(const Rational& x);       // |x| <= 4096
Iv log_at(const Rational& x);       // x > 0
Iv atan_at(const Rational& x);
Iv tanh_at(const Rational& x);
Iv logistic_at(const Rational& x);
Iv softplus_at(const Rational& x);

}  // namespace verify
