// Deep census: class counts against Burnside's lemma and against the two-layer enumeration (a
// different canonicalisation), canonical keys invariant under the symmetries, and a seeded sample of
// three-layer classes decided by the engine with every certificate verified by closecert-verify
// CERT ARCH (CLOSECERT_VERIFY, set by meson).
#include <doctest/doctest.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <numeric>
#include <random>
#include <set>

#include <unistd.h>

#include "census/checker.hpp"
#include "census_test_support.hpp"
#include "census/deep_enumerate.hpp"
#include "census/deep_run.hpp"
#include "census/enumerate.hpp"
#include "io/architecture_file.hpp"
#include "io/atomic_file.hpp"
#include "io/certificate.hpp"
#include "seed.hpp"

using namespace closecert;
using closecert::test::checker_path;
using closecert::test::TempDir;
namespace fs = std::filesystem;

namespace {

// Masks as nested vectors: m[l][i][j], l = 0 for the first layer (rows = units of layer l + 1).
using Net = std::vector<std::vector<std::vector<int>>>;

Net net_of(const census::Widths& w, std::uint64_t bits) {
    Net m(w.size() - 1);
    std::size_t p = 0;
    for (std::size_t l = 0; l + 1 < w.size(); ++l) {
        m[l].assign(w[l + 1], std::vector<int>(w[l], 0));
        for (std::size_t i = 0; i < w[l + 1]; ++i)
            for (std::size_t j = 0; j < w[l]; ++j, ++p) m[l][i][j] = static_cast<int>((bits >> p) & 1u);
    }
    return m;
}

// The image of a net under unit permutations perm[k] of every unit layer k, after an optional
// transposition (reverse the layers, transpose the masks).
Net image(const Net& m, const std::vector<std::vector<std::size_t>>& perm, bool flip) {
    Net t = m;
    if (flip) {
        t.assign(m.rbegin(), m.rend());
        for (auto& mask : t) {
            std::vector<std::vector<int>> tr(mask[0].size(), std::vector<int>(mask.size()));
            for (std::size_t i = 0; i < mask.size(); ++i)
                for (std::size_t j = 0; j < mask[0].size(); ++j) tr[j][i] = mask[i][j];
            mask = tr;
        }
    }
    Net out = t;
    for (std::size_t l = 0; l < t.size(); ++l)
        for (std::size_t i = 0; i < t[l].size(); ++i)
            for (std::size_t j = 0; j < t[l][i].size(); ++j) out[l][perm[l + 1][i]][perm[l][j]] = t[l][i][j];
    return out;
}

std::vector<std::vector<std::vector<std::size_t>>> all_perm_tuples(const census::Widths& w) {
    std::vector<std::vector<std::vector<std::size_t>>> tuples{{}};
    for (std::size_t k = 0; k < w.size(); ++k) {
        std::vector<std::size_t> p(w[k]);
        std::iota(p.begin(), p.end(), 0);
        std::vector<std::vector<std::vector<std::size_t>>> next;
        do
            for (const auto& t : tuples) {
                auto u = t;
                u.push_back(p);
                next.push_back(u);
            }
        while (std::next_permutation(p.begin(), p.end()));
        tuples = next;
    }
    return tuples;
}

std::uint64_t bits_of(const Net& m) {
    std::uint64_t bits = 0;
    std::size_t p = 0;
    for (const auto& mask : m)
        for (const auto& row : mask)
            for (int x : row) bits |= static_cast<std::uint64_t>(x) << p++;
    return bits;
}

// Orbits of all nets of widths w (transposition only when w is a palindrome): the average number of
// fixed points over the group. Each symmetry is turned into a map of entry positions by applying
// `image` to the nets with a single one, then fixed points are counted on bit strings.
std::size_t burnside(const census::Widths& w) {
    std::size_t n = 0;
    for (std::size_t l = 1; l < w.size(); ++l) n += w[l] * w[l - 1];
    const auto perms = all_perm_tuples(w);
    const bool palindrome = census::Widths(w.rbegin(), w.rend()) == w;
    std::size_t fixed = 0, order = 0;
    for (int flip = 0; flip <= (palindrome ? 1 : 0); ++flip)
        for (const auto& p : perms) {
            ++order;
            std::vector<std::uint64_t> to(n);
            for (std::size_t q = 0; q < n; ++q) to[q] = bits_of(image(net_of(w, std::uint64_t{1} << q), p, flip));
            for (std::uint64_t bits = 0; bits < (std::uint64_t{1} << n); ++bits) {
                std::uint64_t img = 0;
                for (std::size_t q = 0; q < n; ++q)
                    if ((bits >> q) & 1u) img |= to[q];
                if (img == bits) ++fixed;
            }
        }
    REQUIRE(fixed % order == 0);
    return fixed / order;
}

std::vector<arch::Mask> masks_of(const Net& m) {
    std::vector<arch::Mask> out;
    for (const auto& mask : m) {
        arch::Mask a(mask.size(), mask[0].size());
        for (std::size_t i = 0; i < mask.size(); ++i)
            for (std::size_t j = 0; j < mask[0].size(); ++j) a.set(i, j, mask[i][j] != 0);
        out.push_back(a);
    }
    return out;
}


}  // namespace

