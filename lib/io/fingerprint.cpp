#include "io/fingerprint.hpp"

#include <algorithm>
#include <cstdint>

#include <dlfcn.h>

#include <mutex>
#include <stdexcept>

#include <nettle/sha2.h>

namespace closecert::io {

namespace {

// Nettle's SHA-256, loaded on first use: only certificates need it, and linking it costs every
// process about half a millisecond of start-up (docs/cli.md "For developers").
struct Sha256 {
    decltype(&nettle_sha256_init) init;
    decltype(&nettle_sha256_update) update;
    decltype(&nettle_sha256_digest) digest;
};

const Sha256& nettle_sha256() {
    static Sha256 f;
    static std::once_flag once;
    std::call_once(once, [] {
        void* lib = nullptr;
        for (const char* name : {"libnettle.so.8", "libnettle.so"})  // Debian 12's libnettle8, then the dev symlink
            if ((lib = dlopen(name, RTLD_NOW | RTLD_LOCAL))) break;
        if (!lib) throw std::runtime_error(std::string("Nettle could not be loaded: ") + dlerror());
        f.init = reinterpret_cast<decltype(f.init)>(dlsym(lib, "nettle_sha256_init"));
        f.update = reinterpret_cast<decltype(f.update)>(dlsym(lib, "nettle_sha256_update"));
        f.digest = reinterpret_cast<decltype(f.digest)>(dlsym(lib, "nettle_sha256_digest"));
        if (!f.init || !f.update || !f.digest) throw std::runtime_error("libnettle lacks the SHA-256 functions");
    });
    return f;
}

}  // namespace

std::string architecture_sha256(const arch::Architecture& a) {
    const Sha256& sha = nettle_sha256();
    sha256_ctx ctx;
    sha.init(&ctx);
    auto update = [&](const std::string& s) { sha.update(&ctx, s.size(), reinterpret_cast<const std::uint8_t*>(s.data())); };
    // "closecert-architecture-v2 N0 L\n", then per layer "layer R C B\n" followed by its R rows,
    // each ceil(C/8) bytes with column j at bit 7 - j % 8 of byte j / 8 (numpy's packbits order).
    std::string buf = "closecert-architecture-v2 " + std::to_string(a.input_dim) + " " + std::to_string(a.layers.size()) + "\n";
    for (const arch::Layer& l : a.layers) {
        const std::size_t rows = l.mask.rows(), cols = l.mask.cols(), stride = (cols + 7) / 8;
        buf += "layer " + std::to_string(rows) + " " + std::to_string(cols) + " " + (l.bias ? "1" : "0") + "\n";
        std::string row(stride, '\0');
        for (std::size_t i = 0; i < rows; ++i) {
            std::fill(row.begin(), row.end(), '\0');
            for (std::size_t j = 0; j < cols; ++j)
                if (l.mask.at(i, j)) row[j >> 3] = static_cast<char>(row[j >> 3] | (0x80 >> (j & 7)));
            buf += row;
            if (buf.size() >= (1u << 16)) update(buf), buf.clear();
        }
    }
    update(buf);
    std::uint8_t md[SHA256_DIGEST_SIZE];
    sha.digest(&ctx, SHA256_DIGEST_SIZE, md);
    static const char* hex = "0123456789abcdef";
    std::string out;
    for (unsigned k = 0; k < SHA256_DIGEST_SIZE; ++k) out += hex[md[k] >> 4], out += hex[md[k] & 15];
    return out;
}

}  // namespace closecert::io
