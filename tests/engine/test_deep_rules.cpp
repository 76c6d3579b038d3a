// The deep closed rules `disjoint_paths` (Lemma DP), `free_layer` (Lemma FL) and `twin` (Lemma TW): examples that no earlier
// rule decides, the lemma's construction carried out exactly on random instances, and soundness
// against the independent witness search (a certified not-closed witness never meets these rules).
#include <doctest/doctest.h>

#include <random>

#include "arch/generators.hpp"
#include "core/rational.hpp"
#include "engine/deep_free_layer.hpp"
#include "engine/deep_graph.hpp"
#include "engine/deep_paths.hpp"
#include "engine/deep_twin.hpp"
#include "engine/deep_witness.hpp"
#include "engine/engine.hpp"
#include "lockstep.hpp"
#include "seed.hpp"

using namespace closecert;
using core::Rational;
using engine::Verdict;

namespace {

arch::Architecture stack(std::size_t input_dim, const std::vector<std::vector<std::vector<std::size_t>>>& rows) {
    arch::Architecture a;
    a.name = "stack";
    a.input_dim = input_dim;
    std::size_t cols = input_dim;
    for (const auto& layer : rows) {
        arch::Mask m(layer.size(), cols);
        for (std::size_t i = 0; i < layer.size(); ++i)
            for (std::size_t j : layer[i]) m.set(i, j);
        a.layers.push_back({std::move(m), true});
        cols = layer.size();
    }
    a.validate();
    return a;
}

std::string root_rules(const nlohmann::json& proof) {
    std::string s;
    for (const nlohmann::json* nd = &proof["deep"]; nd && nd->is_object(); nd = nd->contains("child") ? &(*nd)["child"] : nullptr)
        s += (s.empty() ? "" : " ") + (*nd)["rule"].get<std::string>();
    return s;
}

void closed_by(const arch::Architecture& a, const std::string& rules) {
    auto r = engine::decide_linear(a);
    INFO(a.name << ": " << r.reason);
    REQUIRE(r.verdict == Verdict::closed);
    CHECK(root_rules(r.proof) == rules);
    auto run = test::check_linear(a, r);
    INFO(run.output);
    CHECK(run.status == 0);
    CHECK(run.output.find(", 0 trusted)") != std::string::npos);
}

using QMat = std::vector<std::vector<Rational>>;

QMat multiply(const QMat& x, const QMat& y) {
    QMat z(x.size(), std::vector<Rational>(y.empty() ? 0 : y[0].size()));
    for (std::size_t i = 0; i < x.size(); ++i)
        for (std::size_t k = 0; k < y.size(); ++k)
            if (!x[i][k].is_zero())
                for (std::size_t j = 0; j < y[0].size(); ++j) z[i][j] += x[i][k] * y[k][j];
    return z;
}

// One solution of m x = b by Gauss-Jordan elimination, or nullopt when m has not full row rank.
std::optional<std::vector<Rational>> solve_full_row_rank(QMat m, std::vector<Rational> b, std::size_t cols) {
    const std::size_t rows = m.size();
    std::vector<std::size_t> pivot_col;
    for (std::size_t r = 0; r < rows; ++r) {
        std::size_t c = 0;
        while (c < cols && m[r][c].is_zero()) ++c;
        if (c == cols) return std::nullopt;
        for (std::size_t s = 0; s < rows; ++s)
            if (s != r && !m[s][c].is_zero()) {
                Rational f = m[s][c] / m[r][c];
                for (std::size_t j = 0; j < cols; ++j) m[s][j] -= f * m[r][j];
                b[s] -= f * b[r];
            }
        pivot_col.push_back(c);
    }
    std::vector<Rational> x(cols);
    for (std::size_t r = 0; r < rows; ++r) x[pivot_col[r]] = b[r] / m[r][pivot_col[r]];
    return x;
}

// Lemma DP's construction, independent of the certificate: random integer weights on layers
// 2..L, a random integer target A on the boolean product S, W_1 solved column by column from the
// masks alone. True when the product equals A exactly.
bool realises_random_target(const arch::Architecture& a, std::mt19937_64& rng) {
    auto draw = [&] { return Rational(static_cast<long>(rng() % 19) - 9); };
    for (int attempt = 0; attempt < 5; ++attempt) {
        QMat p;  // W_L ... W_2
        for (std::size_t l = 2; l <= a.depth(); ++l) {
            const arch::Mask& m = a.layers[l - 1].mask;
            QMat w(m.rows(), std::vector<Rational>(m.cols()));
            for (std::size_t i = 0; i < m.rows(); ++i)
                for (std::size_t j = 0; j < m.cols(); ++j)
                    if (m.at(i, j)) w[i][j] = draw();
            p = p.empty() ? w : multiply(w, p);
        }
        arch::Mask s = a.layers[0].mask;
        for (std::size_t l = 1; l < a.depth(); ++l) s = arch::boolean_product(a.layers[l].mask, s);
        const arch::Mask& m1 = a.layers[0].mask;
        QMat w1(m1.rows(), std::vector<Rational>(m1.cols())), target(s.rows(), std::vector<Rational>(s.cols()));
        bool ok = true;
        for (std::size_t j = 0; j < s.cols() && ok; ++j) {
            std::vector<std::size_t> rows, ks;
            for (std::size_t i = 0; i < s.rows(); ++i)
                if (s.at(i, j)) rows.push_back(i), target[i][j] = draw();
            for (std::size_t k = 0; k < m1.rows(); ++k)
                if (m1.at(k, j)) ks.push_back(k);
            QMat sub(rows.size(), std::vector<Rational>(ks.size()));
            std::vector<Rational> rhs;
            for (std::size_t r = 0; r < rows.size(); ++r) {
                for (std::size_t c = 0; c < ks.size(); ++c) sub[r][c] = p[rows[r]][ks[c]];
                rhs.push_back(target[rows[r]][j]);
            }
            auto x = solve_full_row_rank(sub, rhs, ks.size());
            if (!x) ok = false;
            else
                for (std::size_t c = 0; c < ks.size(); ++c) w1[ks[c]][j] = (*x)[c];
        }
        if (ok) return multiply(p, w1) == target;
    }
    return false;
}


// Lemma FL's construction with the certificate's weights, in exact rational arithmetic: the free
// layer solved for a random integer target A on S, then the whole product compared with A.
bool free_layer_realises(const arch::Architecture& a, const nlohmann::json& node, std::mt19937_64& rng) {
    const std::size_t L = a.depth(), free = node["layer"].get<std::size_t>();
    std::vector<QMat> w(L);
    for (std::size_t l = 1; l <= L; ++l) w[l - 1].assign(a.width(l), std::vector<Rational>(a.width(l - 1)));
    for (const auto& layer : node["weights"])
        for (const auto& e : layer["entries"])
            w[layer["layer"].get<std::size_t>() - 1][e[0].get<std::size_t>()][e[1].get<std::size_t>()] = Rational(e[2].get<long>());
    auto chain = [&](std::size_t from, std::size_t to, std::size_t n) {
        QMat x(n, std::vector<Rational>(n));
        for (std::size_t i = 0; i < n; ++i) x[i][i] = Rational(1);
        for (std::size_t l = from; l <= to; ++l) x = multiply(w[l - 1], x);
        return x;
    };
    const QMat u = chain(free + 1, L, a.width(free)), v = chain(1, free - 1, a.input_dim);
    arch::Mask s = a.layers[0].mask;
    for (std::size_t l = 1; l < L; ++l) s = arch::boolean_product(a.layers[l].mask, s);
    const arch::Mask& mf = a.layers[free - 1].mask;
    std::vector<std::pair<std::size_t, std::size_t>> unknowns;
    for (std::size_t x = 0; x < mf.rows(); ++x)
        for (std::size_t y = 0; y < mf.cols(); ++y)
            if (mf.at(x, y)) unknowns.emplace_back(x, y);
    QMat m, target(s.rows(), std::vector<Rational>(s.cols()));
    std::vector<Rational> rhs;
    for (std::size_t i = 0; i < s.rows(); ++i)
        for (std::size_t j = 0; j < s.cols(); ++j)
            if (s.at(i, j)) {
                target[i][j] = Rational(static_cast<long>(rng() % 19) - 9);
                rhs.push_back(target[i][j]);
                auto& row = m.emplace_back();
                for (auto [x, y] : unknowns) row.push_back(u[i][x] * v[y][j]);
            }
    auto sol = solve_full_row_rank(m, rhs, unknowns.size());
    if (!sol) return false;
    for (std::size_t k = 0; k < unknowns.size(); ++k) w[free - 1][unknowns[k].first][unknowns[k].second] = (*sol)[k];
    return chain(1, L, a.input_dim) == target;
}

}  // namespace

