// Rule `free_layer` (docs/theory.md §4.11, Lemma FL): the other layers' integer weights are given;
// the product is then linear in the free layer, and the checker verifies that this map has rank |S|
// modulo the stated prime (S the boolean product, recomputed), so it is onto every matrix on S.
#include "verify.hpp"

#include <cstdint>

namespace verify {

namespace {

using Mod = std::uint64_t;
using ModRows = std::vector<std::vector<Mod>>;

bool is_prime(Mod p) {
    if (p < 2) return false;
    for (Mod d = 2; d * d <= p; ++d)
        if (p % d == 0) return false;
    return true;
}

Mod power(Mod a, Mod e, Mod p) {
    Mod r = 1;
    for (a %= p; e; e >>= 1, a = a * a % p)
        if (e & 1) r = r * a % p;
    return r;
}

// Full row rank of m modulo p (m is consumed).
bool full_row_rank(ModRows m, Mod p, const std::string& path) {
    const std::size_t cols = m.empty() ? 0 : m[0].size();
    charge(static_cast<long long>(m.size() * m.size() * (cols + 1)), path);
    for (std::size_t r = 0; r < m.size(); ++r) {
        // Pivot: the first non-zero entry of row r after reduction by the rows above.
        std::size_t c = 0;
        while (c < cols && m[r][c] == 0) ++c;
        if (c == cols) return false;
        const Mod inv = power(m[r][c], p - 2, p);
        for (std::size_t i = r + 1; i < m.size(); ++i)
            if (m[i][c] != 0) {
                const Mod f = m[i][c] * inv % p;
                for (std::size_t j = c; j < cols; ++j) m[i][j] = (m[i][j] + (p - f) * m[r][j]) % p;
            }
    }
    return true;
}

}  // namespace

void check_free_layer(const json& nd, const Arch& a, const std::string& path) {
    const std::size_t L = a.depth();
    const std::size_t free = static_cast<std::size_t>(integer(field(nd, "layer", path), at(path, "layer"), 1, static_cast<long>(L)));
    const Mod p = static_cast<Mod>(integer(field(nd, "prime", path), at(path, "prime"), 2, 2147483647L));
    if (!is_prime(p)) throw Reject(at(path, "prime"), std::to_string(p) + " is not prime");
    const std::string wp = at(path, "weights");
    const json& ws = array(field(nd, "weights", path), wp);
    if (ws.size() + 1 != L) throw Reject(wp, "expected the weights of every layer but layer " + std::to_string(free));
    // w[l - 1] = layer l's weights modulo p (empty for the free layer).
    std::vector<ModRows> w(L);
    std::size_t next = 1;
    for (std::size_t q = 0; q < ws.size(); ++q, ++next) {
        const std::string qp = at(wp, q);
        if (next == free) ++next;
        const std::size_t l = static_cast<std::size_t>(integer(field(ws[q], "layer", qp), at(qp, "layer"), 1, static_cast<long>(L)));
        if (l != next) throw Reject(at(qp, "layer"), "expected layer " + std::to_string(next) + " (layers in order, the free one left out)");
        w[l - 1].assign(a.width(l), std::vector<Mod>(a.width(l - 1), 0));
        std::vector<std::vector<char>> seen(a.width(l), std::vector<char>(a.width(l - 1), 0));
        const std::string ep = at(qp, "entries");
        const json& es = array(field(ws[q], "entries", qp), ep);
        for (std::size_t e = 0; e < es.size(); ++e) {
            const std::string xp = at(ep, e);
            if (!es[e].is_array() || es[e].size() != 3) throw Reject(xp, "expected [row, col, integer weight]");
            const auto i = static_cast<std::size_t>(integer(es[e][0], at(xp, 0), 0, static_cast<long>(a.width(l)) - 1));
            const auto j = static_cast<std::size_t>(integer(es[e][1], at(xp, 1), 0, static_cast<long>(a.width(l - 1)) - 1));
            const long v = integer(es[e][2], at(xp, 2), -2147483647L, 2147483647L);
            if (!a.at(l, i, j)) throw Reject(xp, "(" + std::to_string(i) + ", " + std::to_string(j) + ") is not in layer " + std::to_string(l) + "'s mask");
            if (seen[i][j]++) throw Reject(xp, "position listed twice");
            w[l - 1][i][j] = static_cast<Mod>((v % static_cast<long>(p) + static_cast<long>(p)) % static_cast<long>(p));
        }
    }
    // U = W_L ... W_{free+1} (rows: outputs, cols: units of layer free), V = W_{free-1} ... W_1.
    auto product = [&](std::size_t from, std::size_t to, std::size_t start) {
        ModRows x(start, std::vector<Mod>(start, 0));
        for (std::size_t i = 0; i < start; ++i) x[i][i] = 1;
        for (std::size_t l = from; l <= to; ++l) {
            charge(static_cast<long long>(a.width(l) * a.width(l - 1) * start), path);
            ModRows y(a.width(l), std::vector<Mod>(start, 0));
            for (std::size_t i = 0; i < a.width(l); ++i)
                for (std::size_t k = 0; k < a.width(l - 1); ++k)
                    if (w[l - 1][i][k] != 0)
                        for (std::size_t j = 0; j < start; ++j) y[i][j] = (y[i][j] + w[l - 1][i][k] * x[k][j]) % p;
            x = std::move(y);
        }
        return x;
    };
    const ModRows U = product(free + 1, L, a.width(free)), V = product(1, free - 1, a.input_dim);
    // S by reachability: reach[u] = the inputs joined to unit u of the current layer.
    std::vector<std::vector<char>> reach(a.input_dim, std::vector<char>(a.input_dim, 0));
    for (std::size_t j = 0; j < a.input_dim; ++j) reach[j][j] = 1;
    for (std::size_t l = 1; l <= L; ++l) {
        charge(static_cast<long long>((a.nonzeros(l) + a.width(l)) * a.input_dim), path);
        std::vector<std::vector<char>> up(a.width(l), std::vector<char>(a.input_dim, 0));
        for (std::size_t i = 0; i < a.width(l); ++i)
            for (std::uint32_t k : a.row(l, i))
                for (std::size_t j = 0; j < a.input_dim; ++j) up[i][j] |= reach[k][j];
        reach = std::move(up);
    }
    ModRows m;
    for (std::size_t i = 0; i < reach.size(); ++i)
        for (std::size_t j = 0; j < a.input_dim; ++j) {
            if (!reach[i][j]) continue;
            auto& row = m.emplace_back();
            charge(static_cast<long long>(a.nonzeros(free)), path);
            for (std::size_t x = 0; x < a.width(free); ++x)
                for (std::uint32_t y : a.row(free, x)) row.push_back(U[i][x] * V[y][j] % p);
        }
    if (m.empty()) throw Reject(path, "the product of the masks is empty");
    if (!full_row_rank(std::move(m), p, path))
        throw Reject(path, "the map from layer " + std::to_string(free) + " to the matrices on the product has rank below the product's size modulo " + std::to_string(p));
}

}  // namespace verify
