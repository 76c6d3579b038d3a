#include "io/params_file.hpp"

#include "io/architecture_file.hpp"
#include "io/atomic_file.hpp"
#include "io/errors.hpp"
#include "io/json_reader.hpp"
#include "io/network_file.hpp"

namespace closecert::io {

using core::Rational;
using nlohmann::json;

flow::Params params_from_json(const json& j, const arch::Architecture& a, const std::string& file) {
    auto fail = [&](const std::string& place, const std::string& m) { throw InputError(file, place, m); };
    if (!j.is_object() || !j.contains("format") || j["format"] != "closecert-params") fail("format", "expected \"closecert-params\"");
    if (!j.contains("version") || j["version"] != 1) fail("version", "expected 1");
    for (const auto& [key, v] : j.items())
        if (key != "format" && key != "version" && key != "name" && key != "layers") fail(key, "unknown key (expected format, version, name, layers)");
    if (!j.contains("layers") || !j["layers"].is_array() || j["layers"].size() != 2) fail("layers", "expected two layers");
    flow::Params p;
    for (std::size_t l = 0; l < 2; ++l) {
        const std::string at = "layers[" + std::to_string(l) + "]";
        const json& L = j["layers"][l];
        if (!L.is_object() || !L.contains("weights") || !L["weights"].is_array()) fail(at + ".weights", "expected an array of rows");
        if (L["weights"].size() > arch::kMaxWidth) fail(at + ".weights", "too many rows");
        flow::RMatrix w;
        for (std::size_t i = 0; i < L["weights"].size(); ++i) {
            const json& row = L["weights"][i];
            const std::string ri = at + ".weights[" + std::to_string(i) + "]";
            if (!row.is_array() || row.size() > arch::kMaxWidth) fail(ri, "expected a row of numbers");
            w.emplace_back();
            for (std::size_t k = 0; k < row.size(); ++k) w.back().push_back(exact_number(row[k], file, ri + "[" + std::to_string(k) + "]"));
        }
        std::vector<Rational> b(w.size());
        if (L.contains("bias")) {
            if (!L["bias"].is_array() || L["bias"].size() != w.size()) fail(at + ".bias", "expected one number per row");
            for (std::size_t i = 0; i < w.size(); ++i) b[i] = exact_number(L["bias"][i], file, at + ".bias[" + std::to_string(i) + "]");
        }
        (l == 0 ? p.w1 : p.w2) = std::move(w);
        (l == 0 ? p.b1 : p.b2) = std::move(b);
    }
    if (const std::string d = flow::params_defect(a, p); !d.empty()) fail("layers", d);
    return p;
}

flow::Params read_params(const std::string& path, const arch::Architecture& a) {
    return params_from_json(parse_json_strict(read_text_file(path, kMaxNetworkFileBytes), path), a, path);
}

json params_to_json(const flow::Params& p) {
    auto vec = [](const std::vector<Rational>& v) {
        json o = json::array();
        for (const Rational& x : v) o.push_back(x.to_string());
        return o;
    };
    auto mat = [&](const flow::RMatrix& m) {
        json o = json::array();
        for (const auto& r : m) o.push_back(vec(r));
        return o;
    };
    return {{"format", "closecert-params"}, {"version", 1},
            {"layers", {{{"weights", mat(p.w1)}, {"bias", vec(p.b1)}}, {{"weights", mat(p.w2)}, {"bias", vec(p.b2)}}}}};
}

json make_flow_certificate(const arch::Architecture& a, const flow::Params& init, const flow::Invariants& inv,
                           const flow::Params* target, const flow::Reach* reach, const flow::RMatrix* x, const flow::RMatrix* y,
                           const flow::MinimiserAnalysis* minimisers) {
    json cs = json::array(), split = json::array();
    for (std::size_t k = 0; k < inv.units.size(); ++k) {
        cs.push_back(inv.units[k].c.to_string());
        if (inv.units[k].split) split.push_back({{"unit", k}, {"side", inv.units[k].side}});
    }
    json claim = {{"invariants", cs}, {"split_units", split}, {"components", inv.components.to_string()},
                  {"components_up_to_symmetry", inv.components_up_to_symmetry.to_string()}};
    json cert = {{"format", "closecert-certificate"}, {"version", 1}, {"kind", "flow"},
                 {"architecture", architecture_to_json(a, true)}, {"init", params_to_json(init)}};
    if (target) {
        cert["target"] = params_to_json(*target);
        if (reach && reach->unreachable) claim["target"] = {{"reachable", false}, {"unit", reach->unit}, {"why", reach->why}};
        else claim["target"] = {{"reachable", "not excluded"}};
    }
    cert["proof"] = {{"rule", "conserved_quadrics"}};
    using MA = flow::MinimiserAnalysis::Answer;
    if (minimisers && minimisers->answer != MA::unknown && x && y) {
        auto strings = [](const std::vector<Rational>& v) {
            json a = json::array();
            for (const Rational& q : v) a.push_back(q.to_string());
            return a;
        };
        json xs = json::array(), ys = json::array();
        for (const auto& row : *x) xs.push_back(strings(row));
        for (const auto& row : *y) ys.push_back(strings(row));
        cert["data"] = {{"x", std::move(xs)}, {"y", std::move(ys)}};
        claim["minimisers"] = minimisers->answer == MA::unreachable ? "unreachable" : "in_component";
        const flow::Fit& f = minimisers->fit;
        json units = json::array();
        for (std::size_t k = 0; k < minimisers->units.size(); ++k)
            units.push_back({{"unit", minimisers->units[k]}, {"sigma", f.sigma[k]}, {"g", strings(f.g[k])}});
        json m = {{"fit", {{"units", std::move(units)}, {"beta", f.beta.to_string()}}}};
        if (minimisers->answer == MA::unreachable) {
            json patterns = json::array();
            for (const auto& unit : minimisers->patterns) {
                json list = json::array();
                for (const flow::Pattern& p : unit) {
                    json e = {{"sigma", p.sigma}, {"subset", p.subset}};
                    if (!p.kept) e["mu"] = strings(p.mu), e["nu"] = strings(p.nu);
                    list.push_back(std::move(e));
                }
                patterns.push_back(std::move(list));
            }
            json combos = json::array();
            for (const flow::Farkas& c : minimisers->combinations) combos.push_back({{"lambda", strings(c.lambda)}, {"mu", strings(c.mu)}});
            m["patterns"] = std::move(patterns);
            m["combinations"] = std::move(combos);
        }
        cert["proof"]["minimisers"] = std::move(m);
    }
    cert["claim"] = std::move(claim);
    return cert;
}

}  // namespace closecert::io
