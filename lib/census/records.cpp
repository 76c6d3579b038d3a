#include "census/records.hpp"

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <stdexcept>

#include "arch/pattern.hpp"
#include "io/atomic_file.hpp"

namespace closecert::census {

using nlohmann::json;

json make_record(const arch::CanonicalForm& cf, const engine::LinearResult& result, bool verified) {
    json j = json::object();
    j["key"] = cf.key;
    j["pattern"] = arch::to_string(cf.pattern);
    j["m"] = cf.pattern.m;
    j["n"] = cf.pattern.n;
    j["r"] = cf.pattern.terms.size();
    j["verdict"] = std::string(engine::to_string(result.verdict));
    j["rule"] = result.rule;
    if (result.verdict == engine::Verdict::unknown) {
        j["reason"] = result.reason;
        j["stuck"] = result.stuck;
    }
    if (result.verdict == engine::Verdict::not_closed && result.proof.is_object()) {
        if (result.proof.contains("window")) j["witness_window"] = result.proof["window"];
        if (result.proof.contains("limit")) j["limit"] = result.proof["limit"];
    }
    j["verified"] = verified;
    // Rounded so that reruns produce short, comparable lines.
    j["seconds"] = static_cast<double>(static_cast<long long>(result.seconds * 1e4 + 0.5)) / 1e4;
    return j;
}

std::vector<json> read_records(const std::string& path, bool repair) {
    std::vector<json> out;
    std::ifstream in(path, std::ios::binary);
    if (!in) return out;
    std::ostringstream os;
    os << in.rdbuf();
    in.close();
    const std::string text = os.str();
    std::size_t pos = 0, line_no = 0;
    while (pos < text.size()) {
        const std::size_t nl = text.find('\n', pos);
        if (nl == std::string::npos) break;  // partial last line
        ++line_no;
        const std::string line = text.substr(pos, nl - pos);
        pos = nl + 1;
        if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
        try {
            json j = json::parse(line);
            if (!j.is_object() || !j.contains("key") || !j["key"].is_string()) throw std::runtime_error("no key");
            out.push_back(std::move(j));
        } catch (const std::exception& e) {
            throw std::runtime_error(path + ":" + std::to_string(line_no) + ": malformed census line (" + e.what() + ")");
        }
    }
    if (repair && pos < text.size()) std::filesystem::resize_file(path, pos);
    return out;
}

Summary summarize(const std::vector<json>& records) {
    std::map<std::string, const json*> last;
    for (const json& j : records) last[j["key"].get<std::string>()] = &j;
    Summary s;
    for (const auto& [key, jp] : last) {
        const json& j = *jp;
        ++s.patterns;
        const std::string v = j.value("verdict", "unknown");
        if (v == "closed") ++s.closed;
        else if (v == "not_closed") ++s.not_closed;
        else ++s.unknown;
        if (v != "unknown" && !j.value("verified", false)) ++s.verify_failures;
    }
    return s;
}

void write_sorted(const std::string& path, std::vector<json> records) {
    std::map<std::string, json> by_key;
    for (json& j : records) {
        // The key is read before the move: in an assignment the right side is evaluated first.
        std::string key = j["key"].get<std::string>();
        by_key[key] = std::move(j);
    }
    std::string text;
    for (const auto& [key, j] : by_key) text += j.dump() + "\n";
    io::write_file_atomically(path, text);
}

std::string file_stem(const std::string& key) {
    std::string s = key;
    for (char& c : s)
        if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '-')) c = '_';
    return s;
}

}  // namespace closecert::census
