// What `closecert check` answers: the ReLU half as a certificate part, and the --json summary.
// Shared by the command and the Python module so both give the same verdicts and certificates.
#pragma once

#include <nlohmann/json.hpp>

#include "arch/architecture.hpp"
#include "engine/engine.hpp"
#include "io/certificate.hpp"

namespace closecert::relu {

// The ReLU reason when only the linear counterpart was asked for (`check --linear`).
inline constexpr const char* kReluNotAsked = "not asked (--linear)";

// decide_relu's answer in the form make_certificate takes.
io::ReluPart relu_part_for(const arch::Architecture& a, const engine::LinearResult& linear);

// {"architecture", "linear": {"verdict", "rule", "reason", "seconds"[, "stuck"][, "window", "limit"]},
//  "relu": {"verdict", "rule", "reason"}}: the `check --json` object without "certificate".
nlohmann::json check_summary(const arch::Architecture& a, const engine::LinearResult& linear, const io::ReluPart& relu);

}  // namespace closecert::relu
