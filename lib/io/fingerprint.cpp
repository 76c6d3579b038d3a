#include "io/fingerprint.hpp"

#include <memory>
#include <stdexcept>

#include <openssl/evp.h>

namespace closecert::io {

std::string architecture_sha256(const arch::Architecture& a) {
    std::unique_ptr<EVP_MD_CTX, void (*)(EVP_MD_CTX*)> ctx(EVP_MD_CTX_new(), EVP_MD_CTX_free);
    if (!ctx || EVP_DigestInit_ex(ctx.get(), EVP_sha256(), nullptr) != 1) throw std::runtime_error("SHA-256 unavailable");
    std::string buf;
    auto flush = [&](bool force) {
        if (buf.size() >= (1u << 16) || (force && !buf.empty())) {
            EVP_DigestUpdate(ctx.get(), buf.data(), buf.size());
            buf.clear();
        }
    };
    // "closecert-architecture-v1 N0\n", then per layer "layer R C B\n" and one line per row with
    // the increasing column indices of its ones, separated by single spaces.
    buf += "closecert-architecture-v1 " + std::to_string(a.input_dim) + "\n";
    for (const arch::Layer& l : a.layers) {
        buf += "layer " + std::to_string(l.mask.rows()) + " " + std::to_string(l.mask.cols()) + " " + (l.bias ? "1" : "0") + "\n";
        for (std::size_t i = 0; i < l.mask.rows(); ++i) {
            bool first = true;
            for (std::size_t j = 0; j < l.mask.cols(); ++j)
                if (l.mask.at(i, j)) {
                    if (!first) buf += ' ';
                    char digits[24];
                    int d = 0;
                    for (std::size_t v = j; d == 0 || v; v /= 10) digits[d++] = static_cast<char>('0' + v % 10);
                    while (d) buf += digits[--d];
                    first = false;
                }
            buf += '\n';
            flush(false);
        }
    }
    flush(true);
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int len = 0;
    if (EVP_DigestFinal_ex(ctx.get(), md, &len) != 1) throw std::runtime_error("SHA-256 failed");
    static const char* hex = "0123456789abcdef";
    std::string out;
    for (unsigned k = 0; k < len; ++k) out += hex[md[k] >> 4], out += hex[md[k] & 15];
    return out;
}

}  // namespace closecert::io
