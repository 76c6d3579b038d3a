#include <stdexcept>
#include <utility>

#include <doctest/doctest.h>

#include "core/qmatrix.hpp"
#include "generators.hpp"
#include "seed.hpp"

using closecert::core::QMatrix;
using closecert::core::Rational;
using closecert::core::solve;
namespace t = closecert::test;

TEST_CASE("QMatrix: solve checked by multiplication") {
    t::Rng rng(t::seed("qmatrix solve"));
    for (int it = 0; it < 60 * t::scale(); ++it) {
        std::size_t n = t::uniform(rng, 1, 12), k = t::uniform(rng, 1, 4);
        QMatrix A = t::random_matrix(rng, n, n), B = t::random_matrix(rng, n, k);
        auto X = solve(A, B);
        if (A.rank() == n) {
            REQUIRE(X.has_value());
            CHECK(A * *X == B);
        } else {
            CHECK(!X.has_value());
        }
        // A singular matrix: repeat a row.
        if (n >= 2) {
            QMatrix S = A;
            for (std::size_t j = 0; j < n; ++j) S.set(n - 1, j, S.get(0, j));
            CHECK(S.rank() < n);
            CHECK(!solve(S, B).has_value());
        }
    }
}

TEST_CASE("QMatrix: products, transposes and ranks") {
    t::Rng rng(t::seed("qmatrix laws"));
    for (int it = 0; it < 60 * t::scale(); ++it) {
        std::size_t m = t::uniform(rng, 1, 6), n = t::uniform(rng, 1, 6), p = t::uniform(rng, 1, 6), q = t::uniform(rng, 1, 6);
        QMatrix A = t::random_matrix(rng, m, n), B = t::random_matrix(rng, n, p), C = t::random_matrix(rng, p, q);
        CHECK((A * B) * C == A * (B * C));
        CHECK((A * B).transpose() == B.transpose() * A.transpose());
        CHECK(A.transpose().transpose() == A);
        CHECK(A.rank() == A.transpose().rank());
        CHECK(QMatrix::identity(m) * A == A);
        QMatrix B2 = t::random_matrix(rng, n, p);
        CHECK(A * (B + B2) == A * B + A * B2);
    }
    QMatrix z(2, 3);
    CHECK(z.rank() == 0);
    CHECK(z.get(1, 2).is_zero());
    CHECK_THROWS_AS(z.get(2, 0), std::out_of_range);
    CHECK_THROWS_AS(z * z, std::invalid_argument);
    CHECK_THROWS_AS(solve(z, z), std::invalid_argument);
    CHECK(!(QMatrix(2, 3) == QMatrix(3, 2)));
}

TEST_CASE("QMatrix: copy and move semantics") {
    QMatrix a(2, 2);
    a.set(0, 1, Rational::parse("3/4"));
    QMatrix b(a);
    b.set(0, 0, Rational(1));
    CHECK(b != a);
    QMatrix c(std::move(b));
    CHECK(c.get(0, 0) == Rational(1));
    CHECK(b.rows() == 0);  // moved-from: a usable empty matrix
    b = a;
    CHECK(b == a);
    QMatrix& self = b;
    b = self;
    CHECK(b == a);
    b = std::move(self);
    CHECK(b == a);
    b = QMatrix(5, 1);
    CHECK(b.rows() == 5);
    CHECK(a.to_string() == "[[0, 3/4], [0, 0]]");
}

TEST_CASE("QMatrix: nullspace is a kernel basis of the right dimension") {
    t::Rng rng(t::seed("qmatrix nullspace"));
    for (int it = 0; it < 60 * t::scale(); ++it) {
        std::size_t m = t::uniform(rng, 1, 8), n = t::uniform(rng, 1, 10), r = t::uniform(rng, 1, 4);
        // Rank at most r: a product of random m x r and r x n factors, sometimes with zero entries.
        QMatrix A = t::random_matrix(rng, m, r, 8) * t::random_matrix(rng, r, n, 8);
        QMatrix N = closecert::core::nullspace(A);
        CHECK(N.rows() == n);
        CHECK(N.cols() == n - A.rank());
        CHECK((A * N) == QMatrix(m, N.cols()));
        CHECK(N.rank() == N.cols());
    }
    CHECK(closecert::core::nullspace(QMatrix(2, 3)).cols() == 3);
    CHECK(closecert::core::nullspace(QMatrix::identity(3)).cols() == 0);
}
