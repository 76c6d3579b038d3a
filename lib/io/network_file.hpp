// Network files ("closecert-network", docs/fixed.md) and the certificates of `closecert fixed`.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "fixed/classf.hpp"
#include "fixed/fixed_points.hpp"
#include "fixed/network.hpp"

namespace closecert::io {

inline constexpr std::size_t kMaxNetworkFileBytes = std::size_t{64} << 20;
inline constexpr std::size_t kMaxNetworkLayers = 64;
inline constexpr std::size_t kMaxNetworkWidth = 4096;

// Numbers are JSON integers, JSON floats (their exact binary value, as written by Python's json
// from torch weights), or strings "p", "p/q" and decimals "-0.125". Throws InputError naming the
// file and place ("layers[1].weights[0][2]").
fixed::Network network_from_json(const nlohmann::json& j, const std::string& file);
// One such number (InputError naming file and place otherwise); shared with parameter files.
core::Rational exact_number(const nlohmann::json& v, const std::string& file, const std::string& place);
fixed::Network read_network(const std::string& path);
// The canonical form: every number as the string "p" or "p/q".
nlohmann::json network_to_json(const fixed::Network& n);

// {"format": "closecert-certificate", "version": 1, "kind": "fixed", "network", "claim", "proof"};
// the result must be decided (std::invalid_argument otherwise).
nlohmann::json make_fixed_certificate(const fixed::Network& n, const fixed::FixedResult& r);
// The claim's components: [{"point": "x"} | {"interval": [lo | null, hi | null]}].
nlohmann::json components_to_json(const std::vector<fixed::Component>& c);

// Kind "classf": {"function": {"name", "slope"?}, "box": [lo, hi], "claim": "member" | "not_member",
// "proof"}; the result must be definite (std::invalid_argument otherwise).
nlohmann::json make_classf_certificate(const fixed::ClassFQuery& q, const fixed::ClassFResult& r);

}  // namespace closecert::io
