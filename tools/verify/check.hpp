// Shared vocabulary of the certificate checker: rejections, limits, JSON field access, rationals.
// The checker depends only on Boost.Multiprecision (header-only, no GMP: the engine's arithmetic is
// FLINT/GMP, so a defect in one cannot make both agree), nlohmann-json and the standard library.
#pragma once

#include <boost/multiprecision/cpp_int.hpp>
#include <nlohmann/json.hpp>
#include <cstddef>
#include <stdexcept>
#include <string>
#include <vector>

namespace verify {

using json = nlohmann::json;
using Integer = boost::multiprecision::cpp_int;
using Rational = boost::multiprecision::cpp_rational;

// A failed check (exit 1); `path` names the step, e.g. "linear.proof.parts[1].child".
struct Reject : std::runtime_error {
    std::string path;
    Reject(std::string p, const std::string& why) : std::runtime_error(why), path(std::move(p)) {}
};

// Unreadable input or wrong format/version (exit 2).
struct InputError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

// Limits so that a hostile certificate can neither run forever nor exhaust memory.
inline constexpr long kMaxExponent = 64;                 // |exponent| of t and of weight variables
inline constexpr std::size_t kMaxLayers = 64;
inline constexpr std::size_t kMaxWidth = 4096;           // units per layer
inline constexpr std::size_t kMaxMaskEntries = 1u << 26; // ones over all layers (two dense 4096 x 4096 layers: 2^25)
inline constexpr std::size_t kMaxRationalChars = 4096;
inline constexpr std::size_t kMaxListed = 1u << 20;      // any JSON array the checker walks
inline constexpr std::size_t kMaxTerms = 200000;         // terms of any polynomial
inline constexpr long long kWorkBudget = 30'000'000;     // weighted term products over the whole run
inline constexpr std::size_t kMaxArea = 1u << 21;         // sum of the two-layer rectangles' sizes

// Counts checked steps and records trusted ones ("path: citation").
struct Tally {
    long checked = 0;
    std::vector<std::string> trusted;
};

std::string at(const std::string& path, const std::string& key);
std::string at(const std::string& path, std::size_t index);

bool has(const json& obj, const std::string& key);
const json& field(const json& obj, const std::string& key, const std::string& path);
const json& array(const json& v, const std::string& path);
std::string str(const json& v, const std::string& path);
bool boolean(const json& v, const std::string& path);
long integer(const json& v, const std::string& path, long lo, long hi);
// "p" or "p/q", q > 0, no spaces, no leading '+'.
Rational rational(const json& v, const std::string& path);

// Charges n units of work against the global budget.
void charge(long long n, const std::string& path);

}  // namespace verify
