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

constexpr std::size_t kMaxFileBytes = 32u << 20;  // nlohmann-json needs about 12 bytes per byte of text
constexpr int kMaxDepth = 256;

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

json read_json(const std::string& file) {
    const std::string text = read_text(file);
    // Nesting is bounded before parsing so that no recursion depends on the input.
    int depth = 0;
    bool quoted = false, escaped = false;
    for (char c : text) {
        if (quoted) {
            if (escaped) escaped = false;
            else if (c == '\\') escaped = true;
            else if (c == '"') quoted = false;
        } else if (c == '"') quoted = true;
        else if ((c == '[' || c == '{') && ++depth > kMaxDepth) throw InputError("JSON nested deeper than 256 levels");
        else if (c == ']' || c == '}') --depth;
    }
    // A repeated key makes the document ambiguous (readers differ on which value wins): refused.
    std::vector<std::set<std::string>> seen;
    std::string duplicate;
    auto callback = [&](int, json::parse_event_t event, json& parsed) {
        if (event == json::parse_event_t::object_start) seen.emplace_back();
        else if (event == json::parse_event_t::object_end) seen.pop_back();
        else if (event == json::parse_event_t::key && !seen.back().insert(parsed.get<std::string>()).second &&
                 duplicate.empty())
            duplicate = parsed.get<std::string>();
        return true;
    };
    json j;
    try {
        j = json::parse(text, callback);
    } catch (const json::parse_error& e) {
        std::string what = e.what();
        auto close = what.find("] ");
        throw InputError("malformed JSON: " + (close == std::string::npos ? what : what.substr(close + 2)));
    } catch (const json::out_of_range&) {
        throw InputError("malformed JSON: a number out of the range of a double");
    }
    if (!duplicate.empty()) throw InputError("ambiguous JSON: the key \"" + duplicate + "\" appears twice in one object");
    return j;
}

const char* kClaims[] = {"closed", "not_closed", "unknown"};

std::string claim(const json& cert, const std::string& key) {
    std::string p = at("claim", key);
    std::string c = str(field(field(cert, "claim", ""), key, "claim"), p);
    for (const char* ok : kClaims)
        if (c == ok) return c;
    throw Reject(p, "claim is not \"closed\", \"not_closed\" or \"unknown\"");
}

// The proof of `key` must be present iff its claim is not "unknown", and restate the claim.
const json* proof(const json& cert, const std::string& key, const std::string& claimed) {
    if (claimed == "unknown") {
        if (cert.contains(key)) throw Reject(key, "a proof is given for an \"unknown\" claim");
        return nullptr;
    }
    const json& p = field(cert, key, "");
    if (str(field(p, "verdict", key), at(key, "verdict")) != claimed) throw Reject(at(key, "verdict"), "verdict differs from the claim");
    return &p;
}

constexpr const char* kUsage = "usage: closecert-verify [--json] CERT [ARCH]";
constexpr const char* kHelp =
    "closecert-verify: re-checks a closecert certificate with exact arithmetic, independently of the engine.\n"
    "\n"
    "usage: closecert-verify [--json] CERT [ARCH]\n"
    "  CERT     the certificate (closecert check --cert)\n"
    "  ARCH     optional: the architecture file the certificate must be about\n"
    "  --json   one JSON object on stdout instead of the text answer\n"
    "  --help, --version\n"
    "\n"
    "Exit status: 0 verified, 1 rejected (the failing step is named), 2 unreadable input or usage error.\n";

// The three answers, as text or as one JSON object.
struct Answer {
    bool as_json = false;
    int verified(const std::string& lin, const std::string& relu, const Tally& t) const {
        if (as_json) {
            std::cout << json{{"result", "verified"}, {"linear", lin}, {"relu", relu}, {"steps_checked", t.checked},
                              {"trusted", t.trusted}}.dump() << "\n";
            return 0;
        }
        std::cout << "verified: linear " << lin << ", relu " << relu << " (" << t.checked << " steps checked, "
                  << t.trusted.size() << " trusted)\n";
        for (const std::string& tr : t.trusted) std::cout << "trusted: " << tr << "\n";
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
        json cert = read_json(file);
        if (!cert.is_object() || !cert.contains("format") || cert["format"] != "closecert-certificate")
            throw InputError("format is not \"closecert-certificate\"");
        if (!cert.contains("version") || cert["version"] != 1) throw InputError("unsupported certificate version");
        Arch arch = parse_arch(field(cert, "architecture", ""), "architecture", false);
        if (files.size() == 2) {
            file = files[1];
            Arch given;
            try {
                given = parse_arch(read_json(file), "architecture", true);
            } catch (const Reject& r) {
                throw InputError(r.path + ": " + r.what());
            }
            file = files[0];
            if (std::string why = arch_difference(arch, given); !why.empty())
                throw Reject("architecture", "not the architecture of " + files[1] + ": " + why);
        }
        std::string lin = claim(cert, "linear"), relu = claim(cert, "relu");
        Tally tally;
        Witness open;
        if (const json* p = proof(cert, "linear", lin)) {
            if (lin == "not_closed") open = check_linear_open(*p, arch, "linear", tally);
            else check_linear_closed(*p, arch, "linear", tally);
        }
        if (const json* p = proof(cert, "relu", relu)) check_relu(*p, arch, lin == "not_closed" ? &open : nullptr, "relu", tally);
        return answer.verified(lin, relu, tally);
    } catch (const InputError& e) {
        return answer.error(file, e.what());
    } catch (const Reject& r) {
        return answer.rejected(r.path, r.what());
    } catch (const std::bad_alloc&) {
        return answer.rejected("", "out of memory");
    }
}
