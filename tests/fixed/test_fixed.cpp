// Fixed points of 1-D networks: known answers with proofs, and a randomised comparison with an
// exact dense scan of g(x) = f(x) - x.
#include <doctest/doctest.h>

#include <random>

#include "fixed/fixed_points.hpp"
#include "fixed/pwl.hpp"
#include "seed.hpp"

using closecert::core::Rational;
using namespace closecert::fixed;

namespace {

Rational q(long p, long d = 1) { return Rational(p) / Rational(d); }

DenseLayer layer(std::vector<std::vector<Rational>> w, std::vector<Rational> b, Activation a) {
    DenseLayer d;
    d.weights = std::move(w);
    d.bias = std::move(b);
    d.activation = a;
    return d;
}

// The tent map T(x) = 2 relu(x) - 4 relu(x - 1/2), iterated L times: width 2, depth L + 1.
Network tent(int L) {
    Network n;
    n.layers.push_back(layer({{q(1)}, {q(1)}}, {q(0), q(-1, 2)}, Activation::relu));
    for (int k = 1; k < L; ++k) n.layers.push_back(layer({{q(2), q(-4)}, {q(2), q(-4)}}, {q(0), q(-1, 2)}, Activation::relu));
    n.layers.push_back(layer({{q(2), q(-4)}}, {q(0)}, Activation::identity));
    return n;
}

void expect_points(const FixedResult& r, const std::vector<Rational>& want) {
    REQUIRE(r.decided);
    REQUIRE(r.components.size() == want.size());
    for (std::size_t k = 0; k < want.size(); ++k) {
        CHECK(r.components[k].point());
        CHECK(*r.components[k].lo == want[k]);
    }
}

}  // namespace

TEST_CASE("a piecewise affine sum is minimal and exact") {
    const Pwl x = Pwl::affine(q(1), q(0));
    const Pwl r = apply_ramp(x, q(0), q(0), q(0), q(1));  // relu
    const Pwl s = r.scaled_plus(q(-1), apply_ramp(x, q(1), q(1), q(1), q(0)));  // min(x, 1) - relu(x)
    // min(x,1) - relu(x) = x for x < 0, 0 on [0, 1], 1 - x beyond: breaks 0 and 1.
    REQUIRE(s.breaks.size() == 2);
    CHECK(s.at(q(-3)) == q(-3));
    CHECK(s.at(q(1, 2)) == q(0));
    CHECK(s.at(q(5)) == q(-4));
    // relu(-x) - relu(x) = -x: the kink cancels and minimise removes it.
    const Pwl neg = r.scaled_plus(q(-1), apply_ramp(Pwl::affine(q(-1), q(0)), q(0), q(0), q(0), q(1)));
    CHECK(neg.breaks.empty());
    CHECK(neg.pieces[0] == Affine{q(-1), q(0)});
}

TEST_CASE("the tent map iterated L times has 2^L fixed points, all in [0, 1]") {
    for (int L = 1; L <= 9; ++L) {
        const Network n = tent(L);
        const FixedResult r = fixed_points(n);
        REQUIRE(r.decided);
        CHECK(r.components.size() == (std::size_t{1} << L));
        // The laps on [0, 1] and the flat tails (for L = 1 the last lap continues beyond 1).
        CHECK(r.pieces == (std::size_t{1} << L) + (L == 1 ? 1 : 2));
        for (const Component& c : r.components) {
            REQUIRE(c.point());
            CHECK(evaluate(n, *c.lo) == *c.lo);
            CHECK(c.lo->sign() >= 0);
            CHECK(*c.lo < q(1));
        }
    }
    // T^2: 0, 2/5, 2/3, 4/5 (the fixed points 0, 2/3 of T and the 2-cycle {2/5, 4/5}).
    expect_points(fixed_points(tent(2)), {q(0), q(2, 5), q(2, 3), q(4, 5)});
}

