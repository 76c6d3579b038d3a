// Lemma F: the case tree's leaves, evaluated at random targets, reproduce the target exactly.
#include <doctest/doctest.h>

#include <map>
#include <random>

#include "core/poly.hpp"
#include "engine/case_tree.hpp"
#include "engine/closed_prover.hpp"
#include "engine/witness.hpp"
#include "lockstep.hpp"
#include "seed.hpp"

using namespace closecert;
using core::Rational;
using nlohmann::json;

namespace {

using Target = std::map<std::pair<long, long>, Rational>;

Rational eval(const json& poly, const Target& A) {
    Rational sum(0);
    for (const auto& term : poly) {
        Rational t = Rational::parse(term[0].get<std::string>());
        for (const auto& [name, e] : term[1].items()) {
            // a_<i>_<j>
            auto u = name.find('_', 2);
            long i = std::stol(name.substr(2, u - 2)), j = std::stol(name.substr(u + 1));
            for (int k = 0; k < e.get<int>(); ++k) t *= A.at({i, j});
        }
        sum += t;
    }
    return sum;
}

// Follows the target's path to its leaf and checks that the leaf realises the target exactly.
void check_leaf(const json& tree, const arch::Pattern& p, const std::vector<std::size_t>& group, const Target& A) {
    const json* node = &tree;
    std::vector<Rational> N;
    while (node->contains("split")) {
        Rational v = eval((*node)["split"], A);
        if (v.is_zero()) node = &(*node)["zero"];
        else N.push_back(v), node = &(*node)["nonzero"];
    }
    REQUIRE(node->contains("realise"));
    std::map<std::pair<std::size_t, long>, Rational> X, Y;
    auto value = [&](const json& e) {
        Rational d(1);
        for (std::size_t a = 0; a < N.size(); ++a)
            for (int k = 0; k < e["den"][a].get<int>(); ++k) d *= N[a];
        return eval(e["num"], A) / d;
    };
    for (const auto& f : (*node)["realise"]["factors"]) {
        std::size_t k = f["term"];
        const auto& r = p.terms[k];
        for (std::size_t x = 0; x < r.rows.size(); ++x) X[{k, r.rows[x]}] = value(f["x"][x]);
        for (std::size_t y = 0; y < r.cols.size(); ++y) Y[{k, r.cols[y]}] = value(f["y"][y]);
    }
    for (const auto& [cell, a] : A) {
        Rational sum(0);
        for (std::size_t k : group) {
            const auto& r = p.terms[k];
            if (std::binary_search(r.rows.begin(), r.rows.end(), cell.first) &&
                std::binary_search(r.cols.begin(), r.cols.end(), cell.second))
                sum += X.at({k, cell.first}) * Y.at({k, cell.second});
        }
        CHECK(sum == a);
    }
}

}  // namespace

TEST_CASE("case trees of the census patterns realise random targets (Lemma F)") {
    const std::vector<arch::Pattern> cases = {
        {3, 3, {{{0, 1}, {1, 2}}, {{0, 2}, {0, 1, 2}}, {{1, 2}, {0, 1, 2}}}},
        {3, 3, {{{0, 2}, {0, 1, 2}}, {{1, 2}, {0, 1, 2}}, {{0, 1, 2}, {1, 2}}}},
        {3, 3, {{{0, 2}, {0, 2}}, {{1, 2}, {1, 2}}, {{0, 1, 2}, {0, 1, 2}}}},
    };
    const auto seed = test::seed("case-tree");
    std::mt19937_64 rng(seed);
    for (const auto& p : cases) {
        auto sp = engine::make_subpattern(p, {0, 1, 2}, {});
        auto tree = engine::case_tree_fullness(sp, {0, 1, 2}, engine::Deadline(60));
        INFO("pattern " << arch::to_string(p) << ", seed " << seed);
        REQUIRE(tree.has_value());
        for (int round = 0; round < 200 * test::scale(); ++round) {
            Target A;
            for (long i = 0; i < 3; ++i)
                for (long j = 0; j < 3; ++j)
                    // Zeros often, so that every branch of the tree is reached.
                    A[{i, j}] = rng() % 3 == 0 ? Rational(0) : Rational(static_cast<long>(rng() % 19) - 9) / Rational(static_cast<long>(rng() % 4) + 1);
            check_leaf(*tree, p, {0, 1, 2}, A);
        }
    }
}

