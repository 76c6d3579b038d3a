// ReLU verdicts from hand-made linear results (no engine needed).
#include <doctest/doctest.h>

#include "fixtures.hpp"
#include "relu/decide.hpp"

using namespace closecert;
namespace fx = closecert::relu::fixtures;
using namespace closecert::relu;
using engine::Verdict;

TEST_SUITE("relu") {

TEST_CASE("LU 2x2 with biases is not closed (transfer)") {
    ReluDecision d = decide_relu(fx::lu2(), fx::not_closed_result(fx::lu2_linear_proof()));
    REQUIRE(d.verdict == Verdict::not_closed);
    CHECK(d.proof["verdict"] == "not_closed");
    CHECK(d.proof["rule"] == "transfer");
    CHECK(d.proof["domain"] == "cube");
    CHECK(d.proof["networks"].size() == 2);
    CHECK(d.proof["error_bound"] == "1");
}

TEST_CASE("LU 2x2 without biases: unknown, Lemma T needs them") {
    ReluDecision d = decide_relu(fx::lu2(false), fx::not_closed_result(fx::lu2_linear_proof()));
    CHECK(d.verdict == Verdict::unknown);
    CHECK(d.proof.is_null());
    CHECK(d.reason.find("no bias") != std::string::npos);
}

TEST_CASE("no hidden layer: closed by linear_layer, with or without bias, no trusted step") {
    for (bool bias : {true, false}) {
        auto a = fx::make_arch(3, {{"110", "011"}});
        a.layers[0].bias = bias;
        engine::LinearResult closed;
        closed.verdict = Verdict::closed;
        ReluDecision d = decide_relu(a, closed);
        REQUIRE(d.verdict == Verdict::closed);
        CHECK(d.proof == nlohmann::json{{"verdict", "closed"}, {"rule", "linear_layer"}});
    }
}

TEST_CASE("scalar output, one hidden layer: closed by the cited theorem") {
    auto a = fx::make_arch(3, {{"110", "011", "101"}, {"111"}});
    engine::LinearResult closed;
    closed.verdict = Verdict::closed;
    ReluDecision d = decide_relu(a, closed);
    REQUIRE(d.verdict == Verdict::closed);
    CHECK(d.proof["rule"] == "cited");
    CHECK(d.proof["theorem"] == "scalar_output_shallow");
    CHECK(d.proof["citation"].get<std::string>().find("Does a sparse ReLU network training problem always admit an optimum?") !=
          std::string::npos);
    // Also when the engine did not answer: the theorem does not depend on the linear verdict.
    CHECK(decide_relu(a, engine::LinearResult{}).verdict == Verdict::closed);
    // Without biases the citation is not used.
    auto nb = fx::make_arch(3, {{"110", "011"}, {"11"}}, false);
    ReluDecision u = decide_relu(nb, closed);
    CHECK(u.verdict == Verdict::unknown);
    CHECK(u.reason.find("bias") != std::string::npos);
}

TEST_CASE("closed linear counterpart with several outputs: unknown") {
    engine::LinearResult closed;
    closed.verdict = Verdict::closed;
    ReluDecision d = decide_relu(fx::lu2_plus_cell(), closed);
    CHECK(d.verdict == Verdict::unknown);
    CHECK(d.reason.find("Lemma T only transfers non-closedness") != std::string::npos);
}

TEST_CASE("deep network: unknown with the linear reason, or not closed from a deep witness") {
    auto a = fx::make_arch(2, {{"11", "01"}, {"11", "11"}, {"10", "11"}});
    engine::LinearResult undecided;
    undecided.reason = "architectures with more than two layers are not decided yet";
    ReluDecision d = decide_relu(a, undecided);
    CHECK(d.verdict == Verdict::unknown);
    CHECK(d.reason.find("more than two layers") != std::string::npos);
}

TEST_CASE("a witness that cannot be read gives unknown, never a claim") {
    nlohmann::json p = fx::lu2_linear_proof();
    p["family"].erase(1);
    ReluDecision d = decide_relu(fx::lu2(), fx::not_closed_result(p));
    CHECK(d.verdict == Verdict::unknown);
    CHECK(d.reason.find("layer 2 is not listed") != std::string::npos);
}

}  // TEST_SUITE