TEST_CASE("width one: at most three fixed points or an interval (hardtanh(k x))") {
    auto ht = [](Rational k) {
        Network n;
        n.layers.push_back(layer({{k}}, {q(0)}, Activation::hardtanh));
        return fixed_points(n);
    };
    expect_points(ht(q(2)), {q(-1), q(0), q(1)});
    expect_points(ht(q(1, 2)), {q(0)});
    const FixedResult one = ht(q(1));  // the identity on [-1, 1]
    REQUIRE(one.components.size() == 1);
    CHECK(*one.components[0].lo == q(-1));
    CHECK(*one.components[0].hi == q(1));
    Network relu;
    relu.layers.push_back(layer({{q(1)}}, {q(0)}, Activation::relu));
    const FixedResult r = fixed_points(relu);
    REQUIRE(r.components.size() == 1);
    CHECK(*r.components[0].lo == q(0));
    CHECK(!r.components[0].hi);
    Network shift;  // x + 1 has none
    shift.layers.push_back(layer({{q(1)}}, {q(1)}, Activation::identity));
    CHECK(fixed_points(shift).components.empty());
}

TEST_CASE("smooth activations and limits give unknown with a reason") {
    Network n;
    n.layers.push_back(layer({{q(3)}}, {q(0)}, Activation::tanh));
    const FixedResult r = fixed_points(n);
    CHECK(!r.decided);
    CHECK(r.reason.find("tanh is smooth") == 0);
    FixedLimits small;
    small.max_breaks = 100;
    const FixedResult big = fixed_points(tent(8), small);  // 256 fixed points need more breaks
    CHECK(!big.decided);
    CHECK(big.reason.find("more than 100 breakpoints") != std::string::npos);
}

TEST_CASE("random piecewise linear networks agree with an exact dense scan") {
    std::mt19937_64 rng(closecert::test::seed("fixed-scan"));
    std::uniform_int_distribution<int> coef(-6, 6), width(1, 3), depth(1, 4), act(0, 3);
    for (int trial = 0; trial < 200; ++trial) {
        Network n;
        std::size_t prev = 1;
        const int L = depth(rng);
        for (int l = 0; l < L; ++l) {
            const std::size_t w = l + 1 == L ? 1 : static_cast<std::size_t>(width(rng));
            std::vector<std::vector<Rational>> W(w, std::vector<Rational>(prev));
            std::vector<Rational> b(w);
            for (auto& row : W)
                for (auto& x : row) x = q(coef(rng), 2);
            for (auto& x : b) x = q(coef(rng), 2);
            DenseLayer d = layer(W, b, static_cast<Activation>(act(rng)));
            d.slope = q(1, 4);
            n.layers.push_back(std::move(d));
            prev = w;
        }
        const FixedResult r = fixed_points(n);
        REQUIRE(r.decided);
        // Every component is fixed (its ends, and an inner point of an interval).
        for (const Component& c : r.components) {
            if (c.lo) CHECK(evaluate(n, *c.lo) == *c.lo);
            if (c.hi) CHECK(evaluate(n, *c.hi) == *c.hi);
            if (!c.point()) {
                const Rational in = c.lo && c.hi ? (*c.lo + *c.hi) / q(2) : c.lo ? *c.lo + q(1) : c.hi ? *c.hi - q(1) : q(0);
                CHECK(evaluate(n, in) == in);
            }
        }
        // Scan [-40, 40] in steps of 1/64: a zero or a sign change of g lies in a component.
        auto in_component = [&](const Rational& a, const Rational& b) {
            for (const Component& c : r.components)
                if ((!c.lo || *c.lo <= b) && (!c.hi || a <= *c.hi)) return true;
            return false;
        };
        Rational prev_x = q(-40), prev_g = evaluate(n, prev_x) - prev_x;
        for (int k = 1; k <= 80 * 64; ++k) {
            const Rational x = q(-40) + q(k, 64), g = evaluate(n, x) - x;
            if (g.is_zero() || g.sign() * prev_g.sign() < 0) {
                INFO("trial " << trial << " near " << x.to_string());
                CHECK(in_component(g.is_zero() ? x : prev_x, x));
            }
            prev_x = x;
            prev_g = g;
        }
    }
}
