// Not-closed witnesses for deep architectures: a two-layer degeneration in one consecutive pair with
// the other layers fixed to partial permutations (paths routing the pair to the outputs and inputs),
// and a proof in the deep window system (degree L) that its limit has no factorisation.
#pragma once

#include <map>
#include <optional>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "arch/architecture.hpp"
#include "core/rational.hpp"
#include "engine/deadline.hpp"
#include "engine/engine.hpp"

namespace closecert::engine {

using Limit = std::map<std::pair<std::size_t, std::size_t>, core::Rational>;

// Nullstellensatz (or Positivstellensatz) proof that no factorisation W_L ... W_1 has the window
// entries of A: the certificate's "nonmembership" object, or nullopt.
std::optional<nlohmann::json> deep_nonmembership(const arch::Architecture& a, const std::vector<std::size_t>& rows,
                                                 const std::vector<std::size_t>& cols, const Limit& limit,
                                                 unsigned max_degree, const Deadline& deadline);

struct DeepWitness {
    std::optional<nlohmann::json> proof;  // "linear" object of a not-closed certificate
    std::size_t routings = 0;             // sub-architectures tried
    std::size_t limits = 0;               // two-layer limits tested in the deep system
    std::size_t windows = 0;              // 2 x 2 windows decided
};

DeepWitness find_deep_witness(const arch::Architecture& a, const Options& opts, const Deadline& deadline);

}  // namespace closecert::engine
