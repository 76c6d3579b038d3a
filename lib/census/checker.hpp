// Running the independent checker closecert-verify as a separate process: it shares no code with
// the engine, so linking it in would defeat its purpose.
#pragma once

#include <string>
#include <vector>

namespace closecert::census {

struct ProcessRun {
    int exit_code = -1;      // -1: did not run or was killed
    bool timed_out = false;
    std::string output;      // stdout and stderr together
    double seconds = 0.0;
};

// Runs argv (argv[0] looked up on PATH) with output captured in log_path (removed afterwards) and
// stdin from stdin_path (or /dev/null); kills it after timeout_seconds.
ProcessRun run_process(const std::vector<std::string>& argv, const std::string& log_path, double timeout_seconds,
                       const std::string& stdin_path = "");

// Runs `checker certificate_path architecture_path`, so that the certificate is checked against the
// architecture it is about, not only against the one it embeds.
ProcessRun run_checker(const std::string& checker, const std::string& certificate_path,
                       const std::string& architecture_path, double timeout_seconds);

// True iff the run accepted the certificate with the given linear claim ("closed", "not_closed").
bool checker_confirms(const ProcessRun& run, const std::string& claim);

// Default location: next to the running executable as ../verify/closecert-verify (build tree),
// then in the same directory (installed), then on PATH. Empty if not found.
std::string locate_checker();

// Directory of the running executable ("" if unknown).
std::string executable_dir();

// Full path of an executable found on PATH, or "".
std::string find_on_path(const std::string& name);

}  // namespace closecert::census
