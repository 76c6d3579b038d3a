#include <doctest/doctest.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <map>
#include <numeric>
#include <random>
#include <stdexcept>

#include "arch/canonical.hpp"
#include "arch/generators.hpp"
#include "seed.hpp"

using namespace closecert::arch;

namespace {

Pattern random_pattern(std::mt19937_64& rng, std::size_t max_dim, std::size_t max_terms) {
    Pattern p;
    p.m = 1 + rng() % max_dim;
    p.n = 1 + rng() % max_dim;
    const std::size_t r = rng() % (max_terms + 1);
    for (std::size_t k = 0; k < r; ++k) {
        Rect t;
        for (Index i = 0; i < p.m; ++i)
            if (rng() % 2) t.rows.push_back(i);
        for (Index j = 0; j < p.n; ++j)
            if (rng() % 2) t.cols.push_back(j);
        p.terms.push_back(t);
    }
    return p;
}

std::vector<Index> random_perm(std::mt19937_64& rng, std::size_t n) {
    std::vector<Index> p(n);
    std::iota(p.begin(), p.end(), 0);
    for (std::size_t i = n; i > 1; --i) std::swap(p[i - 1], p[rng() % i]);
    return p;
}

IndexSet mapped(const IndexSet& s, const std::vector<Index>& perm) {
    IndexSet out;
    for (Index i : s) out.push_back(perm[i]);
    std::sort(out.begin(), out.end());
    return out;
}

Pattern relabel(const Pattern& p, const std::vector<Index>& rp, const std::vector<Index>& cp) {
    Pattern q{p.m, p.n, {}};
    for (const auto& t : p.terms) q.terms.push_back(Rect{mapped(t.rows, rp), mapped(t.cols, cp)});
    return q;
}

Pattern scramble(std::mt19937_64& rng, const Pattern& p) {
    Pattern q = relabel(p, random_perm(rng, p.m), random_perm(rng, p.n));
    for (std::size_t i = q.terms.size(); i > 1; --i) std::swap(q.terms[i - 1], q.terms[rng() % i]);
    return rng() % 2 ? transposed(q) : q;
}

// Reference: the least sorted term list over every row and column permutation and both orientations.
std::vector<std::pair<IndexSet, IndexSet>> brute_canonical(const Pattern& p0) {
    std::vector<std::pair<IndexSet, IndexSet>> best;
    bool have = false;
    std::size_t best_m = 0;
    for (int o = 0; o < 2; ++o) {
        const Pattern p = o ? transposed(p0) : p0;
        std::vector<Index> rp(p.m), cp(p.n);
        std::iota(rp.begin(), rp.end(), 0);
        do {
            std::iota(cp.begin(), cp.end(), 0);
            do {
                Pattern q = relabel(p, rp, cp);
                std::vector<std::pair<IndexSet, IndexSet>> terms;
                for (auto& t : q.terms) terms.emplace_back(t.rows, t.cols);
                std::sort(terms.begin(), terms.end());
                if (!have || p.m < best_m || (p.m == best_m && terms < best)) {
                    best = terms;
                    best_m = p.m;
                    have = true;
                }
            } while (std::next_permutation(cp.begin(), cp.end()));
        } while (std::next_permutation(rp.begin(), rp.end()));
    }
    // Shape first, as a marker term.
    best.insert(best.begin(), {IndexSet(best_m, 0), IndexSet(p0.m + p0.n - best_m, 0)});
    return best;
}

Pattern from_cells(std::size_t m, std::size_t n, const std::vector<std::pair<IndexSet, IndexSet>>& t) {
    Pattern p{m, n, {}};
    for (const auto& [r, c] : t) p.terms.push_back(Rect{r, c});
    return p;
}

}  // namespace

TEST_CASE("canonical: LU examples") {
    const Pattern lu2 = from_cells(2, 2, {{{0, 1}, {0, 1}}, {{1}, {1}}});
    const Pattern ul2 = from_cells(2, 2, {{{0}, {0}}, {{0, 1}, {0, 1}}});
    const Pattern plus = from_cells(2, 2, {{{0, 1}, {0, 1}}, {{1}, {1}}, {{0}, {0}}});
    CHECK(canonical_key(lu2) == canonical_key(ul2));
    CHECK(canonical_key(lu2) != canonical_key(plus));
    CHECK(canonical_key(lu2) == canonical_key(two_layer_pattern(lu(2))));
    const auto f = canonical_form(lu2);
    CHECK(f.key == canonical_key(f.pattern));
    CHECK(f.pattern.terms.size() == 2);
}

