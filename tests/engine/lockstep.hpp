// Engine and checker in lockstep: every certificate the engine produces in a test is written to a
// temporary file and re-verified by the separate closecert-verify binary.
#pragma once

#include <array>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>
#include <unistd.h>

#include "engine/engine.hpp"
#include "io/certificate.hpp"

namespace closecert::test {

struct CheckerRun {
    int status = -1;
    std::string output;
};

inline CheckerRun run_checker(const nlohmann::json& certificate) {
    const char* exe = std::getenv("CLOSECERT_VERIFY");
    if (!exe) return {-1, "CLOSECERT_VERIFY is not set"};
    char path[] = "/tmp/closecert-test-XXXXXX.json";
    int fd = mkstemps(path, 5);
    if (fd < 0) return {-1, "cannot create a temporary file"};
    close(fd);
    std::ofstream(path) << certificate.dump();
    std::string cmd = std::string(exe) + " " + path + " 2>&1";
    CheckerRun r;
    if (FILE* p = popen(cmd.c_str(), "r")) {
        std::array<char, 4096> buf;
        while (std::fgets(buf.data(), buf.size(), p)) r.output += buf.data();
        int st = pclose(p);
        r.status = WIFEXITED(st) ? WEXITSTATUS(st) : -1;
    }
    std::remove(path);
    return r;
}

inline CheckerRun check_linear(const arch::Architecture& a, const engine::LinearResult& r) {
    return run_checker(io::make_certificate(a, r, io::ReluPart{}));
}

}  // namespace closecert::test
