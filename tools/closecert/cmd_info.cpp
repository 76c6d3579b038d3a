// closecert info FILE: shapes, nonzeros, linear counterpart, and for two layers the rectangles,
// components and (when small) the canonical key.
#include <iostream>
#include <memory>
#include <sstream>

#include "arch/canonical.hpp"
#include "arch/pattern.hpp"
#include "common.hpp"
#include "engine/closed_prover.hpp"
#include "engine/subpattern.hpp"

namespace closecert::cli {

namespace {

std::string set_text(const arch::IndexSet& s) {
    std::string t = "{";
    for (std::size_t i = 0; i < s.size(); ++i) t += (i ? "," : "") + std::to_string(s[i]);
    return t + "}";
}

std::string describe(const std::string& path, const arch::Architecture& a) {
    std::ostringstream os;
    os << "architecture: " << a.name << " (" << path << ")\n";
    os << "widths: ";
    for (std::size_t l = 0; l <= a.depth(); ++l) os << (l ? " -> " : "") << a.width(l);
    os << " (depth " << a.depth() << ")\n";
    for (std::size_t l = 0; l < a.depth(); ++l) {
        const auto& m = a.layers[l].mask;
        os << "layer " << l + 1 << ": " << m.rows() << " x " << m.cols() << ", " << m.nonzeros() << " nonzeros, "
           << (a.layers[l].bias ? "bias" : "no bias") << "\n";
    }
    os << "total nonzeros: " << a.nonzeros() << "\n";
    const auto lin = a.linear_support();
    os << "linear counterpart: " << lin.rows() << " x " << lin.cols() << ", " << lin.nonzeros() << " nonzeros\n";
    if (a.depth() != 2) return os.str();

    const auto p = arch::two_layer_pattern(a);
    os << "rectangles S_k = I_k x J_k (k = hidden unit, 0-based):\n";
    for (std::size_t k = 0; k < p.terms.size(); ++k)
        os << "  S_" << k << " = " << set_text(p.terms[k].rows) << " x " << set_text(p.terms[k].cols)
           << (p.terms[k].empty() ? " (empty)" : "") << "\n";
    std::vector<std::size_t> all(p.terms.size());
    for (std::size_t k = 0; k < all.size(); ++k) all[k] = k;
    const auto comps = engine::visible_components(engine::make_subpattern(p, std::move(all), engine::CellSet(p.m, p.n)));
    os << "components: " << comps.size() << "\n";
    for (std::size_t c = 0; c < comps.size(); ++c) {
        os << "  " << c << ": terms {";
        for (std::size_t i = 0; i < comps[c].size(); ++i) os << (i ? "," : "") << comps[c][i];
        os << "}\n";
    }
    if (p.m <= arch::kCanonicalMaxDim && p.n <= arch::kCanonicalMaxDim)
        os << "canonical key: " << arch::canonical_key(p) << "\n";
    else
        os << "canonical key: (pattern larger than " << arch::kCanonicalMaxDim << " x " << arch::kCanonicalMaxDim
           << ", not computed)\n";
    return os.str();
}

}  // namespace

void register_info(CLI::App& root, CommandList& out) {
    auto file = std::make_shared<std::string>();
    CLI::App* info = root.add_subcommand("info", "describe an architecture file");
    info->add_option("FILE", *file, "architecture file")->required();
    out.push_back({info, [file] {
        const auto a = load_architecture(*file);
        std::cout << describe(*file, a) << std::flush;
        return kExitClosed;
    }});
}

}  // namespace closecert::cli
