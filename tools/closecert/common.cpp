#include "common.hpp"

#include <cstdio>
#include <iostream>

#include "io/architecture_file.hpp"
#include "io/atomic_file.hpp"

namespace closecert::cli {

arch::Architecture load_architecture(const std::string& path) { return io::read_architecture(path); }

void emit_text(const std::string& path, const std::string& text) {
    if (path.empty() || path == "-") {
        std::cout << text << std::flush;
        return;
    }
    io::write_file_atomically(path, text);
}

std::string format_seconds(double s) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.3f", s);
    return buf;
}

}  // namespace closecert::cli
