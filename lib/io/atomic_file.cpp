#include "io/atomic_file.hpp"

#include <cerrno>
#include <cstdint>
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

int open_regular_file(const std::string& path) {
    // O_NONBLOCK so that opening a FIFO returns at once; fstat then refuses it.
    int fd = ::open(path.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0) throw InputError(path, "", "cannot open (" + errno_text(errno) + ")");
    struct stat st {};
    if (::fstat(fd, &st) != 0) {
        int e = errno;
        ::close(fd);
        throw InputError(path, "", "cannot stat (" + errno_text(e) + ")");
    }
    if (!S_ISREG(st.st_mode)) {
        ::close(fd);
        const char* kind = S_ISDIR(st.st_mode) ? "a directory" : S_ISFIFO(st.st_mode) ? "a FIFO"
                          : S_ISCHR(st.st_mode) || S_ISBLK(st.st_mode) ? "a device" : S_ISSOCK(st.st_mode) ? "a socket" : "not a file";
        throw InputError(path, "", std::string("is ") + kind + ", not a regular file");
    }
    ::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL) & ~O_NONBLOCK);
    return fd;
}

namespace {

std::string read_fd(int fd, const std::string& name, std::size_t max_bytes) {
    std::string text;
    char buf[1 << 16];
    for (;;) {
        ssize_t r = ::read(fd, buf, sizeof buf);
        if (r < 0) {
            if (errno == EINTR) continue;
            throw InputError(name, "", "cannot read (" + errno_text(errno) + ")");
        }
        if (r == 0) break;
        if (text.size() + static_cast<std::size_t>(r) > max_bytes)
            throw InputError(name, "", "is over the limit of " + std::to_string(max_bytes) + " bytes");
        text.append(buf, static_cast<std::size_t>(r));
    }
    return text;
}

}  // namespace

std::string read_text_file(const std::string& path, std::size_t max_bytes) {
    if (path == "-") return read_fd(0, "(stdin)", max_bytes);
    const int fd = open_regular_file(path);
    struct stat st {};
    ::fstat(fd, &st);
    if (static_cast<std::uint64_t>(st.st_size) > max_bytes) {
        ::close(fd);
        throw InputError(path, "", "is " + std::to_string(static_cast<long long>(st.st_size)) +
                                       " bytes, over the limit of " + std::to_string(max_bytes));
    }
    try {
        std::string text = read_fd(fd, path, max_bytes);
        ::close(fd);
        return text;
    } catch (...) {
        ::close(fd);
        throw;
    }
}

}  // namespace closecert::io
