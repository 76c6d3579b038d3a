// Rule `twin` (docs/theory.md §4.10, Lemma TW): for the split s, every hidden layer h < s has
// in-supports that are equal or disjoint, with equal out-supports for equal in-supports, and every
// hidden layer h >= s the same with in and out exchanged. Then every product factors with bounded
// weights and L_I is closed.
#include "verify.hpp"

#include <map>

namespace verify {

namespace {

using Support = std::vector<std::uint32_t>;

// Supports of the units of hidden layer h: first = the units of layer h-1 it sees, second = the
// units of layer h+1 that see it.
std::vector<std::pair<Support, Support>> supports(const Arch& a, std::size_t h, const std::string& path) {
    charge(static_cast<long long>(a.nonzeros(h) + a.nonzeros(h + 1) + a.width(h)), path);
    std::vector<std::pair<Support, Support>> s(a.width(h));
    for (std::size_t u = 0; u < a.width(h); ++u) s[u].first = a.row(h, u);
    for (std::size_t v = 0; v < a.width(h + 1); ++v)
        for (std::uint32_t u : a.row(h + 1, v)) s[u].second.push_back(static_cast<std::uint32_t>(v));
    return s;
}

// Why hidden layer h is not a twin layer with `key` (in-supports, or out-supports when
// !forward) equal or disjoint and the other side equal for equal keys; "" if it is.
std::string twin_defect(const Arch& a, std::size_t h, bool forward, const std::string& path) {
    const auto s = supports(a, h, path);
    std::map<Support, std::pair<std::size_t, Support>> classes;  // key -> (first unit, other side)
    const std::size_t other_width = forward ? a.width(h - 1) : a.width(h + 1);
    std::vector<long> claimed(other_width, -1);  // the first unit of the class whose key holds j
    const char* key_name = forward ? "in-support" : "out-support";
    for (std::size_t u = 0; u < s.size(); ++u) {
        const Support& key = forward ? s[u].first : s[u].second;
        const Support& other = forward ? s[u].second : s[u].first;
        if (key.empty()) continue;
        auto [it, fresh] = classes.emplace(key, std::make_pair(u, other));
        if (!fresh) {
            if (it->second.second != other)
                return "units " + std::to_string(it->second.first) + " and " + std::to_string(u) + " of hidden layer " + std::to_string(h) +
                       " have the same " + key_name + " but not the same " + (forward ? "out-support" : "in-support");
            continue;
        }
        for (std::uint32_t j : key) {
            if (claimed[j] >= 0)
                return "the " + std::string(key_name) + "s of units " + std::to_string(claimed[j]) + " and " + std::to_string(u) + " of hidden layer " +
                       std::to_string(h) + " meet but differ";
            claimed[j] = static_cast<long>(u);
        }
    }
    return "";
}

}  // namespace

void check_twin(const json& nd, const Arch& a, const std::string& path) {
    const std::size_t L = a.depth();
    if (L < 2) throw Reject(path, "twin needs at least two layers");
    const std::size_t s = static_cast<std::size_t>(integer(field(nd, "split", path), at(path, "split"), 1, static_cast<long>(L)));
    for (std::size_t h = 1; h < L; ++h) {
        std::string why = twin_defect(a, h, h < s, path);
        if (!why.empty()) throw Reject(at(path, "split"), why);
    }
}

}  // namespace verify
