#include "fixed/smooth.hpp"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <utility>

#include "fixed/ball.hpp"

namespace closecert::fixed {

using core::Rational;

namespace {

// The activation at a point (a ball of radius 0 or nearly so).
Ball value_at(const DenseLayer& d, const Ball& p) {
    Ball r;
    const Ball zero(Rational(0)), one(Rational(1)), minus_one(Rational(-1));
    switch (d.activation) {
    case Activation::identity: return p;
    case Activation::relu: return p.positive() ? p : p.negative() ? zero : Ball::hull(zero, p);
    case Activation::leaky_relu: {
        const Ball s = Ball(d.slope) * p;
        return p.positive() ? p : p.negative() ? s : Ball::hull(s, p);
    }
    case Activation::hardtanh:
        if (certainly_less(one, p)) return one;
        if (certainly_less(p, minus_one)) return minus_one;
        if (certainly_less(minus_one, p) && certainly_less(p, one)) return p;
        return Ball::hull(Ball::hull(p, one), minus_one);
    case Activation::tanh: arb_tanh(r.raw(), p.raw(), kPrec); return r;
    case Activation::arctan: arb_atan(r.raw(), p.raw(), kPrec); return r;
    case Activation::logistic: {
        Ball e;
        arb_neg(e.raw(), p.raw());
        arb_exp(e.raw(), e.raw(), kPrec);
        return one / (one + e);
    }
    case Activation::softplus: arb_exp(r.raw(), p.raw(), kPrec); arb_log1p(r.raw(), r.raw(), kPrec); return r;
    }
    return p;
}

// The derivative of a smooth activation at a point.
Ball slope_at(Activation a, const Ball& p) {
    const Ball one(Rational(1));
    DenseLayer d;
    switch (a) {
    case Activation::tanh: { d.activation = a; const Ball t = value_at(d, p); return one - t * t; }
    case Activation::logistic: { d.activation = a; const Ball s = value_at(d, p); return s * (one - s); }
    case Activation::arctan: return one / (one + p * p);
    default: d.activation = Activation::logistic; return value_at(d, p);  // softplus' = logistic
    }
}

// Slope enclosure of a piecewise linear activation over z: the hull of the slopes of the pieces
// that z meets.
Ball pwl_slope(const DenseLayer& d, const Ball& lo, const Ball& hi) {
    const Ball zero(Rational(0)), one(Rational(1)), minus_one(Rational(-1));
    switch (d.activation) {
    case Activation::identity: return one;
    case Activation::relu: return lo.positive() ? one : hi.negative() ? zero : Ball::hull(zero, one);
    case Activation::leaky_relu: return lo.positive() ? one : hi.negative() ? Ball(d.slope) : Ball::hull(Ball(d.slope), one);
    default:  // hardtanh
        if (certainly_less(minus_one, lo) && certainly_less(hi, one)) return one;
        if (certainly_less(hi, minus_one) || certainly_less(one, lo)) return zero;
        return Ball::hull(zero, one);
    }
}

struct Enclosure {
    Ball value, slope;
};

// Every activation is non-decreasing, so its range over [lo, hi] is [σ(lo), σ(hi)]; the slopes of
// tanh, logistic and arctan decrease in |z| (largest at the point nearest 0, smallest at the end
// farthest from it), softplus' = logistic increases.
Enclosure enclose(const DenseLayer& d, const Ball& z) {
    const Ball lo = z.lower(), hi = z.upper();
    Enclosure e{Ball::hull(value_at(d, lo), value_at(d, hi)), Ball()};
    if (piecewise_linear(d.activation)) {
        e.slope = pwl_slope(d, lo, hi);
    } else if (d.activation == Activation::softplus) {
        e.slope = Ball::hull(slope_at(d.activation, lo), slope_at(d.activation, hi));
    } else {
        Ball alo, ahi;
        arb_abs(alo.raw(), lo.raw());
        arb_abs(ahi.raw(), hi.raw());
        const Ball& far = certainly_less(ahi, alo) ? lo : hi;
        const Ball near = lo.positive() ? lo : hi.negative() ? hi : Ball(Rational(0));
        e.slope = Ball::hull(slope_at(d.activation, far), slope_at(d.activation, near));
    }
    return e;
}

// f and f' over the interval x (natural interval extension, layer by layer).
Enclosure forward(const Network& n, const Ball& x, bool with_slope) {
    std::vector<Ball> h{x}, dh{Ball(Rational(1))};
    for (const DenseLayer& d : n.layers) {
        std::vector<Ball> nh(d.units()), ndh(d.units());
        for (std::size_t i = 0; i < d.units(); ++i) {
            Ball z(d.bias[i]), dz(Rational(0));
            for (std::size_t j = 0; j < h.size(); ++j) {
                if (d.weights[i][j].is_zero()) continue;
                const Ball w(d.weights[i][j]);
                z = z + w * h[j];
                if (with_slope) dz = dz + w * dh[j];
            }
            const Enclosure e = enclose(d, z);
            nh[i] = e.value;
            if (with_slope) ndh[i] = e.slope * dz;
        }
        h = std::move(nh);
        dh = std::move(ndh);
    }
    return {h[0], dh[0]};
}

// Rational on the grid 2^-bits below (up = false) or above a ball.
Rational grid(const Ball& b, bool up, int bits = 20) {
    fmpq_t q;
    fmpq_init(q);
    arf_t u;
    arf_init(u);
    if (up) arb_get_ubound_arf(u, b.raw(), kPrec);
    else arb_get_lbound_arf(u, b.raw(), kPrec);
    arf_get_fmpq(q, u);
    fmpz_t t;
    fmpz_init(t);
    fmpz_mul_2exp(t, fmpq_numref(q), static_cast<ulong>(bits));
    if (up) fmpz_cdiv_q(t, t, fmpq_denref(q));
    else fmpz_fdiv_q(t, t, fmpq_denref(q));
    Rational r;
    fmpz_t den;
    fmpz_init(den);
    fmpz_one(den);
    fmpz_mul_2exp(den, den, static_cast<ulong>(bits));
    fmpq_set_fmpz_frac(r.raw(), t, den);
    fmpz_clear(den);
    fmpz_clear(t);
    arf_clear(u);
    fmpq_clear(q);
    return r;
}

enum class Verdict { no_zero, newton_empty, newton_unique, undecided };

struct CellTest {
    Verdict verdict = Verdict::undecided;
    Ball newton;  // for newton_unique: the Newton image, which holds the fixed point
};

CellTest test_cell(const Network& n, const Rational& lo, const Rational& hi) {
    const Ball blo(lo), bhi(hi), x = Ball::hull(blo, bhi);
    const Enclosure e = forward(n, x, true);
    CellTest t;
    if (!(e.value - x).widened().contains_zero()) return t.verdict = Verdict::no_zero, t;
    const Ball slope = (e.slope - Ball(Rational(1))).widened();
    if (slope.contains_zero()) return t;
    const Rational m = (lo + hi) / Rational(2);
    const Ball bm(m);
    const Ball gm = forward(n, bm, false).value - bm;
    t.newton = (bm - gm / slope).widened();
    if (certainly_less(t.newton, blo) || certainly_less(bhi, t.newton)) t.verdict = Verdict::newton_empty;
    else if (certainly_less(blo, t.newton) && certainly_less(t.newton, bhi)) t.verdict = Verdict::newton_unique;
    return t;
}

const char* verdict_name(Verdict v) {
    return v == Verdict::no_zero ? "no_zero" : v == Verdict::newton_empty ? "newton_empty" : "newton_unique";
}

}  // namespace

FixedResult smooth_fixed_points(const Network& n, const FixedLimits& limits) {
    const auto start = std::chrono::steady_clock::now();
    FixedResult res;
    res.rule = "interval_newton";
    auto done = [&]() -> FixedResult& {
        res.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        return res;
    };
    // The last layer with a bounded activation bounds everything after it.
    std::size_t bounded = n.layers.size();
    for (std::size_t l = 0; l < n.layers.size(); ++l) {
        const Activation a = n.layers[l].activation;
        if (a == Activation::tanh || a == Activation::logistic || a == Activation::arctan || a == Activation::hardtanh) bounded = l;
    }
    if (bounded == n.layers.size()) {
        res.reason = "no layer has a bounded activation (tanh, logistic, arctan, hardtanh): the search domain is not bounded";
        return done();
    }
    res.bounded_layer = bounded;
    const Activation a = n.layers[bounded].activation;
    const Rational box_lo = a == Activation::logistic ? Rational(0) : a == Activation::arctan ? Rational(-8) / Rational(5) : Rational(-1);
    const Rational box_hi = a == Activation::arctan ? Rational(8) / Rational(5) : Rational(1);
    Network tail;
    tail.layers.assign(n.layers.begin() + static_cast<long>(bounded) + 1, n.layers.end());
    std::vector<Ball> h(n.layers[bounded].units(), Ball::hull(Ball(box_lo), Ball(box_hi)));
    for (const DenseLayer& d : tail.layers) {
        std::vector<Ball> nh(d.units());
        for (std::size_t i = 0; i < d.units(); ++i) {
            Ball z(d.bias[i]);
            for (std::size_t j = 0; j < h.size(); ++j) z = z + Ball(d.weights[i][j]) * h[j];
            nh[i] = enclose(d, z).value;
        }
        h = std::move(nh);
    }
    const Rational step = Rational(1) / Rational(1 << 20);
    res.domain_lo = grid(h[0], false) - step;
    res.domain_hi = grid(h[0], true) + step;

    // Depth-first over the domain, left to right; the split point is not the midpoint, so that a
    // rational fixed point such as 0 does not fall on a cell boundary.
    struct Todo {
        Rational lo, hi;
        int depth;
    };
    std::vector<Todo> todo{{res.domain_lo, res.domain_hi, 0}};
    const Rational split = Rational(65) / Rational(128), tiny = Rational(1) / Rational(1 << 30) / Rational(1 << 30);
    while (!todo.empty()) {
        Todo c = std::move(todo.back());
        todo.pop_back();
        if (std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count() > limits.timeout_seconds) {
            res.reason = "time limit of " + std::to_string(static_cast<long>(limits.timeout_seconds)) + " s reached";
            return done();
        }
        if (res.cells.size() > limits.max_breaks) {
            res.reason = "more than " + std::to_string(limits.max_breaks) + " cells";
            return done();
        }
        CellTest t = test_cell(n, c.lo, c.hi);
        if (t.verdict == Verdict::undecided) {
            if (c.depth > 200 || c.hi - c.lo < tiny) {
                char where[64];
                std::snprintf(where, sizeof where, "%.6g", c.lo.to_double());
                res.reason = std::string("cannot isolate the fixed points near x = ") + where +
                             " (a fixed point where f'(x) = 1, or an interval of them?)";
                return done();
            }
            const Rational s = c.lo + (c.hi - c.lo) * split;
            todo.push_back({s, c.hi, c.depth + 1});
            todo.push_back({c.lo, s, c.depth + 1});
            continue;
        }
        if (t.verdict == Verdict::newton_unique) {
            // Narrow the enclosure by Newton steps; the parts cut off hold no fixed point (the
            // cell held exactly one) and are searched like any other cell.
            for (int k = 0; k < 16 && c.hi - c.lo > tiny; ++k) {
                const Rational lo = grid(t.newton, false, 64), hi = grid(t.newton, true, 64);
                const Rational w = (hi - lo) / Rational(4) + tiny;
                const Rational a = std::max(c.lo, lo - w), b = std::min(c.hi, hi + w);
                if (a == c.lo && b == c.hi) break;
                const CellTest mid = test_cell(n, a, b);
                if (mid.verdict != Verdict::newton_unique) break;
                if (c.lo < a) todo.push_back({c.lo, a, c.depth + 1});
                if (b < c.hi) todo.push_back({b, c.hi, c.depth + 1});
                c.lo = a;
                c.hi = b;
                t = mid;
            }
            res.components.push_back({c.lo, c.hi, true});
        }
        res.cells.push_back({c.lo, c.hi, verdict_name(t.verdict)});
    }
    // Cut-off parts were searched after their neighbours: put the cells in order.
    std::sort(res.cells.begin(), res.cells.end(), [](const SearchCell& x, const SearchCell& y) { return x.lo < y.lo; });
    std::sort(res.components.begin(), res.components.end(), [](const Component& x, const Component& y) { return *x.lo < *y.lo; });
    res.decided = true;
    return done();
}

}  // namespace closecert::fixed
