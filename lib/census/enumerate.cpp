#include "census/enumerate.hpp"

#include <algorithm>
#include <chrono>
#include <stdexcept>
#include <thread>
#include <unordered_map>

namespace closecert::census {

namespace {

arch::IndexSet bits_to_set(unsigned bits) {
    arch::IndexSet s;
    for (arch::Index i = 0; bits >> i; ++i)
        if ((bits >> i) & 1u) s.push_back(i);
    return s;
}

using Level = std::unordered_map<std::string, arch::CanonicalForm>;

// Canonical forms of every parent plus every rectangle, for parents [begin, end).
void augment(const std::vector<const arch::CanonicalForm*>& parents, std::size_t begin, std::size_t end,
             const std::vector<arch::Rect>& rects, Level& out, std::size_t& count) {
    for (std::size_t p = begin; p < end; ++p) {
        for (const arch::Rect& rect : rects) {
            arch::Pattern child = parents[p]->pattern;
            child.terms.push_back(rect);
            arch::CanonicalForm cf = arch::canonical_form(child);
            ++count;
            out.try_emplace(cf.key, std::move(cf));
        }
    }
}

}  // namespace

std::vector<arch::Rect> all_rectangles(std::size_t m, std::size_t n) {
    std::vector<arch::Rect> rects;
    for (unsigned ib = 0; ib < (1u << m); ++ib)
        for (unsigned jb = 0; jb < (1u << n); ++jb) rects.push_back(arch::Rect{bits_to_set(ib), bits_to_set(jb)});
    return rects;
}

std::vector<arch::CanonicalForm> enumerate_patterns(std::size_t m, std::size_t n, std::size_t r, unsigned jobs,
                                                    EnumerationStats* stats) {
    const auto start = std::chrono::steady_clock::now();
    if (m > n) std::swap(m, n);
    if (n > arch::kCanonicalMaxDim) throw std::invalid_argument("enumerate_patterns: dimension above the canonical form's limit");
    if (jobs == 0) jobs = 1;
    const std::vector<arch::Rect> rects = all_rectangles(m, n);
    EnumerationStats local;
    Level level;
    {
        arch::Pattern empty{m, n, {}};
        arch::CanonicalForm cf = arch::canonical_form(empty);
        ++local.canonicalisations;
        level.emplace(cf.key, std::move(cf));
    }
    local.per_level.push_back(level.size());
    for (std::size_t k = 1; k <= r; ++k) {
        std::vector<const arch::CanonicalForm*> parents;
        parents.reserve(level.size());
        for (const auto& [key, cf] : level) parents.push_back(&cf);
        // Each thread fills a private map for a contiguous chunk of parents; the maps are merged afterwards.
        const unsigned t = static_cast<unsigned>(std::min<std::size_t>(jobs, std::max<std::size_t>(1, parents.size())));
        std::vector<Level> parts(t);
        std::vector<std::size_t> counts(t, 0);
        std::vector<std::thread> threads;
        for (unsigned w = 0; w < t; ++w) {
            const std::size_t b = parents.size() * w / t, e = parents.size() * (w + 1) / t;
            if (t == 1) augment(parents, b, e, rects, parts[w], counts[w]);
            else threads.emplace_back([&, w, b, e] { augment(parents, b, e, rects, parts[w], counts[w]); });
        }
        for (auto& th : threads) th.join();
        Level next = std::move(parts[0]);
        for (unsigned w = 1; w < t; ++w)
            for (auto& [key, cf] : parts[w]) next.try_emplace(key, std::move(cf));
        for (std::size_t c : counts) local.canonicalisations += c;
        level = std::move(next);
        local.per_level.push_back(level.size());
    }
    std::vector<arch::CanonicalForm> out;
    out.reserve(level.size());
    for (auto& [key, cf] : level) out.push_back(std::move(cf));
    std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.key < b.key; });
    local.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    if (stats) *stats = std::move(local);
    return out;
}

}  // namespace closecert::census
