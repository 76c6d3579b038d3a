#include "solvers.hpp"

#include <sstream>

#include "census/checker.hpp"

namespace closecert::crosscheck {

namespace fs = std::filesystem;

Outcome run_qepcad(const std::string& exe, const fs::path& input, double timeout) {
    Outcome o;
    if (exe.empty()) return {"absent", 0};
    const auto run = census::run_process({exe, "+N50000000"}, input.string() + ".log", timeout, input.string());
    o.seconds = run.seconds;
    const auto at = run.output.find("An equivalent quantifier-free formula:");
    if (run.timed_out) o.verdict = "timeout";
    else if (at == std::string::npos) o.verdict = "error";
    else {
        std::istringstream is(run.output.substr(at));
        std::string line, answer;
        std::getline(is, line);
        while (std::getline(is, line) && answer.empty())
            if (line.find_first_not_of(' ') != std::string::npos) answer = line;
        o.verdict = answer == "TRUE" ? "closed" : answer == "FALSE" ? "not_closed" : "error";
    }
    return o;
}

Outcome run_z3(const std::string& exe, const fs::path& input, double timeout, const char* on_sat, const char* on_unsat) {
    Outcome o;
    if (exe.empty()) return {"absent", 0};
    const auto run = census::run_process({exe, "-T:" + std::to_string(static_cast<int>(timeout + 0.5)), input.string()},
                                         input.string() + ".log", timeout + 5.0);
    o.seconds = run.seconds;
    const std::string first = run.output.substr(0, run.output.find('\n'));
    if (run.timed_out || first == "timeout") o.verdict = "timeout";
    else if (first == "sat") o.verdict = on_sat;
    else if (first == "unsat") o.verdict = on_unsat;
    else if (first == "unknown") o.verdict = "unknown";
    else o.verdict = "error";
    return o;
}

}  // namespace closecert::crosscheck
