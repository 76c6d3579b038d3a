// Running z3 and QEPCAD B on a generated input: shared by the two-layer and the deep cross-checks.
#pragma once

#include <filesystem>
#include <string>

namespace closecert::crosscheck {

struct Outcome {
    std::string verdict = "-";  // closed, not_closed, in_L, not_in_L, unknown, timeout, error, absent, -
    double seconds = 0.0;
};

// z3 on an SMT-LIB file with a time limit; sat / unsat are reported as on_sat / on_unsat.
// An empty exe gives "absent".
Outcome run_z3(const std::string& exe, const std::filesystem::path& input, double timeout, const char* on_sat,
               const char* on_unsat);

// QEPCAD B on its input (given on stdin): "closed" for TRUE, "not_closed" for FALSE.
Outcome run_qepcad(const std::string& exe, const std::filesystem::path& input, double timeout);

inline bool definite(const std::string& v) { return v == "closed" || v == "not_closed"; }

}  // namespace closecert::crosscheck
