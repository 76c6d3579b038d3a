// Known verdicts (THEORY.md examples and families with proofs), each certificate re-verified.
#include <doctest/doctest.h>

#include <set>

#include "arch/generators.hpp"
#include "arch/pattern.hpp"
#include "engine/engine.hpp"
#include "lockstep.hpp"

using namespace closecert;
using engine::Verdict;

namespace {

arch::Pattern pat(std::size_t m, std::size_t n, std::vector<arch::Rect> terms) { return {m, n, std::move(terms)}; }

engine::LinearResult decide_and_check(const arch::Architecture& a, Verdict expected) {
    auto r = engine::decide_linear(a);
    INFO("architecture " << a.name << ": " << r.reason << " " << r.stuck);
    CHECK(r.verdict == expected);
    if (r.verdict != Verdict::unknown) {
        auto run = test::check_linear(a, r);
        INFO("checker: " << run.output);
        CHECK(run.status == 0);
        CHECK(run.output.rfind("verified:", 0) == 0);
    }
    return r;
}

engine::LinearResult decide_and_check(const arch::Pattern& p, Verdict expected, const char* name) {
    return decide_and_check(arch::architecture_of(p, name), expected);
}

}  // namespace

TEST_CASE("LU 2x2 is not closed, with the witness [[0,1],[1,0]] of THEORY.md") {
    auto r = decide_and_check(pat(2, 2, {{{0, 1}, {0, 1}}, {{1}, {1}}}), Verdict::not_closed, "lu2");
    REQUIRE(r.proof.contains("limit"));
    // The limit is the anti-diagonal matrix.
    std::set<std::pair<int, int>> cells;
    for (const auto& e : r.proof["limit"]) {
        CHECK(e["value"] == "1");
        cells.insert({e["row"].get<int>(), e["col"].get<int>()});
    }
    CHECK(cells == std::set<std::pair<int, int>>{{0, 1}, {1, 0}});
}

TEST_CASE("LU plus the cell {0}x{0} is all of R^{2x2}: closed") {
    decide_and_check(pat(2, 2, {{{0, 1}, {0, 1}}, {{1}, {1}}, {{0}, {0}}}), Verdict::closed, "lu2_plus_cell");
}

TEST_CASE("every n x n LU pattern is not closed (LU window, Lemma W)") {
    for (std::size_t n : {3, 4, 6}) decide_and_check(arch::lu(n), Verdict::not_closed);
}

TEST_CASE("two terms with equal rows and nested columns are closed (Lemma E)") {
    decide_and_check(pat(2, 3, {{{0, 1}, {0, 1, 2}}, {{0, 1}, {1, 2}}}), Verdict::closed, "nested");
    decide_and_check(pat(3, 2, {{{0, 1, 2}, {0, 1}}, {{1, 2}, {0, 1}}}), Verdict::closed, "nested_t");
}

TEST_CASE("two terms with equal rows and crossing columns are not closed") {
    decide_and_check(pat(2, 3, {{{0, 1}, {0, 1}}, {{0, 1}, {1, 2}}}), Verdict::not_closed, "crossing");
}

TEST_CASE("one class and disjoint classes are closed (Lemma C)") {
    decide_and_check(pat(3, 3, {{{0, 1, 2}, {0, 1, 2}}, {{0, 1, 2}, {0, 1, 2}}}), Verdict::closed, "class");
    decide_and_check(pat(4, 4, {{{0, 1}, {0, 1}}, {{2, 3}, {2, 3}}, {{0, 1}, {0, 1}}, {{2, 3}, {2}}}), Verdict::closed,
                     "blocks");
}

TEST_CASE("scalar output is closed (Lemma S)") {
    decide_and_check(pat(1, 4, {{{0}, {0, 1}}, {{0}, {1, 2}}, {{0}, {3}}}), Verdict::closed, "scalar");
}

TEST_CASE("a square term plus a row through one of its cells holds the LU window: not closed") {
    // After absorbing the row {1}x{1,2} (Lemma V) the square is seen without (1,1): the LU set.
    decide_and_check(pat(2, 3, {{{0, 1}, {0, 1}}, {{1}, {1, 2}}}), Verdict::not_closed, "square_row");
}

TEST_CASE("a row term plus a column term is closed (absorbed one after the other)") {
    decide_and_check(pat(3, 3, {{{1}, {0, 1, 2}}, {{0, 1, 2}, {1}}}), Verdict::closed, "row_col");
}

TEST_CASE("families: block diagonal and Monarch are closed, LU is not") {
    decide_and_check(arch::block_diagonal(8, 2), Verdict::closed);
    decide_and_check(arch::monarch(4), Verdict::closed);
}

