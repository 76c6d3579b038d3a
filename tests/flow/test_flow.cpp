// Gradient flow (seed 003): Lemma Q's cases, the exact drift of a gradient-descent step against an
// independent exact step (central differences, exact on the quadratic pieces of the loss), and
// conservation in the limit of small steps.
#include <doctest/doctest.h>

#include <cmath>
#include <random>

#include "flow/descent.hpp"
#include "flow/shallow.hpp"
#include "seed.hpp"

using closecert::core::Rational;
using namespace closecert;
using namespace closecert::flow;

namespace {

Rational q(long p, long d = 1) { return Rational(p) / Rational(d); }

arch::Architecture dense(std::size_t in, std::size_t hidden, std::size_t out, bool bias1, bool bias2) {
    arch::Architecture a;
    a.name = "dense";
    a.input_dim = in;
    arch::Layer l1{arch::Mask(hidden, in), bias1}, l2{arch::Mask(out, hidden), bias2};
    for (std::size_t i = 0; i < hidden; ++i)
        for (std::size_t j = 0; j < in; ++j) l1.mask.set(i, j);
    for (std::size_t i = 0; i < out; ++i)
        for (std::size_t j = 0; j < hidden; ++j) l2.mask.set(i, j);
    a.layers = {l1, l2};
    return a;
}

Params zeros(const arch::Architecture& a) {
    Params p;
    p.w1.assign(a.width(1), std::vector<Rational>(a.width(0)));
    p.w2.assign(a.width(2), std::vector<Rational>(a.width(1)));
    p.b1.assign(a.width(1), Rational(0));
    p.b2.assign(a.width(2), Rational(0));
    return p;
}

Rational loss(const Params& p, const RMatrix& x, const RMatrix& y) {
    Rational total;
    for (std::size_t s = 0; s < x.size(); ++s)
        for (std::size_t i = 0; i < p.w2.size(); ++i) {
            Rational f = p.b2[i];
            for (std::size_t k = 0; k < p.w1.size(); ++k) {
                Rational z = p.b1[k];
                for (std::size_t j = 0; j < x[s].size(); ++j) z += p.w1[k][j] * x[s][j];
                if (z.sign() > 0) f += p.w2[i][k] * z;
            }
            total += (f - y[s][i]) * (f - y[s][i]);
        }
    return total / Rational(2 * static_cast<long>(x.size()));
}

}  // namespace

TEST_CASE("Lemma Q: a unit's quadric splits iff c > 0 with one incoming parameter or c < 0 with one outgoing") {
    // Two inputs without bias into unit 0, one input into unit 1; one output, so q = 1 for both.
    arch::Architecture a = dense(2, 2, 1, false, false);
    a.layers[0].mask.set(1, 1, false);
    Params p = zeros(a);
    p.w1[0] = {q(1), q(1)};   // |w|^2 = 2
    p.w1[1] = {q(-3), q(0)};  // one incoming parameter
    p.w2[0] = {q(1), q(2)};
    Invariants inv = invariants(a, p);
    CHECK(inv.units[0].c == q(1));    // c > 0, p = 2: connected
    CHECK(!inv.units[0].split);
    CHECK(inv.units[1].c == q(5));    // c > 0, p = 1: two components, w < 0 here
    CHECK(inv.units[1].split);
    CHECK(inv.units[1].side == -1);
    p.w2[0] = {q(2), q(2)};           // c_0 = -2 < 0, q = 1: split by the outgoing weight
    inv = invariants(a, p);
    CHECK(inv.units[0].split);
    CHECK(inv.units[0].side == 1);
    CHECK(inv.split_units == 2);
    p.w2[0][0] = q(0);                // c_0 = 2 > 0 with p = 2: connected again
    CHECK(!invariants(a, p).units[0].split);
    // c = 0: the cone, connected.
    p.w1[0] = {q(1), q(0)};
    p.w2[0][0] = q(1);
    CHECK(!invariants(a, p).units[0].split);
}

