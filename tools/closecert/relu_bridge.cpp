#include "relu_bridge.hpp"

namespace closecert::cli {

// Placeholder until the ReLU library lands: never claims anything.
io::ReluPart relu_part_for(const arch::Architecture&, const engine::LinearResult&) {
    io::ReluPart r;
    r.verdict = engine::Verdict::unknown;
    r.reason = "ReLU verdicts not implemented";
    return r;
}

}  // namespace closecert::cli
