#include <algorithm>
#include <cmath>
#include <random>

#include "engine/witness.hpp"

namespace closecert::engine {

// Levenberg-Marquardt on sum over products z_x z_y = target, per cell, from a few random starts: true
// if some start reaches a residual below 1e-10 (relative) with every |z| < 1e4. A limit outside L
// is approached only with unbounded factors, so such a point is (up to rounding) in L.
bool numerically_in_image(std::size_t n, const std::vector<std::vector<std::pair<std::size_t, std::size_t>>>& prods,
                          const std::vector<double>& target) {
    const std::size_t m = prods.size();
    double scale = 1;
    for (double a : target) scale = std::max(scale, std::abs(a));
    for (std::size_t c = 0; c < m; ++c)
        if (prods[c].empty() && target[c] != 0) return false;
    auto residual = [&](const std::vector<double>& z, std::vector<double>& r) {
        double cost = 0;
        for (std::size_t c = 0; c < m; ++c) {
            double v = -target[c];
            for (auto [x, y] : prods[c]) v += z[x] * z[y];
            r[c] = v;
            cost += v * v;
        }
        return cost;
    };
    std::mt19937_64 rng(0x6c6d);
    std::normal_distribution<double> normal;
    std::vector<double> z(n), r(m), rn(m), g(n), zn(n), A(n * n), d(n), jrow(n, 0.0);
    std::vector<char> in_row(n, 0);
    std::vector<std::size_t> touched;
    for (int start = 0; start < 4; ++start) {
        for (auto& v : z) v = normal(rng);
        double cost = residual(z, r), mu = 1e-3;
        for (int it = 0; it < 300 && cost > 1e-26 * scale * scale; ++it) {
            // Levenberg-Marquardt converges fast near a regular point of L; a start that has not
            // converged after 60 steps is most likely following factors off to infinity.
            if (it == 60 && cost > 1e-16 * scale * scale) break;
            // Normal equations (J^T J + mu I) d = -J^T r; row c of J has z_y at x and z_x at y.
            std::fill(A.begin(), A.end(), 0.0);
            std::fill(g.begin(), g.end(), 0.0);
            for (std::size_t c = 0; c < m; ++c) {
                // Row c of J, dense in jrow over the variables listed in `touched`.
                touched.clear();
                auto add = [&](std::size_t u, double v) {
                    if (!in_row[u]) in_row[u] = 1, touched.push_back(u);
                    jrow[u] += v;
                };
                for (auto [x, y] : prods[c]) add(x, z[y]), add(y, z[x]);
                for (std::size_t u : touched) {
                    g[u] += jrow[u] * r[c];
                    for (std::size_t v : touched) A[u * n + v] += jrow[u] * jrow[v];
                }
                for (std::size_t u : touched) jrow[u] = 0, in_row[u] = 0;
            }
            for (std::size_t u = 0; u < n; ++u) A[u * n + u] += mu, d[u] = -g[u];
            // Gaussian elimination with partial pivoting (n is a few dozen).
            bool singular = false;
            for (std::size_t col = 0; col < n && !singular; ++col) {
                std::size_t piv = col;
                for (std::size_t row = col + 1; row < n; ++row)
                    if (std::abs(A[row * n + col]) > std::abs(A[piv * n + col])) piv = row;
                if (std::abs(A[piv * n + col]) < 1e-300) singular = true;
                if (singular) break;
                if (piv != col) {
                    for (std::size_t k = 0; k < n; ++k) std::swap(A[piv * n + k], A[col * n + k]);
                    std::swap(d[piv], d[col]);
                }
                for (std::size_t row = col + 1; row < n; ++row) {
                    double f = A[row * n + col] / A[col * n + col];
                    if (f == 0) continue;
                    for (std::size_t k = col; k < n; ++k) A[row * n + k] -= f * A[col * n + k];
                    d[row] -= f * d[col];
                }
            }
            if (singular) break;
            for (std::size_t col = n; col-- > 0;) {
                double v = d[col];
                for (std::size_t k = col + 1; k < n; ++k) v -= A[col * n + k] * d[k];
                d[col] = v / A[col * n + col];
            }
            for (std::size_t u = 0; u < n; ++u) zn[u] = z[u] + d[u];
            double cn = residual(zn, rn);
            if (cn < cost) {
                z.swap(zn), r.swap(rn), cost = cn, mu = std::max(mu * 0.3, 1e-12);
                // Factors this large do not come back under the bound below: a start running off
                // to infinity (a limit outside L) is given up early.
                if (std::any_of(z.begin(), z.end(), [](double v) { return std::abs(v) > 1e6; })) break;
            } else if ((mu *= 10) > 1e10) {
                break;
            }
        }
        double zmax = 0;
        for (double v : z) zmax = std::max(zmax, std::abs(v));
        if (std::sqrt(cost) < 1e-10 * scale && zmax < 1e4) return true;
    }
    return false;
}

}  // namespace closecert::engine
