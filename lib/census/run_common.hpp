// Pieces shared by the two-layer and the deep census runners (run.cpp, deep_run.cpp).
#pragma once

#include <atomic>
#include <cstddef>
#include <chrono>
#include <filesystem>
#include <functional>
#include <mutex>
#include <ostream>
#include <string>

namespace closecert::census {

struct Counters {
    std::atomic<std::size_t> done{0}, closed{0}, not_closed{0}, unknown{0}, failures{0};
};

// A private scratch directory for certificates and architecture files, removed at the end.
struct ScratchDir {
    std::filesystem::path path;
    explicit ScratchDir(const std::string& prefix);
    ~ScratchDir();
    ScratchDir(const ScratchDir&) = delete;
    ScratchDir& operator=(const ScratchDir&) = delete;
};

// "label [####......] done/total  closed .. not closed .. unknown .. failures ..  Ns  eta Ns";
// an empty label is left out, `bar` draws the bar and returns to the line's start.
std::string progress_line(const std::string& label, const Counters& c, std::size_t total, double elapsed, bool bar);

// Runs `work` on `jobs` threads (the caller's among them) until it returns on each. With `show`,
// a reporter prints progress_line to `log` every 250 ms on a terminal (`tty`, redrawn in place) or
// every 10 s otherwise, under `log_mutex`, and a final line at the end.
void run_workers(unsigned jobs, std::size_t tasks, const std::function<void()>& work, const std::string& label,
                 const Counters& counters, bool show, bool tty, std::ostream& log, std::mutex& log_mutex,
                 std::chrono::steady_clock::time_point start);

}  // namespace closecert::census
