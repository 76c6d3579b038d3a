// data/census/deep/summary.md, summary.dat, summary.gp and summary.svg (gnuplot as a subprocess)
// from the deep census files of a directory and, when present, the z3 cross-check results
// (crosscheck_z3.jsonl, written by closecert-crosscheck --deep).
#pragma once

#include <string>

namespace closecert::census {

// The cross-check file of a deep census directory.
inline constexpr const char* kDeepCrosscheckFile = "crosscheck_z3.jsonl";

struct DeepReportResult {
    std::size_t classes = 0, closed = 0, not_closed = 0, unknown = 0, verify_failures = 0;
    std::size_t agree = 0, limit_not_in_l = 0, disagree = 0, no_answer = 0, trivial = 0, not_checked = 0;
    bool plot_written = false;
    std::string plot_problem;  // why not, when not
};

// Reads every census_L<d>_w<...>.jsonl in dir (and kDeepCrosscheckFile) and writes the summary files.
DeepReportResult write_deep_summary(const std::string& dir);

}  // namespace closecert::census
