// Closedness engine for the linear counterpart L_I of a sparse architecture.
#pragma once

#include <cstddef>
#include <memory>
#include <string>

#include <nlohmann/json.hpp>

#include "arch/architecture.hpp"
#include "engine/verdict.hpp"

namespace closecert::engine {

struct Options {
    double timeout_seconds = 60.0;          // wall clock; exceeded -> unknown
    unsigned max_nullstellensatz_degree = 6; // total degree bound of the Macaulay search
    std::size_t max_witness_candidates = 2000;
};

struct LinearResult {
    Verdict verdict = Verdict::unknown;
    std::string rule;        // top rule used ("components", "limit_outside", ...)
    std::string reason;      // for unknown: why, and where the engine got stuck
    std::string stuck;       // for unknown: the sub-pattern (human-readable) the engine could not decide
    // For unknown, when known: that sub-pattern as an architecture a user can inspect and run again
    // (two layers: the stuck hidden units with the inputs and outputs they touch; the cells the
    // engine had forgotten cannot be expressed in a file and are counted in stuck_forgotten).
    std::shared_ptr<const arch::Architecture> stuck_architecture;
    std::size_t stuck_forgotten = 0;
    nlohmann::json proof;    // the certificate's "linear" object (null for unknown)
    double seconds = 0.0;
};

// Decides closedness of L_I. The architecture must be validated.
LinearResult decide_linear(const arch::Architecture& a, const Options& opts = {});

// Frees the calling thread's arithmetic caches (FLINT keeps some per thread). A worker thread that
// ran decide_linear calls it before it ends, or the caches leak with the thread.
void release_thread_caches();

}  // namespace closecert::engine
