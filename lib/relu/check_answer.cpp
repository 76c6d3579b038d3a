#include "relu/check_answer.hpp"

#include <string>

#include "relu/decide.hpp"

namespace closecert::relu {

io::ReluPart relu_part_for(const arch::Architecture& a, const engine::LinearResult& linear) {
    ReluDecision d = decide_relu(a, linear);
    io::ReluPart r;
    r.verdict = d.verdict;
    r.proof = std::move(d.proof);
    r.reason = std::move(d.reason);
    return r;
}

nlohmann::json check_summary(const arch::Architecture& a, const engine::LinearResult& lin, const io::ReluPart& relu) {
    nlohmann::json j = nlohmann::json::object();
    j["architecture"] = a.name;
    j["linear"] = {{"verdict", std::string(engine::to_string(lin.verdict))},
                   {"rule", lin.rule},
                   {"reason", lin.reason},
                   {"seconds", lin.seconds}};
    if (!lin.stuck.empty()) j["linear"]["stuck"] = lin.stuck;
    // A not closed verdict names where: the window and the limit A outside L_I.
    if (lin.verdict == engine::Verdict::not_closed && lin.proof.contains("window")) {
        j["linear"]["window"] = lin.proof["window"];
        j["linear"]["limit"] = lin.proof["limit"];
    }
    j["relu"] = {{"verdict", std::string(engine::to_string(relu.verdict))},
                 {"rule", relu.proof.is_object() ? relu.proof.value("rule", std::string()) : std::string()},
                 {"reason", relu.reason}};
    return j;
}

}  // namespace closecert::relu
