#include "arch/generators.hpp"

#include <cmath>
#include <random>
#include <stdexcept>
#include <string>

namespace closecert::arch {

namespace {

[[noreturn]] void bad(const std::string& family, const std::string& msg) {
    throw std::invalid_argument(family + ": " + msg);
}

// Checks a shape against the limits before anything is allocated.
void check_shape(const std::string& family, std::size_t rows, std::size_t cols) {
    if (rows == 0 || cols == 0) bad(family, "widths must be at least 1");
    if (rows > kMaxWidth || cols > kMaxWidth) bad(family, "width over the limit " + std::to_string(kMaxWidth));
    if (rows * cols > kMaxMaskEntries) bad(family, "mask with more than " + std::to_string(kMaxMaskEntries) + " entries");
}

void check_depth(const std::string& family, std::size_t depth) {
    if (depth == 0) bad(family, "depth must be at least 1");
    if (depth > kMaxLayers) bad(family, "depth over the limit " + std::to_string(kMaxLayers));
}

template <class F>
Mask make_mask(std::size_t rows, std::size_t cols, F allowed) {
    Mask m(rows, cols);
    for (std::size_t i = 0; i < rows; ++i)
        for (std::size_t j = 0; j < cols; ++j)
            if (allowed(i, j)) m.set(i, j);
    return m;
}

Architecture stack(std::string name, std::size_t input_dim, std::vector<Mask> masks) {
    Architecture a;
    a.name = std::move(name);
    a.input_dim = input_dim;
    for (auto& m : masks) a.layers.push_back(Layer{std::move(m), true});
    a.validate();
    return a;
}

std::string widths_name(const std::vector<std::size_t>& w) {
    std::string s;
    for (std::size_t i = 0; i < w.size(); ++i) s += (i ? "-" : "") + std::to_string(w[i]);
    return s;
}

void check_widths(const std::string& family, const std::vector<std::size_t>& w) {
    if (w.size() < 2) bad(family, "needs at least two widths (input and output)");
    check_depth(family, w.size() - 1);
    for (std::size_t l = 1; l < w.size(); ++l) check_shape(family, w[l], w[l - 1]);
}

}  // namespace

Architecture dense(const std::vector<std::size_t>& widths) {
    check_widths("dense", widths);
    std::vector<Mask> ms;
    for (std::size_t l = 1; l < widths.size(); ++l)
        ms.push_back(make_mask(widths[l], widths[l - 1], [](std::size_t, std::size_t) { return true; }));
    return stack("dense" + widths_name(widths), widths[0], std::move(ms));
}

Architecture lu(std::size_t n) {
    check_shape("lu", n, n);
    std::vector<Mask> ms;
    ms.push_back(make_mask(n, n, [](std::size_t k, std::size_t j) { return j >= k; }));
    ms.push_back(make_mask(n, n, [](std::size_t i, std::size_t k) { return k <= i; }));
    return stack("lu" + std::to_string(n), n, std::move(ms));
}

Architecture butterfly(std::size_t n) {
    if (n < 2 || (n & (n - 1)) != 0) bad("butterfly", "n must be a power of two, at least 2");
    check_shape("butterfly", n, n);
    std::size_t p = 0;
    while ((std::size_t{1} << p) < n) ++p;
    std::vector<Mask> ms;
    for (std::size_t l = 1; l <= p; ++l) {
        const std::size_t stride = n >> l;  // n / 2^l: the bit in which paired units differ
        ms.push_back(make_mask(n, n, [stride](std::size_t i, std::size_t j) { return (i ^ j) == 0 || (i ^ j) == stride; }));
    }
    return stack("butterfly" + std::to_string(n), n, std::move(ms));
}

Architecture monarch(std::size_t n, std::size_t b) {
    if (n == 0) bad("monarch", "n must be at least 1");
    if (b == 0) {
        b = static_cast<std::size_t>(std::llround(std::sqrt(static_cast<double>(n))));
        if (b * b != n) bad("monarch", "n = " + std::to_string(n) + " is not a square; give the block size b");
    }
    if (n % b != 0) bad("monarch", "block size b = " + std::to_string(b) + " does not divide n = " + std::to_string(n));
    check_shape("monarch", n, n);
    std::vector<Mask> ms;
    ms.push_back(make_mask(n, n, [b](std::size_t i, std::size_t j) { return i / b == j / b; }));
    ms.push_back(make_mask(n, n, [b](std::size_t i, std::size_t j) { return i % b == j % b; }));
    std::string name = "monarch" + std::to_string(n);
    if (b * b != n) name += "_b" + std::to_string(b);
    return stack(name, n, std::move(ms));
}

Architecture block_diagonal(std::size_t n, std::size_t block, std::size_t depth) {
    if (block == 0) bad("block_diagonal", "block size must be at least 1");
    check_shape("block_diagonal", n, n);
    check_depth("block_diagonal", depth);
    std::vector<Mask> ms;
    for (std::size_t l = 0; l < depth; ++l)
        ms.push_back(make_mask(n, n, [block](std::size_t i, std::size_t j) { return i / block == j / block; }));
    return stack("block_diagonal_n" + std::to_string(n) + "_b" + std::to_string(block), n, std::move(ms));
}

Architecture banded(std::size_t n, std::size_t lower, std::size_t upper, std::size_t depth) {
    check_shape("banded", n, n);
    check_depth("banded", depth);
    std::vector<Mask> ms;
    for (std::size_t l = 0; l < depth; ++l)
        ms.push_back(make_mask(n, n, [lower, upper](std::size_t i, std::size_t j) {
            return (j <= i && i - j <= lower) || (j >= i && j - i <= upper);
        }));
    return stack("banded_n" + std::to_string(n) + "_l" + std::to_string(lower) + "_u" + std::to_string(upper), n,
                 std::move(ms));
}

Architecture n_m(std::size_t keep, std::size_t group, std::size_t width, std::size_t depth, std::uint64_t seed) {
    if (group == 0) bad("n:m", "m must be at least 1");
    if (keep == 0 || keep > group) bad("n:m", "n must satisfy 1 <= n <= m");
    check_shape("n:m", width, width);
    check_depth("n:m", depth);
    std::mt19937_64 rng(seed);
    std::vector<Mask> ms;
    for (std::size_t l = 0; l < depth; ++l) {
        Mask m(width, width);
        for (std::size_t i = 0; i < width; ++i)
            for (std::size_t g0 = 0; g0 < width; g0 += group) {
                const std::size_t len = std::min(group, width - g0);
                const std::size_t k = std::min(keep, len);
                if (seed == 0) {
                    // Rotating offsets; in a partial group take the first k offsets that fit.
                    std::size_t taken = 0;
                    for (std::size_t t = 0; taken < k; ++t) {
                        std::size_t off = (i + t) % group;
                        if (off < len) { m.set(i, g0 + off); ++taken; }
                    }
                } else {
                    // Partial Fisher-Yates with a fixed reduction, so files are reproducible everywhere.
                    std::vector<std::size_t> pos(len);
                    for (std::size_t t = 0; t < len; ++t) pos[t] = t;
                    for (std::size_t t = 0; t < k; ++t) {
                        std::size_t r = t + static_cast<std::size_t>(rng() % (len - t));
                        std::swap(pos[t], pos[r]);
                        m.set(i, g0 + pos[t]);
                    }
                }
            }
        ms.push_back(std::move(m));
    }
    std::string name = std::to_string(keep) + "_" + std::to_string(group) + "_w" + std::to_string(width);
    if (seed != 0) name += "_s" + std::to_string(seed);
    return stack(name, width, std::move(ms));
}

Architecture random_architecture(const std::vector<std::size_t>& widths, double density, std::uint64_t seed) {
    check_widths("random", widths);
    if (!(density >= 0.0 && density <= 1.0)) bad("random", "density must be in [0, 1]");
    std::mt19937_64 rng(seed);
    const double threshold = density * 9007199254740992.0;  // density * 2^53
    std::vector<Mask> ms;
    for (std::size_t l = 1; l < widths.size(); ++l)
        ms.push_back(make_mask(widths[l], widths[l - 1], [&](std::size_t, std::size_t) {
            return static_cast<double>(rng() >> 11) < threshold;
        }));
    return stack("random" + widths_name(widths) + "_s" + std::to_string(seed), widths[0], std::move(ms));
}

}  // namespace closecert::arch
