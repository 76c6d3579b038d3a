// Temporary directories, files and a tiny .npy writer for the io tests.
#pragma once

#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

namespace closecert::test {

class TempDir {
public:
    TempDir() {
        std::string tmpl = (std::filesystem::temp_directory_path() / "closecert-io-XXXXXX").string();
        std::vector<char> buf(tmpl.begin(), tmpl.end());
        buf.push_back('\0');
        if (!::mkdtemp(buf.data())) throw std::runtime_error("mkdtemp failed");
        path_ = buf.data();
    }
    ~TempDir() {
        std::error_code ec;
        std::filesystem::remove_all(path_, ec);
    }
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;
    std::string file(const std::string& name) const { return (std::filesystem::path(path_) / name).string(); }
    const std::string& path() const { return path_; }
    std::size_t entries() const {
        std::size_t n = 0;
        for ([[maybe_unused]] auto& e : std::filesystem::directory_iterator(path_)) ++n;
        return n;
    }

private:
    std::string path_;
};

inline void write_bytes(const std::string& path, const std::string& bytes) {
    std::ofstream out(path, std::ios::binary);
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
}

// A version 1 .npy file: header dict padded so that data starts at a multiple of 64.
inline std::string npy_bytes(const std::string& descr, const std::string& shape, const std::string& data,
                             bool fortran = false) {
    std::string dict = "{'descr': '" + descr + "', 'fortran_order': " + (fortran ? "True" : "False") +
                       ", 'shape': " + shape + ", }";
    std::size_t total = 10 + dict.size() + 1;
    std::size_t pad = (64 - total % 64) % 64;
    dict += std::string(pad, ' ') + "\n";
    std::string out = "\x93NUMPY";
    out += '\x01';
    out += '\x00';
    out += static_cast<char>(dict.size() & 0xff);
    out += static_cast<char>(dict.size() >> 8);
    return out + dict + data;
}

// Element bytes of value v (0 or 1, or NaN when nan) for a descr such as "<i4" or ">f8".
inline std::string npy_element(const std::string& descr, int v, bool nan = false) {
    const char order = descr[0], kind = descr[1];
    const std::size_t size = static_cast<std::size_t>(std::stoi(descr.substr(2)));
    std::uint64_t bits = 0;
    if (kind == 'f') {
        if (size == 2) bits = nan ? 0x7e00u : (v ? 0x3c00u : 0);
        if (size == 4) bits = nan ? 0x7fc00000u : (v ? 0x3f800000u : 0);
        if (size == 8) bits = nan ? 0x7ff8000000000000ull : (v ? 0x3ff0000000000000ull : 0);
    } else {
        bits = static_cast<std::uint64_t>(v);
    }
    std::string out(size, '\0');
    for (std::size_t b = 0; b < size; ++b) {
        const std::size_t shift = (order == '>') ? size - 1 - b : b;
        out[b] = static_cast<char>((bits >> (8 * shift)) & 0xff);
    }
    return out;
}

}  // namespace closecert::test
