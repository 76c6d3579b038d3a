#include "census/obstructions.hpp"

namespace closecert::census {

namespace {
arch::IndexSet all_but(std::size_t size, std::size_t skip) {
    arch::IndexSet s;
    for (std::size_t i = 0; i < size; ++i)
        if (i != skip) s.push_back(static_cast<arch::Index>(i));
    return s;
}
arch::IndexSet all(std::size_t size) { return all_but(size, size); }
}  // namespace

std::vector<arch::Pattern> maximal_windows(const arch::Pattern& p) {
    std::vector<arch::Pattern> out;
    if (p.m > 1)
        for (std::size_t i = 0; i < p.m; ++i) out.push_back(arch::window(p, all_but(p.m, i), all(p.n)));
    if (p.n > 1)
        for (std::size_t j = 0; j < p.n; ++j) out.push_back(arch::window(p, all(p.m), all_but(p.n, j)));
    return out;
}

Minimality minimality(const arch::Pattern& p, const std::function<engine::Verdict(const arch::Pattern&)>& verdict_of) {
    bool unknown = false;
    for (const arch::Pattern& w : maximal_windows(p)) {
        const engine::Verdict v = verdict_of(w);
        if (v == engine::Verdict::not_closed) return Minimality::not_minimal;
        if (v == engine::Verdict::unknown) unknown = true;
    }
    return unknown ? Minimality::undetermined : Minimality::minimal;
}

std::size_t empty_terms(const arch::Pattern& p) {
    std::size_t c = 0;
    for (const auto& t : p.terms) c += t.empty() ? 1 : 0;
    return c;
}

}  // namespace closecert::census
