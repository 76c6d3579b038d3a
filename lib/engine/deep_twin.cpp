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

// Row and column supports of a mask, in one pass over its entries.
struct MaskSupports {
    Supports rows, cols;
    explicit MaskSupports(const arch::Mask& m) : rows(m.rows()), cols(m.cols()) {
        for (std::size_t i = 0; i < m.rows(); ++i)
            for (std::size_t j = 0; j < m.cols(); ++j)
                if (m.at(i, j)) rows[i].push_back(static_cast<std::uint32_t>(j)), cols[j].push_back(static_cast<std::uint32_t>(i));
    }
};

// Hidden layer h between masks `below` (mask h) and `above` (mask h + 1).
bool forward(const MaskSupports& below, const MaskSupports& above) { return twins(below.rows, above.cols, below.cols.size()); }
bool backward(const MaskSupports& below, const MaskSupports& above) { return twins(above.cols, below.rows, above.rows.size()); }

}  // namespace

bool forward_twins(const arch::Architecture& a, std::size_t h) {
    return forward(MaskSupports(a.layers[h - 1].mask), MaskSupports(a.layers[h].mask));
}

bool backward_twins(const arch::Architecture& a, std::size_t h) {
    return backward(MaskSupports(a.layers[h - 1].mask), MaskSupports(a.layers[h].mask));
}

std::optional<json> twin_node(const arch::Architecture& a) {
    const std::size_t L = a.depth();
    std::vector<MaskSupports> m;
    for (const auto& layer : a.layers) m.emplace_back(layer.mask);
    // back[h]: hidden layers h..L-1 are all backward twin layers (back[L] = true).
    std::vector<char> back(L + 1, 1);
    for (std::size_t h = L - 1; h >= 1; --h) back[h] = back[h + 1] && backward(m[h - 1], m[h]);
    for (std::size_t s = 1; s <= L; ++s) {
        if (back[s]) return json{{"rule", "twin"}, {"split", s}};
        if (s < L && !forward(m[s - 1], m[s])) break;
    }
    return std::nullopt;
}

}  // namespace closecert::engine
