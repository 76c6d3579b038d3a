#include "engine/deep_twin.hpp"

#include <vector>

namespace closecert::engine {

using nlohmann::json;

namespace {

using Supports = std::vector<std::vector<std::uint32_t>>;

// in[u]: row support of `mask` (the units u sees); out[u]: column support of `next` (who sees u).
bool twins(const Supports& in, const Supports& out, std::size_t lower_width) {
    // owner[j]: the first unit seeing j. Equal-or-disjoint in-supports give every unit one owner
    // for all of its support, the first unit with the same support.
    std::vector<long> owner(lower_width, -1);
    for (std::size_t u = 0; u < in.size(); ++u) {
        if (in[u].empty()) continue;
        const long first = owner[in[u][0]] >= 0 ? owner[in[u][0]] : static_cast<long>(u);
        for (std::uint32_t j : in[u]) {
            if (owner[j] < 0) owner[j] = first;
            if (owner[j] != first) return false;
        }
        const auto v = static_cast<std::size_t>(first);
        if (in[v] != in[u] || out[v] != out[u]) return false;
    }
    return true;
}

Supports rows_of(const arch::Mask& m) {
    Supports s(m.rows());
    for (std::size_t i = 0; i < m.rows(); ++i) s[i] = m.row_support(i);
    return s;
}

Supports cols_of(const arch::Mask& m) {
    Supports s(m.cols());
    for (std::size_t i = 0; i < m.rows(); ++i)
        for (std::size_t j = 0; j < m.cols(); ++j)
            if (m.at(i, j)) s[j].push_back(static_cast<std::uint32_t>(i));
    return s;
}

}  // namespace

bool forward_twins(const arch::Architecture& a, std::size_t h) {
    return twins(rows_of(a.layers[h - 1].mask), cols_of(a.layers[h].mask), a.width(h - 1));
}

bool backward_twins(const arch::Architecture& a, std::size_t h) {
    return twins(cols_of(a.layers[h].mask), rows_of(a.layers[h - 1].mask), a.width(h + 1));
}

std::optional<json> twin_node(const arch::Architecture& a) {
    const std::size_t L = a.depth();
    // back[h]: hidden layers h..L-1 are all backward twin layers (back[L] = true).
    std::vector<char> back(L + 1, 1);
    for (std::size_t h = L - 1; h >= 1; --h) back[h] = back[h + 1] && backward_twins(a, h);
    for (std::size_t s = 1; s <= L; ++s) {
        if (back[s]) return json{{"rule", "twin"}, {"split", s}};
        if (s < L && !forward_twins(a, s)) break;
    }
    return std::nullopt;
}

}  // namespace closecert::engine
