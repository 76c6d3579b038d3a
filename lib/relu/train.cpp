#include "relu/train.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <random>
#include <sstream>
#include <stdexcept>

namespace closecert::relu {

namespace {

// Uniform in [lo, hi) from the top 53 bits: unlike std::uniform_real_distribution this gives the
// same numbers with every standard library, so runs reproduce across systems.
double uniform(std::mt19937_64& g, double lo, double hi) {
    return lo + (hi - lo) * static_cast<double>(g() >> 11) * 0x1.0p-53;
}

struct Layer {
    std::size_t rows = 0, cols = 0;
    std::vector<double> w;       // row-major, zero outside the mask
    std::vector<unsigned char> mask;
    std::vector<double> b;
    bool has_bias = true;
};

double parameter_norm(const std::vector<Layer>& net) {
    double s = 0;
    for (const Layer& l : net) {
        for (double v : l.w) s += v * v;
        for (double v : l.b) s += v * v;
    }
    return std::sqrt(s);
}

}  // namespace

TrainResult train(const arch::Architecture& a, const DenseMatrix& target, const TrainOptions& opts,
                  const std::function<void(const TrainRecord&)>& progress) {
    const std::size_t L = a.depth(), d = a.input_dim, m = a.output_dim();
    if (L == 0) throw std::invalid_argument("the architecture has no layers");
    if (target.size() != m)
        throw std::invalid_argument("the target has " + std::to_string(target.size()) + " rows, the network has " + std::to_string(m) + " outputs");
    for (const auto& row : target)
        if (row.size() != d)
            throw std::invalid_argument("the target has a row of length " + std::to_string(row.size()) + ", the input dimension is " + std::to_string(d));
    if (opts.steps < 0 || opts.samples == 0 || !(opts.learning_rate > 0) || !std::isfinite(opts.learning_rate))
        throw std::invalid_argument("steps must be >= 0, samples >= 1 and the learning rate a positive number");

    std::mt19937_64 g(opts.seed);
    const std::size_t S = opts.samples;
    std::vector<double> X(S * d), Y(S * m, 0.0);
    for (double& v : X) v = uniform(g, -1.0, 1.0);
    for (std::size_t s = 0; s < S; ++s)
        for (std::size_t i = 0; i < m; ++i)
            for (std::size_t j = 0; j < d; ++j) Y[s * m + i] += target[i][j] * X[s * d + j];

    std::vector<Layer> net(L);
    for (std::size_t l = 0; l < L; ++l) {
        Layer& ly = net[l];
        const arch::Mask& mk = a.layers[l].mask;
        ly.rows = mk.rows(), ly.cols = mk.cols();
        ly.w.assign(ly.rows * ly.cols, 0.0);
        ly.mask.assign(ly.rows * ly.cols, 0);
        ly.has_bias = a.layers[l].bias;
        ly.b.assign(ly.rows, ly.has_bias && l + 1 < L ? opts.init_bias : 0.0);
        for (std::size_t i = 0; i < ly.rows; ++i)
            for (std::size_t j = 0; j < ly.cols; ++j)
                if (mk.at(i, j)) {
                    ly.mask[i * ly.cols + j] = 1;
                    ly.w[i * ly.cols + j] = uniform(g, -opts.init_scale, opts.init_scale);
                }
    }

    // Activations per layer, sample-major: h[0] = X, h[l] = sigma(z[l]) (identity on the last).
    std::vector<std::vector<double>> z(L + 1), h(L + 1);
    h[0] = X;
    for (std::size_t l = 1; l <= L; ++l) z[l].assign(S * net[l - 1].rows, 0.0), h[l] = z[l];
    std::vector<std::vector<double>> delta(L + 1);
    for (std::size_t l = 1; l <= L; ++l) delta[l].assign(S * net[l - 1].rows, 0.0);
    std::vector<std::vector<double>> gw(L), gb(L);
    for (std::size_t l = 0; l < L; ++l) gw[l].assign(net[l].w.size(), 0.0), gb[l].assign(net[l].b.size(), 0.0);

    const bool fixed_interval = opts.log_every > 0;
    const long log_every = fixed_interval ? opts.log_every : std::max<long>(1, opts.steps / 1000);
    // Log-spaced records (2% apart) make the early steps visible on a logarithmic step axis.
    double next_geometric = 1.0;
    TrainResult result;
    for (long step = 0;; ++step) {
        // Forward.
        for (std::size_t l = 1; l <= L; ++l) {
            const Layer& ly = net[l - 1];
            for (std::size_t s = 0; s < S; ++s) {
                const double* in = &h[l - 1][s * ly.cols];
                for (std::size_t i = 0; i < ly.rows; ++i) {
                    double v = ly.b[i];
                    const double* wr = &ly.w[i * ly.cols];
                    for (std::size_t j = 0; j < ly.cols; ++j) v += wr[j] * in[j];
                    z[l][s * ly.rows + i] = v;
                    h[l][s * ly.rows + i] = (l < L && v < 0) ? 0.0 : v;
                }
            }
        }
        double loss = 0;
        for (std::size_t k = 0; k < S * m; ++k) {
            const double r = h[L][k] - Y[k];
            loss += r * r;
            delta[L][k] = 2.0 * r / static_cast<double>(S);
        }
        loss /= static_cast<double>(S);
        const bool last = step == opts.steps;
        if (!std::isfinite(loss)) {
            result.diverged = true;
            result.log.push_back({step, loss, parameter_norm(net)});
            if (progress) progress(result.log.back());
            break;
        }
        bool geometric = false;
        if (!fixed_interval && static_cast<double>(step) >= next_geometric) {
            geometric = true;
            while (next_geometric <= static_cast<double>(step)) next_geometric = std::ceil(next_geometric * 1.02);
        }
        if (step % log_every == 0 || geometric || last) {
            result.log.push_back({step, loss, parameter_norm(net)});
            if (progress) progress(result.log.back());
        }
        if (last) break;
        // Backward: gradients restricted to the mask, biases only where the layer has them.
        for (std::size_t l = L; l >= 1; --l) {
            const Layer& ly = net[l - 1];
            std::fill(gw[l - 1].begin(), gw[l - 1].end(), 0.0);
            std::fill(gb[l - 1].begin(), gb[l - 1].end(), 0.0);
            for (std::size_t s = 0; s < S; ++s) {
                const double* in = &h[l - 1][s * ly.cols];
                for (std::size_t i = 0; i < ly.rows; ++i) {
                    const double dl = delta[l][s * ly.rows + i];
                    if (dl == 0.0) continue;
                    gb[l - 1][i] += dl;
                    double* gr = &gw[l - 1][i * ly.cols];
                    for (std::size_t j = 0; j < ly.cols; ++j) gr[j] += dl * in[j];
                }
            }
            if (l > 1) {
                std::vector<double>& dprev = delta[l - 1];
                std::fill(dprev.begin(), dprev.end(), 0.0);
                for (std::size_t s = 0; s < S; ++s)
                    for (std::size_t i = 0; i < ly.rows; ++i) {
                        const double dl = delta[l][s * ly.rows + i];
                        if (dl == 0.0) continue;
                        for (std::size_t j = 0; j < ly.cols; ++j) dprev[s * ly.cols + j] += ly.w[i * ly.cols + j] * dl;
                    }
                // ReLU derivative (0 at 0).
                for (std::size_t k = 0; k < dprev.size(); ++k)
                    if (z[l - 1][k] <= 0) dprev[k] = 0.0;
            }
        }
        for (std::size_t l = 0; l < L; ++l) {
            Layer& ly = net[l];
            for (std::size_t k = 0; k < ly.w.size(); ++k)
                if (ly.mask[k]) ly.w[k] -= opts.learning_rate * gw[l][k];
            if (ly.has_bias)
                for (std::size_t i = 0; i < ly.rows; ++i) ly.b[i] -= opts.learning_rate * gb[l][i];
        }
    }
    return result;
}

namespace {

double parse_number(const std::string& s) {
    std::size_t slash = s.find('/');
    std::size_t used = 0;
    try {
        if (slash == std::string::npos) {
            double v = std::stod(s, &used);
            if (used == s.size() && std::isfinite(v)) return v;
        } else {
            std::string num = s.substr(0, slash), den = s.substr(slash + 1);
            std::size_t u1 = 0, u2 = 0;
            double p = std::stod(num, &u1), q = std::stod(den, &u2);
            if (u1 == num.size() && u2 == den.size() && q != 0 && std::isfinite(p / q)) return p / q;
        }
    } catch (const std::exception&) {
    }
    throw std::invalid_argument("\"" + s + "\" is not a number");
}

std::string trim(const std::string& s) {
    std::size_t a = s.find_first_not_of(" \t"), b = s.find_last_not_of(" \t");
    return a == std::string::npos ? std::string() : s.substr(a, b - a + 1);
}

}  // namespace

DenseMatrix parse_dense_matrix(const std::string& text) {
    DenseMatrix m;
    std::stringstream rows(text);
    std::string row;
    while (std::getline(rows, row, ';')) {
        std::vector<double> r;
        std::stringstream cells(row);
        std::string cell;
        while (std::getline(cells, cell, ',')) r.push_back(parse_number(trim(cell)));
        if (r.empty()) throw std::invalid_argument("empty row " + std::to_string(m.size()));
        if (!m.empty() && r.size() != m.front().size())
            throw std::invalid_argument("row " + std::to_string(m.size()) + " has " + std::to_string(r.size()) +
                                        " entries, row 0 has " + std::to_string(m.front().size()));
        m.push_back(std::move(r));
    }
    if (m.empty()) throw std::invalid_argument("empty matrix");
    return m;
}

std::string train_csv(const TrainResult& r) {
    std::string out = "step,loss,param_norm\n";
    char buf[96];
    for (const TrainRecord& rec : r.log) {
        std::snprintf(buf, sizeof buf, "%ld,%.17g,%.17g\n", rec.step, rec.loss, rec.norm);
        out += buf;
    }
    return out;
}

}  // namespace closecert::relu
