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
    // Integer weights per variable (one vector of length nvars per grading). If every f_i is
    // homogeneous for a grading, the weight-matching part of any certificate is a certificate, so
    // cofactor monomials are restricted to weight -weight(f_i). Gradings under which some f_i is not
    // homogeneous are ignored. (Torus actions such as x -> s x, y -> y / s of a rank-one term.)
    std::vector<std::vector<int>> gradings;
};

// What the search did, for benchmarks and logs (the last degree tried).
struct NullstellensatzStats {
    unsigned degree = 0;           // last degree D tried (0 if none)
    std::size_t unknowns = 0;      // columns of the Macaulay matrix at that degree
    std::size_t rows = 0;          // its rows (monomials)
    std::size_t live_unknowns = 0; // columns left after dropping unknowns forced to zero
    std::size_t live_rows = 0;
    std::size_t rank = 0;          // rank modulo p of the surviving columns
    unsigned primes_tried = 0;
    double seconds_build = 0;      // building and pruning the matrices, all degrees
    double seconds_modular = 0;    // elimination modulo p
    double seconds_exact = 0;      // exact solve and verification
};

// Cofactors g (same length and context as f) with sum_i g_i f_i == 1, verified with exact
// polynomial arithmetic before being returned; nullopt if none was found within the limits
// (which proves nothing). Throws std::invalid_argument if the f do not share one context.
std::optional<std::vector<Poly>> find_nullstellensatz(const std::vector<Poly>& f,
                                                      const NullstellensatzLimits& limits);
std::optional<std::vector<Poly>> find_nullstellensatz(const std::vector<Poly>& f,
                                                      const NullstellensatzLimits& limits,
                                                      NullstellensatzStats& stats);

// True iff sum_i g[i] * f[i] == 1 exactly (false on a length or context mismatch).
bool is_nullstellensatz_certificate(const std::vector<Poly>& f, const std::vector<Poly>& g);

}  // namespace closecert::core