TEST_CASE("disjoint paths: a magnitude-pruned stack is every matrix on its product (Lemma DP)") {
    // 3 layers at 35% density: no pair fuses (no matching per line), neither end is full.
    auto a = arch::random_architecture({20, 40, 30, 6}, 0.35, 1);
    a = engine::restrict_units(a, engine::live_units(a));
    for (std::size_t l = 1; l < a.depth(); ++l)
        for (bool rows : {false, true}) CHECK_FALSE(engine::pair_matching(a.layers[l - 1].mask, a.layers[l].mask, rows));
    closed_by(a, "disjoint_paths");
    std::mt19937_64 rng(1);
    CHECK(realises_random_target(a, rng));
    // The transposed stack takes orientation rows.
    arch::Architecture t;
    t.input_dim = a.output_dim();
    for (auto it = a.layers.rbegin(); it != a.layers.rend(); ++it) t.layers.push_back({it->mask.transposed(), true});
    auto node = engine::disjoint_paths_node(t, engine::Deadline());
    REQUIRE(node);
    CHECK((*node)["orientation"] == "rows");
}

TEST_CASE("disjoint paths: wherever the rule applies, the construction of Lemma DP realises a random target") {
    const auto seed = test::seed("deep-disjoint-paths");
    std::mt19937_64 rng(seed);
    int applied = 0;
    for (int round = 0; round < 60 * test::scale(); ++round) {
        std::vector<std::size_t> widths(3 + rng() % 2);
        for (auto& w : widths) w = 2 + rng() % 5;
        auto a = arch::random_architecture(widths, 0.35 + 0.4 * double(rng() % 100) / 100.0, rng());
        auto node = engine::disjoint_paths_node(a, engine::Deadline());
        if (!node || (*node)["orientation"] != "cols") continue;
        ++applied;
        INFO("seed " << seed << " round " << round);
        CHECK(realises_random_target(a, rng));
    }
    MESSAGE("rule applied in " << applied << " rounds");
    CHECK(applied >= 5);
}

