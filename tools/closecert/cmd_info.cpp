// closecert info FILE: shapes, nonzeros, linear counterpart, and for two layers the rectangles,
// components and (when small) the canonical key. A summary by default, so that it stays fast on
// dense 4096-wide layers; --terms lists every rectangle, --json gives the same as one object.
#include <iostream>
#include <memory>
#include <sstream>

#include <nlohmann/json.hpp>

#include "arch/canonical.hpp"
#include "arch/pattern.hpp"
#include "common.hpp"
#include "engine/closed_prover.hpp"
#include "engine/subpattern.hpp"
#include "io/fingerprint.hpp"

namespace closecert::cli {

namespace {

using nlohmann::json;

// Components are computed when the rectangles' total area is at most this (cells times terms).
constexpr std::size_t kComponentsMaxArea = std::size_t{1} << 24;
// Without --terms, the rectangles are listed only for this many hidden units or fewer.
constexpr std::size_t kListedTerms = 16;

std::string set_text(const arch::IndexSet& s) {
    std::string t = "{";
    for (std::size_t i = 0; i < s.size(); ++i) t += (i ? "," : "") + std::to_string(s[i]);
    return t + "}";
}

json summary(const std::string& path, const arch::Architecture& a, bool all_terms) {
    json j = {{"file", path}, {"name", a.name}, {"depth", a.depth()}, {"nonzeros", a.nonzeros()}};
    json widths = json::array(), layers = json::array();
    for (std::size_t l = 0; l <= a.depth(); ++l) widths.push_back(a.width(l));
    for (const auto& layer : a.layers) {
        const auto& m = layer.mask;
        layers.push_back({{"rows", m.rows()}, {"cols", m.cols()}, {"nonzeros", m.nonzeros()}, {"bias", layer.bias}});
    }
    j["widths"] = widths;
    j["layers"] = layers;
    j["architecture_sha256"] = io::architecture_sha256(a);
    const auto lin = a.linear_support();
    j["linear_support"] = {{"rows", lin.rows()}, {"cols", lin.cols()}, {"nonzeros", lin.nonzeros()}};
    if (a.depth() != 2) return j;

    const auto p = arch::two_layer_pattern(a);
    std::size_t empty = 0, area = 0;
    for (const auto& t : p.terms) {
        empty += t.empty() ? 1 : 0;
        area += t.rows.size() * t.cols.size();
    }
    json two = {{"rectangles", p.terms.size()}, {"empty_rectangles", empty}, {"area", area}};
    if (all_terms || p.terms.size() <= kListedTerms) {
        json terms = json::array();
        for (const auto& t : p.terms) terms.push_back({{"rows", t.rows}, {"cols", t.cols}});
        two["terms"] = terms;
    }
    if (area <= kComponentsMaxArea) {
        std::vector<std::size_t> all(p.terms.size());
        for (std::size_t k = 0; k < all.size(); ++k) all[k] = k;
        two["components"] = engine::visible_components(engine::make_subpattern(p, std::move(all), engine::CellSet(p.m, p.n)));
    }
    if (p.m <= arch::kCanonicalMaxDim && p.n <= arch::kCanonicalMaxDim) two["canonical_key"] = arch::canonical_key(p);
    j["two_layer"] = two;
    return j;
}

std::string describe(const json& j) {
    std::ostringstream os;
    os << "architecture: " << j["name"].get<std::string>() << " (" << j["file"].get<std::string>() << ")\n";
    os << "widths: ";
    for (std::size_t l = 0; l < j["widths"].size(); ++l) os << (l ? " -> " : "") << j["widths"][l];
    os << " (depth " << j["depth"] << ")\n";
    for (std::size_t l = 0; l < j["layers"].size(); ++l) {
        const json& m = j["layers"][l];
        os << "layer " << l + 1 << ": " << m["rows"] << " x " << m["cols"] << ", " << m["nonzeros"] << " nonzeros, "
           << (m["bias"].get<bool>() ? "bias" : "no bias") << "\n";
    }
    os << "total nonzeros: " << j["nonzeros"] << "\n";
    os << "fingerprint (SHA-256 of the canonical form): " << j["architecture_sha256"].get<std::string>() << "\n";
    const json& lin = j["linear_support"];
    os << "linear counterpart: " << lin["rows"] << " x " << lin["cols"] << ", " << lin["nonzeros"] << " nonzeros\n";
    if (!j.contains("two_layer")) return os.str();
    const json& two = j["two_layer"];
    os << "rectangles S_k = I_k x J_k (k = hidden unit, 0-based): " << two["rectangles"] << ", "
       << two["empty_rectangles"] << " empty, total area " << two["area"] << "\n";
    if (two.contains("terms"))
        for (std::size_t k = 0; k < two["terms"].size(); ++k) {
            const json& t = two["terms"][k];
            const auto rows = t["rows"].get<arch::IndexSet>(), cols = t["cols"].get<arch::IndexSet>();
            os << "  S_" << k << " = " << set_text(rows) << " x " << set_text(cols)
               << (rows.empty() || cols.empty() ? " (empty)" : "") << "\n";
        }
    else
        os << "  (not listed: more than " << kListedTerms << "; --terms lists them)\n";
    if (two.contains("components")) {
        os << "components: " << two["components"].size() << "\n";
        for (std::size_t c = 0; c < two["components"].size() && c < kListedTerms; ++c) {
            const auto& comp = two["components"][c];
            os << "  " << c << ": " << comp.size() << " terms";
            if (comp.size() <= kListedTerms || two.contains("terms")) {
                os << " {";
                for (std::size_t i = 0; i < comp.size(); ++i) os << (i ? "," : "") << comp[i];
                os << "}";
            }
            os << "\n";
        }
        if (two["components"].size() > kListedTerms) os << "  ...\n";
    } else {
        os << "components: not computed (total area over " << kComponentsMaxArea << ")\n";
    }
    if (two.contains("canonical_key"))
        os << "canonical key: " << two["canonical_key"].get<std::string>() << "\n";
    else
        os << "canonical key: (pattern larger than " << arch::kCanonicalMaxDim << " x " << arch::kCanonicalMaxDim
           << ", not computed)\n";
    return os.str();
}

}  // namespace

void register_info(CLI::App& root, CommandList& out) {
    struct Args {
        std::string file;
        bool json = false, terms = false;
    };
    auto a = std::make_shared<Args>();
    CLI::App* info = root.add_subcommand("info", "describe an architecture file");
    info->add_option("FILE", a->file, "architecture file ('-': standard input)")->required();
    info->add_flag("--json", a->json, "one JSON object on stdout");
    info->add_flag("--terms", a->terms, "list every rectangle of a two-layer architecture (default: up to 16)");
    info->footer("Exit status: 0 described, 2 bad input.");
    out.push_back({info, [a] {
        const auto arch = load_architecture(a->file);
        const json j = summary(a->file, arch, a->terms);
        if (a->json) std::cout << j.dump() << "\n";
        else std::cout << describe(j) << std::flush;
        return kExitClosed;
    }});
}

}  // namespace closecert::cli
