#include "census/checker.hpp"

#include <chrono>
#include <csignal>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>
#include <vector>

#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

namespace closecert::census {

namespace fs = std::filesystem;

ProcessRun run_process(const std::vector<std::string>& args, const std::string& log_path, double timeout_seconds,
                       const std::string& stdin_path) {
    ProcessRun run;
    const auto start = std::chrono::steady_clock::now();
    // Output goes to a file rather than a pipe: no reader thread, no deadlock on large output.
    const int fd = ::open(log_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (fd < 0) {
        run.output = "cannot create " + log_path;
        return run;
    }
    const std::string in_path = stdin_path.empty() ? "/dev/null" : stdin_path;
    const int in_fd = ::open(in_path.c_str(), O_RDONLY | O_CLOEXEC);
    if (in_fd < 0) {
        ::close(fd);
        run.output = "cannot open " + in_path;
        return run;
    }
    std::vector<std::string> copy = args;
    std::vector<char*> argv;
    for (auto& a : copy) argv.push_back(a.data());
    argv.push_back(nullptr);
    const pid_t pid = ::fork();
    if (pid == 0) {
        // Only async-signal-safe calls between fork and exec (the parent has threads).
        ::setpgid(0, 0);  // own group, so a timeout also kills what a wrapper script started
        ::dup2(in_fd, STDIN_FILENO);
        ::dup2(fd, STDOUT_FILENO);
        ::dup2(fd, STDERR_FILENO);
        ::execvp(argv[0], argv.data());
        ::_exit(127);
    }
    ::close(fd);
    ::close(in_fd);
    if (pid < 0) {
        run.output = "fork failed";
        ::unlink(log_path.c_str());
        return run;
    }
    int status = 0;
    for (auto delay = std::chrono::microseconds(200);;) {
        const pid_t w = ::waitpid(pid, &status, WNOHANG);
        if (w == pid) break;
        if (w < 0) { status = -1; break; }
        if (std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count() > timeout_seconds) {
            ::kill(-pid, SIGKILL);
            ::kill(pid, SIGKILL);
            ::waitpid(pid, &status, 0);
            run.timed_out = true;
            break;
        }
        std::this_thread::sleep_for(delay);
        delay = std::min(delay * 2, std::chrono::microseconds(20000));
    }
    if (!run.timed_out && status != -1 && WIFEXITED(status)) run.exit_code = WEXITSTATUS(status);
    std::ifstream in(log_path, std::ios::binary);
    std::ostringstream os;
    os << in.rdbuf();
    run.output = os.str();
    in.close();
    ::unlink(log_path.c_str());
    run.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    return run;
}

ProcessRun run_checker(const std::string& checker, const std::string& certificate_path,
                       const std::string& architecture_path, double timeout_seconds) {
    return run_process({checker, certificate_path, architecture_path}, certificate_path + ".log", timeout_seconds);
}

bool checker_confirms(const ProcessRun& run, const std::string& claim) {
    if (run.timed_out || run.exit_code != 0) return false;
    const std::string expect = "verified: linear " + claim + ",";
    return run.output.rfind(expect, 0) == 0;
}

std::string executable_dir() {
    std::error_code ec;
    fs::path self = fs::read_symlink("/proc/self/exe", ec);
    if (ec) return "";
    return self.parent_path().string();
}

std::string locate_checker() {
    const std::string dir = executable_dir();
    auto executable = [](const fs::path& p) { return ::access(p.c_str(), X_OK) == 0 && fs::is_regular_file(p); };
    if (!dir.empty()) {
        for (fs::path p : {fs::path(dir) / ".." / "verify" / "closecert-verify", fs::path(dir) / "closecert-verify"})
            if (executable(p)) return fs::weakly_canonical(p).string();
    }
    return find_on_path("closecert-verify");
}

std::string find_on_path(const std::string& name) {
    if (const char* path = std::getenv("PATH")) {
        std::istringstream is(path);
        for (std::string d; std::getline(is, d, ':');) {
            const fs::path p = fs::path(d.empty() ? "." : d) / name;
            if (::access(p.c_str(), X_OK) == 0 && fs::is_regular_file(p)) return p.string();
        }
    }
    return "";
}

}  // namespace closecert::census
