// Exact rationals: RAII wrapper over FLINT's fmpq_t, always in canonical form.
#pragma once

#include <compare>
#include <string>
#include <string_view>

#include <flint/fmpq.h>

#include "core/integer.hpp"

namespace closecert::core {

class Rational {
public:
    Rational() { fmpq_init(v_); }
    explicit Rational(long x) { fmpq_init(v_); fmpq_set_si(v_, x, 1); }
    explicit Rational(const Integer& x) { fmpq_init(v_); fmpq_set_fmpz_frac(v_, x.raw(), Integer(1).raw()); }
    // num/den, canonicalised. Throws std::domain_error if den == 0.
    Rational(const Integer& num, const Integer& den);
    Rational(const Rational& o) { fmpq_init(v_); fmpq_set(v_, o.v_); }
    // Moved-from objects are left holding zero, so they stay usable.
    Rational(Rational&& o) noexcept { fmpq_init(v_); fmpq_swap(v_, o.v_); }
    ~Rational() { fmpq_clear(v_); }
    Rational& operator=(const Rational& o) {
        fmpq_set(v_, o.v_);
        return *this;
    }
    Rational& operator=(Rational&& o) noexcept {
        if (this != &o) {
            fmpq_swap(v_, o.v_);
            fmpq_zero(o.v_);
        }
        return *this;
    }
    void swap(Rational& o) noexcept { fmpq_swap(v_, o.v_); }

    // Accepts exactly "p" or "p/q": optional leading '-', digits, q > 0, no spaces, no '+'.
    // "2/4" is accepted and canonicalised to "1/2". Throws std::invalid_argument otherwise.
    static Rational parse(std::string_view text);
    // Canonical "p" or "p/q"; parse(to_string()) round-trips.
    std::string to_string() const;

    Rational& operator+=(const Rational& o) { fmpq_add(v_, v_, o.v_); return *this; }
    Rational& operator-=(const Rational& o) { fmpq_sub(v_, v_, o.v_); return *this; }
    Rational& operator*=(const Rational& o) { fmpq_mul(v_, v_, o.v_); return *this; }
    // Throws std::domain_error on division by zero.
    Rational& operator/=(const Rational& o);
    friend Rational operator+(Rational a, const Rational& b) { return a += b; }
    friend Rational operator-(Rational a, const Rational& b) { return a -= b; }
    friend Rational operator*(Rational a, const Rational& b) { return a *= b; }
    friend Rational operator/(Rational a, const Rational& b) { return a /= b; }
    Rational operator-() const { Rational r; fmpq_neg(r.v_, v_); return r; }

    friend bool operator==(const Rational& a, const Rational& b) { return fmpq_equal(a.v_, b.v_) != 0; }
    friend std::strong_ordering operator<=>(const Rational& a, const Rational& b) {
        return fmpq_cmp(a.v_, b.v_) <=> 0;
    }

    int sign() const { return fmpq_sgn(v_); }
    bool is_zero() const { return fmpq_is_zero(v_) != 0; }
    bool is_one() const { return fmpq_is_one(v_) != 0; }
    bool is_integer() const { return fmpz_is_one(fmpq_denref(v_)) != 0; }
    Rational abs() const { Rational r; fmpq_abs(r.v_, v_); return r; }
    // Throws std::domain_error for zero.
    Rational inverse() const;
    Integer numerator() const;
    Integer denominator() const;
    // Nearest double (for numerical filters only; never used to decide).
    double to_double() const { return fmpq_get_d(v_); }

    fmpq* raw() { return v_; }
    const fmpq* raw() const { return v_; }

private:
    fmpq_t v_;
};

inline void swap(Rational& a, Rational& b) noexcept { a.swap(b); }

}  // namespace closecert::core
