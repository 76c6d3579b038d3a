// closecert-crosscheck --deep DIR: z3 (and optionally QEPCAD B) on the closedness sentence of every
// class of a deep census directory, compared with the census verdicts; results in
// DIR/crosscheck_z3.jsonl (resumable) and in DIR/summary.md.
#pragma once

#include <cstddef>
#include <string>

namespace closecert::crosscheck {

struct DeepCrossOptions {
    std::string dir;              // data/census/deep
    double timeout = 5.0;         // seconds per solver run
    unsigned jobs = 1;            // solver runs in parallel
    std::size_t depth = 0;        // only classes of this depth (0: all)
    bool qepcad = false;          // also run QEPCAD B (rarely answers beyond a dozen variables)
    bool fresh = false;           // discard the existing results instead of resuming
    bool retry_timeouts = false;  // run again the classes whose z3 run gave no answer
    std::string keep;             // directory to keep the solver inputs in ("" : a temporary one)
};

// Exit status: 0, or 1 when a solver contradicts a definite census verdict.
int run_deep_crosscheck(const DeepCrossOptions& opts);

}  // namespace closecert::crosscheck
