#include "interval.hpp"

#include <algorithm>

namespace verify {

namespace {

const Integer& grid_scale() {
    static const Integer s = Integer(1) << kIvBits;
    return s;
}

Rational floor_grid(const Rational& x) {
    Integer n = numerator(x) * grid_scale(), d = denominator(x);
    Integer q = n / d;
    if (n % d != 0 && n < 0) q -= 1;
    return Rational(q, grid_scale());
}

Rational ceil_grid(const Rational& x) {
    Integer n = numerator(x) * grid_scale(), d = denominator(x);
    Integer q = n / d;
    if (n % d != 0 && n > 0) q += 1;
    return Rational(q, grid_scale());
}

Rational pow2(int e) { return e >= 0 ? Rational(Integer(1) << e) : Rational(Integer(1), Integer(1) << -e); }

// Series in fixed point: an Integer v stands for v / 2^W. Every step rounds down for a lower bound
// and up for an upper one, so the results enclose the real values; no gcd of large rationals.
constexpr unsigned W = kIvBits + 40;

const Integer& unit() {
    static const Integer u = Integer(1) << W;
    return u;
}

Integer fdiv(const Integer& a, const Integer& b) {  // floor(a / b), b > 0
    Integer q = a / b;
    if (a % b != 0 && a < 0) q -= 1;
    return q;
}

Integer cdiv(const Integer& a, const Integer& b) {  // ceil(a / b), b > 0
    Integer q = a / b;
    if (a % b != 0 && a > 0) q += 1;
    return q;
}

Integer to_fixed(const Rational& x, bool up) { return up ? cdiv(numerator(x) * unit(), denominator(x)) : fdiv(numerator(x) * unit(), denominator(x)); }

enum class Series { exp, atan, atanh };

// A bound (upper if up) of exp(u) = sum u^k/k! (0 <= u <= 1/4), atan(u) = sum (-1)^j u^(2j+1)/(2j+1)
// (0 <= u <= 1/2) or atanh(u) = sum u^(2j+1)/(2j+1) (0 <= u <= 1/3) at u = U / 2^W, the function
// being increasing so that U is rounded in the same direction. The series stops at a term of at
// most one unit; the neglected tail is then below one unit (exp: ratios <= 1/4, tail <= t/3;
// atan: alternating and decreasing, tail <= the next term; atanh: ratios <= 1/9, tail <= t/8),
// and one unit is added to an upper bound and taken from a lower one.
Integer series(Series kind, const Integer& U, bool up) {
    const Integer& one = unit();
    auto mul = [&](const Integer& a, const Integer& b, bool round_up) { return round_up ? cdiv(a * b, one) : fdiv(a * b, one); };
    Integer sum = 0;
    if (kind == Series::exp) {
        Integer t = one;
        for (long k = 1; t > 1; ++k) {
            sum += t;
            t = up ? cdiv(mul(t, U, true), Integer(k)) : fdiv(mul(t, U, false), Integer(k));
        }
        return up ? Integer(sum + t + 1) : sum;
    }
    const Integer u2_dn = mul(U, U, false), u2_up = mul(U, U, true);
    Integer p_dn = U, p_up = U;  // u^(2j+1), rounded down and up
    for (long j = 0;; ++j) {
        const bool negative = kind == Series::atan && j % 2 == 1;
        // A positive term is rounded in the bound's direction, a negative one against it.
        const Integer term = (up != negative) ? cdiv(p_up, Integer(2 * j + 1)) : fdiv(p_dn, Integer(2 * j + 1));
        sum += negative ? Integer(-term) : term;
        if (cdiv(p_up, Integer(2 * j + 1)) <= 1) break;
        p_dn = mul(p_dn, u2_dn, false);
        p_up = mul(p_up, u2_up, true);
    }
    return up ? Integer(sum + 1) : Integer(sum - 1);
}

Iv from_fixed(const Integer& lo, const Integer& hi) { return round_out({Rational(lo, unit()), Rational(hi, unit())}); }

Iv series_iv(Series kind, const Rational& u) { return from_fixed(series(kind, to_fixed(u, false), false), series(kind, to_fixed(u, true), true)); }

Iv atan_small(const Rational& u) { return series_iv(Series::atan, u); }
Iv atanh_small(const Rational& z) { return series_iv(Series::atanh, z); }

const Iv& ln2() {  // 2 atanh(1/3)
    static const Iv v = [] { const Iv a = atanh_small(Rational(1, 3)); return Iv{2 * a.lo, 2 * a.hi}; }();
    return v;
}

const Iv& half_pi() {  // Machin: pi/4 = 4 atan(1/5) - atan(1/239)
    static const Iv v = [] {
        const Iv a = atan_small(Rational(1, 5)), b = atan_small(Rational(1, 239));
        return round_out({8 * a.lo - 2 * b.hi, 8 * a.hi - 2 * b.lo});
    }();
    return v;
}

Iv neg(const Iv& a) { return {-a.hi, -a.lo}; }

}  // namespace

Iv round_out(const Iv& a) { return {floor_grid(a.lo), ceil_grid(a.hi)}; }
Iv add(const Iv& a, const Iv& b) { return {a.lo + b.lo, a.hi + b.hi}; }
Iv sub(const Iv& a, const Iv& b) { return {a.lo - b.hi, a.hi - b.lo}; }

Iv mul(const Iv& a, const Iv& b) {
    const Rational p[4] = {a.lo * b.lo, a.lo * b.hi, a.hi * b.lo, a.hi * b.hi};
    return {*std::min_element(p, p + 4), *std::max_element(p, p + 4)};
}

Iv div(const Iv& a, const Iv& b) {
    if (contains_zero(b)) throw Reject("", "interval division by an interval holding 0");
    return mul(a, {1 / b.hi, 1 / b.lo});
}

Iv exp_at(const Rational& x) {
    if (x == 0) return point(Rational(1));
    if (abs(x) > 4096) throw Reject("", "exp argument beyond the checker's range");
    if (x < 0) {
        const Iv e = exp_at(-x);
        return round_out({1 / e.hi, 1 / e.lo});
    }
    // exp(x) = exp(y)^(2^s) with 0 < y <= 1/4; squaring is monotone on positive numbers.
    int s = 0;
    Rational y = x;
    while (y > Rational(1, 4)) y /= 2, ++s;
    Integer lo = series(Series::exp, to_fixed(y, false), false), hi = series(Series::exp, to_fixed(y, true), true);
    for (int k = 0; k < s; ++k) lo = fdiv(lo * lo, unit()), hi = cdiv(hi * hi, unit());
    return from_fixed(lo, hi);
}

Iv log_at(const Rational& x) {
    if (x <= 0) throw Reject("", "log of a non-positive number");
    // x = 2^k r with 1 <= r < 2; log x = k log 2 + 2 atanh((r - 1)/(r + 1)), the argument in [0, 1/3).
    long k = 0;
    Rational r = x;
    while (r >= 2) r /= 2, ++k;
    while (r < 1) r *= 2, --k;
    const Iv t = atanh_small((r - 1) / (r + 1));
    const Iv l = ln2();
    const Rational kk(k);
    return round_out({kk * (k >= 0 ? l.lo : l.hi) + 2 * t.lo, kk * (k >= 0 ? l.hi : l.lo) + 2 * t.hi});
}

Iv atan_at(const Rational& x) {
    if (x < 0) return neg(atan_at(-x));
    if (x > 1) return round_out(sub(half_pi(), atan_at(1 / x)));  // atan x = pi/2 - atan(1/x)
    if (x > Rational(1, 2)) return round_out(add(atan_small(Rational(1, 2)), atan_small((x - Rational(1, 2)) / (1 + x / 2))));
    return atan_small(x);
}

Iv tanh_at(const Rational& x) {
    // |x| >= 64: 1 - tanh|x| = 2/(e^(2|x|) + 1) < 2 e^-128 < 2^-183.
    if (x >= 64) return {1 - pow2(-180), Rational(1)};
    if (x <= -64) return {Rational(-1), -1 + pow2(-180)};
    const Iv e = exp_at(2 * x);  // tanh = 1 - 2/(e^(2x) + 1), increasing in e^(2x)
    return round_out({1 - 2 / (e.lo + 1), 1 - 2 / (e.hi + 1)});
}

Iv logistic_at(const Rational& x) {
    // |x| >= 128: 1/(1 + e^|x|) < e^-128 < 2^-184.
    if (x >= 128) return {1 - pow2(-180), Rational(1)};
    if (x <= -128) return {Rational(0), pow2(-180)};
    const Iv e = exp_at(-x);
    return round_out({1 / (1 + e.hi), 1 / (1 + e.lo)});
}

Iv softplus_at(const Rational& x) {
    // log(1 + e^x) = x + log(1 + e^-x), and v - v^2/2 <= log(1 + v) <= v for v >= 0.
    if (x >= 256) return round_out({x, x + pow2(-300)});  // e^-256 < 2^-369
    if (x <= -256) return {Rational(0), pow2(-300)};
    if (x >= 40 || x <= -40) {
        const Iv v = exp_at(x >= 40 ? Rational(-x) : x);
        const Rational base = x >= 40 ? x : Rational(0);
        return round_out({base + v.lo - v.hi * v.hi / 2, base + v.hi});
    }
    const Iv e = exp_at(x);
    return round_out({log_at(1 + e.lo).lo, log_at(1 + e.hi).hi});
}

}  // namespace verify
