// Seed for randomised property tests: CLOSECERT_SEED if set, else from the clock; always printed
// so that a failure can be replayed with CLOSECERT_SEED=<seed>.
#pragma once

#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <iostream>
#include <string>

namespace closecert::test {

inline std::uint64_t seed(const char* test_name) {
    std::uint64_t s;
    if (const char* env = std::getenv("CLOSECERT_SEED"); env && *env)
        s = std::stoull(env);
    else
        s = static_cast<std::uint64_t>(std::chrono::steady_clock::now().time_since_epoch().count());
    std::cout << "[" << test_name << "] seed " << s << " (replay with CLOSECERT_SEED=" << s << ")\n";
    return s;
}

// Iteration multiplier for long runs: CLOSECERT_TEST_SCALE (default 1).
inline int scale() {
    if (const char* env = std::getenv("CLOSECERT_TEST_SCALE"); env && *env) return std::max(1, std::atoi(env));
    return 1;
}

}  // namespace closecert::test