TEST_CASE("one layer is a coordinate subspace") {
    arch::Architecture a;
    a.name = "one";
    a.input_dim = 2;
    arch::Mask m(2, 2);
    m.set(0, 0);
    m.set(1, 1);
    a.layers = {arch::Layer{m, true}};
    decide_and_check(a, Verdict::closed);
}

TEST_CASE("a timeout ends in unknown with a reason") {
    engine::Options o;
    o.timeout_seconds = 1e-9;
    auto r = engine::decide_linear(arch::lu(8), o);
    CHECK(r.verdict == Verdict::unknown);
    CHECK(r.reason.find("time limit") != std::string::npos);
}

TEST_CASE("a full chain group is absorbed before the row it overlaps (Lemmas E and V)") {
    // {0,2}x{0,2} and {0,1,2}x{0,2} share their columns with nested rows: together they carry every
    // matrix on {0,1,2}x{0,2}; what is left is the row term's cell (0,1).
    auto r = decide_and_check(pat(3, 3, {{{0, 2}, {0, 2}}, {{0}, {0, 1}}, {{0, 1, 2}, {0, 2}}}), Verdict::closed,
                              "chain_group");
    CHECK(r.proof.dump().find("absorb_chain") != std::string::npos);
}

TEST_CASE("a deep LU-like network (diagonal layers between the factors) is not closed") {
    // Partial-permutation layers merge into their neighbours; the certificate speaks of all layers.
    for (std::size_t n : {2, 3}) {
        arch::Architecture lu = arch::lu(n);
        arch::Mask diag(n, n), perm(n, n);
        for (std::size_t i = 0; i < n; ++i) {
            diag.set(i, i);
            perm.set(i, n - 1 - i);
        }
        arch::Architecture deep;
        deep.name = "deep_lu";
        deep.input_dim = n;
        deep.layers = {arch::Layer{diag, true}, lu.layers[0], arch::Layer{diag, true}, lu.layers[1], arch::Layer{diag, true}};
        decide_and_check(deep, Verdict::not_closed);
        // A reversal between the factors gives L P U: still holds an LU-type window? The engine must
        // not guess either way; whatever it answers is checked.
        deep.layers = {lu.layers[0], arch::Layer{perm, true}, lu.layers[1]};
        auto r = engine::decide_linear(deep);
        if (r.verdict != Verdict::unknown) CHECK(test::check_linear(deep, r).status == 0);
    }
}

TEST_CASE("three 2x2 squares on the column pairs of 2x3 are all of R^{2x3} (absorb_generic)") {
    // Each column is seen by two terms on both rows: with generic x's they span it, so the group is
    // every matrix on its cells; no class, chain or single row/column rule applies.
    auto r = decide_and_check(pat(2, 3, {{{0, 1}, {0, 1}}, {{0, 1}, {0, 2}}, {{0, 1}, {1, 2}}}), Verdict::closed,
                              "generic_cols");
    CHECK(r.proof["proof"]["rule"] == "absorb_generic");
    CHECK(r.proof["proof"]["group"] == nlohmann::json{0, 1, 2});
    CHECK(r.proof["proof"]["matching"].size() == 6);
}

TEST_CASE("absorb_generic by rows: columns with more rows than terms, rows spanned by generic y's") {
    // Column 0 has three rows and two terms, so "cols" prunes everything; each row has three columns
    // and three terms.
    auto r = decide_and_check(pat(3, 3, {{{0, 1, 2}, {0, 1}}, {{0, 1, 2}, {0, 1}}, {{0, 1, 2}, {1, 2}}}), Verdict::closed,
                              "generic_rows");
    CHECK(r.proof["proof"]["rule"] == "absorb_generic");
    CHECK(r.proof["proof"]["orientation"] == "rows");
    CHECK(r.proof["proof"]["group"] == nlohmann::json{0, 1, 2});
}

TEST_CASE("absorb_generic prunes a column it cannot match and keeps the rest of the group") {
    // Column 3 has two rows and only term 3: unmatched, so term 3 leaves the group; the other three
    // still match every column. Term 3 is then seen on column 3 only (a class).
    auto r = decide_and_check(pat(2, 4, {{{0, 1}, {0, 1}}, {{0, 1}, {0, 2}}, {{0, 1}, {1, 2}}, {{0, 1}, {2, 3}}}),
                              Verdict::closed, "generic_pruned");
    CHECK(r.proof["proof"]["rule"] == "absorb_generic");
    CHECK(r.proof["proof"]["orientation"] == "cols");
    CHECK(r.proof["proof"]["group"] == nlohmann::json{0, 1, 2});
    CHECK(r.proof["proof"]["child"]["rule"] == "class");
}

