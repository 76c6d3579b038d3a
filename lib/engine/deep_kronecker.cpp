#include "engine/deep_kronecker.hpp"

namespace closecert::engine {

using nlohmann::json;

std::optional<KronTuple> kronecker_tuple(const arch::Mask& m) {
    if (m.rows() == 0 || m.cols() == 0) return std::nullopt;
    // Row 0 sees columns 0, d, ..., (c-1) d; column 0 is seen by rows 0, d, ..., (b-1) d.
    const auto row0 = m.row_support(0), col0 = m.col_support(0);
    if (row0.empty() || col0.empty() || (row0.size() == 1 && col0.size() == 1)) return std::nullopt;
    const std::size_t c = row0.size(), b = col0.size();
    const std::size_t d = c > 1 ? row0[1] : col0[1];
    if (d == 0 || m.cols() % (c * d) != 0) return std::nullopt;
    const std::size_t a = m.cols() / (c * d);
    if (m.rows() != a * b * d) return std::nullopt;
    for (std::size_t i = 0; i < m.rows(); ++i)
        for (std::size_t j = 0; j < m.cols(); ++j) {
            const bool want = i / (b * d) == j / (c * d) && i % d == j % d;
            if (m.at(i, j) != want) return std::nullopt;
        }
    return KronTuple{a, b, c, d};
}

bool chainable_pair(const KronTuple& l, const KronTuple& r) {
    const auto [a1, b1, c1, d1] = l;
    const auto [a2, b2, c2, d2] = r;
    (void)b1, (void)c2;
    return a1 * c1 * d1 == a2 * b2 * d2 && a2 % a1 == 0 && d1 % d2 == 0 && (a1 * c1) % a2 == 0;
}

std::optional<json> kronecker_chain_node(const arch::Architecture& a) {
    std::vector<KronTuple> w;  // w[l-1]: layer l's tuple
    for (const auto& layer : a.layers) {
        auto t = kronecker_tuple(layer.mask);
        if (!t) return std::nullopt;
        w.push_back(*t);
    }
    // Product order: factor 1 = W_L. Transposed: factor 1 = W_1^T, whose tuple is (a, c, b, d).
    for (bool transposed : {false, true}) {
        std::vector<KronTuple> chain;
        for (std::size_t k = 0; k < w.size(); ++k) {
            const KronTuple& t = transposed ? w[k] : w[w.size() - 1 - k];
            chain.push_back(transposed ? KronTuple{t[0], t[2], t[1], t[3]} : t);
        }
        bool ok = true;
        for (std::size_t k = 0; k + 1 < chain.size() && ok; ++k) ok = chainable_pair(chain[k], chain[k + 1]);
        if (!ok) continue;
        json factors = json::array();
        for (const auto& t : chain) factors.push_back({{"a", t[0]}, {"b", t[1]}, {"c", t[2]}, {"d", t[3]}});
        return json{{"rule", "kronecker_chain"},
                    {"orientation", transposed ? "transposed" : "product"},
                    {"factors", std::move(factors)},
                    {"theorem", "chainable_kronecker_closed"},
                    {"citation", "Le, Zheng, Riccietti, Gribonval, Butterfly factorization with error guarantees, arXiv:2411.04506: "
                                 "chainable Kronecker-sparse supports admit an optimum for every target (the set of products is closed)"}};
    }
    return std::nullopt;
}

}  // namespace closecert::engine
