// The census of one size: decide every canonical pattern, verify every certificate with the
// independent checker, append one JSON line per pattern (resumable).
#pragma once

#include <cstddef>
#include <iosfwd>
#include <string>

#include "census/records.hpp"

namespace closecert::census {

enum class Progress { automatic, bar, lines, none };

struct RunOptions {
    std::size_t m = 1, n = 1, r = 1;
    unsigned jobs = 0;                 // 0: number of cores
    std::string out_path;              // JSONL; existing keys are skipped
    double timeout_seconds = 60.0;     // engine time per pattern
    double checker_timeout_seconds = 600.0;
    std::string checker;               // closecert-verify
    std::string failed_dir;            // where rejected certificates are kept ("" : <out>.failed)
    Progress progress = Progress::automatic;
    std::ostream* log = nullptr;       // progress and failure messages (default std::cerr)
    bool retry_unknown = false;        // re-decide patterns recorded as unknown (e.g. with a longer limit)
    std::size_t shard = 0, shards = 1; // decide only the patterns with shard_of(key, shards) == shard
    std::string cert_dir;              // keep each definite verdict's certificate here (<stem>.json), for census-merge
};

// The shard (0-based) of a pattern key: FNV-1a of the key modulo `shards`, so that shards depend on
// the keys alone, not on the enumeration order or the machine.
std::size_t shard_of(const std::string& key, std::size_t shards);

struct RunResult {
    Summary summary;            // over the whole file, resumed lines included
    std::size_t resumed = 0;    // patterns skipped because their key was already present
    std::size_t retried = 0;    // unknown records taken out of the file to be decided again
    std::size_t decided = 0;    // patterns decided in this run
    double seconds = 0.0;
};

// Throws std::runtime_error for unusable options (no checker, unreadable out file, other size).
RunResult run_census(const RunOptions& opts);

}  // namespace closecert::census
