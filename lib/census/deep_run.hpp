// The deep census of one width tuple: decide every class with the engine, verify every decided
// certificate with closecert-verify CERT ARCH (the certificate tied to its architecture), append
// one JSON line per class (resumable), and the data/census/deep summary over such files.
#pragma once

#include <cstddef>
#include <iosfwd>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "census/deep_enumerate.hpp"
#include "census/records.hpp"
#include "census/run.hpp"
#include "engine/engine.hpp"

namespace closecert::census {

struct DeepRunOptions {
    Widths widths;                     // the smaller orientation (deep_width_tuples)
    unsigned jobs = 0;                 // 0: number of cores
    std::string out_path;              // JSONL; classes whose key is present are skipped
    double timeout_seconds = 20.0;     // engine time per class
    double checker_timeout_seconds = 600.0;
    std::string checker;               // closecert-verify
    std::string failed_dir;            // rejected certificates and their architectures ("": <out>.failed)
    Progress progress = Progress::automatic;
    std::ostream* log = nullptr;       // progress and failure messages (default std::cerr)
    bool retry_unknown = false;        // decide again the classes recorded as unknown
    std::size_t sample = 0;            // > 0: only this many classes, drawn with `seed` (tests)
    unsigned long long seed = 0;
};

// data/census/deep file of a width tuple: census_L<depth>_w<N0-N1-...-NL>.jsonl.
std::string deep_census_file_name(const Widths& w);

// {"key", "depth", "widths", "masks" (rows of each layer), "verdict", "rule", "reason"/"stuck"
//  (unknown), "witness_window"/"limit" (not closed), "verified", "seconds", "verify_seconds"}.
nlohmann::json make_deep_record(const DeepClass& c, const engine::LinearResult& r, bool verified, double verify_seconds);

// Decides, with the engine, and verifies one class; `scratch` is a directory for the certificate
// and the architecture file. On a rejection, `failure` says why and both files are copied to
// failed_dir (when not empty).
nlohmann::json decide_deep_class(const DeepClass& c, const engine::Options& eopts, const std::string& checker,
                                 double checker_timeout, const std::string& scratch, const std::string& failed_dir,
                                 std::string& failure);

// Throws std::runtime_error for unusable options (no checker, an out file of other widths).
RunResult run_deep_census(const DeepRunOptions& opts);

// The files census_L<d>_w<...>.jsonl in dir, sorted by depth then widths.
std::vector<std::string> deep_census_files(const std::string& dir);

}  // namespace closecert::census
