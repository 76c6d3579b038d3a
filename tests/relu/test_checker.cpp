// Lockstep with the independent checker: certificates carrying this library's ReLU proofs must be
// accepted by closecert-verify (path in CLOSECERT_VERIFY, set by meson).
#include <doctest/doctest.h>

#include <array>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

#include "fixtures.hpp"
#include "relu/decide.hpp"

using namespace closecert;
namespace fx = closecert::relu::fixtures;
using nlohmann::json;

namespace {

json arch_json(const arch::Architecture& a) {
    json layers = json::array();
    for (const auto& l : a.layers) {
        json rows = json::array();
        for (std::size_t i = 0; i < l.mask.rows(); ++i) {
            std::string s(l.mask.cols(), '0');
            for (std::size_t j = 0; j < l.mask.cols(); ++j) s[j] = l.mask.at(i, j) ? '1' : '0';
            rows.push_back(s);
        }
        layers.push_back(json{{"mask", rows}, {"bias", l.bias}});
    }
    return json{{"format", "closecert-architecture"}, {"version", 1}, {"name", a.name}, {"input_dim", a.input_dim}, {"layers", layers}};
}

// Runs the checker on the certificate; returns its first output line ("" if unavailable).
std::string verify(const json& cert, const std::string& name) {
    const char* exe = std::getenv("CLOSECERT_VERIFY");
    if (!exe || !*exe) return "";
    auto path = std::filesystem::temp_directory_path() / ("closecert-relu-" + name + "-" + std::to_string(::getpid()) + ".json");
    std::ofstream(path) << cert.dump(2);
    std::string cmd = std::string("'") + exe + "' '" + path.string() + "' 2>&1";
    std::string out;
    if (FILE* p = ::popen(cmd.c_str(), "r")) {
        std::array<char, 512> buf;
        while (std::fgets(buf.data(), buf.size(), p)) out += buf.data();
        ::pclose(p);
    }
    std::filesystem::remove(path);
    return out.substr(0, out.find('\n'));
}

}  // namespace

TEST_SUITE("relu") {

TEST_CASE("closecert-verify accepts the LU transfer proof") {
    auto a = fx::lu2();
    json linear = fx::lu2_linear_proof();
    relu::ReluDecision d = relu::decide_relu(a, fx::not_closed_result(linear));
    REQUIRE(d.verdict == engine::Verdict::not_closed);
    json cert = {{"format", "closecert-certificate"}, {"version", 1}, {"architecture", arch_json(a)},
                 {"claim", {{"linear", "not_closed"}, {"relu", "not_closed"}}}, {"linear", linear}, {"relu", d.proof}};
    std::string line = verify(cert, "lu2");
    if (line.empty()) {
        MESSAGE("CLOSECERT_VERIFY not set: checker lockstep skipped");
        return;
    }
    CHECK(line.rfind("verified: linear not_closed, relu not_closed", 0) == 0);
    // A bias one notch too small must be rejected by the checker as well.
    json bad = cert;
    bad["relu"]["networks"][0]["bias"][1]["value"] = json::array({json::array({"1", -1})});
    CHECK(verify(bad, "lu2-bad").rfind("rejected:", 0) == 0);
}

TEST_CASE("closecert-verify accepts the cited scalar-output step") {
    auto a = fx::make_arch(3, {{"110", "011"}, {"11"}});
    engine::LinearResult closed;
    closed.verdict = engine::Verdict::closed;
    relu::ReluDecision d = relu::decide_relu(a, closed);
    REQUIRE(d.verdict == engine::Verdict::closed);
    json cert = {{"format", "closecert-certificate"}, {"version", 1}, {"architecture", arch_json(a)},
                 {"claim", {{"linear", "unknown"}, {"relu", "closed"}}}, {"relu", d.proof}};
    std::string line = verify(cert, "scalar");
    if (line.empty()) return;
    CHECK(line.rfind("verified: linear unknown, relu closed", 0) == 0);
}

}  // TEST_SUITE
