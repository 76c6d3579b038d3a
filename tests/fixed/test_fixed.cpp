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

// A random network of depth 1..max_depth and widths 1..3, weights k/2 and biases k/bias_den with
// |k| <= coef; the activation of layer l is pick(l).
template <class Pick>
Network random_network(std::mt19937_64& rng, int coef, int max_depth, long bias_den, Pick pick) {
    std::uniform_int_distribution<int> c(-coef, coef), width(1, 3), depth(1, max_depth);
    Network n;
    std::size_t prev = 1;
    const int L = depth(rng);
    for (int l = 0; l < L; ++l) {
        const std::size_t w = l + 1 == L ? 1 : static_cast<std::size_t>(width(rng));
        std::vector<std::vector<Rational>> W(w, std::vector<Rational>(prev));
        std::vector<Rational> b(w);
        for (auto& row : W)
            for (auto& x : row) x = q(c(rng), 2);
        for (auto& x : b) x = q(c(rng), bias_den);
        DenseLayer d = layer(W, b, pick(l));
        d.slope = q(1, 4);
        n.layers.push_back(std::move(d));
        prev = w;
    }
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

TEST_CASE("an unbounded smooth network and the limits give unknown with a reason") {
    Network n;
    n.layers.push_back(layer({{q(3)}}, {q(0)}, Activation::softplus));
    const FixedResult r = fixed_points(n);
    CHECK(!r.decided);
    CHECK(r.reason.find("no layer has a bounded activation") == 0);
    FixedLimits small;
    small.max_breaks = 100;
    const FixedResult big = fixed_points(tent(8), small);  // 256 fixed points need more breaks
    CHECK(!big.decided);
    CHECK(big.reason.find("more than 100 breakpoints") != std::string::npos);
}

TEST_CASE("random piecewise linear networks agree with an exact dense scan") {
    std::mt19937_64 rng(closecert::test::seed("fixed-scan"));
    std::uniform_int_distribution<int> act(0, 3);
    for (int trial = 0; trial < 200; ++trial) {
        const Network n = random_network(rng, 6, 4, 2, [&](int) { return static_cast<Activation>(act(rng)); });
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

namespace {

// f in long double: the independent slow evaluation for the scans below.
long double eval_ld(const Network& n, long double x) {
    std::vector<long double> h{x};
    for (const DenseLayer& d : n.layers) {
        std::vector<long double> z(d.units());
        for (std::size_t i = 0; i < d.units(); ++i) {
            long double s = static_cast<long double>(d.bias[i].to_double());
            for (std::size_t j = 0; j < h.size(); ++j) s += static_cast<long double>(d.weights[i][j].to_double()) * h[j];
            switch (d.activation) {
            case Activation::identity: break;
            case Activation::relu: s = s < 0 ? 0 : s; break;
            case Activation::leaky_relu: s = s < 0 ? static_cast<long double>(d.slope.to_double()) * s : s; break;
            case Activation::hardtanh: s = s > 1 ? 1 : s < -1 ? -1 : s; break;
            case Activation::tanh: s = std::tanh(s); break;
            case Activation::logistic: s = 1 / (1 + std::exp(-s)); break;
            case Activation::arctan: s = std::atan(s); break;
            case Activation::softplus: s = std::log1p(std::exp(s)); break;
            }
            z[i] = s;
        }
        h = std::move(z);
    }
    return h[0];
}

}  // namespace

TEST_CASE("tanh(k x): three fixed points for k > 1, one for k < 1, unknown at the tangency k = 1") {
    auto tanh_k = [](Rational k) {
        Network n;
        n.layers.push_back(layer({{k}}, {q(0)}, Activation::tanh));
        return n;
    };
    for (const Rational& k : {q(3, 2), q(2), q(3), q(5)}) {
        const Network n = tanh_k(k);
        const FixedResult r = fixed_points(n);
        REQUIRE(r.decided);
        CHECK(r.rule == "interval_newton");
        REQUIRE(r.components.size() == 3);
        // The middle one is 0, the outer ones are symmetric, and Newton in long double lands inside.
        CHECK(*r.components[1].lo < q(0));
        CHECK(q(0) < *r.components[1].hi);
        CHECK(*r.components[0].lo == -*r.components[2].hi);
        long double x = 1, kk = static_cast<long double>(k.to_double());
        for (int it = 0; it < 60; ++it) x -= (std::tanh(kk * x) - x) / (kk * (1 - std::tanh(kk * x) * std::tanh(kk * x)) - 1);
        CHECK(static_cast<long double>(r.components[2].lo->to_double()) <= x + 1e-15L);
        CHECK(x - 1e-15L <= static_cast<long double>(r.components[2].hi->to_double()));
        CHECK((*r.components[2].hi - *r.components[2].lo) < q(1, 1000000000));
    }
    const FixedResult one = fixed_points(tanh_k(q(1, 2)));
    REQUIRE(one.decided);
    CHECK(one.components.size() == 1);
    const FixedResult tangent = fixed_points(tanh_k(q(1)));
    CHECK(!tangent.decided);
    CHECK(tangent.reason.find("cannot isolate") == 0);
}

TEST_CASE("random smooth networks agree with a dense long-double scan") {
    std::mt19937_64 rng(closecert::test::seed("fixed-smooth-scan"));
    std::uniform_int_distribution<int> act(0, 5);
    const Activation acts[] = {Activation::tanh, Activation::logistic, Activation::arctan, Activation::softplus, Activation::relu, Activation::tanh};
    int decided = 0;
    for (int trial = 0; trial < 60; ++trial) {
        // Layer 1 is tanh, which bounds the search domain.
        const Network n = random_network(rng, 8, 3, 4, [&](int l) { return l == 0 ? Activation::tanh : acts[act(rng)]; });
        const FixedResult r = fixed_points(n);
        if (!r.decided) {
            CHECK(r.reason.find("cannot isolate") == 0);  // a tangency: rare, and said
            continue;
        }
        ++decided;
        INFO("trial " << trial);
        const long double lo = static_cast<long double>(r.domain_lo.to_double()), hi = static_cast<long double>(r.domain_hi.to_double());
        // The range of f on a scan lies in the domain.
        const int steps = 20000;
        long double prev_x = lo, prev_g = eval_ld(n, lo) - lo;
        int changes = 0;
        for (int k = 1; k <= steps; ++k) {
            const long double x = lo + (hi - lo) * k / steps, fx = eval_ld(n, x), g = fx - x;
            CHECK(static_cast<double>(fx) >= static_cast<double>(lo) - 1e-12);
            CHECK(static_cast<double>(fx) <= static_cast<double>(hi) + 1e-12);
            if ((prev_g < 0 && g > 0) || (prev_g > 0 && g < 0)) {
                ++changes;
                // A sign change brackets a fixed point: some isolating interval meets the bracket.
                bool met = false;
                for (const Component& c : r.components)
                    met = met || (static_cast<long double>(c.lo->to_double()) <= x + 1e-12L &&
                                  prev_x - 1e-12L <= static_cast<long double>(c.hi->to_double()));
                CHECK(met);
            }
            prev_x = x;
            prev_g = g;
        }
        // Every isolated fixed point is simple (f' != 1 there), so g changes sign across it; a
        // scan at this resolution sees each one unless two are closer than a step.
        CHECK(changes <= static_cast<int>(r.components.size()));
        for (const Component& c : r.components) {
            REQUIRE(c.isolating);
            const long double a = static_cast<long double>(c.lo->to_double()), b = static_cast<long double>(c.hi->to_double());
            const long double ga = eval_ld(n, a) - a, gb = eval_ld(n, b) - b;
            CHECK(ga * gb <= 1e-24L);
        }
    }
    CHECK(decided >= 40);
}
