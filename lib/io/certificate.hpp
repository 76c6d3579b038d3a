// Assembly of the top-level certificate document (docs/certificates.md).
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "arch/architecture.hpp"
#include "engine/engine.hpp"
#include "engine/verdict.hpp"

namespace closecert::io {

// The ReLU half of an answer: proof is the certificate's "relu" object (null when unknown).
struct ReluPart {
    engine::Verdict verdict = engine::Verdict::unknown;
    nlohmann::json proof;
    std::string reason;  // for unknown: why
};

// {"format": "closecert-certificate", "version": 1, "architecture", "claim", "linear"?, "relu"?}.
// A proof object is embedded iff its verdict is not unknown; a definite verdict without a proof
// object throws std::invalid_argument (it would be an unverifiable claim).
nlohmann::json make_certificate(const arch::Architecture& a, const engine::LinearResult& linear, const ReluPart& relu);

}  // namespace closecert::io
