// Gradient descent towards A = [[0, 1], [1, 0]]: on LU (not closed) the loss falls while the
// parameter norm keeps growing; with the extra cell term (closed) the norm settles.
#include <doctest/doctest.h>

#include <cmath>

#include "fixtures.hpp"
#include "relu/train.hpp"

using namespace closecert;
namespace fx = closecert::relu::fixtures;
using namespace closecert::relu;

namespace {

const DenseMatrix kSwap = {{0, 1}, {1, 0}};

TrainOptions short_run(std::uint64_t seed) {
    TrainOptions o;
    o.steps = 200000;
    o.learning_rate = 0.005;
    o.samples = 32;
    o.seed = seed;
    o.log_every = 5000;
    return o;
}

const TrainRecord& at_step(const TrainResult& r, long step) {
    for (const auto& rec : r.log)
        if (rec.step == step) return rec;
    FAIL("no record at step " << step);
    return r.log.front();
}

}  // namespace

TEST_SUITE("relu") {

TEST_CASE("training on LU: loss decreases while the parameter norm grows") {
    for (std::uint64_t seed : {1u, 2u}) {
        CAPTURE(seed);
        TrainResult r = train(fx::lu2(), kSwap, short_run(seed));
        REQUIRE_FALSE(r.diverged);
        const long checkpoints[] = {25000, 50000, 100000, 200000};
        for (int k = 1; k < 4; ++k) {
            const TrainRecord& a = at_step(r, checkpoints[k - 1]);
            const TrainRecord& b = at_step(r, checkpoints[k]);
            CHECK(b.norm > 1.05 * a.norm);  // no plateau: the norm keeps growing
            CHECK(b.loss < a.loss);
        }
        CHECK(at_step(r, 200000).loss < 0.5 * at_step(r, 25000).loss);
    }
}

TEST_CASE("training on LU plus a cell: loss reaches 0 with a bounded norm") {
    for (std::uint64_t seed : {1u, 2u}) {
        CAPTURE(seed);
        TrainResult r = train(fx::lu2_plus_cell(), kSwap, short_run(seed));
        REQUIRE_FALSE(r.diverged);
        CHECK(at_step(r, 200000).loss < 1e-12);
        CHECK(std::abs(at_step(r, 200000).norm - at_step(r, 100000).norm) < 1e-3);  // settled
        double max_norm = 0;
        for (const auto& rec : r.log) max_norm = std::max(max_norm, rec.norm);
        CHECK(max_norm < 6.0);
    }
}

TEST_CASE("training is deterministic and checks its inputs") {
    TrainOptions o = short_run(3);
    o.steps = 2000;
    o.log_every = 100;
    TrainResult a = train(fx::lu2(), kSwap, o), b = train(fx::lu2(), kSwap, o);
    REQUIRE(a.log.size() == b.log.size());
    for (std::size_t k = 0; k < a.log.size(); ++k) {
        CHECK(a.log[k].loss == b.log[k].loss);
        CHECK(a.log[k].norm == b.log[k].norm);
    }
    CHECK(a.log.back().step == 2000);
    CHECK_THROWS_AS(train(fx::lu2(), {{0, 1, 0}, {1, 0, 0}}, o), std::invalid_argument);
    CHECK_THROWS_AS(train(fx::lu2(), {{0, 1}}, o), std::invalid_argument);
    CHECK(train_csv(a).rfind("step,loss,param_norm\n0,", 0) == 0);
}

TEST_CASE("dense matrix text") {
    CHECK(parse_dense_matrix("0,1;1,0") == kSwap);
    CHECK(parse_dense_matrix(" 1/2 , -3 ") == DenseMatrix{{0.5, -3}});
    CHECK_THROWS_AS(parse_dense_matrix("1,2;3"), std::invalid_argument);
    CHECK_THROWS_AS(parse_dense_matrix("1,x"), std::invalid_argument);
}

}  // TEST_SUITE