TEST_CASE("deep classes, 3 layers with widths <= 2: counts equal Burnside's lemma") {
    const auto tuples = census::deep_width_tuples(3, 1, 2);
    CHECK(tuples.size() == 10);  // 16 tuples, 4 palindromes: 4 + 12 / 2
    std::size_t total = 0;
    for (const auto& w : tuples) {
        const auto classes = census::enumerate_deep(w);
        CAPTURE(census::widths_label(w));
        CHECK(classes.size() == burnside(w));
        std::set<std::string> keys;
        for (const auto& c : classes) keys.insert(c.key);
        CHECK(keys.size() == classes.size());
        total += classes.size();
    }
    CHECK(total == 725);
}

TEST_CASE("deep classes, 4 layers of width 2: count equals Burnside's lemma") {
    const census::Widths w{2, 2, 2, 2, 2};
    CHECK(census::enumerate_deep(w).size() == burnside(w));
    CHECK(census::enumerate_deep(w).size() == 2176);
}

TEST_CASE("deep classes of two layers are the two-layer census patterns (another canonicalisation)") {
    // A two-layer pattern M x N x R is an architecture of widths N (inputs), R (hidden), M (outputs).
    for (std::size_t m = 1; m <= 3; ++m)
        for (std::size_t n = m; n <= 3; ++n)
            for (std::size_t r = 1; r <= 3; ++r) {
                census::Widths w{n, r, m};
                if (census::Widths(w.rbegin(), w.rend()) < w) w = census::Widths(w.rbegin(), w.rend());
                CAPTURE(census::widths_label(w));
                CHECK(census::enumerate_deep(w).size() == census::enumerate_patterns(m, n, r).size());
            }
}

TEST_CASE("canonical_deep is invariant under every kind of symmetry and lands on an enumerated class") {
    std::mt19937_64 rng(closecert::test::seed("deep canonical"));
    for (const census::Widths& w0 : {census::Widths{1, 2, 2, 2}, census::Widths{2, 1, 2, 2}, census::Widths{2, 2, 2, 2},
                                     census::Widths{2, 2, 2, 2, 2}, census::Widths{1, 2, 1, 2, 2}}) {
        std::set<std::string> keys;
        for (const auto& c : census::enumerate_deep(w0)) keys.insert(c.key);
        const census::Widths w1(w0.rbegin(), w0.rend());
        const auto perms0 = all_perm_tuples(w0), perms1 = all_perm_tuples(w1);
        std::size_t n = 0;
        for (std::size_t l = 1; l < w0.size(); ++l) n += w0[l] * w0[l - 1];
        for (int trial = 0; trial < 200; ++trial) {
            const Net m = net_of(w0, rng() & ((std::uint64_t{1} << n) - 1));
            const auto c = census::canonical_deep(masks_of(m));
            CHECK(keys.count(c.key) == 1);
            // Any relabelling, after a transposition (which reverses the widths) or not.
            const bool flip = rng() % 2 != 0;
            const auto& perms = flip ? perms1 : perms0;
            const Net img = image(m, perms[rng() % perms.size()], flip);
            CHECK(census::canonical_deep(masks_of(img)).key == c.key);
        }
    }
}

