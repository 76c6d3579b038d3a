// Arbitrary-precision integers: RAII wrapper over FLINT's fmpz_t.
#pragma once

#include <compare>
#include <string>
#include <string_view>

#include <flint/fmpz.h>

namespace closecert::core {

class Integer {
public:
    Integer() { fmpz_init(v_); }
    explicit Integer(long x) { fmpz_init_set_si(v_, x); }
    // Decimal text: optional '-', then digits only. Throws std::invalid_argument otherwise.
    explicit Integer(std::string_view decimal);
    Integer(const Integer& o) { fmpz_init_set(v_, o.v_); }
    // Moved-from objects are left holding zero, so they stay usable.
    Integer(Integer&& o) noexcept { fmpz_init(v_); fmpz_swap(v_, o.v_); }
    ~Integer() { fmpz_clear(v_); }
    Integer& operator=(const Integer& o) {
        fmpz_set(v_, o.v_);
        return *this;
    }
    Integer& operator=(Integer&& o) noexcept {
        if (this != &o) {
            fmpz_swap(v_, o.v_);
            fmpz_zero(o.v_);
        }
        return *this;
    }
    void swap(Integer& o) noexcept { fmpz_swap(v_, o.v_); }

    Integer& operator+=(const Integer& o) { fmpz_add(v_, v_, o.v_); return *this; }
    Integer& operator-=(const Integer& o) { fmpz_sub(v_, v_, o.v_); return *this; }
    Integer& operator*=(const Integer& o) { fmpz_mul(v_, v_, o.v_); return *this; }
    friend Integer operator+(Integer a, const Integer& b) { return a += b; }
    friend Integer operator-(Integer a, const Integer& b) { return a -= b; }
    friend Integer operator*(Integer a, const Integer& b) { return a *= b; }
    Integer operator-() const { Integer r; fmpz_neg(r.v_, v_); return r; }

    friend bool operator==(const Integer& a, const Integer& b) { return fmpz_equal(a.v_, b.v_) != 0; }
    friend std::strong_ordering operator<=>(const Integer& a, const Integer& b) {
        return fmpz_cmp(a.v_, b.v_) <=> 0;
    }

    int sign() const { return fmpz_sgn(v_); }
    bool is_zero() const { return fmpz_is_zero(v_) != 0; }
    bool is_one() const { return fmpz_is_one(v_) != 0; }
    Integer abs() const { Integer r; fmpz_abs(r.v_, v_); return r; }
    bool fits_long() const { return fmpz_fits_si(v_) != 0; }
    // Throws std::overflow_error unless fits_long().
    long to_long() const;
    std::string to_string() const;

    fmpz* raw() { return v_; }
    const fmpz* raw() const { return v_; }

private:
    fmpz_t v_;
};

inline void swap(Integer& a, Integer& b) noexcept { a.swap(b); }

}  // namespace closecert::core