TEST_CASE("free layer: a sparse stack whose middle layer maps onto every matrix on the product (Lemma FL)") {
    auto a = arch::random_architecture({12, 24, 16, 6}, 0.3, 7);
    a = engine::restrict_units(a, engine::live_units(a));
    CHECK_FALSE(engine::disjoint_paths_node(a, engine::Deadline()));
    closed_by(a, "free_layer");
    auto node = engine::free_layer_node(a, engine::Deadline());
    REQUIRE(node);
    CHECK((*node)["layer"] == 2);
    std::mt19937_64 rng(3);
    CHECK(free_layer_realises(a, *node, rng));
}

TEST_CASE("free layer: wherever the rule applies, its weights solve a random target exactly") {
    const auto seed = test::seed("deep-free-layer");
    std::mt19937_64 rng(seed);
    int applied = 0;
    for (int round = 0; round < 60 * test::scale(); ++round) {
        std::vector<std::size_t> widths(3 + rng() % 2);
        for (auto& w : widths) w = 2 + rng() % 4;
        auto a = arch::random_architecture(widths, 0.4 + 0.4 * double(rng() % 100) / 100.0, rng());
        auto node = engine::free_layer_node(a, engine::Deadline());
        if (!node) continue;
        ++applied;
        INFO("seed " << seed << " round " << round << " free layer " << (*node)["layer"]);
        CHECK(free_layer_realises(a, *node, rng));
    }
    MESSAGE("rule applied in " << applied << " rounds");
    CHECK(applied >= 5);
}