TEST_CASE("a seeded sample of 30 three-layer classes: decided, every certificate verified with its architecture") {
    const std::string checker = checker_path();
    REQUIRE_MESSAGE(!checker.empty(), "set CLOSECERT_VERIFY to closecert-verify");
    std::vector<census::DeepClass> all;
    for (const auto& w : census::deep_width_tuples(3, 1, 2))
        for (auto& c : census::enumerate_deep(w)) all.push_back(std::move(c));
    const std::uint64_t seed = closecert::test::seed("deep census sample");
    std::mt19937_64 rng(seed);
    std::shuffle(all.begin(), all.end(), rng);
    // Two not closed classes are always in, so that both verdicts are checked.
    const std::set<std::string> forced{"2-2-2-2:01.10,01.11,01.11", "2-2-2-2:01.11,01.11,10.11"};
    std::stable_partition(all.begin(), all.end(), [&](const census::DeepClass& c) { return forced.count(c.key) > 0; });
    REQUIRE(forced.count(all[0].key) + forced.count(all[1].key) == 2);
    all.resize(30);
    TempDir tmp("deep-census-test");
    engine::Options eo;
    eo.timeout_seconds = 10;
    std::size_t decided = 0, not_closed = 0;
    for (const auto& c : all) {
        CAPTURE(c.key);
        std::string failure;
        const auto rec = census::decide_deep_class(c, eo, checker, 60, tmp.path.string(), "", failure);
        CHECK_MESSAGE(failure.empty(), failure);
        if (rec["verdict"] != "unknown") {
            ++decided;
            CHECK(rec["verified"] == true);
        }
        if (rec["verdict"] == "not_closed") ++not_closed;
    }
    std::cout << "[deep census sample] seed " << seed << ": " << decided << " of " << all.size() << " decided and verified, "
              << not_closed << " not closed\n";
    CHECK(decided == all.size());
    CHECK(not_closed >= 2);
}

TEST_CASE("the checker ties a deep certificate to its architecture: another architecture is rejected") {
    const std::string checker = checker_path();
    REQUIRE(!checker.empty());
    TempDir tmp("deep-census-test");
    const auto c = census::canonical_deep(census::masks_from_rows({{"01", "10"}, {"01", "11"}, {"01", "11"}}));
    const auto other = census::masks_from_rows({{"01", "11"}, {"01", "11"}, {"01", "11"}});
    const auto a = census::deep_architecture(c.masks, "llu"), b = census::deep_architecture(other, "other");
    const auto lr = engine::decide_linear(a, {});
    REQUIRE(lr.verdict == engine::Verdict::not_closed);
    const std::string cert = (tmp.path / "c.json").string(), right = (tmp.path / "a.json").string(),
                      wrong = (tmp.path / "b.json").string();
    io::write_file_atomically(cert, io::make_certificate(a, lr, io::ReluPart{}).dump());
    io::write_file_atomically(right, io::architecture_to_text(a));
    io::write_file_atomically(wrong, io::architecture_to_text(b));
    CHECK(census::checker_confirms(census::run_process({checker, cert, right}, cert + ".log", 60), "not_closed"));
    const auto rejected = census::run_process({checker, cert, wrong}, cert + ".log", 60);
    CHECK(rejected.exit_code == 1);
    CHECK(rejected.output.find("not the architecture of") != std::string::npos);
}
