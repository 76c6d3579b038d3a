#include "engine/memory_limit.hpp"

#include <cstdlib>
#include <cstring>
#include <new>

#include <flint/flint.h>
#include <gmp.h>
#include <sys/resource.h>
#include <unistd.h>

namespace closecert::engine {

namespace {

std::size_t g_limit = 0;

// GMP and FLINT call these; unwinding through their C frames works on amd64 (Debian builds them
// with unwind tables), and the engine abandons whatever they were computing.
void* alloc_or_throw(std::size_t n) {
    if (void* p = std::malloc(n ? n : 1)) return p;
    throw std::bad_alloc();
}
void* calloc_or_throw(std::size_t n, std::size_t size) {
    if (void* p = std::calloc(n ? n : 1, size ? size : 1)) return p;
    throw std::bad_alloc();
}
void* realloc_or_throw(void* old, std::size_t n) {
    if (void* p = std::realloc(old, n ? n : 1)) return p;
    throw std::bad_alloc();
}
void* gmp_realloc(void* old, std::size_t, std::size_t n) { return realloc_or_throw(old, n); }
void gmp_free(void* p, std::size_t) { std::free(p); }

constexpr bool kSanitized =
#if defined(__SANITIZE_ADDRESS__)
    true;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(memory_sanitizer) || __has_feature(thread_sanitizer)
    true;
#else
    false;
#endif
#else
    false;
#endif

}  // namespace

std::size_t default_memory_limit() {
    const long pages = ::sysconf(_SC_PHYS_PAGES), page = ::sysconf(_SC_PAGESIZE);
    if (pages <= 0 || page <= 0) return 0;
    return static_cast<std::size_t>(pages) / 4 * 3 * static_cast<std::size_t>(page);
}

std::optional<std::size_t> parse_memory_size(const std::string& text) {
    if (text.empty() || text.size() > 24) return std::nullopt;
    std::size_t digits = 0;
    while (digits < text.size() && text[digits] >= '0' && text[digits] <= '9') ++digits;
    if (digits == 0) return std::nullopt;
    unsigned shift = 0;
    const std::string unit = text.substr(digits);
    if (unit == "K" || unit == "k" || unit == "KiB") shift = 10;
    else if (unit == "M" || unit == "MiB") shift = 20;
    else if (unit == "G" || unit == "GiB") shift = 30;
    else if (unit == "T" || unit == "TiB") shift = 40;
    else if (!unit.empty()) return std::nullopt;
    const unsigned long long v = std::strtoull(text.substr(0, digits).c_str(), nullptr, 10);
    if (digits > 15 || (shift && v >> (63 - shift))) return std::nullopt;
    return static_cast<std::size_t>(v << shift);
}

bool set_memory_limit(std::size_t bytes) {
    if (kSanitized) return false;
    mp_set_memory_functions(alloc_or_throw, gmp_realloc, gmp_free);
    __flint_set_memory_functions(alloc_or_throw, calloc_or_throw, realloc_or_throw, std::free);
    rlimit rl{};
    if (::getrlimit(RLIMIT_AS, &rl) != 0) return false;
    rl.rlim_cur = bytes == 0 ? rl.rlim_max : (rl.rlim_max == RLIM_INFINITY || bytes < rl.rlim_max ? bytes : rl.rlim_max);
    if (::setrlimit(RLIMIT_AS, &rl) != 0) return false;
    g_limit = bytes;
    return true;
}

std::size_t memory_limit() { return g_limit; }

}  // namespace closecert::engine
