// Lifted networks (Lemma T) evaluated exactly: f_t(x) = P(t) x on the cube, within E t of A x.
#include <doctest/doctest.h>

#include <random>

#include "fixtures.hpp"
#include "relu/transfer.hpp"
#include "seed.hpp"

using namespace closecert;
namespace fx = closecert::relu::fixtures;
using namespace closecert::relu;
using core::Integer;
using core::LaurentPoly;
using core::Rational;
using nlohmann::json;

namespace {

Rational q(long p, long d = 1) { return Rational(Integer(p), Integer(d)); }

// Three layers: LU's W_1, a diagonal middle layer diag(t^-1, t) and W_3 = LU's W_2 diag(t, t^-1),
// so the product is LU's P(t) while the hidden biases need t^-2.
arch::Architecture deep_arch() { return fx::make_arch(2, {{"11", "01"}, {"11", "11"}, {"10", "11"}}, true, "deep"); }
json deep_linear_proof() {
    using fx::entry;
    using fx::lau;
    json fam = json::array({
        json{{"layer", 1}, {"entries", json::array({entry(0, 0, lau({{"1", 0}})), entry(0, 1, lau({{"1", -1}})),
                                                    entry(1, 1, lau({{"-1", -1}}))})}},
        json{{"layer", 2}, {"entries", json::array({entry(0, 0, lau({{"1", -1}})), entry(1, 1, lau({{"1", 1}}))})}},
        json{{"layer", 3}, {"entries", json::array({entry(0, 0, lau({{"1", 2}})), entry(1, 0, lau({{"1", 1}})),
                                                    entry(1, 1, lau({{"1", -1}}))})}}});
    return json{{"family", fam},
                {"limit", json::array({json{{"row", 0}, {"col", 1}, {"value", "1"}}, json{{"row", 1}, {"col", 0}, {"value", "1"}}})}};
}

std::vector<std::vector<Rational>> sample_points(std::size_t d, std::mt19937_64& g, int random_points) {
    std::vector<std::vector<Rational>> pts;
    for (std::size_t k = 0; k < (std::size_t{1} << d); ++k) {
        std::vector<Rational> x(d);
        for (std::size_t j = 0; j < d; ++j) x[j] = Rational((k >> j) & 1 ? 1 : -1);
        pts.push_back(x);
    }
    for (int k = 0; k < random_points; ++k) {
        std::vector<Rational> x(d);
        for (std::size_t j = 0; j < d; ++j) {
            long den = 1 + static_cast<long>(g() % 50);
            x[j] = q(static_cast<long>(g() % static_cast<std::uint64_t>(2 * den + 1)) - den, den);
        }
        pts.push_back(x);
    }
    return pts;
}

// Every hidden pre-activation > 0, f_t(x) = P(t) x and |f_t(x) - A x| <= E t.
void check_exactly(const LiftedNetwork& n, std::size_t m, const char* name) {
    std::mt19937_64 g(closecert::test::seed(name));
    auto pts = sample_points(n.input_dim, g, 40 * closecert::test::scale());
    std::vector<Rational> ts = {q(1), q(1, 2), q(1, 5), q(1, 1000)};
    for (int k = 0; k < 4; ++k) ts.push_back(q(1, 1 + static_cast<long>(g() % 300)) * q(1 + static_cast<long>(g() % 7), 7));
    for (const Rational& t : ts) {
        for (const auto& x : pts) {
            Evaluation ev = evaluate(n, t, x);
            REQUIRE(ev.has_hidden);
            CHECK(ev.min_preactivation.sign() > 0);
            auto px = apply(n.product, m, t, x);
            auto ax = apply(n.limit, m, x);
            for (std::size_t i = 0; i < m; ++i) {
                CHECK(ev.output[i] == px[i]);
                CHECK((ev.output[i] - ax[i]).abs() <= n.error_bound * t);
            }
        }
    }
}

}  // namespace

