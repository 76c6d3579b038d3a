#include "io/fingerprint.hpp"

#include <algorithm>
#include <cstdint>

#include <nettle/sha2.h>

namespace closecert::io {

std::string architecture_sha256(const arch::Architecture& a) {
    sha256_ctx ctx;
    sha256_init(&ctx);
    auto update = [&ctx](const std::string& s) { sha256_update(&ctx, s.size(), reinterpret_cast<const std::uint8_t*>(s.data())); };
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
    sha256_digest(&ctx, SHA256_DIGEST_SIZE, md);
    static const char* hex = "0123456789abcdef";
    std::string out;
    for (unsigned k = 0; k < SHA256_DIGEST_SIZE; ++k) out += hex[md[k] >> 4], out += hex[md[k] & 15];
    return out;
}

}  // namespace closecert::io
