// Parsing and checking of whole documents, apart from files and output: main.cpp and the fuzz
// harness (tests/fuzz) share it.
#include "verify.hpp"

#include <set>

namespace verify {

namespace {

constexpr int kMaxDepth = 256;

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

json parse_document(const std::string& text) {
    if (text.size() > kMaxFileBytes) throw InputError("file larger than 32 MiB");
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


Verified verify_documents(const json& cert, const json* arch_file, const std::string& arch_name) {
    if (!cert.is_object() || !cert.contains("format") || cert["format"] != "closecert-certificate")
        throw InputError("format is not \"closecert-certificate\"");
    if (!cert.contains("version") || cert["version"] != 1) throw InputError("unsupported certificate version");
    if (cert.contains("kind")) {
        const std::string kind = str(cert["kind"], "kind");
        if (kind != "closedness") {
            const KindChecker checker = kind_checker(kind);
            if (!checker) throw InputError("unknown certificate kind \"" + kind + "\"");
            Verified v;
            v.kind = kind;
            v.other = checker(cert, arch_file, arch_name, v.tally);
            return v;
        }
    }
    Arch arch = parse_arch(field(cert, "architecture", ""), "architecture", false);
    if (arch_file) {
        Arch given;
        try {
            given = parse_arch(*arch_file, "architecture", true);
        } catch (const Reject& r) {
            throw ArchFileError(r.path + ": " + r.what());
        }
        if (std::string why = arch_difference(arch, given); !why.empty())
            throw Reject("architecture", "not the architecture of " + arch_name + ": " + why);
    }
    Verified v;
    v.architecture_sha256 = architecture_sha256(arch);
    // Optional in version 1 (older certificates lack it); when present it must be the embedded architecture's.
    if (cert.contains("architecture_sha256") && str(cert["architecture_sha256"], "architecture_sha256") != v.architecture_sha256)
        throw Reject("architecture_sha256", "is not the SHA-256 of the embedded architecture's canonical form (" +
                                                v.architecture_sha256 + ")");
    v.linear = claim(cert, "linear");
    v.relu = claim(cert, "relu");
    Witness open;
    if (const json* p = proof(cert, "linear", v.linear)) {
        if (v.linear == "not_closed") open = check_linear_open(*p, arch, "linear", v.tally);
        else check_linear_closed(*p, arch, "linear", v.tally);
    }
    if (const json* p = proof(cert, "relu", v.relu)) check_relu(*p, arch, v.linear == "not_closed" ? &open : nullptr, "relu", v.tally);
    return v;
}

}  // namespace verify
