// The ReLU half of an answer: closedness of the function space F_I of the sparse ReLU architecture,
// derived from the linear counterpart's result (Lemma T) or from the cited scalar-output theorem.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "arch/architecture.hpp"
#include "engine/engine.hpp"
#include "engine/verdict.hpp"

namespace closecert::relu {

struct ReluDecision {
    engine::Verdict verdict = engine::Verdict::unknown;
    nlohmann::json proof;  // the certificate's "relu" object; null when unknown
    std::string reason;    // for unknown: why
};

inline constexpr const char* kScalarOutputCitation =
    "Q.-T. Le, R. Gribonval, E. Riccietti, 'Does a sparse ReLU network training problem always admit an "
    "optimum?', NeurIPS 2023: one-hidden-layer sparse ReLU networks with output dimension one always "
    "admit an optimum (their function space has the best approximation property and is closed), "
    "whatever the sparsity pattern";

// not_closed: the linear verdict is not_closed and every layer has a bias; the proof lifts the
// linear family (rule "transfer") and has been re-checked exactly before it is returned.
// closed: two layers, one output unit, biases in both layers (rule "cited", a trusted step).
// unknown otherwise, with the reason.
ReluDecision decide_relu(const arch::Architecture& a, const engine::LinearResult& linear);

}  // namespace closecert::relu
