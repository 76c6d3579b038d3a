// Rule interval_newton of kind "fixed" (docs/fixed.md, Lemma N): the search domain holds the
// range of f; its cells, left to right, each hold no fixed point (f(X) - X excludes 0, or the
// Newton image misses X) or exactly one (the Newton image lies inside X). All enclosures are
// recomputed here with the checker's own interval arithmetic (interval.cpp).
#include "fixed.hpp"
#include "interval.hpp"

#include <cstdio>

namespace verify {

namespace {

Iv value_at(const FixedLayer& l, const Rational& z) {
    switch (l.act) {
    case Act::identity: return point(z);
    case Act::relu: return point(z < 0 ? Rational(0) : z);
    case Act::leaky_relu: return point(z < 0 ? Rational(l.slope * z) : z);
    case Act::hardtanh: return point(z > 1 ? Rational(1) : z < -1 ? Rational(-1) : z);
    case Act::tanh: return tanh_at(z);
    case Act::logistic: return logistic_at(z);
    case Act::arctan: return atan_at(z);
    case Act::softplus: return softplus_at(z);
    }
    return point(z);
}

// The derivative of a smooth activation at a point.
Iv slope_at(Act a, const Rational& z) {
    if (a == Act::arctan) return point(1 / (1 + z * z));
    if (a == Act::softplus) return logistic_at(z);
    if (a == Act::tanh) {  // 1 - tanh^2, tanh clamped to [-1, 1]
        const Iv t = tanh_at(z);
        const Rational lo = std::max(t.lo, Rational(-1)), hi = std::min(t.hi, Rational(1));
        const Rational sq_hi = std::max(lo * lo, hi * hi), sq_lo = lo <= 0 && 0 <= hi ? Rational(0) : std::min(lo * lo, hi * hi);
        return {1 - sq_hi, 1 - sq_lo};
    }
    const Iv s = logistic_at(z);  // s (1 - s), s clamped to [0, 1]
    const Rational lo = std::max(s.lo, Rational(0)), hi = std::min(s.hi, Rational(1));
    return {lo * (1 - hi), hi * (1 - lo)};
}

struct Enclosure {
    Iv value, slope;
};

// Activations are non-decreasing: the range over [a, b] is [σ(a), σ(b)]. Slopes: the pieces met
// (piecewise linear), decreasing in |z| (tanh, logistic, arctan), increasing (softplus).
Enclosure enclose(const FixedLayer& l, const Iv& z) {
    Enclosure e{{value_at(l, z.lo).lo, value_at(l, z.hi).hi}, {}};
    const Rational& a = z.lo;
    const Rational& b = z.hi;
    const Iv one = point(Rational(1)), zero = point(Rational(0)), both = {Rational(0), Rational(1)};
    switch (l.act) {
    case Act::identity: e.slope = one; break;
    case Act::relu: e.slope = a > 0 ? one : b < 0 ? zero : both; break;
    case Act::leaky_relu: e.slope = a > 0 ? one : b < 0 ? point(l.slope) : Iv{std::min(l.slope, Rational(1)), std::max(l.slope, Rational(1))}; break;
    case Act::hardtanh: e.slope = a > -1 && b < 1 ? one : b < -1 || a > 1 ? zero : both; break;
    case Act::softplus: e.slope = {logistic_at(a).lo, logistic_at(b).hi}; break;
    default: {
        const Rational& far = abs(a) > abs(b) ? a : b;
        const Rational near = a > 0 ? a : b < 0 ? b : Rational(0);
        e.slope = {slope_at(l.act, far).lo, slope_at(l.act, near).hi};
    }
    }
    return e;
}

// f and f' over x, layer by layer from `first` on, the inputs of layer `first` being h.
Enclosure forward(const Net& net, std::size_t first, std::vector<Iv> h, std::vector<Iv> dh, bool with_slope) {
    for (std::size_t l = first; l < net.layers.size(); ++l) {
        const FixedLayer& L = net.layers[l];
        std::vector<Iv> nh(L.w.size()), ndh(L.w.size());
        for (std::size_t i = 0; i < L.w.size(); ++i) {
            Iv z = point(L.b[i]), dz = point(Rational(0));
            for (std::size_t j = 0; j < h.size(); ++j) {
                if (L.w[i][j] == 0) continue;
                z = add(z, mul(point(L.w[i][j]), h[j]));
                if (with_slope) dz = add(dz, mul(point(L.w[i][j]), dh[j]));
            }
            const Enclosure e = enclose(L, round_out(z));
            nh[i] = round_out(e.value);
            if (with_slope) ndh[i] = round_out(mul(e.slope, dz));
        }
        charge(static_cast<long long>(L.w.size() * (h.size() + 50)), "proof.cells");
        h = std::move(nh);
        dh = std::move(ndh);
    }
    return {h[0], with_slope ? dh[0] : Iv{}};
}

std::string approx(const Rational& x) {
    char buf[48];
    std::snprintf(buf, sizeof buf, "%.9g", static_cast<double>(x));
    return buf;
}

}  // namespace

FixedFacts check_interval_newton(const Net& net, const json& proof, Tally& tally) {
    const json& dom = array(field(proof, "domain", "proof"), "proof.domain");
    if (dom.size() != 2) throw Reject("proof.domain", "expected [lo, hi]");
    const Rational dlo = rational(dom[0], "proof.domain[0]"), dhi = rational(dom[1], "proof.domain[1]");
    const long bl = integer(field(proof, "bounded_layer", "proof"), "proof.bounded_layer", 0, static_cast<long>(net.layers.size()) - 1);
    const Act ba = net.layers[static_cast<std::size_t>(bl)].act;
    // The activation's range: tanh, hardtanh in [-1, 1], logistic in [0, 1], arctan in (-pi/2, pi/2) ⊂ [-8/5, 8/5].
    Iv box;
    if (ba == Act::tanh || ba == Act::hardtanh) box = {Rational(-1), Rational(1)};
    else if (ba == Act::logistic) box = {Rational(0), Rational(1)};
    else if (ba == Act::arctan) box = {Rational(-8, 5), Rational(8, 5)};
    else throw Reject("proof.bounded_layer", "the activation of that layer is not bounded");
    // Every fixed point x = f(x) lies in the range of f, enclosed from that layer's box on.
    const std::size_t units = net.layers[static_cast<std::size_t>(bl)].w.size();
    const Iv range = forward(net, static_cast<std::size_t>(bl) + 1, std::vector<Iv>(units, box), std::vector<Iv>(units), false).value;
    if (range.lo < dlo || range.hi > dhi)
        throw Reject("proof.domain", "does not hold the range of f, enclosed in [" + approx(range.lo) + ", " + approx(range.hi) + "]");
    const json& cells = array(field(proof, "cells", "proof"), "proof.cells");
    if (cells.empty() || cells.size() > kMaxListed) throw Reject("proof.cells", "expected 1 to 2^20 cells");
    FixedFacts facts;
    Rational prev = dlo;
    for (std::size_t k = 0; k < cells.size(); ++k) {
        const std::string cp = at("proof.cells", k);
        const json& c = array(cells[k], cp);
        if (c.size() != 3) throw Reject(cp, "expected [lo, hi, verdict]");
        const Rational lo = rational(c[0], at(cp, 0)), hi = rational(c[1], at(cp, 1));
        const std::string verdict = str(c[2], at(cp, 2));
        if (lo != prev) throw Reject(at(cp, 0), "the cells must cover the domain from left to right without gaps");
        if (!(lo < hi)) throw Reject(cp, "empty cell");
        if (k + 1 == cells.size() && hi != dhi) throw Reject(at(cp, 1), "the last cell must end at the domain's end");
        prev = hi;
        const Iv x = {lo, hi};
        const Enclosure e = forward(net, 0, {x}, {point(Rational(1))}, true);
        ++tally.checked;
        if (verdict == "no_zero") {
            if (contains_zero(sub(e.value, x))) throw Reject(cp, "f(x) - x may vanish on the cell");
            continue;
        }
        if (verdict != "newton_empty" && verdict != "newton_unique") throw Reject(at(cp, 2), "unknown verdict '" + verdict + "'");
        const Iv slope = sub(e.slope, point(Rational(1)));
        if (contains_zero(slope)) throw Reject(cp, "the derivative of f(x) - x may vanish on the cell");
        const Rational m = (lo + hi) / 2;
        const Iv gm = sub(forward(net, 0, {point(m)}, {point(Rational(1))}, false).value, point(m));
        const Iv newton = sub(point(m), div(gm, slope));
        if (verdict == "newton_empty") {
            if (!(newton.hi < lo || newton.lo > hi)) throw Reject(cp, "the Newton image meets the cell");
            continue;
        }
        if (!(lo < newton.lo && newton.hi < hi)) throw Reject(cp, "the Newton image is not inside the cell");
        facts.components.push_back({{"isolated", {lo.str(), hi.str()}}});
        if (facts.points < 16) facts.listed += (facts.points ? ", " : "") + approx((lo + hi) / 2);
        ++facts.points;
    }
    return facts;
}

}  // namespace verify
