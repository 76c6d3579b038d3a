// closecert-verify CERT [ARCH]: re-checks a closecert certificate with exact arithmetic.
// Exit 0 verified, 1 rejected (with the failing step), 2 unreadable input.
#include "verify.hpp"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <iostream>
#include <set>
#include <sys/stat.h>
#include <unistd.h>

using namespace verify;

namespace {


// Control characters of quoted input become escapes: a rejection or error is always one line.
std::string one_line(const std::string& s) {
    std::string out;
    for (unsigned char c : s) {
        if (c >= 0x20 && c != 0x7f) out += static_cast<char>(c);
        else {
            static const char* hex = "0123456789abcdef";
            out += c == '\n' ? std::string("\\n") : std::string("\\x") + hex[c >> 4] + hex[c & 15];
        }
    }
    return out;
}

std::string read_text(const std::string& file) {
    // O_NONBLOCK: a FIFO must not block the open; anything but a regular file is refused.
    const int fd = ::open(file.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0) throw InputError(std::string("cannot open the file (") + std::strerror(errno) + ")");
    struct stat st {};
    if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        ::close(fd);
        throw InputError("not a regular file");
    }
    if (static_cast<unsigned long long>(st.st_size) > kMaxFileBytes) {
        ::close(fd);
        throw InputError("file larger than 32 MiB");
    }
    ::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL) & ~O_NONBLOCK);
    std::string text;
    char buf[1 << 16];
    for (;;) {
        const ssize_t r = ::read(fd, buf, sizeof buf);
        if (r < 0 && errno == EINTR) continue;
        if (r <= 0) {
            ::close(fd);
            if (r < 0) throw InputError("read error");
            return text;
        }
        text.append(buf, static_cast<std::size_t>(r));
        if (text.size() > kMaxFileBytes) {
            ::close(fd);
            throw InputError("file larger than 32 MiB");
        }
    }
}

json read_json(const std::string& file) { return parse_document(read_text(file)); }

constexpr const char* kUsage = "usage: closecert-verify [--json] CERT [ARCH]";
constexpr const char* kHelp =
    "closecert-verify: re-checks a closecert certificate with exact arithmetic, independently of the engine.\n"
    "\n"
    "usage: closecert-verify [--json] CERT [ARCH]\n"
    "  CERT     the certificate (closecert check --cert)\n"
    "  ARCH     optional: the architecture file the certificate must be about (for the other kinds of\n"
    "           certificate: the network or data file it must be about)\n"
    "  --json   one JSON object on stdout instead of the text answer\n"
    "  --help, --version\n"
    "\n"
    "Exit status: 0 verified, 1 rejected (the failing step is named), 2 unreadable input or usage error.\n";

// The three answers, as text or as one JSON object.
struct Answer {
    bool as_json = false;
    int verified(const std::string& lin, const std::string& relu, const std::string& sha, const Tally& t) const {
        if (as_json) {
            std::cout << json{{"result", "verified"}, {"linear", lin}, {"relu", relu}, {"architecture_sha256", sha}, {"steps_checked", t.checked},
                              {"trusted", t.trusted}}.dump() << "\n";
            return 0;
        }
        std::cout << "verified: linear " << lin << ", relu " << relu << " (" << t.checked << " steps checked, "
                  << t.trusted.size() << " trusted)\n";
        for (const std::string& tr : t.trusted) std::cout << "trusted: " << tr << "\n";
        return 0;
    }
    int verified_kind(const std::string& kind, const KindResult& r, const Tally& t) const {
        if (as_json) {
            std::cout << json{{"result", "verified"}, {"kind", kind}, {"summary", r.summary}, {"facts", r.facts},
                              {"steps_checked", t.checked}, {"trusted", t.trusted}}.dump(-1, ' ', false, json::error_handler_t::replace) << "\n";
            return 0;
        }
        std::cout << "verified: " << kind << ": " << one_line(r.summary) << " (" << t.checked << " steps checked, "
                  << t.trusted.size() << " trusted)\n";
        for (const std::string& tr : t.trusted) std::cout << "trusted: " << one_line(tr) << "\n";
        return 0;
    }
    int rejected(const std::string& path, const std::string& why) const {
        const std::string step = path.empty() ? "certificate" : path;
        if (as_json) std::cout << json{{"result", "rejected"}, {"step", step}, {"reason", why}}.dump(-1, ' ', false, json::error_handler_t::replace) << "\n";
        else std::cout << "rejected: " << one_line(step + ": " + why) << "\n";
        return 1;
    }
    int error(const std::string& file, const std::string& why) const {
        if (as_json) std::cout << json{{"result", "error"}, {"file", file}, {"reason", why}}.dump(-1, ' ', false, json::error_handler_t::replace) << "\n";
        std::cerr << "closecert-verify: error: " << one_line(file + ": " + why) << "\n";
        return 2;
    }
};

}  // namespace

int main(int argc, char** argv) {
    Answer answer;
    std::vector<std::string> files;
    for (int k = 1; k < argc; ++k) {
        const std::string a = argv[k];
        if (a == "--help" || a == "-h") {
            std::cout << kHelp;
            return 0;
        }
        if (a == "--version") {
            std::cout << "closecert-verify 0.1.0\n";
            return 0;
        }
        if (a == "--json") answer.as_json = true;
        else if (a.size() > 1 && a[0] == '-' && a != "--") {
            std::cerr << "closecert-verify: error: unknown option '" << one_line(a) << "' (" << kUsage << ")\n";
            return 2;
        } else if (a != "--") files.push_back(a);
    }
    if (files.empty() || files.size() > 2) {
        std::cerr << "closecert-verify: error: " << kUsage << "\n";
        return 2;
    }
    std::string file = files[0];
    try {
        const json cert = read_json(file);
        json given;
        if (files.size() == 2) {
            file = files[1];
            given = read_json(file);
            file = files[0];
        }
        try {
            const Verified v = verify_documents(cert, files.size() == 2 ? &given : nullptr, files.size() == 2 ? files[1] : "");
            if (v.kind != "closedness") return answer.verified_kind(v.kind, v.other, v.tally);
            return answer.verified(v.linear, v.relu, v.architecture_sha256, v.tally);
        } catch (const ArchFileError& e) {
            file = files[1];
            throw InputError(e.what());
        }
    } catch (const InputError& e) {
        return answer.error(file, e.what());
    } catch (const Reject& r) {
        return answer.rejected(r.path, r.what());
    } catch (const std::bad_alloc&) {
        return answer.rejected("", "out of memory");
    } catch (const std::exception& e) {
        // A defect of the checker itself: it cannot vouch for the certificate, so it does not.
        return answer.rejected("", std::string("internal error of the checker, not verified: ") + e.what());
    }
}
