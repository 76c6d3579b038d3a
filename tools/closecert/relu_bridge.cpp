#include "relu_bridge.hpp"

#include "relu/decide.hpp"

namespace closecert::cli {

io::ReluPart relu_part_for(const arch::Architecture& a, const engine::LinearResult& linear) {
    relu::ReluDecision d = relu::decide_relu(a, linear);
    io::ReluPart r;
    r.verdict = d.verdict;
    r.proof = std::move(d.proof);
    r.reason = std::move(d.reason);
    return r;
}

}  // namespace closecert::cli
