#include "engine/deep_graph.hpp"

#include <cstdint>

#include <algorithm>
#include <functional>
#include <numeric>

namespace closecert::engine {

std::vector<std::vector<char>> units_between(const arch::Architecture& a, const std::vector<std::size_t>& cols,
                                             const std::vector<std::size_t>& rows) {
    const std::size_t L = a.depth();
    std::vector<std::vector<char>> fwd(L + 1), bwd(L + 1);
    fwd[0].assign(a.input_dim, 0);
    for (std::size_t j : cols) fwd[0][j] = 1;
    for (std::size_t l = 1; l <= L; ++l) {
        const arch::Mask& m = a.layers[l - 1].mask;
        fwd[l].assign(m.rows(), 0);
        for (std::size_t i = 0; i < m.rows(); ++i)
            for (std::size_t j = 0; j < m.cols() && !fwd[l][i]; ++j) fwd[l][i] = m.at(i, j) && fwd[l - 1][j];
    }
    bwd[L].assign(a.width(L), 0);
    for (std::size_t i : rows) bwd[L][i] = 1;
    for (std::size_t l = L; l >= 1; --l) {
        const arch::Mask& m = a.layers[l - 1].mask;
        bwd[l - 1].assign(m.cols(), 0);
        for (std::size_t i = 0; i < m.rows(); ++i)
            if (bwd[l][i])
                for (std::size_t j = 0; j < m.cols(); ++j)
                    if (m.at(i, j)) bwd[l - 1][j] = 1;
    }
    for (std::size_t l = 0; l <= L; ++l)
        for (std::size_t u = 0; u < fwd[l].size(); ++u) fwd[l][u] = fwd[l][u] && bwd[l][u];
    return fwd;
}

UnitSets live_units(const arch::Architecture& a) {
    std::vector<std::size_t> cols(a.input_dim), rows(a.output_dim());
    std::iota(cols.begin(), cols.end(), 0);
    std::iota(rows.begin(), rows.end(), 0);
    const auto on = units_between(a, cols, rows);
    UnitSets u(a.depth() + 1);
    for (std::size_t l = 0; l <= a.depth(); ++l)
        for (std::size_t i = 0; i < on[l].size(); ++i)
            if (on[l][i]) u[l].push_back(i);
    return u;
}

bool all_units(const arch::Architecture& a, const UnitSets& u) {
    for (std::size_t l = 0; l <= a.depth(); ++l)
        if (u[l].size() != a.width(l)) return false;
    return true;
}

arch::Architecture restrict_units(const arch::Architecture& a, const UnitSets& u) {
    arch::Architecture r;
    r.name = a.name;
    r.input_dim = u[0].size();
    for (std::size_t l = 1; l <= a.depth(); ++l) {
        const arch::Mask& m = a.layers[l - 1].mask;
        arch::Mask s(u[l].size(), u[l - 1].size());
        for (std::size_t i = 0; i < u[l].size(); ++i)
            for (std::size_t j = 0; j < u[l - 1].size(); ++j) s.set(i, j, m.at(u[l][i], u[l - 1][j]));
        r.layers.push_back(arch::Layer{std::move(s), a.layers[l - 1].bias});
    }
    return r;
}

std::vector<UnitSets> layered_components(const arch::Architecture& a) {
    const std::size_t L = a.depth();
    std::vector<std::size_t> offset(L + 2, 0);
    for (std::size_t l = 0; l <= L; ++l) offset[l + 1] = offset[l] + a.width(l);
    std::vector<std::size_t> up(offset[L + 1]);
    std::iota(up.begin(), up.end(), 0);
    std::function<std::size_t(std::size_t)> root = [&](std::size_t x) {
        while (up[x] != x) x = up[x] = up[up[x]];
        return x;
    };
    for (std::size_t l = 1; l <= L; ++l) {
        const arch::Mask& m = a.layers[l - 1].mask;
        for (std::size_t i = 0; i < m.rows(); ++i)
            for (std::size_t j = 0; j < m.cols(); ++j)
                if (m.at(i, j)) up[root(offset[l] + i)] = root(offset[l - 1] + j);
    }
    // Components in the order of their first output unit (every unit is live, so each has one).
    std::vector<std::size_t> order;
    std::vector<long> part_of(up.size(), -1);
    for (std::size_t i = 0; i < a.width(L); ++i) {
        std::size_t r = root(offset[L] + i);
        if (part_of[r] < 0) {
            part_of[r] = static_cast<long>(order.size());
            order.push_back(r);
        }
    }
    std::vector<UnitSets> parts(order.size(), UnitSets(L + 1));
    for (std::size_t l = 0; l <= L; ++l)
        for (std::size_t i = 0; i < a.width(l); ++i) {
            long p = part_of[root(offset[l] + i)];
            if (p >= 0) parts[static_cast<std::size_t>(p)][l].push_back(i);
        }
    return parts;
}

bool is_full(const arch::Mask& m) { return m.nonzeros() == m.rows() * m.cols(); }

bool is_partial_permutation(const arch::Mask& m) {
    std::vector<int> col_count(m.cols(), 0);
    for (std::size_t i = 0; i < m.rows(); ++i) {
        int row_count = 0;
        for (std::size_t j = 0; j < m.cols(); ++j)
            if (m.at(i, j) && (++row_count > 1 || ++col_count[j] > 1)) return false;
    }
    return true;
}

arch::Architecture fuse_pair(const arch::Architecture& a, std::size_t l) {
    arch::Architecture r;
    r.name = a.name;
    r.input_dim = a.input_dim;
    for (std::size_t k = 1; k <= a.depth(); ++k) {
        if (k == l) {
            const auto& lo = a.layers[l - 1];
            const auto& hi = a.layers[l];
            r.layers.push_back(arch::Layer{arch::boolean_product(hi.mask, lo.mask), lo.bias && hi.bias});
            ++k;
        } else {
            r.layers.push_back(a.layers[k - 1]);
        }
    }
    return r;
}

arch::Architecture replace_run(const arch::Architecture& a, std::size_t first, std::size_t last, std::size_t width) {
    arch::Architecture r;
    r.name = a.name;
    r.input_dim = a.input_dim;
    for (std::size_t k = 1; k < first; ++k) r.layers.push_back(a.layers[k - 1]);
    const std::size_t in = a.width(first - 1), out = a.width(last);
    arch::Mask full_in(width == 0 ? out : width, in), full_out(out, width);
    for (std::size_t i = 0; i < full_in.rows(); ++i)
        for (std::size_t j = 0; j < in; ++j) full_in.set(i, j);
    for (std::size_t i = 0; i < out; ++i)
        for (std::size_t j = 0; j < width; ++j) full_out.set(i, j);
    r.layers.push_back(arch::Layer{std::move(full_in), a.layers[first - 1].bias});
    if (width != 0) r.layers.push_back(arch::Layer{std::move(full_out), a.layers[last - 1].bias});
    for (std::size_t k = last + 1; k <= a.depth(); ++k) r.layers.push_back(a.layers[k - 1]);
    return r;
}

std::optional<std::vector<Triple>> pair_matching(const arch::Mask& lower, const arch::Mask& upper, bool rows) {
    // Column orientation: line = input column j; its rows i need distinct hidden k with i-k-j.
    const std::size_t hidden = lower.rows();
    const std::size_t lines = rows ? upper.rows() : lower.cols();
    const std::size_t others = rows ? lower.cols() : upper.rows();
    auto path = [&](std::size_t line, std::size_t other, std::size_t k) {
        return rows ? upper.at(line, k) && lower.at(k, other) : upper.at(other, k) && lower.at(k, line);
    };
    std::vector<Triple> out;
    for (std::size_t line = 0; line < lines; ++line) {
        std::vector<std::size_t> need;
        std::vector<std::vector<std::size_t>> adj;
        for (std::size_t o = 0; o < others; ++o) {
            std::vector<std::size_t> ks;
            for (std::size_t k = 0; k < hidden; ++k)
                if (path(line, o, k)) ks.push_back(k);
            if (!ks.empty()) need.push_back(o), adj.push_back(std::move(ks));
        }
        if (need.size() > hidden) return std::nullopt;
        std::vector<long> owner(hidden, -1);
        std::vector<char> seen;
        std::function<bool(std::size_t)> augment = [&](std::size_t x) {
            for (std::size_t k : adj[x]) {
                if (seen[k]) continue;
                seen[k] = 1;
                if (owner[k] < 0 || augment(static_cast<std::size_t>(owner[k]))) {
                    owner[k] = static_cast<long>(x);
                    return true;
                }
            }
            return false;
        };
        for (std::size_t x = 0; x < need.size(); ++x) {
            seen.assign(hidden, 0);
            if (!augment(x)) return std::nullopt;
        }
        for (std::size_t k = 0; k < hidden; ++k)
            if (owner[k] >= 0) {
                std::size_t o = need[static_cast<std::size_t>(owner[k])];
                out.push_back(rows ? Triple{line, o, k} : Triple{o, line, k});
            }
    }
    std::sort(out.begin(), out.end());
    return out;
}

std::optional<std::vector<std::vector<std::uint64_t>>> product_support(const arch::Architecture& a, double max_work) {
    const std::size_t words = (a.input_dim + 63) / 64;
    double work = 0;
    for (const auto& l : a.layers) work += static_cast<double>(l.mask.rows()) * static_cast<double>(l.mask.cols()) / 8.0 + static_cast<double>(l.mask.nonzeros()) * static_cast<double>(words);
    if (work > max_work) return std::nullopt;
    std::vector<std::vector<std::uint64_t>> cur(a.input_dim, std::vector<std::uint64_t>(words, 0));
    for (std::size_t j = 0; j < a.input_dim; ++j) cur[j][j / 64] |= std::uint64_t{1} << (j % 64);
    for (const auto& layer : a.layers) {
        const arch::Mask& m = layer.mask;
        std::vector<std::vector<std::uint64_t>> next(m.rows(), std::vector<std::uint64_t>(words, 0));
        for (std::size_t i = 0; i < m.rows(); ++i)
            for (std::size_t k = 0; k < m.cols(); ++k)
                if (m.at(i, k))
                    for (std::size_t w = 0; w < words; ++w) next[i][w] |= cur[k][w];
        cur = std::move(next);
    }
    return cur;
}


}  // namespace closecert::engine
