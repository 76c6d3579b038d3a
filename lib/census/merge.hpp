// census-merge: the shards of one census size (census --shard K/N --certs DIR) joined into one file.
// Every pattern of the size must be in exactly one shard, and every definite verdict's certificate
// is verified again with closecert-verify against the pattern's own architecture.
#pragma once

#include <cstddef>
#include <iosfwd>
#include <string>
#include <vector>

#include "census/records.hpp"

namespace closecert::census {

struct MergeOptions {
    std::size_t m = 1, n = 1, r = 1;
    std::vector<std::string> shard_files;  // JSONL written by the shards
    std::vector<std::string> cert_dirs;    // where the shards kept their certificates (searched in order)
    std::string out_path;                  // the merged JSONL (written atomically, sorted by key)
    std::string checker;
    unsigned jobs = 0;
    double checker_timeout_seconds = 600.0;
    bool show_progress = true;
    std::ostream* log = nullptr;
};

struct MergeResult {
    Summary summary;
    std::size_t missing = 0;     // patterns of the size that no shard holds (nothing is written then)
    std::size_t reverified = 0;  // certificates checked again
    double seconds = 0.0;
};

// Throws std::runtime_error for a record of another size, a key that is not a canonical pattern of
// the size, a key in two shards, or unreadable files.
MergeResult merge_census(const MergeOptions& opts);

}  // namespace closecert::census
