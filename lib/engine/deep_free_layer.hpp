// Free layer (docs/theory.md 4.11, Lemma FL): with every layer but one fixed to integer weights, the
// product is linear in the free layer; if that linear map has rank |S| (S the boolean product of
// all masks), L_I is every matrix on S. The rank is computed modulo a prime (a lower bound of the
// rational rank), so the certificate is the weights and the prime.
#pragma once

#include <optional>

#include <nlohmann/json.hpp>

#include "arch/architecture.hpp"
#include "engine/deadline.hpp"

namespace closecert::engine {

// The certificate node of rule `free_layer`, or nullopt when no layer is free for the weights drawn
// (or the product is larger than the rule's bounds).
std::optional<nlohmann::json> free_layer_node(const arch::Architecture& a, const Deadline& deadline);

}  // namespace closecert::engine
