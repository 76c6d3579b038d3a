// JSON access with a step path in every rejection, and strict rational parsing.
#include "check.hpp"

namespace verify {

std::string at(const std::string& path, const std::string& key) { return path.empty() ? key : path + "." + key; }
std::string at(const std::string& path, std::size_t index) { return path + "[" + std::to_string(index) + "]"; }

bool has(const json& obj, const std::string& key) { return obj.is_object() && obj.contains(key); }

const json& field(const json& obj, const std::string& key, const std::string& path) {
    if (!obj.is_object()) throw Reject(path, "expected an object");
    auto it = obj.find(key);
    if (it == obj.end()) throw Reject(path, "missing field \"" + key + "\"");
    return *it;
}

const json& array(const json& v, const std::string& path) {
    if (!v.is_array()) throw Reject(path, "expected an array");
    if (v.size() > kMaxListed) throw Reject(path, "array longer than the checker's limit");
    return v;
}

std::string str(const json& v, const std::string& path) {
    if (!v.is_string()) throw Reject(path, "expected a string");
    return v.get<std::string>();
}

bool boolean(const json& v, const std::string& path) {
    if (!v.is_boolean()) throw Reject(path, "expected true or false");
    return v.get<bool>();
}

long integer(const json& v, const std::string& path, long lo, long hi) {
    // Floats such as 1.0 are not integers in the format.
    if (v.is_number_unsigned()) {
        auto u = v.get<std::uint64_t>();
        if (u > static_cast<std::uint64_t>(hi)) throw Reject(path, "integer out of range");
        if (static_cast<long>(u) < lo) throw Reject(path, "integer out of range");
        return static_cast<long>(u);
    }
    if (!v.is_number_integer()) throw Reject(path, "expected an integer");
    auto x = v.get<std::int64_t>();
    if (x < lo || x > hi) throw Reject(path, "integer out of range");
    return static_cast<long>(x);
}

static bool digits(const std::string& s) {
    if (s.empty()) return false;
    for (char c : s)
        if (c < '0' || c > '9') return false;
    return true;
}

Rational rational(const json& v, const std::string& path) {
    std::string s = str(v, path);
    if (s.size() > kMaxRationalChars) throw Reject(path, "rational longer than the checker's limit");
    std::string body = !s.empty() && s[0] == '-' ? s.substr(1) : s;
    auto slash = body.find('/');
    std::string num = body.substr(0, slash);
    std::string den = slash == std::string::npos ? "1" : body.substr(slash + 1);
    if (!digits(num) || !digits(den)) throw Reject(path, "not a rational \"" + s + "\"");
    // One spelling per number: a leading zero would also be read as octal by Boost's parser.
    if ((num.size() > 1 && num[0] == '0') || (den.size() > 1 && den[0] == '0'))
        throw Reject(path, "leading zero in \"" + s + "\"");
    const Integer p(num), q(den);
    if (q == 0) throw Reject(path, "zero denominator in \"" + s + "\"");
    const Rational r(p, q);  // normalised by construction
    return s[0] == '-' ? Rational(-r) : r;
}

void charge(long long n, const std::string& path) {
    static long long used = 0;
    used += n;
    if (used > kWorkBudget) throw Reject(path, "work limit of the checker exceeded");
}

}  // namespace verify
