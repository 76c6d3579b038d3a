#include "engine/deep_free_layer.hpp"

#include "engine/deep_graph.hpp"

#include <algorithm>
#include <cstdint>
#include <random>
#include <vector>

#include <flint/nmod_mat.h>

namespace closecert::engine {

using nlohmann::json;

namespace {

constexpr std::uint64_t kPrime = 2147483647;  // 2^31 - 1: products of residues fit in 64 bits
constexpr double kMaxCells = 1500, kMaxWork = 3e8;  // |S|, and |S|^2 times the free layer's weights

using ModMat = std::vector<std::vector<std::uint64_t>>;

std::uint64_t residue(long w) { return static_cast<std::uint64_t>((w % static_cast<long>(kPrime) + static_cast<long>(kPrime)) % static_cast<long>(kPrime)); }

ModMat identity(std::size_t n) {
    ModMat m(n, std::vector<std::uint64_t>(n, 0));
    for (std::size_t i = 0; i < n; ++i) m[i][i] = 1;
    return m;
}

// w (rows x k) times x (k x cols), modulo the prime.
ModMat times(const std::vector<std::vector<long>>& w, const ModMat& x) {
    const std::size_t cols = x.empty() ? 0 : x[0].size();
    ModMat z(w.size(), std::vector<std::uint64_t>(cols, 0));
    for (std::size_t i = 0; i < w.size(); ++i)
        for (std::size_t k = 0; k < x.size(); ++k)
            if (w[i][k] != 0) {
                const std::uint64_t c = residue(w[i][k]);
                for (std::size_t j = 0; j < cols; ++j) z[i][j] = (z[i][j] + c * x[k][j]) % kPrime;
            }
    return z;
}

// Rank of the rows of m modulo the prime (FLINT's nmod_mat).
std::size_t rank(const ModMat& m) {
    const std::size_t cols = m.empty() ? 0 : m[0].size();
    nmod_mat_t x;
    nmod_mat_init(x, static_cast<slong>(m.size()), static_cast<slong>(cols), kPrime);
    for (std::size_t i = 0; i < m.size(); ++i)
        for (std::size_t j = 0; j < cols; ++j) nmod_mat_entry(x, static_cast<slong>(i), static_cast<slong>(j)) = m[i][j];
    const slong r = nmod_mat_rank(x);
    nmod_mat_clear(x);
    return static_cast<std::size_t>(r);
}

}  // namespace

std::optional<json> free_layer_node(const arch::Architecture& a, const Deadline& deadline) {
    const std::size_t L = a.depth();
    // Every output and input is live here, so S has at least max(outputs, inputs) cells.
    if (static_cast<double>(std::max(a.output_dim(), a.input_dim)) > kMaxCells) return std::nullopt;
    const auto reach = product_support(a, 2e8);
    if (!reach) return std::nullopt;
    std::vector<std::pair<std::size_t, std::size_t>> cells;
    for (std::size_t i = 0; i < reach->size() && static_cast<double>(cells.size()) <= kMaxCells; ++i)
        for (std::size_t j = 0; j < a.input_dim; ++j)
            if (((*reach)[i][j / 64] >> (j % 64)) & 1) cells.emplace_back(i, j);
    const double n = static_cast<double>(cells.size());
    if (cells.empty() || n > kMaxCells) return std::nullopt;
    // Middle layers first: the ends are the generic case of disjoint_paths.
    std::vector<std::size_t> order;
    for (std::size_t l = 2; l < L; ++l) order.push_back(l);
    order.push_back(1), order.push_back(L);
    std::mt19937_64 rng(0x667265654c);
    for (std::size_t free : order) {
        const arch::Mask& mf = a.layers[free - 1].mask;
        const double weights = static_cast<double>(mf.nonzeros());
        if (weights < n || n * n * weights > kMaxWork) continue;
        for (int draw = 0; draw < 2; ++draw) {
            std::vector<std::vector<std::vector<long>>> w(L);
            for (std::size_t l = 1; l <= L; ++l) {
                if (l == free) continue;
                const arch::Mask& m = a.layers[l - 1].mask;
                w[l - 1].assign(m.rows(), std::vector<long>(m.cols(), 0));
                for (std::size_t i = 0; i < m.rows(); ++i)
                    for (std::size_t j = 0; j < m.cols(); ++j)
                        if (m.at(i, j)) w[l - 1][i][j] = static_cast<long>(1 + rng() % 9) * (rng() % 2 ? 1 : -1);
            }
            ModMat u = identity(a.width(free)), v = identity(a.input_dim);  // W_L..W_{free+1}, W_{free-1}..W_1
            for (std::size_t l = free + 1; l <= L; ++l) u = times(w[l - 1], u);
            for (std::size_t l = 1; l < free; ++l) v = times(w[l - 1], v);
            ModMat m(cells.size());
            for (std::size_t c = 0; c < cells.size(); ++c) {
                const auto [i, j] = cells[c];
                for (std::size_t x = 0; x < mf.rows(); ++x)
                    for (std::size_t y = 0; y < mf.cols(); ++y)
                        if (mf.at(x, y)) m[c].push_back(u[i][x] * v[y][j] % kPrime);
            }
            deadline.check();
            if (rank(m) < cells.size()) continue;
            json layers = json::array();
            for (std::size_t l = 1; l <= L; ++l) {
                if (l == free) continue;
                json entries = json::array();
                for (std::size_t i = 0; i < w[l - 1].size(); ++i)
                    for (std::size_t j = 0; j < w[l - 1][i].size(); ++j)
                        if (w[l - 1][i][j] != 0) entries.push_back({i, j, w[l - 1][i][j]});
                layers.push_back({{"layer", l}, {"entries", std::move(entries)}});
            }
            return json{{"rule", "free_layer"}, {"layer", free}, {"prime", kPrime}, {"weights", std::move(layers)}};
        }
    }
    return std::nullopt;
}

}  // namespace closecert::engine
