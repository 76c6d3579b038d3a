// Architecture files, format "closecert-architecture" version 1 (see docs/patterns.md).
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "arch/architecture.hpp"

namespace closecert::io {

// Largest architecture file read (bytes).
inline constexpr std::size_t kMaxArchitectureFileBytes = std::size_t{1} << 30;

// Reads, parses and validates an architecture file. Throws InputError ("FILE: PLACE: message").
arch::Architecture read_architecture(const std::string& path);

// Same from parsed JSON. source_name is the FILE of error messages; base_dir resolves relative
// "npy" mask paths. The result is validated. If "name" is absent, the stem of source_name is used.
arch::Architecture architecture_from_json(const nlohmann::json& j, const std::string& source_name,
                                          const std::string& base_dir);

// Masks with more entries than this are written in a compact form when one applies.
inline constexpr std::size_t kCompactEntries = 4096;

// The file form, masks as strings; with `compact`, a mask of more than kCompactEntries is written as
// {"shape": [rows, cols], "full": true} when every entry is a one, and in the sparse form
// {"shape": [rows, cols], "ones": [[i, j], ...]} when at most one in 16 is (certificates of large
// dense or sparse architectures stay small).
nlohmann::json architecture_to_json(const arch::Architecture& a, bool compact = false);

// Text of a file: the JSON with two-space indentation, one mask row per line, trailing newline;
// masks of more than kCompactEntries entries in the compact forms of architecture_to_json when they apply.
std::string architecture_to_text(const arch::Architecture& a);

}  // namespace closecert::io
