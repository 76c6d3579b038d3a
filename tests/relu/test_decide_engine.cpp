// ReLU verdicts on the engine's own linear results.
#include <doctest/doctest.h>

#include "engine/engine.hpp"
#include "fixtures.hpp"
#include "relu/decide.hpp"

using namespace closecert;
namespace fx = closecert::relu::fixtures;
using namespace closecert::relu;
using engine::Verdict;

TEST_SUITE("relu") {

TEST_CASE("engine: LU 2x2 is not closed, and its witness lifts") {
    auto a = fx::lu2();
    engine::LinearResult lin = engine::decide_linear(a);
    REQUIRE_MESSAGE(lin.verdict == Verdict::not_closed, "engine: " << lin.reason);
    ReluDecision d = decide_relu(a, lin);
    REQUIRE_MESSAGE(d.verdict == Verdict::not_closed, d.reason);
    CHECK(d.proof["rule"] == "transfer");
}

TEST_CASE("engine: scalar output shallow is closed (cited)") {
    auto a = fx::make_arch(3, {{"110", "011", "101"}, {"111"}});
    ReluDecision d = decide_relu(a, engine::decide_linear(a));
    CHECK(d.verdict == Verdict::closed);
}

TEST_CASE("engine: LU plus a cell is linearly closed, ReLU unknown") {
    auto a = fx::lu2_plus_cell();
    engine::LinearResult lin = engine::decide_linear(a);
    CHECK(lin.verdict == Verdict::closed);
    ReluDecision d = decide_relu(a, lin);
    CHECK(d.verdict == Verdict::unknown);
}

TEST_CASE("engine: a deep network is unknown or not closed, with the reason") {
    auto a = fx::make_arch(2, {{"11", "01"}, {"11", "11"}, {"10", "11"}});
    ReluDecision d = decide_relu(a, engine::decide_linear(a));
    CHECK(d.verdict != Verdict::closed);
    if (d.verdict == Verdict::unknown) CHECK(!d.reason.empty());
}

}  // TEST_SUITE