TEST_CASE("canonical: shape orientation and multiplicities") {
    const Pattern wide = from_cells(2, 3, {{{0}, {0, 1, 2}}});
    const Pattern tall = from_cells(3, 2, {{{0, 1, 2}, {0}}});
    CHECK(canonical_key(wide) == canonical_key(tall));
    CHECK(canonical_form(tall).pattern.m == 2);
    const Pattern one = from_cells(2, 2, {{{0, 1}, {0, 1}}});
    const Pattern two = from_cells(2, 2, {{{0, 1}, {0, 1}}, {{0, 1}, {0, 1}}});
    CHECK(canonical_key(one) != canonical_key(two));
    const Pattern empty_term = from_cells(2, 2, {{{0, 1}, {0, 1}}, {{}, {0}}});
    const Pattern empty_term2 = from_cells(2, 2, {{{0, 1}, {0, 1}}, {{}, {1}}});
    const Pattern empty_both = from_cells(2, 2, {{{0, 1}, {0, 1}}, {{}, {}}});
    CHECK(canonical_key(empty_term) == canonical_key(empty_term2));
    CHECK(canonical_key(empty_term) != canonical_key(empty_both));
    CHECK(canonical_key(empty_term) != canonical_key(one));
}

TEST_CASE("canonical: too large patterns are refused") {
    CHECK_THROWS_AS(canonical_key(two_layer_pattern(lu(7))), std::invalid_argument);
    CHECK_NOTHROW(canonical_key(two_layer_pattern(lu(6))));
}

TEST_CASE("canonical: invariant under random relabelling and transposition") {
    std::mt19937_64 rng(closecert::test::seed("canonical invariance"));
    const int rounds = 400 * closecert::test::scale();
    for (int r = 0; r < rounds; ++r) {
        const Pattern p = random_pattern(rng, 6, 7);
        const auto f = canonical_form(p);
        for (int s = 0; s < 3; ++s) {
            const Pattern q = scramble(rng, p);
            INFO("p = " << to_string(p) << ", q = " << to_string(q));
            REQUIRE(canonical_key(q) == f.key);
        }
        REQUIRE(canonical_key(f.pattern) == f.key);
    }
}

TEST_CASE("canonical: equal keys iff isomorphic (brute force on small patterns)") {
    std::mt19937_64 rng(closecert::test::seed("canonical vs brute force"));
    const int rounds = 1500 * closecert::test::scale();
    std::map<std::string, std::vector<std::pair<IndexSet, IndexSet>>> by_key;
    std::map<std::vector<std::pair<IndexSet, IndexSet>>, std::string> by_brute;
    for (int r = 0; r < rounds; ++r) {
        // Few cells and terms so that isomorphic pairs are frequent.
        const Pattern p = random_pattern(rng, 3 + (r % 4 == 0), 1 + rng() % 4);
        const auto key = canonical_key(p);
        const auto brute = brute_canonical(p);
        INFO("pattern " << to_string(p) << " key " << key);
        auto [it1, new1] = by_key.emplace(key, brute);
        REQUIRE(it1->second == brute);  // same key -> isomorphic
        auto [it2, new2] = by_brute.emplace(brute, key);
        REQUIRE(it2->second == key);  // isomorphic -> same key
        // The canonical pattern is isomorphic to p.
        REQUIRE(brute_canonical(canonical_form(p).pattern) == brute);
    }
    MESSAGE("distinct classes seen: " << by_key.size());
    CHECK(by_key.size() > 50);
}

TEST_CASE("canonical: highly symmetric 6x6 patterns stay fast") {
    std::mt19937_64 rng(closecert::test::seed("canonical symmetric"));
    std::vector<Pattern> cases;
    Pattern cells{6, 6, {}};
    Pattern diag{6, 6, {}};
    Pattern full{6, 6, {}};
    Pattern rows{6, 6, {}};
    for (Index i = 0; i < 6; ++i) {
        for (Index j = 0; j < 6; ++j) cells.terms.push_back(Rect{{i}, {j}});
        diag.terms.push_back(Rect{{i}, {i}});
        full.terms.push_back(Rect{{0, 1, 2, 3, 4, 5}, {0, 1, 2, 3, 4, 5}});
        rows.terms.push_back(Rect{{i}, {0, 1, 2, 3, 4, 5}});
    }
    Pattern cyclic{6, 6, {}};
    for (Index i = 0; i < 6; ++i) cyclic.terms.push_back(Rect{{i, static_cast<Index>((i + 1) % 6)}, mapped({i, static_cast<Index>((i + 2) % 6)}, {0, 1, 2, 3, 4, 5})});
    cases = {cells, diag, full, rows, cyclic, two_layer_pattern(block_diagonal(6, 2, 2)), two_layer_pattern(monarch(4))};
    const auto start = std::chrono::steady_clock::now();
    for (const auto& p : cases) {
        const auto k = canonical_key(p);
        for (int s = 0; s < 3; ++s) CHECK(canonical_key(scramble(rng, p)) == k);
    }
    const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    MESSAGE("symmetric cases: " << secs << " s");
    CHECK(secs < 20.0);
}

TEST_CASE("canonical: census-sized throughput") {
    std::mt19937_64 rng(closecert::test::seed("canonical throughput"));
    const auto start = std::chrono::steady_clock::now();
    std::size_t n = 0;
    for (int r = 0; r < 20000; ++r) {
        Pattern p = random_pattern(rng, 4, 4);
        n += canonical_key(p).size();
    }
    const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    MESSAGE("20000 keys of <= 4x4 patterns: " << secs << " s");
    CHECK(n > 0);
}
