// Parameter files ("closecert-params", docs/flow.md) of a two-layer architecture, and the
// certificates of `closecert flow`.
#pragma once

#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "arch/architecture.hpp"
#include "flow/minimisers.hpp"
#include "flow/shallow.hpp"

namespace closecert::io {

// {"format": "closecert-params", "version": 1, "layers": [{"weights": [[...]], "bias": [...]}, x2]},
// numbers as in network files; the shapes and zeros must fit the architecture (InputError).
flow::Params params_from_json(const nlohmann::json& j, const arch::Architecture& a, const std::string& file);
flow::Params read_params(const std::string& path, const arch::Architecture& a);
nlohmann::json params_to_json(const flow::Params& p);

// kind "flow": the architecture, init (and target), the claims (invariants, split units,
// components, and the target's obstruction if there is one).
nlohmann::json make_flow_certificate(const arch::Architecture& a, const flow::Params& init, const flow::Invariants& inv,
                                     const flow::Params* target, const flow::Reach* reach,
                                     const flow::RMatrix* x = nullptr, const flow::RMatrix* y = nullptr,
                                     const flow::MinimiserAnalysis* minimisers = nullptr);

}  // namespace closecert::io
