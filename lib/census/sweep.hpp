// The data/census driver: every size up to a bound, then summary.md, summary.svg and the catalogue
// of minimal obstructions.
#pragma once

#include <cstddef>
#include <iosfwd>
#include <string>
#include <vector>

#include "census/run.hpp"

namespace closecert::census {

struct SweepOptions {
    std::size_t max_dim = 3;          // sizes M x N with 1 <= M <= N <= max_dim
    std::size_t max_rank = 3;         // 1 <= R <= max_rank
    std::string data_dir = "data/census";
    bool fresh = false;               // start every size from scratch instead of resuming
    RunOptions run;                   // jobs, timeouts, checker, progress (m, n, r, out_path ignored)
};

struct SweepResult {
    std::size_t verify_failures = 0;
    std::size_t obstructions = 0;
    std::size_t undetermined_minimality = 0;  // not closed, some maximal window unknown
    bool plot_written = false;
};

SweepResult run_sweep(const SweepOptions& opts);

// Sizes in sweep order: by M, N, R.
struct Size { std::size_t m, n, r; };
std::vector<Size> sweep_sizes(std::size_t max_dim, std::size_t max_rank);
std::string census_file_name(const Size& s);  // census_MxNxR.jsonl

}  // namespace closecert::census
