// Shared by the census tests: the checker binary and a private temporary directory.
#pragma once

#include <cstdlib>
#include <filesystem>
#include <string>

#include <doctest/doctest.h>
#include <unistd.h>

#include "census/checker.hpp"

namespace closecert::test {

// closecert-verify: CLOSECERT_VERIFY (set by meson), else where the census would look for it.
inline std::string checker_path() {
    const char* env = std::getenv("CLOSECERT_VERIFY");
    return env ? env : census::locate_checker();
}

struct TempDir {
    std::filesystem::path path;
    explicit TempDir(const std::string& prefix = "census-test") {
        std::string t = (std::filesystem::temp_directory_path() / (prefix + "-XXXXXX")).string();
        REQUIRE(::mkdtemp(t.data()) != nullptr);
        path = t;
    }
    ~TempDir() { std::filesystem::remove_all(path); }
};

}  // namespace closecert::test
