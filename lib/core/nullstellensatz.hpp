// Search for Nullstellensatz certificates sum_i g_i f_i = 1 with degree-bounded Macaulay matrices.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <vector>

#include "core/poly.hpp"

namespace closecert::core {

struct NullstellensatzLimits {
    // Largest total degree D of the products g_i f_i tried.
    unsigned max_degree = 4;
    // Give up when the Macaulay matrix for the next degree has more unknowns than this.
    std::size_t max_unknowns = 20000;
    std::chrono::steady_clock::time_point deadline = std::chrono::steady_clock::time_point::max();
    // Bound on rows * columns of the dense matrix reduced modulo p (memory guard, 8 bytes each).
    std::size_t max_dense_entries = 60'000'000;
    // Seeds the choice of primes, so that results are reproducible.
    std::uint64_t seed = 0x636c6f7365636572ULL;
};

// Cofactors g (same length and context as f) with sum_i g_i f_i == 1, verified with exact
// polynomial arithmetic before being returned; nullopt if none was found within the limits
// (which proves nothing). Throws std::invalid_argument if the f do not share one context.
std::optional<std::vector<Poly>> find_nullstellensatz(const std::vector<Poly>& f,
                                                      const NullstellensatzLimits& limits);

// True iff sum_i g[i] * f[i] == 1 exactly (false on a length or context mismatch).
bool is_nullstellensatz_certificate(const std::vector<Poly>& f, const std::vector<Poly>& g);

}  // namespace closecert::core
