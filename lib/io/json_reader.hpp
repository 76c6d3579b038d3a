// Strict JSON reading: one document, one meaning. Every reader of the engine side parses through it.
#pragma once

#include <cstddef>
#include <string>

#include <nlohmann/json.hpp>

namespace closecert::io {

inline constexpr std::size_t kMaxJsonDepth = 256;

// Parses text as JSON and throws InputError(file, place, message) when it is malformed, when an
// object repeats a key (another reader could keep the first value where nlohmann keeps the last),
// when a number does not fit a double, or when nesting exceeds kMaxJsonDepth. The place is the
// JSON path of the offending value ("claim.linear", "layers[2].mask") or "line L column C".
nlohmann::json parse_json_strict(const std::string& text, const std::string& file);

}  // namespace closecert::io