TEST_CASE("twin classes: trees of receptive fields, forward, backward and split (Lemma TW)") {
    // Two classes of twins in hidden layer 1, three twins and a single unit in hidden layer 2, a
    // dense last layer: undecided by every earlier rule (no pair fuses, no disjoint paths).
    auto fwd = stack(6, {{{0, 1, 2}, {0, 1, 2}, {3, 4, 5}, {3, 4, 5}}, {{0, 1}, {0, 1}, {0, 1}, {2, 3}}, {{0, 1, 2, 3}, {0, 1, 2, 3}, {0, 1, 2, 3}}});
    CHECK_FALSE(engine::disjoint_paths_node(fwd, engine::Deadline()));
    closed_by(fwd, "twin");
    CHECK(engine::twin_node(fwd).value()["split"] == 3);
    // A forward tree into a dense middle into a backward tree: split 2 is the only one.
    auto mid = stack(4, {{{0, 1}, {2, 3}}, {{0, 1}, {0, 1}}, {{0}, {0}, {1}, {1}}});
    CHECK_FALSE(engine::forward_twins(mid, 2));
    CHECK_FALSE(engine::backward_twins(mid, 1));
    closed_by(mid, "twin");
    CHECK(engine::twin_node(mid).value()["split"] == 2);
    // Overlapping receptive fields are not twins: LU under a diagonal is not closed.
    auto lu = stack(2, {{{0, 1}, {1}}, {{0}, {1}}, {{0}, {0, 1}}});
    CHECK_FALSE(engine::twin_node(lu));
    CHECK(engine::decide_linear(lu).verdict == Verdict::not_closed);
}

TEST_CASE("soundness: no architecture with a certified not-closed witness meets disjoint_paths, free_layer or twin") {
    const auto seed = test::seed("deep-rules-soundness");
    std::mt19937_64 rng(seed);
    int witnesses = 0, ruled = 0;
    engine::Options o;
    for (int round = 0; round < 150 * test::scale(); ++round) {
        std::vector<std::size_t> widths(4);
        for (auto& w : widths) w = 2 + rng() % 2;
        auto a = arch::random_architecture(widths, 0.4 + 0.4 * double(rng() % 100) / 100.0, rng());
        auto live = engine::live_units(a);
        if (live.front().empty() || live.back().empty()) continue;
        a = engine::restrict_units(a, live);
        const bool rule = engine::twin_node(a) || engine::disjoint_paths_node(a, engine::Deadline()) || engine::free_layer_node(a, engine::Deadline());
        ruled += rule;
        engine::DeepWitness w;
        try {
            w = engine::find_deep_witness(a, o, engine::Deadline(5));
        } catch (const engine::TimeoutError&) {
            continue;
        }
        if (!w.proof) continue;
        ++witnesses;
        INFO("seed " << seed << " round " << round);
        engine::LinearResult r;
        r.verdict = Verdict::not_closed;
        r.rule = "limit_outside";
        r.proof = *w.proof;
        CHECK(test::check_linear(a, r).status == 0);
        CHECK_FALSE(rule);
    }
    MESSAGE(witnesses << " certified witnesses, " << ruled << " architectures met a rule");
    CHECK(witnesses >= 3);
    CHECK(ruled >= 10);
}
