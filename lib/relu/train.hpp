// Plain full-batch gradient descent for sparse ReLU networks (double precision), used to show the
// practical face of non-closedness: on a target in closure(F_I) \ F_I the loss goes to 0 while the
// parameters diverge; on a closed pattern the parameter norm stays bounded.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "arch/architecture.hpp"

namespace closecert::relu {

using DenseMatrix = std::vector<std::vector<double>>;  // rows of equal length

struct TrainOptions {
    long steps = 20000;
    double learning_rate = 0.05;
    std::size_t samples = 64;
    std::uint64_t seed = 1;
    long log_every = 0;        // 0: about 1000 evenly spaced records plus log-spaced early ones
    double init_scale = 0.5;   // weights start uniform in [-init_scale, init_scale]
    double init_bias = 1.0;    // hidden biases start here (output biases at 0): with the default
                               // scales every hidden unit starts active on the whole cube
};

struct TrainRecord {
    long step = 0;
    double loss = 0;   // mean over samples of |f(x) - A x|^2
    double norm = 0;   // Euclidean norm of all weights (mask positions) and biases
};

struct TrainResult {
    std::vector<TrainRecord> log;  // step 0, every log_every steps, and the last step
    bool diverged = false;         // loss became non-finite; training stopped there
};

// Training set: `samples` points uniform on [-1, 1]^d from `seed`, targets y = A x.
// Deterministic for given options. `progress` (optional) sees every logged record.
// Throws std::invalid_argument if A's shape does not match the architecture or options are invalid.
TrainResult train(const arch::Architecture& a, const DenseMatrix& target, const TrainOptions& opts,
                  const std::function<void(const TrainRecord&)>& progress = {});

// "0,1;1,0" -> [[0,1],[1,0]] (rows separated by ';', entries by ','; decimals or p/q).
DenseMatrix parse_dense_matrix(const std::string& text);

// "step,loss,param_norm" and one line per record, full precision.
std::string train_csv(const TrainResult& r);

}  // namespace closecert::relu