namespace {
bool uses_rule(const nlohmann::json& node, const std::string& rule) {
    if (node.is_object()) {
        if (node.contains("rule") && node["rule"] == rule) return true;
        for (const auto& [key, child] : node.items())
            if (uses_rule(child, rule)) return true;
    } else if (node.is_array()) {
        for (const auto& child : node)
            if (uses_rule(child, rule)) return true;
    }
    return false;
}
}  // namespace

TEST_CASE("two crossing rectangles are closed (Lemma K: rotate the inner term's rows onto one row)") {
    // 3x3: the set is {rank <= 2, M_00 = 0} (docs/theory.md); larger sizes follow the same proof.
    for (std::size_t n : {3, 4, 6}) {
        arch::IndexSet all, inner;
        for (std::size_t i = 0; i < n; ++i) all.push_back(arch::Index(i));
        inner.assign(all.begin() + 1, all.end());
        auto r = decide_and_check(pat(n, n, {{inner, all}, {all, inner}}), Verdict::closed, "crossing");
        CHECK(uses_rule(r.proof, "rotate"));
    }
    // The transpose, and a class of two terms on the inner rectangle's rows.
    decide_and_check(pat(3, 3, {{{0, 1, 2}, {1, 2}}, {{1, 2}, {0, 1, 2}}}), Verdict::closed, "crossing_t");
    auto r = decide_and_check(pat(4, 4, {{{1, 2, 3}, {0, 1, 2, 3}}, {{1, 2, 3}, {0, 1, 2, 3}}, {{0, 1, 2, 3}, {1, 2, 3}}}),
                              Verdict::closed, "crossing_class");
    CHECK(uses_rule(r.proof, "rotate"));
}

TEST_CASE("rotate needs every other term to contain or miss the rotated lines") {
    // LU: the square's columns {0,1} are cut by the cell's column {1}; no rotation, and not closed.
    auto r = decide_and_check(pat(2, 2, {{{0, 1}, {0, 1}}, {{1}, {1}}}), Verdict::not_closed, "lu2");
    CHECK_FALSE(uses_rule(r.proof, "rotate"));
}

TEST_CASE("a class seen as separate full blocks is the product of rank sets (class rule)") {
    // The 3x3 rank-one term loses (0,0), (1,0), (2,1), (2,2) to absorbed terms: it is seen as the
    // 2x2 block {0,1}x{1,2} and the cell (2,0), which are independent.
    decide_and_check(pat(3, 3, {{{0, 1}, {0}}, {{2}, {1, 2}}, {{0, 1, 2}, {0, 1, 2}}}), Verdict::closed, "blocks");
}

#include "core/rational.hpp"

TEST_CASE("a positivstellensatz nonmembership proof in the engine's format passes the checker") {
    // No census window has a real-only certificate (docs/theory.md), so the engine's LU proof is
    // rewritten: sum g f = 1 gives sum (-2g) f + 1 + 1 * 1^2 = 0. This pins the JSON shape that
    // witness.cpp emits (weights as rational strings, squares as polynomials) to the checker's.
    auto a = arch::architecture_of(pat(2, 2, {{{0, 1}, {0, 1}}, {{1}, {1}}}), "lu2_psatz");
    auto r = engine::decide_linear(a);
    REQUIRE(r.verdict == Verdict::not_closed);
    REQUIRE(r.proof["nonmembership"]["kind"] == "nullstellensatz");
    nlohmann::json cof = r.proof["nonmembership"]["cofactors"];
    for (auto& c : cof)
        for (auto& term : c["poly"]) {
            auto q = core::Rational::parse(term[0].get<std::string>());
            term[0] = (core::Rational(-2) * q).to_string();
        }
    auto with_squares = [&](const char* weight) {
        engine::LinearResult out = r;
        out.proof["nonmembership"] = {{"kind", "positivstellensatz"}, {"cofactors", cof},
                                      {"squares", {{{"weight", weight}, {"poly", nlohmann::json::array({nlohmann::json::array({"1", nlohmann::json::object()})})}}}}};
        return test::check_linear(a, out);
    };
    auto ok = with_squares("1");
    INFO("checker: " << ok.output);
    CHECK(ok.status == 0);
    CHECK(ok.output.rfind("verified:", 0) == 0);
    CHECK(with_squares("-1").status != 0);  // weights must be positive
    CHECK(with_squares("2").status != 0);   // the identity must hold
}

