// Kind "classf" (docs/fixed.md, "Class F"): an activation on a box [lo, hi] is in the class F of
// seed 004 (rule schwarzian_cells: f' > 0 and S f <= 0 on every cell of a partition of the box,
// Lemmas S and C) or is not (rule chi_point: chi_f(x, y) > 1 at two points of the box). Every
// enclosure is recomputed here with the checker's own interval arithmetic (interval.cpp).
#include "interval.hpp"
#include "verify.hpp"

namespace verify {

namespace {

enum class Fn { tanh, logistic, arctan, softplus, silu, leaky_relu };

Fn function_of(const std::string& name, const std::string& path) {
    static const std::pair<const char*, Fn> names[] = {{"tanh", Fn::tanh},         {"logistic", Fn::logistic}, {"arctan", Fn::arctan},
                                                       {"softplus", Fn::softplus}, {"silu", Fn::silu},         {"leaky_relu", Fn::leaky_relu}};
    for (const auto& [n, f] : names)
        if (name == n) return f;
    throw Reject(path, "unknown function \"" + name + "\"");
}

Iv cst(long n, long d = 1) { return point(Rational(n, d)); }

// The state t(x): tanh x, the logistic function (logistic, softplus, silu), or x (arctan).
Iv state_at(Fn f, const Rational& x) {
    if (f == Fn::arctan) return point(x);
    if (f == Fn::tanh) return tanh_at(x);
    return logistic_at(x);
}

Iv value_at(Fn f, const Rational& x) {
    switch (f) {
    case Fn::tanh: return tanh_at(x);
    case Fn::arctan: return atan_at(x);
    case Fn::softplus: return softplus_at(x);
    case Fn::silu: return round_out(mul(point(x), logistic_at(x)));
    default: return logistic_at(x);
    }
}

struct Jet {
    Iv d1, s;  // f' and the Schwarzian
};

// Over x with the state in t. The closed forms (docs/fixed.md, Lemma S's table): tanh -2, logistic
// -1/2, softplus -(1 - t)(1 + t)/2, arctan -2/(1 + x^2)^2; silu from f' = t g, g = 1 + x(1 - t),
// f''/f' = (1 - t)(2 + x u)/g and f'''/f' = (1 - t)(u (3 + x u) - 2 x t (1 - t))/g with u = 1 - 2t.
Jet jet(Fn f, const Iv& x, const Iv& t) {
    const Iv one = cst(1), two = cst(2), omt = sub(one, t);
    switch (f) {
    case Fn::tanh: return {sub(one, mul(t, t)), cst(-2)};
    case Fn::logistic: return {mul(t, omt), cst(-1, 2)};
    case Fn::softplus: return {t, mul(cst(-1, 2), mul(omt, add(one, t)))};
    case Fn::arctan: {
        const Iv q = add(one, mul(x, x));
        return {div(one, q), div(cst(-2), mul(q, q))};
    }
    default: {
        const Iv g = add(one, mul(x, omt)), u = sub(one, mul(two, t));
        if (contains_zero(g)) return {sub(cst(0), cst(1)), cst(1)};  // f' not shown positive: the cell fails
        const Iv r1 = div(mul(omt, add(two, mul(x, u))), g);
        const Iv r2 = div(mul(omt, sub(mul(u, add(cst(3), mul(x, u))), mul(mul(two, x), mul(t, omt)))), g);
        return {mul(t, g), sub(r2, mul(cst(3, 2), mul(r1, r1)))};
    }
    }
}

// chi_f(x, y) = f'(x) f'(y) ((x - y)/(f(x) - f(y)))^2 > 1.
bool chi_above_one(Fn f, const Rational& slope, const Rational& x, const Rational& y) {
    if (f == Fn::leaky_relu) {
        auto val = [&](const Rational& v) { return v < 0 ? Rational(slope * v) : v; };
        auto der = [&](const Rational& v) { return v < 0 ? slope : Rational(1); };
        const Rational d = val(x) - val(y);
        return d != 0 && der(x) * der(y) * (x - y) * (x - y) > d * d;
    }
    const Iv dx = jet(f, point(x), state_at(f, x)).d1, dy = jet(f, point(y), state_at(f, y)).d1;
    const Iv d = sub(value_at(f, x), value_at(f, y));
    if (contains_zero(d)) return false;
    const Iv chi = div(mul(mul(dx, dy), point((x - y) * (x - y))), mul(d, d));
    return chi.lo > 1;
}

}  // namespace

KindResult check_classf(const json& cert, const json* input, const std::string&, Tally& tally) {
    if (input) throw ArchFileError("a classf certificate takes no second argument");
    const json& fj = field(cert, "function", "");
    const Fn f = function_of(str(field(fj, "name", "function"), "function.name"), "function.name");
    Rational slope(0);
    if (f == Fn::leaky_relu) {
        slope = rational(field(fj, "slope", "function"), "function.slope");
        if (slope <= 0) throw Reject("function.slope", "must be > 0");
    } else if (has(fj, "slope")) {
        throw Reject("function.slope", "only leaky_relu has a slope");
    }
    const json& box = array(field(cert, "box", ""), "box");
    if (box.size() != 2) throw Reject("box", "expected [lo, hi]");
    const Rational lo = rational(box[0], "box[0]"), hi = rational(box[1], "box[1]");
    if (!(lo < hi)) throw Reject("box", "lo is not below hi");
    if (lo < -64 || hi > 64) throw Reject("box", "beyond the checker's limit [-64, 64]");
    const std::string claim = str(field(cert, "claim", ""), "claim");
    const json& proof = field(cert, "proof", "");
    const std::string rule = str(field(proof, "rule", "proof"), "proof.rule");
    const std::string name = fj["name"].get<std::string>() + (f == Fn::leaky_relu ? " (slope " + slope.str() + ")" : "");
    const std::string where = name + " on [" + lo.str() + ", " + hi.str() + "]";
    KindResult res;
    if (claim == "member") {
        if (rule != "schwarzian_cells") throw Reject("proof.rule", "a member claim needs rule \"schwarzian_cells\"");
        if (f == Fn::leaky_relu) throw Reject("function.name", "leaky_relu is not C^1: the Schwarzian criterion does not apply");
        const json& cj = array(field(proof, "cells", "proof"), "proof.cells");
        if (cj.size() < 2 || cj.size() > kMaxListed) throw Reject("proof.cells", "needs between 2 and 2^20 partition points");
        Rational a = rational(cj[0], "proof.cells[0]");
        if (a != lo) throw Reject("proof.cells[0]", "is not the box's lower end");
        for (std::size_t k = 1; k < cj.size(); ++k) {
            const std::string p = at("proof.cells", k);
            const Rational b = rational(cj[k], p);
            if (!(a < b)) throw Reject(p, "not increasing");
            if (b > hi) throw Reject(p, "beyond the box");
            charge(64, p);
            const Iv t_a = state_at(f, a), t_b = state_at(f, b);
            const Jet j = jet(f, {a, b}, {t_a.lo, t_b.hi});
            if (!(j.d1.lo > 0)) throw Reject(p, "f' is not shown positive on [" + a.str() + ", " + b.str() + "]");
            if (!(j.s.hi <= 0)) throw Reject(p, "S f is not shown <= 0 on [" + a.str() + ", " + b.str() + "]");
            ++tally.checked;
            a = b;
        }
        if (a != hi) throw Reject("proof.cells", "the last point is not the box's upper end");
        res.summary = where + ": in the class F (f' > 0 and S f <= 0 on " + std::to_string(cj.size() - 1) + (cj.size() == 2 ? " cell)" : " cells)");
    } else if (claim == "not_member") {
        if (rule != "chi_point") throw Reject("proof.rule", "a not_member claim needs rule \"chi_point\"");
        const Rational x = rational(field(proof, "x", "proof"), "proof.x"), y = rational(field(proof, "y", "proof"), "proof.y");
        if (x < lo || y > hi || !(x < y)) throw Reject("proof", "needs lo <= x < y <= hi");
        if (f == Fn::leaky_relu && (x == 0 || y == 0)) throw Reject("proof", "x and y must avoid the kink at 0");
        if (!chi_above_one(f, slope, x, y)) throw Reject("proof", "chi_f(x, y) > 1 is not shown");
        ++tally.checked;
        res.summary = where + ": not in the class F (chi_f(" + x.str() + ", " + y.str() + ") > 1)";
    } else {
        throw Reject("claim", "expected \"member\" or \"not_member\"");
    }
    res.facts = {{"function", fj["name"]}, {"box", {lo.str(), hi.str()}}, {"claim", claim}, {"rule", rule}};
    return res;
}

}  // namespace verify
