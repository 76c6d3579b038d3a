#include "io/npy.hpp"

#include <unistd.h>

#include <bit>
#include <cerrno>
#include <cstdint>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <optional>
#include <vector>

#include "io/atomic_file.hpp"
#include "io/errors.hpp"

namespace closecert::io {

namespace {

struct Header {
    std::string descr;
    bool fortran = false;
    std::vector<std::uint64_t> shape;
};

// Minimal parser for the header, a Python dict literal such as
// {'descr': '<f8', 'fortran_order': False, 'shape': (3, 4), }
class HeaderParser {
public:
    explicit HeaderParser(const std::string& s) : s_(s) {}

    // Returns an error message, or nothing on success.
    std::optional<std::string> parse(Header& h) {
        bool have_descr = false, have_fortran = false, have_shape = false;
        skip();
        if (!eat('{')) return "header is not a dict";
        for (;;) {
            skip();
            if (eat('}')) break;
            std::string key;
            if (!string_lit(key)) return "header key is not a quoted string";
            skip();
            if (!eat(':')) return "header lacks ':' after '" + key + "'";
            skip();
            if (key == "descr") {
                if (!string_lit(h.descr)) return "header 'descr' is not a string (structured dtypes are not supported)";
                have_descr = true;
            } else if (key == "fortran_order") {
                if (word("True")) h.fortran = true;
                else if (word("False")) h.fortran = false;
                else return "header 'fortran_order' is not True or False";
                have_fortran = true;
            } else if (key == "shape") {
                if (!tuple(h.shape)) return "header 'shape' is not a tuple of integers";
                have_shape = true;
            } else {
                return "header has the unknown key '" + key + "'";
            }
            skip();
            if (eat(',')) continue;
            skip();
            if (eat('}')) break;
            return "header dict is malformed";
        }
        if (!have_descr || !have_fortran || !have_shape) return "header lacks 'descr', 'fortran_order' or 'shape'";
        return std::nullopt;
    }

private:
    void skip() {
        while (pos_ < s_.size() && (s_[pos_] == ' ' || s_[pos_] == '\t' || s_[pos_] == '\n' || s_[pos_] == '\r')) ++pos_;
    }
    bool eat(char c) {
        if (pos_ < s_.size() && s_[pos_] == c) { ++pos_; return true; }
        return false;
    }
    bool word(const char* w) {
        std::size_t n = std::strlen(w);
        if (s_.compare(pos_, n, w) == 0) { pos_ += n; return true; }
        return false;
    }
    bool string_lit(std::string& out) {
        if (pos_ >= s_.size() || (s_[pos_] != '\'' && s_[pos_] != '"')) return false;
        char q = s_[pos_++];
        std::size_t end = s_.find(q, pos_);
        if (end == std::string::npos) return false;
        out = s_.substr(pos_, end - pos_);
        pos_ = end + 1;
        return true;
    }
    bool tuple(std::vector<std::uint64_t>& out) {
        if (!eat('(')) return false;
        for (;;) {
            skip();
            if (eat(')')) return true;
            std::uint64_t v = 0;
            std::size_t digits = 0;
            while (pos_ < s_.size() && s_[pos_] >= '0' && s_[pos_] <= '9') {
                if (v > (UINT64_MAX - 9) / 10) return false;
                v = v * 10 + static_cast<std::uint64_t>(s_[pos_++] - '0');
                ++digits;
            }
            // Python writes long integers with a trailing L in old files.
            if (digits == 0) return false;
            eat('L');
            out.push_back(v);
            skip();
            if (eat(',')) continue;
            skip();
            if (eat(')')) return true;
            return false;
        }
    }
    const std::string& s_;
    std::size_t pos_ = 0;
};

enum class Kind { boolean, integer, floating };

struct Dtype {
    Kind kind;
    std::size_t size;
    bool little;  // byte order of the stored elements
};

std::optional<Dtype> parse_dtype(const std::string& d) {
    if (d.size() < 3) return std::nullopt;
    char order = d[0], kind = d[1];
    std::size_t size = 0;
    for (std::size_t i = 2; i < d.size(); ++i) {
        if (d[i] < '0' || d[i] > '9' || size > 100) return std::nullopt;
        size = size * 10 + static_cast<std::size_t>(d[i] - '0');
    }
    bool little;
    if (order == '<') little = true;
    else if (order == '>') little = false;
    else if (order == '|' || order == '=') little = (std::endian::native == std::endian::little);
    else return std::nullopt;
    if (kind == 'b' && size == 1) return Dtype{Kind::boolean, 1, little};
    if ((kind == 'i' || kind == 'u') && (size == 1 || size == 2 || size == 4 || size == 8))
        return Dtype{Kind::integer, size, little};
    if (kind == 'f' && (size == 2 || size == 4 || size == 8)) return Dtype{Kind::floating, size, little};
    return std::nullopt;
}

// Nonzero test on one element; nullopt for NaN.
std::optional<bool> element_nonzero(const unsigned char* p, const Dtype& dt) {
    if (dt.kind != Kind::floating) {
        for (std::size_t b = 0; b < dt.size; ++b)
            if (p[b] != 0) return true;
        return false;
    }
    std::uint64_t bits = 0;
    // The value of the bit pattern depends only on the file's byte order, not the host's.
    for (std::size_t b = 0; b < dt.size; ++b) {
        std::size_t shift = dt.little ? b : dt.size - 1 - b;
        bits |= static_cast<std::uint64_t>(p[b]) << (8 * shift);
    }
    std::uint64_t sign, exp_mask, mant_mask;
    if (dt.size == 2) { sign = 0x8000u; exp_mask = 0x7c00u; mant_mask = 0x03ffu; }
    else if (dt.size == 4) { sign = 0x80000000u; exp_mask = 0x7f800000u; mant_mask = 0x007fffffu; }
    else { sign = 0x8000000000000000ull; exp_mask = 0x7ff0000000000000ull; mant_mask = 0x000fffffffffffffull; }
    if ((bits & exp_mask) == exp_mask && (bits & mant_mask) != 0) return std::nullopt;
    return (bits & ~sign) != 0;
}

}  // namespace

arch::Mask read_npy_mask(const std::string& npy_path, const std::string& source_file, const std::string& place) {
    auto err = [&](const std::string& msg) { return InputError(source_file, place, "'" + npy_path + "': " + msg); };
    // Refuses FIFOs, devices and directories before the stream could block on them.
    try {
        ::close(open_regular_file(npy_path));
    } catch (const InputError& e) {
        throw err(e.message());
    }
    std::ifstream in(npy_path, std::ios::binary);
    if (!in) throw err(std::string("cannot open (") + std::strerror(errno) + ")");
    in.seekg(0, std::ios::end);
    const auto end_pos = in.tellg();
    in.seekg(0, std::ios::beg);
    if (end_pos < 0) throw err("cannot determine the file size");
    const std::uint64_t file_size = static_cast<std::uint64_t>(end_pos);

    unsigned char pre[10];
    if (file_size < 10 || !in.read(reinterpret_cast<char*>(pre), 10) || std::memcmp(pre, "\x93NUMPY", 6) != 0)
        throw err("not a .npy file (bad magic string)");
    const int major = pre[6];
    std::uint64_t header_len = 0, header_start = 10;
    if (major == 1) {
        header_len = pre[8] | (static_cast<std::uint64_t>(pre[9]) << 8);
    } else if (major == 2 || major == 3) {
        unsigned char more[2];
        if (!in.read(reinterpret_cast<char*>(more), 2)) throw err("truncated header");
        header_len = pre[8] | (static_cast<std::uint64_t>(pre[9]) << 8) | (static_cast<std::uint64_t>(more[0]) << 16) |
                     (static_cast<std::uint64_t>(more[1]) << 24);
        header_start = 12;
    } else {
        throw err("unsupported .npy format version " + std::to_string(major));
    }
    if (header_len > (1u << 20) || header_start + header_len > file_size) throw err("truncated or oversized header");
    std::string header(static_cast<std::size_t>(header_len), '\0');
    if (!in.read(header.data(), static_cast<std::streamsize>(header_len))) throw err("truncated header");

    Header h;
    if (auto e = HeaderParser(header).parse(h)) throw err(*e);
    auto dt = parse_dtype(h.descr);
    if (!dt) throw err("unsupported dtype '" + h.descr + "' (expected bool, integer or float)");
    if (h.shape.size() != 2)
        throw err("has " + std::to_string(h.shape.size()) + " dimensions, expected 2 (a mask is a matrix)");
    const std::uint64_t rows = h.shape[0], cols = h.shape[1];
    // Limits first, so that no allocation depends on an unchecked size.
    if (rows > arch::kMaxWidth || cols > arch::kMaxWidth)
        throw err("shape (" + std::to_string(rows) + ", " + std::to_string(cols) + ") is over the width limit " +
                  std::to_string(arch::kMaxWidth));
    if (rows * cols > arch::kMaxMaskEntries)
        throw err("shape (" + std::to_string(rows) + ", " + std::to_string(cols) + ") has too many entries (limit " +
                  std::to_string(arch::kMaxMaskEntries) + ")");
    const std::uint64_t data_bytes = rows * cols * dt->size;
    const std::uint64_t data_start = header_start + header_len;
    if (file_size != data_start + data_bytes)
        throw err("data has " + std::to_string(file_size - data_start) + " bytes, expected " +
                  std::to_string(data_bytes) + " for shape (" + std::to_string(rows) + ", " + std::to_string(cols) +
                  ") and dtype '" + h.descr + "'");
    std::vector<unsigned char> data(static_cast<std::size_t>(data_bytes));
    if (data_bytes > 0 && !in.read(reinterpret_cast<char*>(data.data()), static_cast<std::streamsize>(data_bytes)))
        throw err("cannot read the data");

    arch::Mask m(static_cast<std::size_t>(rows), static_cast<std::size_t>(cols));
    for (std::size_t i = 0; i < rows; ++i)
        for (std::size_t j = 0; j < cols; ++j) {
            const std::size_t idx = h.fortran ? j * rows + i : i * cols + j;
            auto nz = element_nonzero(data.data() + idx * dt->size, *dt);
            if (!nz) throw err("entry (" + std::to_string(i) + ", " + std::to_string(j) + ") is NaN");
            if (*nz) m.set(i, j);
        }
    return m;
}

}  // namespace closecert::io
