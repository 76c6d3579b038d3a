// Rational functions over Q (numerator / denominator in one polynomial context), and the
// polynomial operations they need: gcd, exact division, factorisation, setting variables to zero.
#pragma once

#include <cstddef>
#include <optional>
#include <utility>
#include <vector>

#include "core/poly.hpp"

namespace closecert::core {

// Monic gcd (zero only if both are zero). Throws std::runtime_error if FLINT gives up.
Poly gcd(const Poly& a, const Poly& b);
// a / b if b divides a exactly; nullopt otherwise (and for b == 0).
std::optional<Poly> divide_exact(const Poly& a, const Poly& b);
// `p` with the variables flagged in `zero` set to 0 (terms containing one of them dropped).
Poly zero_variables(const Poly& p, const std::vector<bool>& zero);

struct Factored {
    Rational unit;                                       // p = unit * prod f^e
    std::vector<std::pair<Poly, unsigned long>> factors; // irreducible over Q, monic
};
// Factorisation over Q of a non-zero polynomial. Throws std::invalid_argument for zero,
// std::runtime_error if FLINT gives up.
Factored factor(const Poly& p);

// num / den with gcd(num, den) = 1 and den monic (leading coefficient 1 in degrevlex).
class RatFunc {
public:
    explicit RatFunc(Poly num);  // denominator 1
    // Throws std::domain_error if den == 0.
    RatFunc(Poly num, Poly den);

    const Poly& num() const { return num_; }
    const Poly& den() const { return den_; }
    bool is_zero() const { return num_.is_zero(); }

    friend RatFunc operator+(const RatFunc& a, const RatFunc& b);
    friend RatFunc operator-(const RatFunc& a, const RatFunc& b);
    friend RatFunc operator*(const RatFunc& a, const RatFunc& b);
    // Throws std::domain_error if b == 0.
    friend RatFunc operator/(const RatFunc& a, const RatFunc& b);
    friend bool operator==(const RatFunc& a, const RatFunc& b) { return a.num_ == b.num_ && a.den_ == b.den_; }

private:
    void normalise();
    Poly num_, den_;
};

}  // namespace closecert::core
