// Families of sparse architectures (exact definitions in docs/patterns.md). Every layer has a bias.
// Invalid parameters throw std::invalid_argument with a one-line reason; sizes over the limits of
// architecture.hpp are rejected before any mask is allocated.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "arch/architecture.hpp"

namespace closecert::arch {

// widths = {N_0, N_1, ..., N_L}: every mask all ones.
Architecture dense(const std::vector<std::size_t>& widths);

// Two n x n layers: W_1 upper triangular (hidden k sees inputs j >= k), W_2 lower triangular
// (output i sees hidden k <= i). Their product is the LU pattern.
Architecture lu(std::size_t n);

// n = 2^p, p layers of n x n; layer l (1 = first applied) joins units i, j whose binary indices
// differ at most in bit p - l, i.e. I_{2^(l-1)} (x) [[1,1],[1,1]] (x) I_{n/2^l}.
Architecture butterfly(std::size_t n);

// Monarch M = P L P^T R with b | n: layer 1 = R, block diagonal with n/b blocks of size b;
// layer 2 = P L P^T (L block diagonal with b blocks of size n/b, P the reshape-transpose
// permutation): unit i sees unit j iff i = j (mod b). b = 0 means b = sqrt(n) (n must be a square).
Architecture monarch(std::size_t n, std::size_t b = 0);

// depth layers of n x n, block diagonal with blocks of size block (the last one smaller if
// block does not divide n).
Architecture block_diagonal(std::size_t n, std::size_t block, std::size_t depth = 2);

// depth layers of n x n: unit i sees unit j iff i - lower <= j <= i + upper.
Architecture banded(std::size_t n, std::size_t lower, std::size_t upper, std::size_t depth = 2);

// depth layers of width x width, each row keeps `keep` of every `group` consecutive entries (the last
// partial group keeps min(keep, its size)). seed == 0: deterministic, row i keeps offsets
// (i + t) mod group, t < keep, within each group; otherwise keep positions drawn with mt19937_64(seed).
Architecture n_m(std::size_t keep, std::size_t group, std::size_t width, std::size_t depth = 2, std::uint64_t seed = 0);

// widths = {N_0, ..., N_L}: each entry independently 1 with probability density, drawn from
// mt19937_64(seed) in row-major order, layer by layer (entry is 1 iff (draw >> 11) < density * 2^53).
Architecture random_architecture(const std::vector<std::size_t>& widths, double density, std::uint64_t seed);

}  // namespace closecert::arch
