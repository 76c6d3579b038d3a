// closecert-verify CERT [ARCH]: re-checks a closecert certificate with exact arithmetic.
// Exit 0 verified, 1 rejected (with the failing step), 2 unreadable input.
#include "verify.hpp"

#include <fstream>
#include <iostream>
#include <sstream>

using namespace verify;

namespace {

constexpr std::size_t kMaxFileBytes = 32u << 20;  // nlohmann-json needs about 12 bytes per byte of text
constexpr int kMaxDepth = 256;

json read_json(const std::string& file) {
    std::ifstream in(file, std::ios::binary);
    if (!in) throw InputError("cannot open the file");
    std::string text;
    char buf[1 << 16];
    while (in.read(buf, sizeof buf) || in.gcount() > 0) {
        text.append(buf, in.gcount());
        if (text.size() > kMaxFileBytes) throw InputError("file larger than 32 MiB");
    }
    if (in.bad()) throw InputError("read error");
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
    try {
        return json::parse(text);
    } catch (const json::parse_error& e) {
        std::string what = e.what();
        auto close = what.find("] ");
        throw InputError("malformed JSON: " + (close == std::string::npos ? what : what.substr(close + 2)));
    }
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

}  // namespace

int main(int argc, char** argv) {
    if (argc < 2 || argc > 3) {
        std::cerr << "usage: closecert-verify CERT [ARCH]\n";
        return 2;
    }
    std::string file = argv[1];
    try {
        json cert = read_json(file);
        if (!cert.is_object() || !cert.contains("format") || cert["format"] != "closecert-certificate")
            throw InputError("format is not \"closecert-certificate\"");
        if (!cert.contains("version") || cert["version"] != 1) throw InputError("unsupported certificate version");
        Arch arch = parse_arch(field(cert, "architecture", ""), "architecture", false);
        if (argc == 3) {
            file = argv[2];
            Arch given;
            try {
                given = parse_arch(read_json(file), "architecture", true);
            } catch (const Reject& r) {
                throw InputError(r.path + ": " + r.what());
            }
            file = argv[1];
            if (std::string why = arch_difference(arch, given); !why.empty())
                throw Reject("architecture", "not the architecture of " + std::string(argv[2]) + ": " + why);
        }
        std::string lin = claim(cert, "linear"), relu = claim(cert, "relu");
        Tally tally;
        Witness open;
        if (const json* p = proof(cert, "linear", lin)) {
            if (lin == "not_closed") open = check_linear_open(*p, arch, "linear", tally);
            else check_linear_closed(*p, arch, "linear", tally);
        }
        if (const json* p = proof(cert, "relu", relu)) check_relu(*p, arch, lin == "not_closed" ? &open : nullptr, "relu", tally);
        std::cout << "verified: linear " << lin << ", relu " << relu << " (" << tally.checked << " steps checked, "
                  << tally.trusted.size() << " trusted)\n";
        for (const std::string& t : tally.trusted) std::cout << "trusted: " << t << "\n";
        return 0;
    } catch (const InputError& e) {
        std::cerr << "closecert-verify: error: " << file << ": " << e.what() << "\n";
        return 2;
    } catch (const Reject& r) {
        std::cout << "rejected: " << (r.path.empty() ? "certificate" : r.path) << ": " << r.what() << "\n";
        return 1;
    } catch (const std::bad_alloc&) {
        std::cout << "rejected: certificate: out of memory\n";
        return 1;
    }
}
