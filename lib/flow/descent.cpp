#include "flow/descent.hpp"

namespace closecert::flow {

namespace {

using DMatrix = std::vector<std::vector<double>>;

DMatrix to_double(const RMatrix& m) {
    DMatrix d(m.size());
    for (std::size_t i = 0; i < m.size(); ++i)
        for (const auto& v : m[i]) d[i].push_back(v.to_double());
    return d;
}

std::vector<double> to_double(const std::vector<core::Rational>& v) {
    std::vector<double> d;
    for (const auto& x : v) d.push_back(x.to_double());
    return d;
}

}  // namespace

std::vector<DescentRecord> descend(const arch::Architecture& a, const Params& init, const RMatrix& xr, const RMatrix& yr,
                                   double eta, long steps) {
    DMatrix w1 = to_double(init.w1), w2 = to_double(init.w2);
    std::vector<double> b1 = to_double(init.b1), b2 = to_double(init.b2);
    const DMatrix x = to_double(xr), y = to_double(yr);
    const arch::Mask& m1 = a.layers[0].mask;
    const arch::Mask& m2 = a.layers[1].mask;
    const std::size_t hidden = w1.size(), out = w2.size(), n = x.size();
    std::vector<DescentRecord> log;
    for (long step = 0; step <= steps; ++step) {
        DMatrix g1(hidden, std::vector<double>(m1.cols())), g2(out, std::vector<double>(hidden));
        std::vector<double> gb1(hidden), gb2(out);
        DescentRecord rec;
        for (std::size_t s = 0; s < n; ++s) {
            std::vector<double> z(hidden), h(hidden), r(out);
            for (std::size_t k = 0; k < hidden; ++k) {
                z[k] = b1[k];
                for (std::size_t j = 0; j < m1.cols(); ++j) z[k] += w1[k][j] * x[s][j];
                h[k] = z[k] > 0 ? z[k] : 0;
            }
            for (std::size_t i = 0; i < out; ++i) {
                r[i] = b2[i] - y[s][i];
                for (std::size_t k = 0; k < hidden; ++k) r[i] += w2[i][k] * h[k];
                rec.loss += r[i] * r[i] / (2.0 * static_cast<double>(n));
                r[i] /= static_cast<double>(n);
            }
            for (std::size_t k = 0; k < hidden; ++k) {
                double back = 0;
                for (std::size_t i = 0; i < out; ++i) g2[i][k] += r[i] * h[k], back += r[i] * w2[i][k];
                if (z[k] <= 0) continue;
                for (std::size_t j = 0; j < m1.cols(); ++j) g1[k][j] += back * x[s][j];
                gb1[k] += back;
            }
            for (std::size_t i = 0; i < out; ++i) gb2[i] += r[i];
        }
        for (std::size_t k = 0; k < hidden; ++k) {
            double c = a.layers[0].bias ? b1[k] * b1[k] : 0;
            for (std::size_t j = 0; j < m1.cols(); ++j) c += m1.at(k, j) ? w1[k][j] * w1[k][j] : 0;
            for (std::size_t i = 0; i < out; ++i) c -= m2.at(i, k) ? w2[i][k] * w2[i][k] : 0;
            rec.c.push_back(c);
        }
        log.push_back(std::move(rec));
        if (step == steps) break;
        for (std::size_t k = 0; k < hidden; ++k) {
            for (std::size_t j = 0; j < m1.cols(); ++j)
                if (m1.at(k, j)) w1[k][j] -= eta * g1[k][j];
            if (a.layers[0].bias) b1[k] -= eta * gb1[k];
        }
        for (std::size_t i = 0; i < out; ++i) {
            for (std::size_t k = 0; k < hidden; ++k)
                if (m2.at(i, k)) w2[i][k] -= eta * g2[i][k];
            if (a.layers[1].bias) b2[i] -= eta * gb2[i];
        }
    }
    return log;
}

}  // namespace closecert::flow
