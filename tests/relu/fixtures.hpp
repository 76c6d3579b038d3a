// Small architectures and hand-made linear witnesses shared by the relu tests.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "arch/architecture.hpp"
#include "engine/engine.hpp"

namespace closecert::relu::fixtures {

// Layers given as mask rows ("101", ...), all with biases unless bias is false.
inline arch::Architecture make_arch(std::size_t input_dim, const std::vector<std::vector<std::string>>& masks,
                                    bool bias = true, const std::string& name = "test") {
    arch::Architecture a;
    a.name = name;
    a.input_dim = input_dim;
    std::size_t cols = input_dim;
    for (const auto& rows : masks) {
        arch::Layer l;
        l.mask = arch::Mask(rows.size(), cols);
        for (std::size_t i = 0; i < rows.size(); ++i)
            for (std::size_t j = 0; j < cols; ++j)
                if (rows[i][j] == '1') l.mask.set(i, j);
        l.bias = bias;
        a.layers.push_back(std::move(l));
        cols = rows.size();
    }
    a.validate();
    return a;
}

// LU 2x2: W_1 upper triangular (hidden x input), W_2 lower triangular (output x hidden).
inline arch::Architecture lu2(bool bias = true) { return make_arch(2, {{"11", "01"}, {"10", "11"}}, bias, "lu2"); }
// LU 2x2 plus a hidden unit from input 0 to output 0: L is all of R^{2x2}.
inline arch::Architecture lu2_plus_cell() { return make_arch(2, {{"11", "01", "10"}, {"101", "110"}}, true, "lu2_plus_cell"); }

inline nlohmann::json lau(std::initializer_list<std::pair<const char*, int>> terms) {
    nlohmann::json v = nlohmann::json::array();
    for (auto [c, e] : terms) v.push_back(nlohmann::json::array({c, e}));
    return v;
}
inline nlohmann::json entry(int row, int col, nlohmann::json value) {
    return nlohmann::json{{"row", row}, {"col", col}, {"value", std::move(value)}};
}

// Lemma D family for LU: term 0 = (e1 + t e0) t^-1 (e1 + t e0)^T, term 1 = -t^-1 e1 e1^T, so
// P(t) = [[t, 1], [1, 0]] -> A = [[0, 1], [1, 0]]. Nonmembership: with f00 = w2_0_0 w1_0_0,
// f01 = w2_0_0 w1_0_1 - 1, f10 = w2_1_0 w1_0_0 - 1:
// (w2_1_0 w1_0_1) f00 - (w2_1_0 w1_0_0) f01 - f10 = 1 (THEORY.md section 4).
inline nlohmann::json lu2_linear_proof() {
    using nlohmann::json;
    json fam = json::array({
        json{{"layer", 1}, {"entries", json::array({entry(0, 0, lau({{"1", 0}})), entry(0, 1, lau({{"1", -1}})),
                                                    entry(1, 1, lau({{"-1", -1}}))})}},
        json{{"layer", 2}, {"entries", json::array({entry(0, 0, lau({{"1", 1}})), entry(1, 0, lau({{"1", 0}})),
                                                    entry(1, 1, lau({{"1", 0}}))})}}});
    json cof = json::array({
        json{{"row", 0}, {"col", 0}, {"poly", json::array({json::array({"1", json{{"w2_1_0", 1}, {"w1_0_1", 1}}})})}},
        json{{"row", 0}, {"col", 1}, {"poly", json::array({json::array({"-1", json{{"w2_1_0", 1}, {"w1_0_0", 1}}})})}},
        json{{"row", 1}, {"col", 0}, {"poly", json::array({json::array({"-1", json::object()})})}}});
    return json{{"verdict", "not_closed"},
                {"rule", "limit_outside"},
                {"window", {{"rows", {0, 1}}, {"cols", {0, 1}}}},
                {"family", fam},
                {"limit", json::array({json{{"row", 0}, {"col", 1}, {"value", "1"}}, json{{"row", 1}, {"col", 0}, {"value", "1"}}})},
                {"nonmembership", {{"kind", "nullstellensatz"}, {"cofactors", cof}}}};
}

inline engine::LinearResult not_closed_result(nlohmann::json proof) {
    engine::LinearResult r;
    r.verdict = engine::Verdict::not_closed;
    r.rule = "limit_outside";
    r.proof = std::move(proof);
    return r;
}

}  // namespace closecert::relu::fixtures
