#include "io/atomic_file.hpp"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <filesystem>
#include <fstream>
#include <sys/stat.h>
#include <unistd.h>
#include <vector>

#include "io/errors.hpp"

namespace closecert::io {

namespace {

std::string errno_text(int e) { return std::strerror(e); }

// Current umask without changing it for longer than the call.
mode_t current_umask() {
    mode_t m = ::umask(0);
    ::umask(m);
    return m;
}

}  // namespace

void write_file_atomically(const std::string& path, const std::string& text) {
    namespace fs = std::filesystem;
    if (path.empty()) throw OutputError("(empty path): cannot write an empty file name");
    fs::path target(path);
    fs::path dir = target.parent_path();
    if (dir.empty()) dir = ".";
    std::string tmpl = (dir / ("." + target.filename().string() + ".tmp.XXXXXX")).string();
    std::vector<char> name(tmpl.begin(), tmpl.end());
    name.push_back('\0');
    int fd = ::mkstemp(name.data());
    if (fd < 0) throw OutputError(path + ": cannot create a temporary file (" + errno_text(errno) + ")");
    const std::string tmp(name.data());
    auto fail = [&](const std::string& what, int e) {
        ::close(fd);
        ::unlink(tmp.c_str());
        throw OutputError(path + ": " + what + " (" + errno_text(e) + ")");
    };
    // mkstemp creates 0600; give the file the permissions an ordinary write would.
    if (::fchmod(fd, 0666 & ~current_umask()) != 0) fail("cannot set permissions", errno);
    const char* p = text.data();
    std::size_t left = text.size();
    while (left > 0) {
        ssize_t w = ::write(fd, p, left);
        if (w < 0) {
            if (errno == EINTR) continue;
            fail("cannot write", errno);
        }
        p += w;
        left -= static_cast<std::size_t>(w);
    }
    if (::fsync(fd) != 0) fail("cannot flush to disk", errno);
    if (::close(fd) != 0) {
        int e = errno;
        ::unlink(tmp.c_str());
        throw OutputError(path + ": cannot close (" + errno_text(e) + ")");
    }
    if (::rename(tmp.c_str(), path.c_str()) != 0) {
        int e = errno;
        ::unlink(tmp.c_str());
        throw OutputError(path + ": cannot rename the temporary file into place (" + errno_text(e) + ")");
    }
}

std::string read_text_file(const std::string& path, std::size_t max_bytes) {
    std::error_code ec;
    if (std::filesystem::is_directory(path, ec)) throw InputError(path, "", "is a directory, not a file");
    std::ifstream in(path, std::ios::binary);
    if (!in) throw InputError(path, "", "cannot open (" + errno_text(errno) + ")");
    in.seekg(0, std::ios::end);
    const auto size = in.tellg();
    if (size < 0) throw InputError(path, "", "cannot determine the file size");
    if (static_cast<std::size_t>(size) > max_bytes)
        throw InputError(path, "", "is " + std::to_string(static_cast<long long>(size)) +
                                       " bytes, over the limit of " + std::to_string(max_bytes));
    in.seekg(0, std::ios::beg);
    std::string text(static_cast<std::size_t>(size), '\0');
    if (!in.read(text.data(), size)) throw InputError(path, "", "cannot read");
    return text;
}

}  // namespace closecert::io
