#include "core/simplex.hpp"

#include <stdexcept>

namespace closecert::core {

std::optional<std::vector<Rational>> nonnegative_solution(const RationalMatrix& a, const std::vector<Rational>& b) {
    const std::size_t m = b.size(), n = m ? a[0].size() : 0;
    for (const auto& row : a)
        if (row.size() != n) throw std::invalid_argument("nonnegative_solution: ragged matrix");
    if (m == 0) return std::vector<Rational>(n);
    // Tableau [A | I | b] with rows scaled so that b >= 0; artificial variable n + i is basic in
    // row i. Phase I minimises the sum of the artificials.
    const std::size_t cols = n + m;
    std::vector<std::vector<Rational>> t(m, std::vector<Rational>(cols + 1));
    std::vector<std::size_t> basis(m);
    for (std::size_t i = 0; i < m; ++i) {
        const bool flip = b[i].sign() < 0;
        for (std::size_t j = 0; j < n; ++j) t[i][j] = flip ? -a[i][j] : a[i][j];
        t[i][n + i] = Rational(1);
        t[i][cols] = flip ? -b[i] : b[i];
        basis[i] = n + i;
    }
    // Reduced costs of the phase-I objective (minimise sum of artificials): d_j = -sum_i t[i][j].
    std::vector<Rational> d(cols + 1);
    for (std::size_t j = 0; j <= cols; ++j) {
        if (j >= n && j < cols) continue;
        for (std::size_t i = 0; i < m; ++i) d[j] -= t[i][j];
    }
    for (;;) {
        std::size_t enter = cols;
        for (std::size_t j = 0; j < cols && enter == cols; ++j)  // Bland: the lowest improving index
            if (d[j].sign() < 0) enter = j;
        if (enter == cols) break;
        std::size_t leave = m;
        Rational best;
        for (std::size_t i = 0; i < m; ++i) {
            if (t[i][enter].sign() <= 0) continue;
            const Rational r = t[i][cols] / t[i][enter];
            if (leave == m || r < best || (r == best && basis[i] < basis[leave])) leave = i, best = r;
        }
        if (leave == m) throw std::logic_error("nonnegative_solution: phase I is bounded, an unbounded ray is impossible");
        const Rational piv = t[leave][enter];
        for (Rational& v : t[leave]) v /= piv;
        for (std::size_t i = 0; i < m; ++i) {
            if (i == leave || t[i][enter].is_zero()) continue;
            const Rational f = t[i][enter];
            for (std::size_t j = 0; j <= cols; ++j) t[i][j] -= f * t[leave][j];
        }
        const Rational f = d[enter];
        for (std::size_t j = 0; j <= cols; ++j) d[j] -= f * t[leave][j];
        basis[leave] = enter;
    }
    if (!d[cols].is_zero()) return std::nullopt;  // -d[cols] is the remaining sum of artificials
    std::vector<Rational> x(n);
    for (std::size_t i = 0; i < m; ++i)
        if (basis[i] < n) x[basis[i]] = t[i][cols];
    for (std::size_t i = 0; i < m; ++i) {
        Rational s;
        for (std::size_t j = 0; j < n; ++j) s += a[i][j] * x[j];
        if (s != b[i]) throw std::logic_error("nonnegative_solution: the point does not solve the system");
    }
    return x;
}

}  // namespace closecert::core
