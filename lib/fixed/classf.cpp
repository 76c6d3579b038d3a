#include "fixed/classf.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <stdexcept>
#include <utility>

#include "fixed/ball.hpp"

namespace closecert::fixed {

using core::Integer;
using core::Rational;

namespace {

Ball sigma(const Ball& x) {
    Ball e;
    arb_neg(e.raw(), x.raw());
    arb_exp(e.raw(), e.raw(), kPrec);
    const Ball one(Rational(1));
    return one / (one + e);
}

// The state variable t(x) in which f' and the ratios f''/f', f'''/f' are polynomial or rational
// (docs/fixed.md, table of Lemma S): tanh x for tanh, the logistic function for logistic, softplus
// and silu, x itself for arctan. It increases in x.
Ball state(Function f, const Ball& x) {
    if (f == Function::arctan) return x;
    if (f == Function::tanh) {
        Ball r;
        arb_tanh(r.raw(), x.raw(), kPrec);
        return r;
    }
    return sigma(x);
}

Ball value(Function f, const Ball& x) {
    Ball r;
    switch (f) {
    case Function::tanh: arb_tanh(r.raw(), x.raw(), kPrec); return r;
    case Function::arctan: arb_atan(r.raw(), x.raw(), kPrec); return r;
    case Function::softplus: arb_exp(r.raw(), x.raw(), kPrec); arb_log1p(r.raw(), r.raw(), kPrec); return r;
    case Function::silu: return x * sigma(x);
    default: return sigma(x);
    }
}

// f', the ratios f''/f' and f'''/f', and the Schwarzian S f = f'''/f' - (3/2) (f''/f')^2 in closed
// form where the algebra of docs/fixed.md simplifies it (interval arithmetic would lose the
// cancellation of the two terms); silu uses the two ratios.
struct Jet {
    Ball d1, r1, r2;
    std::optional<Ball> closed;
    Ball schwarzian() const { return closed ? *closed : r2 - Ball(Rational(Integer(3), Integer(2))) * r1 * r1; }
};

// f' and the two ratios over x (a ball), t enclosing state(x).
Jet jet(Function f, const Ball& x, const Ball& t) {
    const Ball one(Rational(1)), two(Rational(2)), three(Rational(3)), six(Rational(6));
    const Ball half(Rational(Integer(1), Integer(2))), zero(Rational(0));
    switch (f) {
    case Function::tanh: return {one - t * t, Ball(Rational(-2)) * t, six * t * t - two, Ball(Rational(-2))};
    case Function::logistic: return {t * (one - t), one - two * t, one - six * t + six * t * t, zero - half};
    case Function::softplus: return {t, one - t, (one - t) * (one - two * t), zero - half * (one - t) * (one + t)};
    case Function::arctan: {
        const Ball q = one + x * x;
        return {one / q, Ball(Rational(-2)) * x / q, (six * x * x - two) / (q * q), Ball(Rational(-2)) / (q * q)};
    }
    default: {  // silu: f' = t g with g = 1 + x (1 - t)
        const Ball g = one + x * (one - t), u = one - two * t;
        return {t * g, (one - t) * (two + x * u) / g, (one - t) * (u * (three + x * u) - two * x * t * (one - t)) / g, std::nullopt};
    }
    }
}

// b with 2^-100 added to its radius: the checker evaluates the same formulas over the same cell
// with enclosures of the state at the ends that differ from Arb's by far less.
Ball padded(const Ball& b) {
    Ball r(b);
    arb_add_error_2exp_si(r.raw(), -100);
    return r;
}

// Whether the criterion holds on [a, b] (the state t increases, so it lies between its values at
// the ends).
bool cell_holds(Function f, const Rational& a, const Rational& b) {
    const Ball x = Ball::hull(Ball(a), Ball(b));
    const Ball t = Ball::hull(state(f, Ball(a)), state(f, Ball(b)));
    const Jet j = jet(f, x, t);
    return padded(j.d1).positive() && padded(j.schwarzian()).negative();
}

// Approximate f and f' for the search (doubles; the answer is then proved with balls).
double approx_value(Function f, double slope, double x) {
    const double s = 1 / (1 + std::exp(-x));
    switch (f) {
    case Function::tanh: return std::tanh(x);
    case Function::arctan: return std::atan(x);
    case Function::softplus: return std::log1p(std::exp(x));
    case Function::silu: return x * s;
    case Function::leaky_relu: return x < 0 ? slope * x : x;
    default: return s;
    }
}
double approx_slope(Function f, double slope, double x) {
    const double s = 1 / (1 + std::exp(-x));
    switch (f) {
    case Function::tanh: return 1 - std::tanh(x) * std::tanh(x);
    case Function::arctan: return 1 / (1 + x * x);
    case Function::softplus: return s;
    case Function::silu: return s * (1 + x * (1 - s));
    case Function::leaky_relu: return x < 0 ? slope : 1;
    default: return s * (1 - s);
    }
}
double approx_chi(Function f, double slope, double x, double y) {
    const double d = approx_value(f, slope, x) - approx_value(f, slope, y);
    if (d == 0) return 0;
    return approx_slope(f, slope, x) * approx_slope(f, slope, y) * (x - y) * (x - y) / (d * d);
}

// Rational on the grid 2^-20 nearest to v, kept inside [lo, hi].
Rational dyadic(double v, const Rational& lo, const Rational& hi) {
    Rational r(Integer(static_cast<long>(std::llround(v * 1048576.0))), Integer(1048576));
    if (r < lo) r = lo;
    if (hi < r) r = hi;
    return r;
}

// chi_f(x, y) > 1, proved: exactly for leaky_relu (away from the kink), with balls otherwise.
bool chi_exceeds_one(const ClassFQuery& q, const Rational& x, const Rational& y) {
    if (q.function == Function::leaky_relu) {
        if (x.is_zero() || y.is_zero() || x == y) return false;
        auto val = [&](const Rational& v) { return v < Rational(0) ? q.slope * v : v; };
        auto der = [&](const Rational& v) { return v < Rational(0) ? q.slope : Rational(1); };
        const Rational d = val(x) - val(y);
        return (x - y) * (x - y) * der(x) * der(y) > d * d;
    }
    const Ball bx(x), by(y);
    const Ball dx = jet(q.function, bx, state(q.function, bx)).d1, dy = jet(q.function, by, state(q.function, by)).d1;
    const Ball diff = value(q.function, bx) - value(q.function, by);
    if (diff.contains_zero()) return false;
    const Ball gap = bx - by;
    return (dx * dy * gap * gap / (diff * diff) - Ball(Rational(1))).widened().positive();
}

// The largest chi on a grid over the box, refined around its best point.
std::pair<double, double> chi_search(const ClassFQuery& q, double& best) {
    const double lo = q.lo.to_double(), hi = q.hi.to_double(), slope = q.slope.to_double();
    const double min_gap = (hi - lo) / 1000;
    double bx = lo, by = hi;
    best = 0;
    auto scan = [&](double xl, double xh, double yl, double yh, int n) {
        for (int i = 0; i <= n; ++i)
            for (int k = 0; k <= n; ++k) {
                const double x = std::clamp(xl + (xh - xl) * i / n, lo, hi), y = std::clamp(yl + (yh - yl) * k / n, lo, hi);
                if (y - x < min_gap) continue;
                const double c = approx_chi(q.function, slope, x, y);
                if (c > best) best = c, bx = x, by = y;
            }
    };
    scan(lo, hi, lo, hi, 400);
    for (double r = (hi - lo) / 100; r > (hi - lo) * 1e-7; r /= 10) scan(bx - r, bx + r, by - r, by + r, 40);
    return {bx, by};
}

double lower_d(const Ball& b) { return b.lower().mid(); }
double upper_d(const Ball& b) { return b.upper().mid(); }

}  // namespace

PointJet jet_at(Function f, const Rational& x) {
    if (f == Function::leaky_relu) throw std::invalid_argument("jet_at: leaky_relu is not C^3");
    const Ball bx(x);
    const Jet j = jet(f, bx, state(f, bx));
    const Ball s = j.schwarzian();
    return {lower_d(j.d1), upper_d(j.d1), lower_d(s), upper_d(s)};
}

ClassFResult class_f(const ClassFQuery& q) {
    const auto start = std::chrono::steady_clock::now();
    if (!(q.lo < q.hi)) throw std::invalid_argument("the box is empty: its lower end is not below its upper end");
    if (q.lo < Rational(-kMaxBox) || Rational(kMaxBox) < q.hi)
        throw std::invalid_argument("the box must lie in [-" + std::to_string(kMaxBox) + ", " + std::to_string(kMaxBox) + "]");
    if (q.function == Function::leaky_relu && !(Rational(0) < q.slope))
        throw std::invalid_argument("leaky_relu needs a slope > 0");
    const auto deadline = start + std::chrono::duration<double>(q.timeout_seconds);
    ClassFResult res;
    auto finish = [&]() -> ClassFResult {
        res.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        return std::move(res);
    };

    // Membership: bisect the box, left to right, until S f <= 0 < f' holds on every cell.
    std::string why;
    if (q.function == Function::leaky_relu) {
        why = "leaky_relu is not C^1 at 0, so the Schwarzian criterion does not apply";
    } else {
        const Rational min_width = (q.hi - q.lo) / Rational(1L << 30);
        std::vector<std::pair<Rational, Rational>> todo{{q.lo, q.hi}};
        std::vector<Rational> cells{q.lo};
        while (!todo.empty()) {
            if (std::chrono::steady_clock::now() > deadline) return res.reason = "time limit", finish();
            auto [a, b] = todo.back();
            todo.pop_back();
            if (cell_holds(q.function, a, b)) {
                cells.push_back(b);
                continue;
            }
            const Rational m = (a + b) / Rational(2);
            if (b - a < min_width || cells.size() + todo.size() >= q.max_cells) {
                const Ball bm(m);
                const Jet j = jet(q.function, bm, state(q.function, bm));
                if (j.d1.widened().positive() && j.schwarzian().widened().positive()) res.schwarzian_positive = m;
                why = j.d1.positive() ? "the Schwarzian criterion fails near x = " + std::to_string(m.to_double())
                                      : "f' is not positive near x = " + std::to_string(m.to_double());
                break;
            }
            todo.push_back({m, b});
            todo.push_back({a, m});
        }
        if (why.empty()) {
            res.verdict = ClassFResult::Verdict::member;
            res.cells = std::move(cells);
            return finish();
        }
    }

    // Non-membership: a point with chi > 1.
    double best = 0;
    const auto [x, y] = chi_search(q, best);
    if (best > 1 + 1e-9) {
        Rational rx = dyadic(x, q.lo, q.hi), ry = dyadic(y, q.lo, q.hi);
        if (q.function == Function::leaky_relu) {  // keep off the kink
            if (rx.is_zero()) rx = dyadic(x < 0 ? -1.0 / 1048576 : 1.0 / 1048576, q.lo, q.hi);
            if (ry.is_zero()) ry = dyadic(y < 0 ? -1.0 / 1048576 : 1.0 / 1048576, q.lo, q.hi);
        }
        if (rx < ry && chi_exceeds_one(q, rx, ry)) {
            res.verdict = ClassFResult::Verdict::not_member;
            res.x = rx, res.y = ry, res.chi = best;
            return finish();
        }
    }
    char max_text[32];
    std::snprintf(max_text, sizeof max_text, "%.6g", best);
    res.reason = why + "; no point with chi > 1 was proved (largest approximate chi " + max_text + ")";
    return finish();
}

}  // namespace closecert::fixed
