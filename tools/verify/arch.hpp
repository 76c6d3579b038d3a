// The architecture, re-parsed from its JSON form (no closecert code involved).
#pragma once

#include "poly.hpp"

#include <algorithm>
#include <cstdint>
#include <string>
#include <vector>

namespace verify {

struct Arch {
    std::string name;
    std::size_t input_dim = 0;
    // Sparse masks: ones[l-1][i] = the units j of layer l-1 that unit i of layer l sees, increasing.
    using Mask = std::vector<std::vector<std::uint32_t>>;
    std::vector<Mask> ones;
    std::vector<bool> bias;  // bias[l-1]

    std::size_t depth() const { return ones.size(); }
    std::size_t width(std::size_t l) const { return l == 0 ? input_dim : ones[l - 1].size(); }
    const std::vector<std::uint32_t>& row(std::size_t l, std::size_t i) const { return ones[l - 1][i]; }
    bool at(std::size_t l, std::size_t i, std::size_t j) const {
        const auto& r = ones[l - 1][i];
        return std::binary_search(r.begin(), r.end(), static_cast<std::uint32_t>(j));
    }
    std::size_t nonzeros(std::size_t l) const {
        std::size_t n = 0;
        for (const auto& r : ones[l - 1]) n += r.size();
        return n;
    }
};

// Format/version errors throw InputError; other defects throw Reject at `path`.
// Masks are strings of '0'/'1' or the sparse form {"shape": [r, c], "ones": [[i, j], ...]};
// `file_forms` (ARCH files) names npy masks as unsupported.
Arch parse_arch(const json& v, const std::string& path, bool file_forms);

// Why `a` and `b` differ ("" if they are the same architecture; names may differ).
std::string arch_difference(const Arch& a, const Arch& b);

// "w<l>_<i>_<j>" at a mask position of `a`.
Var parse_var(const std::string& name, const Arch& a, const std::string& path);
// Array of [coef, {var: exponent}], 1 <= exponent <= kMaxExponent.
Poly parse_poly(const json& v, const Arch& a, const std::string& path);

}  // namespace verify