TEST_SUITE("relu") {

TEST_CASE("LU lift: the biases and bound of the majorant rule") {
    auto a = fx::lu2();
    LinearWitness w = parse_linear_witness(fx::lu2_linear_proof(), a);
    LiftedNetwork n = lift(a, w);
    // Unit 0 sees 1 and t^-1 (q = 1, sum 2 -> 3 t^-1); unit 1 sees -t^-1 (q = 1, sum 1 -> 2 t^-1).
    CHECK(n.bias[0][0] == LaurentPoly(q(3), -1));
    CHECK(n.bias[0][1] == LaurentPoly(q(2), -1));
    // Output constants: t * 3t^-1 = 3 and 3t^-1 + 2t^-1 = 5t^-1, cancelled.
    CHECK(n.bias[1][0] == LaurentPoly::constant(q(-3)));
    CHECK(n.bias[1][1] == LaurentPoly(q(-5), -1));
    CHECK(n.error_bound == q(1));  // P(t) - A = [[t, 0], [0, 0]]
    CHECK_NOTHROW(verify_lift(n));
    check_exactly(n, 2, "relu LU lift");

    json proof = transfer_proof(n, w);
    CHECK(proof["rule"] == "transfer");
    CHECK(proof["t_max"] == "1");
    CHECK(proof["error_bound"] == "1");
    CHECK(proof["networks"][0]["weights"] == w.family_json[0]["entries"]);
    CHECK(proof["networks"][0]["bias"][0]["value"] == json::array({json::array({"3", -1})}));
}

TEST_CASE("deep lift: biases grow with the layers and the network stays exact") {
    auto a = deep_arch();
    LinearWitness w = parse_linear_witness(deep_linear_proof(), a);
    LiftedNetwork n = lift(a, w);
    // Layer 2, unit 0: weight t^-1 on a unit bounded by 4 t^-1 -> q = 2.
    CHECK(n.bias[1][0].min_exponent() == -2);
    CHECK_NOTHROW(verify_lift(n));
    check_exactly(n, 2, "relu deep lift");
}

TEST_CASE("lift refuses what it cannot prove") {
    SUBCASE("a layer without bias") {
        auto a = fx::lu2(false);
        CHECK_THROWS_AS(lift(a, parse_linear_witness(fx::lu2_linear_proof(), a)), LiftError);
    }
    SUBCASE("a family that does not tend to its limit") {
        auto a = fx::lu2();
        json p = fx::lu2_linear_proof();
        p["limit"][0]["value"] = "2";
        CHECK_THROWS_AS(lift(a, parse_linear_witness(p, a)), LiftError);
    }
    SUBCASE("a tampered bias fails the exact re-check") {
        auto a = fx::lu2();
        LiftedNetwork n = lift(a, parse_linear_witness(fx::lu2_linear_proof(), a));
        n.bias[1][0] += LaurentPoly(q(1, 100), 1);
        CHECK_THROWS_AS(verify_lift(n), LiftError);
    }
    SUBCASE("a hidden bias too small for the cube") {
        auto a = fx::lu2();
        LiftedNetwork n = lift(a, parse_linear_witness(fx::lu2_linear_proof(), a));
        // 3/2 t^-1 < |t^-1 x_1 + x_0| at x = (1, 1): re-cancel the output constant so only positivity fails.
        n.bias[0][0] = LaurentPoly(q(3, 2), -1);
        n.bias[1][0] = LaurentPoly::constant(q(-3, 2));
        n.bias[1][1] = LaurentPoly(q(-7, 2), -1);
        CHECK_THROWS_WITH_AS(verify_lift(n), doctest::Contains("pre-activation"), LiftError);
    }
    SUBCASE("malformed witnesses name the place") {
        auto a = fx::lu2();
        json p = fx::lu2_linear_proof();
        p["family"][1]["entries"][0]["col"] = 1;  // (0, 1) is outside W_2's mask
        CHECK_THROWS_WITH_AS(parse_linear_witness(p, a), doctest::Contains("family[1].entries[0]"), WitnessError);
        p = fx::lu2_linear_proof();
        p["family"][0]["entries"][1]["value"][0][0] = "1/0";
        CHECK_THROWS_WITH_AS(parse_linear_witness(p, a), doctest::Contains("family[0].entries[1].value[0][0]"), WitnessError);
    }
}

}  // TEST_SUITE