TEST_CASE("interchangeable split units: 2^s components, s + 1 up to permutation") {
    arch::Architecture a = dense(1, 3, 1, true, false);
    Params p = zeros(a);
    for (std::size_t k = 0; k < 3; ++k) p.w1[k] = {q(1)}, p.w2[0][k] = q(k == 1 ? -2 : 2);
    const Invariants inv = invariants(a, p);
    CHECK(inv.split_units == 3);
    CHECK(inv.units[0].cls == inv.units[1].cls);
    CHECK(inv.components_up_to_symmetry == core::Integer(4));
    Params t = p;
    t.w2[0][1] = q(2);
    const Reach r = reach(inv, invariants(a, t));
    CHECK(r.unreachable);
    CHECK(r.unit == 1);
    CHECK(r.why == "side");
}

TEST_CASE("the drift of one gradient-descent step is exact (against an independent exact step)") {
    std::mt19937_64 rng(closecert::test::seed("flow-drift"));
    std::uniform_int_distribution<int> coef(-9, 9);
    const arch::Architecture a = dense(2, 3, 2, true, true);
    const RMatrix x = {{q(1), q(-1, 2)}, {q(1, 3), q(2)}, {q(-1), q(1, 4)}}, y = {{q(1), q(0)}, {q(-1, 2), q(3)}, {q(2), q(1)}};
    const Rational h = q(1, 1000000), eta = q(1, 7);
    int tested = 0;
    for (int trial = 0; trial < 40 && tested < 15; ++trial) {
        Params p = zeros(a);
        auto all = [&p]() {
            std::vector<Rational*> v;
            for (auto& r : p.w1) for (auto& e : r) v.push_back(&e);
            for (auto& e : p.b1) v.push_back(&e);
            for (auto& r : p.w2) for (auto& e : r) v.push_back(&e);
            for (auto& e : p.b2) v.push_back(&e);
            return v;
        };
        for (Rational* e : all()) *e = q(coef(rng), 4);
        // Central differences are exact on a quadratic piece: keep every pre-activation away from 0.
        bool clear = true;
        for (const auto& xs : x)
            for (std::size_t k = 0; k < 3; ++k) {
                Rational z = p.b1[k] + p.w1[k][0] * xs[0] + p.w1[k][1] * xs[1];
                clear = clear && z.abs() > q(1, 100);
            }
        if (!clear) continue;
        ++tested;
        Params next = p;
        const auto params = all();
        std::vector<Rational*> next_params;
        for (auto& r : next.w1) for (auto& e : r) next_params.push_back(&e);
        for (auto& e : next.b1) next_params.push_back(&e);
        for (auto& r : next.w2) for (auto& e : r) next_params.push_back(&e);
        for (auto& e : next.b2) next_params.push_back(&e);
        for (std::size_t i = 0; i < params.size(); ++i) {
            const Rational keep = *params[i];
            *params[i] = keep + h;
            const Rational up = loss(p, x, y);
            *params[i] = keep - h;
            const Rational down = loss(p, x, y);
            *params[i] = keep;
            *next_params[i] = keep - eta * (up - down) / (Rational(2) * h);
        }
        const Invariants before = invariants(a, p), after = invariants(a, next);
        const std::vector<Rational> drift = gd_drift(a, p, x, y, eta);
        for (std::size_t k = 0; k < 3; ++k) CHECK(after.units[k].c - before.units[k].c == drift[k]);
    }
    CHECK(tested >= 10);
}

TEST_CASE("gradient descent conserves the invariants in the limit of small steps") {
    const arch::Architecture a = dense(1, 2, 1, true, false);
    Params p = zeros(a);
    p.w1 = {{q(1, 2)}, {q(-1, 2)}};
    p.b1 = {q(1, 10), q(-1, 10)};
    p.w2 = {{q(2), q(1, 4)}};
    const RMatrix x = {{q(-1)}, {q(-1, 2)}, {q(1, 2)}, {q(1)}}, y = {{q(1)}, {q(1, 2)}, {q(1, 2)}, {q(1)}};
    // The same time horizon (eta * steps = 20) with steps 10 times smaller: the drift of c_k falls
    // about tenfold (it is eta^2 per step), so the flow itself conserves c_k.
    auto drift = [&](double eta, long steps) {
        const auto log = descend(a, p, x, y, eta, steps);
        double d = 0;
        for (std::size_t k = 0; k < 2; ++k) d = std::max(d, std::abs(log.back().c[k] - log.front().c[k]));
        return d;
    };
    const double coarse = drift(0.1, 200), fine = drift(0.01, 2000);
    CHECK(coarse > 0);
    CHECK(fine < coarse / 5);
    CHECK(fine < 1e-2);
}
