// Kind "flow" (docs/flow.md): the invariants c_k = |w_k|^2 + b_k^2 - |a_k|^2 of a one-hidden-layer
// ReLU network at its initialisation, the components of the invariant set (Lemma Q: a unit's
// quadric is disconnected iff c > 0 with one incoming parameter or c < 0 with one outgoing
// weight), and a target's obstruction, all recomputed here. That gradient flow conserves the c_k
// is the cited trusted step.
#include "flow.hpp"

#include <map>
#include <tuple>

namespace verify {

namespace {

constexpr const char* kConservation =
    "conserved_quadrics: Nurisso, Leroy, Vaccarino, Topological obstruction to the training of shallow ReLU neural "
    "networks, NeurIPS 2024, arXiv:2410.14837: gradient flow of a one-hidden-layer ReLU network conserves "
    "|w_k|^2 + b_k^2 - |a_k|^2 for every hidden unit k";

struct Params {
    std::vector<std::vector<Rational>> w1, w2;
    std::vector<Rational> b1, b2;
};

Params parse_params(const json& v, const Arch& a, const std::string& path) {
    if (!v.is_object() || !has(v, "format") || v["format"] != "closecert-params") throw Reject(path, "not closecert-params");
    if (!has(v, "version") || v["version"] != 1) throw Reject(at(path, "version"), "expected 1");
    const json& layers = array(field(v, "layers", path), at(path, "layers"));
    if (layers.size() != 2) throw Reject(at(path, "layers"), "expected two layers");
    Params p;
    for (std::size_t l = 0; l < 2; ++l) {
        const std::string lp = at(at(path, "layers"), l);
        const json& w = array(field(layers[l], "weights", lp), at(lp, "weights"));
        const json& b = array(field(layers[l], "bias", lp), at(lp, "bias"));
        if (w.size() != a.width(l + 1) || b.size() != a.width(l + 1)) throw Reject(lp, "shape differs from the architecture");
        auto& W = l == 0 ? p.w1 : p.w2;
        auto& B = l == 0 ? p.b1 : p.b2;
        for (std::size_t i = 0; i < w.size(); ++i) {
            const json& row = array(w[i], at(at(lp, "weights"), i));
            if (row.size() != a.width(l)) throw Reject(at(at(lp, "weights"), i), "shape differs from the architecture");
            W.emplace_back();
            for (std::size_t j = 0; j < row.size(); ++j) {
                W.back().push_back(rational(row[j], at(at(at(lp, "weights"), i), j)));
                if (W.back().back() != 0 && !a.at(l + 1, i, j)) throw Reject(at(at(at(lp, "weights"), i), j), "nonzero outside the mask");
            }
            B.push_back(rational(b[i], at(at(lp, "bias"), i)));
            if (B.back() != 0 && !a.bias[l]) throw Reject(at(at(lp, "bias"), i), "nonzero bias in a layer without bias");
        }
    }
    return p;
}

std::vector<UnitFacts> units_of(const Arch& a, const Params& p) {
    std::vector<UnitFacts> out;
    for (std::size_t k = 0; k < a.width(1); ++k) {
        UnitFacts u;
        Rational last_in, last_out;
        std::size_t& in = u.in;
        std::size_t& outdeg = u.out;
        for (std::uint32_t j : a.row(1, k)) u.c += p.w1[k][j] * p.w1[k][j], ++in, last_in = p.w1[k][j];
        if (a.bias[0]) u.c += p.b1[k] * p.b1[k], ++in, last_in = p.b1[k];
        for (std::size_t i = 0; i < a.width(2); ++i)
            if (a.at(2, i, k)) u.c -= p.w2[i][k] * p.w2[i][k], ++outdeg, last_out = p.w2[i][k];
        // Lemma Q: {|w|^2 - |a|^2 = c} is two components exactly in these cases; the sign of the
        // single coordinate tells which.
        if (u.c > 0 && in == 1) u.split = true, u.side = last_in > 0 ? 1 : -1;
        if (u.c < 0 && outdeg == 1) u.split = true, u.side = last_out > 0 ? 1 : -1;
        out.push_back(u);
    }
    return out;
}

}  // namespace

KindResult check_flow(const json& cert, const json* input, const std::string& input_name, Tally& tally) {
    const Arch a = parse_arch(field(cert, "architecture", ""), "architecture", false);
    if (input) {
        Arch given;
        try {
            given = parse_arch(*input, "", true);
        } catch (const Reject& r) {
            throw ArchFileError((r.path.empty() ? "" : r.path + ": ") + r.what());
        }
        if (const std::string d = arch_difference(a, given); !d.empty()) throw Reject("architecture", "is not the architecture of " + input_name + ": " + d);
    }
    if (a.depth() != 2) throw Reject("architecture", "flow certificates are about one hidden layer");
    if (str(field(field(cert, "proof", ""), "rule", "proof"), "proof.rule") != "conserved_quadrics")
        throw Reject("proof.rule", "expected \"conserved_quadrics\"");
    tally.trusted.push_back(std::string("proof: ") + kConservation);
    const std::vector<UnitFacts> units = units_of(a, parse_params(field(cert, "init", ""), a, "init"));
    const json& claim = field(cert, "claim", "");
    const json& cs = array(field(claim, "invariants", "claim"), "claim.invariants");
    if (cs.size() != units.size()) throw Reject("claim.invariants", "one per hidden unit expected");
    for (std::size_t k = 0; k < units.size(); ++k)
        if (rational(cs[k], at("claim.invariants", k)) != units[k].c) throw Reject(at("claim.invariants", k), "is " + units[k].c.str());
    ++tally.checked;
    // Split units and components: 2^(split units), and up to permuting interchangeable units
    // (same masks, same c) the product over classes of (split units in the class + 1).
    json split = json::array();
    std::map<std::tuple<std::vector<std::uint32_t>, std::vector<std::uint32_t>, Rational>, std::size_t> per_class;
    Integer components = 1;
    for (std::size_t k = 0; k < units.size(); ++k) {
        std::vector<std::uint32_t> out;
        for (std::size_t i = 0; i < a.width(2); ++i)
            if (a.at(2, i, k)) out.push_back(static_cast<std::uint32_t>(i));
        auto& n = per_class[std::make_tuple(a.row(1, k), out, units[k].c)];
        if (!units[k].split) continue;
        split.push_back({{"side", units[k].side}, {"unit", k}});
        components *= 2;
        ++n;
    }
    Integer up_to = 1;
    for (const auto& [key, n] : per_class) up_to *= static_cast<unsigned long>(n + 1);
    if (field(claim, "split_units", "claim") != split) throw Reject("claim.split_units", "the split units are " + split.dump());
    if (str(field(claim, "components", "claim"), "claim.components") != components.str()) throw Reject("claim.components", "is " + components.str());
    if (str(field(claim, "components_up_to_symmetry", "claim"), "claim.components_up_to_symmetry") != up_to.str())
        throw Reject("claim.components_up_to_symmetry", "is " + up_to.str());
    ++tally.checked;
    std::string summary = (a.name.empty() ? "network" : a.name) + ": " + std::to_string(units.size()) + " invariants, " +
                          components.str() + " components (" + up_to.str() + " up to symmetry)";
    json facts = {{"invariants", cs}, {"components", components.str()}};
    if (has(cert, "target")) {
        const std::vector<UnitFacts> target = units_of(a, parse_params(cert["target"], a, "target"));
        // The first unit with another invariant, else the first split unit on the other side.
        json why = {{"reachable", "not excluded"}};
        bool found = false;
        for (std::size_t k = 0; k < units.size() && !found; ++k)
            if (target[k].c != units[k].c) why = {{"reachable", false}, {"unit", k}, {"why", "invariant"}}, found = true;
        for (std::size_t k = 0; k < units.size() && !found; ++k)
            if (units[k].split && target[k].side != units[k].side) why = {{"reachable", false}, {"unit", k}, {"why", "side"}}, found = true;
        if (field(claim, "target", "claim") != why) throw Reject("claim.target", "is " + why.dump());
        ++tally.checked;
        summary += why["reachable"] == false ? "; the target is unreachable (unit " + std::to_string(why["unit"].get<std::size_t>()) + ", " +
                                                   why["why"].get<std::string>() + ")"
                                             : "; the target is in the same component";
        facts["target"] = why;
    } else if (has(claim, "target")) {
        throw Reject("claim.target", "there is no target");
    }
    if (has(cert, "data")) {
        const std::string answer = check_minimisers(cert, a, units, tally);
        if (str(field(claim, "minimisers", "claim"), "claim.minimisers") != answer) throw Reject("claim.minimisers", "is \"" + answer + "\"");
        summary += answer == "unreachable" ? "; every global minimiser of the data is unreachable" : "; a global minimiser of the data is in the component";
        facts["minimisers"] = answer;
    } else if (has(claim, "minimisers")) {
        throw Reject("claim.minimisers", "there is no data");
    }
    return {summary, facts};
}

}  // namespace verify
