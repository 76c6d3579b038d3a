// Enumeration counts against a brute-force orbit count that shares nothing with the canonical form.
#include <doctest/doctest.h>

#include <algorithm>
#include <cstdint>
#include <map>
#include <numeric>
#include <set>
#include <vector>

#include "arch/canonical.hpp"
#include "census/enumerate.hpp"

using namespace closecert;

namespace {

using Code = std::uint32_t;  // (row bits << n) | column bits
using Multiset = std::vector<Code>;

// Every multiset of r codes out of `codes`, as sorted vectors.
void multisets(std::size_t codes, std::size_t r, Code from, Multiset& cur, std::vector<Multiset>& out) {
    if (cur.size() == r) {
        out.push_back(cur);
        return;
    }
    for (Code c = from; c < codes; ++c) {
        cur.push_back(c);
        multisets(codes, r, c, cur, out);
        cur.pop_back();
    }
}

Code permute_bits(Code bits, const std::vector<std::size_t>& perm) {
    Code out = 0;
    for (std::size_t i = 0; i < perm.size(); ++i)
        if ((bits >> i) & 1u) out |= Code{1} << perm[i];
    return out;
}

struct Brute {
    std::size_t orbits = 0;
    std::map<Multiset, Multiset> rep;  // labelled pattern -> least element of its orbit
};

// Orbit representatives as the least image under S_m x S_n (x transposition when m = n).
Brute brute_force(std::size_t m, std::size_t n, std::size_t r) {
    std::vector<Multiset> all;
    Multiset cur;
    multisets(std::size_t{1} << (m + n), r, 0, cur, all);
    std::vector<std::vector<std::size_t>> row_perms, col_perms;
    std::vector<std::size_t> p(m);
    std::iota(p.begin(), p.end(), 0);
    do row_perms.push_back(p); while (std::next_permutation(p.begin(), p.end()));
    p.resize(n);
    std::iota(p.begin(), p.end(), 0);
    do col_perms.push_back(p); while (std::next_permutation(p.begin(), p.end()));
    const Code col_mask = (Code{1} << n) - 1;
    Brute b;
    std::set<Multiset> reps;
    for (const Multiset& ms : all) {
        Multiset best;
        for (int transpose = 0; transpose < (m == n ? 2 : 1); ++transpose)
            for (const auto& rp : row_perms)
                for (const auto& cp : col_perms) {
                    Multiset img;
                    for (Code c : ms) {
                        Code rows = c >> n, cols = c & col_mask;
                        if (transpose) std::swap(rows, cols);
                        img.push_back((permute_bits(rows, rp) << n) | permute_bits(cols, cp));
                    }
                    std::sort(img.begin(), img.end());
                    if (best.empty() || img < best) best = img;
                }
        b.rep[ms] = best;
        reps.insert(best);
    }
    b.orbits = reps.size();
    return b;
}

arch::Pattern decode(std::size_t m, std::size_t n, const Multiset& ms) {
    arch::Pattern p{m, n, {}};
    for (Code c : ms) {
        arch::Rect rect;
        for (arch::Index i = 0; i < m; ++i)
            if ((c >> (n + i)) & 1u) rect.rows.push_back(i);
        for (arch::Index j = 0; j < n; ++j)
            if ((c >> j) & 1u) rect.cols.push_back(j);
        p.terms.push_back(rect);
    }
    return p;
}

struct Case { std::size_t m, n, r; };
const Case kCases[] = {{1, 1, 1}, {1, 1, 2}, {1, 1, 3}, {1, 1, 4}, {1, 2, 1}, {1, 2, 2}, {1, 2, 3},
                       {2, 1, 2}, {1, 3, 2}, {2, 2, 1}, {2, 2, 2}, {2, 2, 3}, {2, 3, 1}, {2, 3, 2},
                       {3, 3, 1}, {3, 3, 2}};

}  // namespace

TEST_CASE("enumeration counts equal brute-force orbit counts") {
    for (const Case& c : kCases) {
        CAPTURE(c.m);
        CAPTURE(c.n);
        CAPTURE(c.r);
        const Brute b = brute_force(c.m, c.n, c.r);
        census::EnumerationStats stats;
        const auto pats = census::enumerate_patterns(c.m, c.n, c.r, 2, &stats);
        CHECK(pats.size() == b.orbits);
        CHECK(stats.per_level.size() == c.r + 1);
        CHECK(stats.per_level.back() == pats.size());
        // Keys are distinct and sorted; each listed pattern has the listed size and is its own canonical form.
        for (std::size_t i = 1; i < pats.size(); ++i) CHECK(pats[i - 1].key < pats[i].key);
        for (const auto& cf : pats) {
            CHECK(cf.pattern.m == std::min(c.m, c.n));
            CHECK(cf.pattern.n == std::max(c.m, c.n));
            CHECK(cf.pattern.terms.size() == c.r);
            CHECK(arch::canonical_key(cf.pattern) == cf.key);
        }
    }
}

TEST_CASE("orbit partition from the canonical key equals the brute-force one") {
    for (const Case& c : kCases) {
        if (c.r > 3) continue;
        CAPTURE(c.m);
        CAPTURE(c.n);
        CAPTURE(c.r);
        const Brute b = brute_force(c.m, c.n, c.r);
        std::map<Multiset, std::string> key_of_rep;
        std::map<std::string, Multiset> rep_of_key;
        for (const auto& [ms, rep] : b.rep) {
            const std::string key = arch::canonical_key(decode(c.m, c.n, ms));
            auto [it, fresh] = key_of_rep.try_emplace(rep, key);
            CHECK(it->second == key);  // same orbit, same key
            auto [jt, fresh2] = rep_of_key.try_emplace(key, rep);
            CHECK(jt->second == rep);  // same key, same orbit
        }
        CHECK(rep_of_key.size() == b.orbits);
    }
}

TEST_CASE("rectangles include the empty ones") {
    CHECK(census::all_rectangles(2, 3).size() == 32);
    CHECK(census::all_rectangles(1, 1).size() == 4);
}

TEST_CASE("thread count does not change the result") {
    const auto a = census::enumerate_patterns(2, 3, 2, 1);
    const auto b = census::enumerate_patterns(3, 2, 2, 3);
    REQUIRE(a.size() == b.size());
    for (std::size_t i = 0; i < a.size(); ++i) CHECK(a[i].key == b[i].key);
}