TEST_CASE("no case tree for groups that are not full") {
    // LU 2x2 (dense but not all of R^{2x2}) and two terms on one 2x3 rectangle (rank <= 2 on 3x3 would
    // be full; on 3x3 with one term it is not).
    const std::vector<arch::Pattern> cases = {
        {2, 2, {{{0, 1}, {0, 1}}, {{1}, {1}}}},
        {3, 3, {{{0, 1, 2}, {0, 1, 2}}, {{0, 1, 2}, {0, 1, 2}}}},
    };
    for (const auto& p : cases) {
        auto sp = engine::make_subpattern(p, {0, 1}, {});
        CHECK_FALSE(engine::case_tree_fullness(sp, {0, 1}, engine::Deadline(60)).has_value());
    }
}

TEST_CASE("random families with poles of order 2 give checked witnesses (pass 6, Lemma D2)") {
    // With the structured passes off and order 1 skipped, every witness found has a genuine t^-2
    // pole; the checker verifies the limit and the non-membership certificate.
    const std::vector<arch::Pattern> cases = {
        {2, 2, {{{0, 1}, {0, 1}}, {{1}, {1}}}},                 // LU 2x2
        {2, 2, {{{0}, {0}}, {{0, 1}, {0, 1}}}},                 // the cell on the other corner
        {2, 3, {{{0, 1}, {0, 1, 2}}, {{1}, {1, 2}}}},           // an LU window inside 2x3
    };
    for (const auto& p : cases) {
        engine::WitnessLimits wl;
        wl.structured = false;
        wl.first_random_order = 2;
        std::vector<std::size_t> all(p.terms.size());
        for (std::size_t k = 0; k < all.size(); ++k) all[k] = k;
        auto ws = engine::find_witness(p, all, wl, engine::Deadline(120));
        INFO("pattern " << arch::to_string(p) << ": " << ws.candidates_tried << " candidates, " << ws.windows_closed << " in closed windows");
        REQUIRE(ws.proof.has_value());
        int lowest = 0;
        for (const auto& layer : (*ws.proof)["family"])
            for (const auto& e : layer["entries"])
                for (const auto& term : e["value"]) lowest = std::min(lowest, term[1].get<int>());
        CHECK(lowest == -2);
        engine::LinearResult r;
        r.verdict = engine::Verdict::not_closed;
        r.rule = "limit_outside";
        r.proof = *ws.proof;
        auto run = test::check_linear(arch::architecture_of(p, "order2"), r);
        INFO("checker: " << run.output);
        CHECK(run.status == 0);
    }
}

TEST_CASE("the numerical membership filter accepts points of L and rejects LU's limit") {
    // LU 2x2: x = (x0, x1), y = (y0, y1) on the full square (variables 0..3), cell term c (variable 4
    // times variable 5) on (1, 1). Cells in row-major order.
    const std::vector<std::vector<std::pair<std::size_t, std::size_t>>> lu = {
        {{0, 2}}, {{0, 3}}, {{1, 2}}, {{1, 3}, {4, 5}}};
    CHECK(engine::numerically_in_image(6, lu, {1, 2, 3, 4}));
    CHECK(engine::numerically_in_image(6, lu, {0, 0, 0, 5}));
    CHECK(engine::numerically_in_image(6, lu, {0, 0, 3, 7}));
    // [[0, 1], [1, 0]] is the limit of a diverging family, not a point of L.
    CHECK_FALSE(engine::numerically_in_image(6, lu, {0, 1, 1, 0}));
    // A cell no product reaches can only be zero.
    CHECK_FALSE(engine::numerically_in_image(1, {{}}, {1}));
    CHECK(engine::numerically_in_image(1, {{}}, {0}));
}