TEST_CASE("groups full through one pinned line (Lemma G2, absorb_pinned)") {
    // Census patterns that no other rule settles; each is all of R^{MxN} on its covered cells
    // (docs/theory.md gives the pinned line and the matchings).
    struct Case {
        const char* name;
        arch::Pattern p;
    };
    std::vector<Case> cases = {
        {"g2_2x3", pat(2, 3, {{{1}, {2}}, {{0, 1}, {0, 1}}, {{0, 1}, {1, 2}}})},
        {"g2_col0_zero", pat(3, 3, {{{0, 1}, {1, 2}}, {{2}, {2}}, {{1, 2}, {1, 2}}})},
        {"g2_a00_zero", pat(3, 3, {{{0, 1}, {1, 2}}, {{0, 2}, {1, 2}}, {{1, 2}, {0, 1, 2}}})},
        {"g2_full", pat(3, 3, {{{0, 2}, {1, 2}}, {{1, 2}, {1, 2}}, {{0, 1, 2}, {0, 1, 2}}})},
        {"g2_shrinkable", pat(3, 3, {{{0, 2}, {1, 2}}, {{1, 2}, {0, 1, 2}}, {{0, 1, 2}, {0, 1, 2}}})},
        {"g2_corner_plus_rank2", pat(3, 3, {{{0, 1}, {0, 1}}, {{0, 1, 2}, {0, 1, 2}}, {{0, 1, 2}, {0, 1, 2}}})},
    };
    for (const auto& c : cases) {
        auto r = decide_and_check(c.p, Verdict::closed, c.name);
        CHECK(uses_rule(r.proof, "absorb_pinned"));
    }
}

TEST_CASE("groups full only through a case analysis on the target (Lemma F, absorb_tree)") {
    // The three 3x3x3 census patterns no other rule settles; each is all of R^{3x3}.
    struct Case {
        const char* name;
        arch::Pattern p;
    };
    std::vector<Case> cases = {
        {"tree_col0_two_terms", pat(3, 3, {{{0, 1}, {1, 2}}, {{0, 2}, {0, 1, 2}}, {{1, 2}, {0, 1, 2}}})},
        {"tree_col0_rank_one", pat(3, 3, {{{0, 2}, {0, 1, 2}}, {{1, 2}, {0, 1, 2}}, {{0, 1, 2}, {1, 2}}})},
        {"tree_two_squares_plus_full", pat(3, 3, {{{0, 2}, {0, 2}}, {{1, 2}, {1, 2}}, {{0, 1, 2}, {0, 1, 2}}})},
    };
    for (const auto& c : cases) {
        auto r = decide_and_check(c.p, Verdict::closed, c.name);
        CHECK(uses_rule(r.proof, "absorb_tree"));
    }
}

TEST_CASE("a pinned line does not make LU full") {
    // LU's column 0 is seen only by the square; with row 1 pinned, row 0 of column 1 is seen only by
    // the square, which must stay at row 1: no matching, so no pinned group.
    auto r = decide_and_check(pat(2, 2, {{{0, 1}, {0, 1}}, {{1}, {1}}}), Verdict::not_closed, "lu2");
    CHECK_FALSE(uses_rule(r.proof, "absorb_pinned"));
}

namespace {
// The limit of a not-closed certificate as a set of (row, col, value).
std::set<std::tuple<int, int, std::string>> limit_cells(const nlohmann::json& proof) {
    std::set<std::tuple<int, int, std::string>> out;
    for (const auto& e : proof["limit"]) out.insert({e["row"].get<int>(), e["col"].get<int>(), e["value"].get<std::string>()});
    return out;
}
}  // namespace

TEST_CASE("three terms cancelling in one column, or a wide third term, reach A = [[1,1,0],[1,1,0],[0,0,1]]") {
    // Census 3x3 patterns the pairwise hooks miss (Lemma D' of docs/theory.md, and a hook plus a
    // third term contributing two cells). Either way the limit is A with rows 0 and 1 equal.
    const std::set<std::tuple<int, int, std::string>> a{{0, 0, "1"}, {0, 1, "1"}, {1, 0, "1"}, {1, 1, "1"}, {2, 2, "1"}};
    auto r4 = decide_and_check(pat(3, 3, {{{0, 1}, {0, 2}}, {{0, 2}, {1, 2}}, {{1, 2}, {1, 2}}}), Verdict::not_closed,
                               "census4");
    CHECK(limit_cells(r4.proof) == a);
    auto r11 = decide_and_check(pat(3, 3, {{{0, 2}, {1, 2}}, {{1, 2}, {0, 1, 2}}, {{0, 1, 2}, {0, 2}}}),
                                Verdict::not_closed, "census11");
    // The sign of the (2,2) entry depends on which family is found first; its support does not.
    std::set<std::pair<int, int>> support;
    for (const auto& [i, j, v] : limit_cells(r11.proof)) support.insert({i, j});
    CHECK(support == std::set<std::pair<int, int>>{{0, 0}, {0, 1}, {1, 0}, {1, 1}, {2, 2}});
}
