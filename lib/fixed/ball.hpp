// RAII wrapper of Arb's arb_t (a midpoint-radius ball that encloses a real number rigorously),
// with the few operations the fixed-point search needs.
#pragma once

#include <arb.h>

#include "core/rational.hpp"

namespace closecert::fixed {

inline constexpr slong kPrec = 192;

class Ball {
public:
    Ball() { arb_init(v_); }
    explicit Ball(const core::Rational& q) { arb_init(v_); arb_set_fmpq(v_, q.raw(), kPrec); }
    Ball(const Ball& o) { arb_init(v_); arb_set(v_, o.v_); }
    Ball& operator=(const Ball& o) { arb_set(v_, o.v_); return *this; }
    ~Ball() { arb_clear(v_); }
    // The hull of [lo, hi].
    static Ball hull(const Ball& lo, const Ball& hi) {
        Ball r;
        arb_union(r.v_, lo.v_, hi.v_, kPrec);
        return r;
    }
    friend Ball operator+(const Ball& a, const Ball& b) { Ball r; arb_add(r.v_, a.v_, b.v_, kPrec); return r; }
    friend Ball operator-(const Ball& a, const Ball& b) { Ball r; arb_sub(r.v_, a.v_, b.v_, kPrec); return r; }
    friend Ball operator*(const Ball& a, const Ball& b) { Ball r; arb_mul(r.v_, a.v_, b.v_, kPrec); return r; }
    friend Ball operator/(const Ball& a, const Ball& b) { Ball r; arb_div(r.v_, a.v_, b.v_, kPrec); return r; }
    // Lower and upper ends as exact balls (radius 0).
    Ball lower() const { arf_t u; arf_init(u); arb_get_lbound_arf(u, v_, kPrec); Ball r; arb_set_arf(r.v_, u); arf_clear(u); return r; }
    Ball upper() const { arf_t u; arf_init(u); arb_get_ubound_arf(u, v_, kPrec); Ball r; arb_set_arf(r.v_, u); arf_clear(u); return r; }
    bool contains_zero() const { return arb_contains_zero(v_) != 0; }
    bool positive() const { return arb_is_positive(v_) != 0; }
    bool negative() const { return arb_is_negative(v_) != 0; }
    // Certainly every point of a below every point of b.
    friend bool certainly_less(const Ball& a, const Ball& b) { return arb_lt(a.v_, b.v_) != 0; }
    // The ball with its radius doubled plus 2^-100: the engine's criteria hold with this margin so
    // that the checker's own (different) arithmetic reaches the same conclusions.
    Ball widened() const {
        Ball r(*this);
        arb_add_error_mag(r.v_, arb_radref(v_));
        arb_add_error_2exp_si(r.v_, -100);
        return r;
    }
    double mid() const { return arf_get_d(arb_midref(v_), ARF_RND_NEAR); }
    arb_ptr raw() { return v_; }
    arb_srcptr raw() const { return v_; }

private:
    arb_t v_;
};

}  // namespace closecert::fixed
