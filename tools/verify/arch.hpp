// The architecture, re-parsed from its JSON form (no closecert code involved).
#pragma once

#include "poly.hpp"

#include <string>
#include <vector>

namespace verify {

struct Arch {
    std::string name;
    std::size_t input_dim = 0;
    std::vector<std::vector<std::string>> masks;  // masks[l-1][i][j] == '1': layer l, unit i sees unit j
    std::vector<bool> bias;                       // bias[l-1]

    std::size_t depth() const { return masks.size(); }
    std::size_t width(std::size_t l) const { return l == 0 ? input_dim : masks[l - 1].size(); }
    bool at(std::size_t l, std::size_t i, std::size_t j) const { return masks[l - 1][i][j] == '1'; }
};

// Format/version errors throw InputError; other defects throw Reject at `path`.
// `file_forms` also accepts the sparse mask form {"shape": [r, c], "ones": [[i, j], ...]}.
Arch parse_arch(const json& v, const std::string& path, bool file_forms);

// Why `a` and `b` differ ("" if they are the same architecture; names may differ).
std::string arch_difference(const Arch& a, const Arch& b);

// "w<l>_<i>_<j>" at a mask position of `a`.
Var parse_var(const std::string& name, const Arch& a, const std::string& path);
// Array of [coef, {var: exponent}], 1 <= exponent <= kMaxExponent.
Poly parse_poly(const json& v, const Arch& a, const std::string& path);

}  // namespace verify
