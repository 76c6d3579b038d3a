// Census result lines (JSON Lines): one object per canonical pattern, and the summary over them.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "arch/canonical.hpp"
#include "engine/engine.hpp"

namespace closecert::census {

// {"key", "pattern", "m", "n", "r", "verdict", "rule", "reason"/"stuck" (unknown),
//  "witness_window"/"limit" (not closed), "verified", "seconds"}.
nlohmann::json make_record(const arch::CanonicalForm& cf, const engine::LinearResult& result, bool verified);

// Reads a JSONL file written by the census. A last line without its newline (an interrupted run)
// is dropped, and with repair the file is truncated to the last complete line so that appending
// continues cleanly. A malformed complete line throws std::runtime_error. Missing file: empty.
std::vector<nlohmann::json> read_records(const std::string& path, bool repair);

struct Summary {
    std::size_t patterns = 0;
    std::size_t closed = 0;
    std::size_t not_closed = 0;
    std::size_t unknown = 0;
    std::size_t verify_failures = 0;  // definite verdicts the checker did not confirm
};

// Counts over records, the last record of a key winning.
Summary summarize(const std::vector<nlohmann::json>& records);

// Writes the records sorted by key (atomically), so finished files diff cleanly between runs.
void write_sorted(const std::string& path, std::vector<nlohmann::json> records);

// A key usable as a file name: characters other than [A-Za-z0-9.x-] become '_'.
std::string file_stem(const std::string& key);

}  // namespace closecert::census
