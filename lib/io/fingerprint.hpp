// The SHA-256 of an architecture's canonical form (docs/certificates.md, "Architecture
// fingerprint"): names an architecture in a few bytes, independently of its name and of the form
// its masks were written in. The checker computes it with its own SHA-256.
#pragma once

#include <string>

#include "arch/architecture.hpp"

namespace closecert::io {

// Lower-case hex SHA-256 of the canonical form; Nettle's sha256, streamed (no copy of the form).
std::string architecture_sha256(const arch::Architecture& a);

}  // namespace closecert::io
