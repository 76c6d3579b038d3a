#include <doctest/doctest.h>

#include <stdexcept>

#include "arch/generators.hpp"

using namespace closecert::arch;

namespace {

std::size_t row_nonzeros(const Mask& m, std::size_t i) { return m.row_support(i).size(); }

bool all_ones(const Mask& m) { return m.nonzeros() == m.rows() * m.cols(); }

}  // namespace

TEST_CASE("dense: shapes and all-ones masks") {
    auto a = dense({3, 4, 2});
    CHECK(a.depth() == 2);
    CHECK(a.input_dim == 3);
    CHECK(a.width(1) == 4);
    CHECK(a.output_dim() == 2);
    CHECK(a.all_biases());
    CHECK(all_ones(a.layers[0].mask));
    CHECK(all_ones(a.layers[1].mask));
    CHECK_THROWS_AS(dense({3}), std::invalid_argument);
    CHECK_THROWS_AS(dense({3, 0}), std::invalid_argument);
    CHECK_THROWS_AS(dense({100000, 2}), std::invalid_argument);
}

TEST_CASE("lu: upper then lower triangular") {
    auto a = lu(3);
    const auto& u = a.layers[0].mask;
    const auto& l = a.layers[1].mask;
    for (std::size_t i = 0; i < 3; ++i)
        for (std::size_t j = 0; j < 3; ++j) {
            CHECK(u.at(i, j) == (j >= i));
            CHECK(l.at(i, j) == (j <= i));
        }
    CHECK(all_ones(a.linear_support()));
    CHECK(a.name == "lu3");
    auto two = lu(2);
    CHECK(two.layers[0].mask.row_support(0) == std::vector<std::uint32_t>{0, 1});
    CHECK(two.layers[0].mask.row_support(1) == std::vector<std::uint32_t>{1});
    CHECK(two.layers[1].mask.row_support(0) == std::vector<std::uint32_t>{0});
    CHECK(two.layers[1].mask.row_support(1) == std::vector<std::uint32_t>{0, 1});
}

TEST_CASE("butterfly: factor l pairs units differing in bit p - l") {
    auto a = butterfly(8);
    REQUIRE(a.depth() == 3);
    const std::size_t stride[] = {4, 2, 1};
    for (std::size_t l = 0; l < 3; ++l)
        for (std::size_t i = 0; i < 8; ++i)
            for (std::size_t j = 0; j < 8; ++j) CHECK(a.layers[l].mask.at(i, j) == (i == j || (i ^ j) == stride[l]));
    CHECK(all_ones(a.linear_support()));
    CHECK(butterfly(2).depth() == 1);
    CHECK_THROWS_AS(butterfly(6), std::invalid_argument);
    CHECK_THROWS_AS(butterfly(1), std::invalid_argument);
}

TEST_CASE("monarch: block diagonal R, then units equal mod b") {
    auto a = monarch(4);
    REQUIRE(a.depth() == 2);
    for (std::size_t i = 0; i < 4; ++i)
        for (std::size_t j = 0; j < 4; ++j) {
            CHECK(a.layers[0].mask.at(i, j) == (i / 2 == j / 2));
            CHECK(a.layers[1].mask.at(i, j) == (i % 2 == j % 2));
        }
    CHECK(all_ones(a.linear_support()));
    auto b = monarch(6, 2);
    CHECK(b.layers[0].mask.nonzeros() == 12);
    CHECK(b.layers[1].mask.nonzeros() == 18);
    CHECK(all_ones(b.linear_support()));
    CHECK_THROWS_AS(monarch(5), std::invalid_argument);
    CHECK_THROWS_AS(monarch(6, 4), std::invalid_argument);
}

TEST_CASE("block_diagonal and banded") {
    auto a = block_diagonal(5, 2, 3);
    CHECK(a.depth() == 3);
    for (const auto& l : a.layers) CHECK(l.mask.nonzeros() == 9);
    CHECK(a.layers[0].mask.at(4, 4));
    CHECK(!a.layers[0].mask.at(3, 4));
    auto b = banded(5, 1, 2, 2);
    const std::size_t expect[] = {3, 4, 4, 3, 2};
    for (std::size_t i = 0; i < 5; ++i) CHECK(row_nonzeros(b.layers[0].mask, i) == expect[i]);
    CHECK(b.layers[0].mask.at(1, 0));
    CHECK(!b.layers[0].mask.at(2, 0));
    CHECK(b.layers[0].mask.at(0, 2));
    CHECK(!b.layers[0].mask.at(0, 3));
    CHECK_THROWS_AS(block_diagonal(4, 0), std::invalid_argument);
    CHECK_THROWS_AS(banded(4, 1, 1, 0), std::invalid_argument);
}

TEST_CASE("n:m keeps n of every m entries in each row") {
    for (std::uint64_t seed : {0ull, 1ull, 99ull}) {
        auto a = n_m(2, 4, 8, 2, seed);
        for (const auto& l : a.layers)
            for (std::size_t i = 0; i < 8; ++i)
                for (std::size_t g = 0; g < 8; g += 4) {
                    std::size_t k = 0;
                    for (std::size_t j = g; j < g + 4; ++j) k += l.mask.at(i, j);
                    CHECK(k == 2);
                }
        CHECK(n_m(2, 4, 8, 2, seed) == a);
    }
    auto d = n_m(2, 4, 8, 1, 0);
    CHECK(d.layers[0].mask.row_support(1) == std::vector<std::uint32_t>{1, 2, 5, 6});
    auto partial = n_m(3, 4, 6, 1, 0);  // last group has 2 entries: keeps both
    for (std::size_t i = 0; i < 6; ++i) CHECK(row_nonzeros(partial.layers[0].mask, i) == 5);
    CHECK_THROWS_AS(n_m(5, 4, 8), std::invalid_argument);
    CHECK_THROWS_AS(n_m(0, 4, 8), std::invalid_argument);
}

TEST_CASE("random: reproducible, density extremes") {
    auto a = random_architecture({20, 30, 10}, 0.5, 7);
    CHECK(a == random_architecture({20, 30, 10}, 0.5, 7));
    CHECK(!(a == random_architecture({20, 30, 10}, 0.5, 8)));
    const double frac = static_cast<double>(a.nonzeros()) / (20 * 30 + 30 * 10);
    CHECK(frac > 0.4);
    CHECK(frac < 0.6);
    CHECK(random_architecture({5, 5}, 0.0, 1).nonzeros() == 0);
    CHECK(random_architecture({5, 5}, 1.0, 1).nonzeros() == 25);
    CHECK_THROWS_AS(random_architecture({5, 5}, 1.5, 1), std::invalid_argument);
}
