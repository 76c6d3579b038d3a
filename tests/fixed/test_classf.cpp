// Class F on a box: the closed forms of the Schwarzian against finite differences in long double,
// the verdicts, Lemma C (a member has chi <= 1 on a grid of its box), and the counterexamples.
#include <doctest/doctest.h>

#include <cmath>
#include <random>

#include "fixed/classf.hpp"
#include "seed.hpp"

using closecert::core::Integer;
using closecert::core::Rational;
using namespace closecert::fixed;

namespace {

using LD = long double;

LD f_value(Function f, LD x, LD slope = 0) {
    const LD s = 1 / (1 + std::exp(-x));
    switch (f) {
    case Function::tanh: return std::tanh(x);
    case Function::logistic: return s;
    case Function::arctan: return std::atan(x);
    case Function::softplus: return std::log1p(std::exp(x));
    case Function::silu: return x * s;
    case Function::leaky_relu: return x < 0 ? slope * x : x;
    }
    return 0;
}

// f', f'', f''' by central differences: an evaluation that shares nothing with the closed forms.
struct FD {
    LD d1, d2, d3;
};
FD differences(Function f, LD x) {
    const LD h = 1e-3L;
    const LD m2 = f_value(f, x - 2 * h), m1 = f_value(f, x - h), z = f_value(f, x), p1 = f_value(f, x + h), p2 = f_value(f, x + 2 * h);
    return {(p1 - m1) / (2 * h), (p1 - 2 * z + m1) / (h * h), (p2 - 2 * p1 + 2 * m1 - m2) / (2 * h * h * h)};
}

LD chi(Function f, LD x, LD y, LD slope = 0) {
    const LD d = f_value(f, x, slope) - f_value(f, y, slope);
    const LD dx = f == Function::leaky_relu ? (x < 0 ? slope : 1) : differences(f, x).d1;
    const LD dy = f == Function::leaky_relu ? (y < 0 ? slope : 1) : differences(f, y).d1;
    return dx * dy * (x - y) * (x - y) / (d * d);
}

Rational q(long p, long d = 1) { return Rational(Integer(p), Integer(d)); }

const Function kSmooth[] = {Function::tanh, Function::logistic, Function::arctan, Function::softplus, Function::silu};

}  // namespace

TEST_CASE("the closed forms of f' and S f agree with finite differences") {
    std::mt19937_64 rng(closecert::test::seed("classf-table"));
    std::uniform_int_distribution<long> pick(-6 * 256, 6 * 256);
    for (Function f : kSmooth)
        for (int k = 0; k < 60; ++k) {
            const Rational x = q(pick(rng), 256);
            const FD d = differences(f, static_cast<LD>(x.to_double()));
            if (std::fabs(d.d1) < 1e-3L) continue;  // silu' vanishes near -1.278
            const LD s = d.d3 / d.d1 - 1.5L * (d.d2 / d.d1) * (d.d2 / d.d1);
            const PointJet j = jet_at(f, x);
            INFO(function_name(f), " at x = ", x.to_string());
            CHECK(j.slope_lo <= j.slope_hi);
            CHECK(std::fabs(static_cast<LD>(j.slope_lo) - d.d1) < 1e-5L);
            CHECK(std::fabs(static_cast<LD>(j.schwarzian_lo) - s) < 1e-3L * (1 + std::fabs(s)));
            CHECK(j.schwarzian_hi - j.schwarzian_lo < 1e-20 * (1 + std::fabs(s)));
        }
}

TEST_CASE("tanh, logistic, arctan and softplus are members on random boxes, and chi <= 1 there (Lemma C)") {
    std::mt19937_64 rng(closecert::test::seed("classf-members"));
    std::uniform_int_distribution<long> pick(-24 * 16, 24 * 16);
    for (Function f : {Function::tanh, Function::logistic, Function::arctan, Function::softplus})
        for (int k = 0; k < 8; ++k) {
            long a = pick(rng), b = pick(rng);
            if (a == b) continue;
            if (a > b) std::swap(a, b);
            ClassFQuery query;
            query.function = f;
            query.lo = q(a, 16), query.hi = q(b, 16);
            const ClassFResult r = class_f(query);
            INFO(function_name(f), " on [", query.lo.to_string(), ", ", query.hi.to_string(), "]");
            REQUIRE(r.verdict == ClassFResult::Verdict::member);
            REQUIRE(r.cells.front() == query.lo);
            REQUIRE(r.cells.back() == query.hi);
            for (std::size_t i = 1; i < r.cells.size(); ++i) CHECK(r.cells[i - 1] < r.cells[i]);
            const LD lo = a / 16.0L, hi = b / 16.0L;
            LD worst = 0;
            for (int i = 0; i <= 60; ++i)
                for (int m = i + 1; m <= 60; ++m) {
                    const LD x = lo + (hi - lo) * i / 60, y = lo + (hi - lo) * m / 60;
                    if (std::fabs(f_value(f, x) - f_value(f, y)) > 1e-12L) worst = std::max(worst, chi(f, x, y));
                }
            CHECK(worst <= 1 + 1e-6L);
        }
}

TEST_CASE("silu: a member below its Schwarzian's sign change, not a member beyond it") {
    ClassFQuery query;
    query.function = Function::silu;
    query.lo = q(-1), query.hi = q(87, 25);
    CHECK(class_f(query).verdict == ClassFResult::Verdict::member);
    query.hi = q(24);
    const ClassFResult r = class_f(query);
    REQUIRE(r.verdict == ClassFResult::Verdict::not_member);
    CHECK(query.lo <= r.x);
    CHECK(r.x < r.y);
    CHECK(r.y <= query.hi);
    CHECK(chi(Function::silu, r.x.to_double(), r.y.to_double()) > 1.05L);  // about 1.08
    // f' changes sign at about -1.278: the Schwarzian criterion cannot hold on [-2, 0].
    query.lo = q(-2), query.hi = q(0);
    CHECK(class_f(query).verdict != ClassFResult::Verdict::member);
}

TEST_CASE("leaky_relu is not a member for a slope other than 1, with chi near 1/slope or slope") {
    for (const auto& [p, d] : {std::pair{1L, 10L}, {1L, 2L}, {2L, 1L}, {5L, 1L}}) {
        ClassFQuery query;
        query.function = Function::leaky_relu;
        query.slope = q(p, d);
        query.lo = q(-8), query.hi = q(8);
        const ClassFResult r = class_f(query);
        INFO("slope ", query.slope.to_string());
        REQUIRE(r.verdict == ClassFResult::Verdict::not_member);
        const LD slope = static_cast<LD>(p) / d;
        const LD c = chi(Function::leaky_relu, r.x.to_double(), r.y.to_double(), slope);
        CHECK(c > 1);
        CHECK(c <= std::max(slope, 1 / slope) + 1e-9L);  // sup chi = max(slope, 1/slope)
    }
    ClassFQuery identity;
    identity.function = Function::leaky_relu;
    identity.slope = q(1), identity.lo = q(-8), identity.hi = q(8);
    CHECK(class_f(identity).verdict == ClassFResult::Verdict::unknown);
}

TEST_CASE("bad boxes and slopes are refused") {
    ClassFQuery query;
    query.lo = q(1), query.hi = q(1);
    CHECK_THROWS_AS(class_f(query), std::invalid_argument);
    query.lo = q(-25), query.hi = q(0);
    CHECK_THROWS_AS(class_f(query), std::invalid_argument);
    query.function = Function::leaky_relu, query.lo = q(-1), query.slope = q(0);
    CHECK_THROWS_AS(class_f(query), std::invalid_argument);
}
