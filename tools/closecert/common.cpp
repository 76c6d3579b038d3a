#include "common.hpp"

#include "engine/memory_limit.hpp"

#include <cstdio>
#include <iostream>

#include "io/architecture_file.hpp"
#include "io/atomic_file.hpp"
#include "io/errors.hpp"

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

void add_memory_option(CLI::App* app, std::string& target) {
    app->add_option("--max-memory", target,
                    "memory limit, e.g. 512M or 4G (default: three quarters of the physical memory; 0: none); "
                    "reaching it ends in unknown");
}

void apply_memory_limit(const std::string& size) {
    std::size_t bytes = engine::default_memory_limit();
    if (!size.empty()) {
        const auto v = engine::parse_memory_size(size);
        if (!v) throw UsageError("--max-memory: '" + size + "' is not a size (e.g. 512M, 4G, 0 for none)");
        if (*v != 0 && *v < (std::size_t{16} << 20)) throw UsageError("--max-memory: at least 16M (the program itself needs that)");
        bytes = *v;
    }
    engine::set_memory_limit(bytes);
}

arch::Architecture load_within_memory_limit(const std::string& path) {
    try {
        return load_architecture(path);
    } catch (const std::bad_alloc&) {
        throw io::InputError(path == "-" ? std::string("<stdin>") : path, "",
                             "reading it needs more than the memory limit of " + std::to_string(engine::memory_limit() >> 20) +
                                 " MiB (--max-memory)");
    }
}

}  // namespace closecert::cli
