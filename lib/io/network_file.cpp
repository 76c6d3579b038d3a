#include "io/network_file.hpp"

#include <cmath>
#include <limits>

#include "io/atomic_file.hpp"
#include "io/errors.hpp"
#include "io/json_reader.hpp"

namespace closecert::io {

using core::Integer;
using core::Rational;
using fixed::Activation;
using nlohmann::json;

namespace {

// The exact value of a finite double: mantissa * 2^exponent.
Rational from_double(double d) {
    int e = 0;
    const double m = std::frexp(d, &e);  // d = m * 2^e, 0.5 <= |m| < 1
    const auto scaled = static_cast<long long>(std::ldexp(m, 53));
    Rational r(Integer(scaled), Integer(1));
    const int shift = e - 53;
    Rational two(2), p(1);
    for (int k = 0; k < std::abs(shift); ++k) p *= two;
    return shift >= 0 ? r * p : r / p;
}

// "-12.0625" -> -193/16; digits only around one optional point.
std::optional<Rational> parse_decimal(const std::string& s) {
    std::size_t k = s[0] == '-' ? 1 : 0;
    std::string digits;
    std::size_t point = std::string::npos, frac = 0;
    for (; k < s.size(); ++k) {
        if (s[k] == '.' && point == std::string::npos) point = k;
        else if (s[k] >= '0' && s[k] <= '9') digits += s[k], frac += point != std::string::npos;
        else return std::nullopt;
    }
    if (digits.empty() || point == s.size() - 1 || point == (s[0] == '-' ? 1u : 0u)) return std::nullopt;
    Rational r = Rational::parse((s[0] == '-' ? "-" : "") + digits);
    for (std::size_t f = 0; f < frac; ++f) r /= Rational(10);
    return r;
}

struct Reader {
    std::string file;

    [[noreturn]] void fail(const std::string& place, const std::string& message) const { throw InputError(file, place, message); }

    Rational number(const json& v, const std::string& place) const {
        if (v.is_number_integer()) return v.is_number_unsigned() ? Rational::parse(std::to_string(v.get<unsigned long long>()))
                                                                : Rational(v.get<long>());
        if (v.is_number_float()) {
            const double d = v.get<double>();
            if (!std::isfinite(d)) fail(place, "not a finite number");
            return from_double(d);
        }
        if (!v.is_string()) fail(place, "expected a number, or a string \"p/q\" or \"0.25\"");
        const std::string s = v.get<std::string>();
        if (s.size() > 4096) fail(place, "number longer than 4096 characters");
        if (s.find('.') != std::string::npos) {
            if (auto r = parse_decimal(s)) return *r;
            fail(place, "'" + s + "' is not a decimal number");
        }
        try {
            return Rational::parse(s);
        } catch (const std::exception&) {
            fail(place, "'" + s + "' is not a rational \"p\" or \"p/q\"");
        }
    }

    const json& field(const json& obj, const char* key, const std::string& place) const {
        if (!obj.contains(key)) fail(place, std::string("missing \"") + key + "\"");
        return obj[key];
    }
};

}  // namespace

Rational exact_number(const json& v, const std::string& file, const std::string& place) { return Reader{file}.number(v, place); }

fixed::Network network_from_json(const json& j, const std::string& file) {
    const Reader rd{file};
    if (!j.is_object()) rd.fail("", "expected a JSON object");
    for (const auto& [key, v] : j.items())
        if (key != "format" && key != "version" && key != "name" && key != "layers")
            rd.fail(key, "unknown key (expected format, version, name, layers)");
    if (!j.contains("format") || j["format"] != "closecert-network") rd.fail("format", "expected \"closecert-network\"");
    if (!j.contains("version") || j["version"] != 1) rd.fail("version", "expected 1");
    fixed::Network n;
    if (j.contains("name")) {
        if (!j["name"].is_string()) rd.fail("name", "expected a string");
        n.name = j["name"].get<std::string>();
    }
    const json& layers = rd.field(j, "layers", "");
    if (!layers.is_array() || layers.empty()) rd.fail("layers", "expected a non-empty array");
    if (layers.size() > kMaxNetworkLayers) rd.fail("layers", "more than " + std::to_string(kMaxNetworkLayers) + " layers");
    for (std::size_t l = 0; l < layers.size(); ++l) {
        const std::string at = "layers[" + std::to_string(l) + "]";
        const json& L = layers[l];
        if (!L.is_object()) rd.fail(at, "expected an object");
        for (const auto& [key, v] : L.items())
            if (key != "weights" && key != "bias" && key != "activation" && key != "slope")
                rd.fail(at + "." + key, "unknown key (expected weights, bias, activation, slope)");
        fixed::DenseLayer d;
        const json& w = rd.field(L, "weights", at);
        if (!w.is_array() || w.empty() || w.size() > kMaxNetworkWidth)
            rd.fail(at + ".weights", "expected 1 to " + std::to_string(kMaxNetworkWidth) + " rows");
        for (std::size_t i = 0; i < w.size(); ++i) {
            const std::string ri = at + ".weights[" + std::to_string(i) + "]";
            if (!w[i].is_array() || w[i].size() > kMaxNetworkWidth) rd.fail(ri, "expected a row of numbers");
            std::vector<Rational> row;
            for (std::size_t k = 0; k < w[i].size(); ++k) row.push_back(rd.number(w[i][k], ri + "[" + std::to_string(k) + "]"));
            d.weights.push_back(std::move(row));
        }
        if (L.contains("bias")) {
            const json& b = L["bias"];
            if (!b.is_array()) rd.fail(at + ".bias", "expected an array of numbers");
            for (std::size_t i = 0; i < b.size(); ++i) d.bias.push_back(rd.number(b[i], at + ".bias[" + std::to_string(i) + "]"));
        } else {
            d.bias.assign(d.weights.size(), Rational(0));
        }
        const json& act = rd.field(L, "activation", at);
        const auto a = act.is_string() ? fixed::activation_from_name(act.get<std::string>()) : std::nullopt;
        if (!a) rd.fail(at + ".activation", "expected one of identity, relu, leaky_relu, hardtanh, logistic, tanh, arctan, softplus");
        d.activation = *a;
        if (L.contains("slope") && d.activation != Activation::leaky_relu)
            rd.fail(at + ".slope", "only leaky_relu has a slope");
        d.slope = d.activation == Activation::leaky_relu ? (L.contains("slope") ? rd.number(L["slope"], at + ".slope") : Rational(1) / Rational(100))
                                                         : Rational(0);
        n.layers.push_back(std::move(d));
    }
    if (const std::string defect = fixed::shape_defect(n); !defect.empty()) rd.fail("layers", defect);
    return n;
}

fixed::Network read_network(const std::string& path) {
    const std::string name = path == "-" ? "(stdin)" : path;
    return network_from_json(parse_json_strict(read_text_file(path, kMaxNetworkFileBytes), name), name);
}

json network_to_json(const fixed::Network& n) {
    json layers = json::array();
    for (const fixed::DenseLayer& d : n.layers) {
        json w = json::array(), b = json::array();
        for (const auto& row : d.weights) {
            json r = json::array();
            for (const Rational& x : row) r.push_back(x.to_string());
            w.push_back(std::move(r));
        }
        for (const Rational& x : d.bias) b.push_back(x.to_string());
        json L = {{"weights", std::move(w)}, {"bias", std::move(b)}, {"activation", fixed::activation_name(d.activation)}};
        if (d.activation == Activation::leaky_relu) L["slope"] = d.slope.to_string();
        layers.push_back(std::move(L));
    }
    return {{"format", "closecert-network"}, {"version", 1}, {"name", n.name}, {"layers", std::move(layers)}};
}

json components_to_json(const std::vector<fixed::Component>& cs) {
    json out = json::array();
    auto end = [](const std::optional<Rational>& x) { return x ? json(x->to_string()) : json(nullptr); };
    for (const fixed::Component& c : cs) {
        if (c.isolating) out.push_back({{"isolated", {c.lo->to_string(), c.hi->to_string()}}});
        else if (c.point()) out.push_back({{"point", c.lo->to_string()}});
        else out.push_back({{"interval", {end(c.lo), end(c.hi)}}});
    }
    return out;
}

json make_fixed_certificate(const fixed::Network& n, const fixed::FixedResult& r) {
    if (!r.decided) throw std::invalid_argument("make_fixed_certificate: the fixed points are not decided");
    json proof;
    if (r.rule == "interval_newton") {
        json cells = json::array();
        for (const fixed::SearchCell& c : r.cells) cells.push_back({c.lo.to_string(), c.hi.to_string(), c.verdict});
        proof = {{"rule", "interval_newton"}, {"domain", {r.domain_lo.to_string(), r.domain_hi.to_string()}},
                 {"bounded_layer", r.bounded_layer}, {"cells", std::move(cells)}};
    } else {
        json partition = json::array();
        for (const Rational& x : r.partition) partition.push_back(x.to_string());
        proof = {{"rule", "pwl_partition"}, {"partition", std::move(partition)}};
    }
    return {{"format", "closecert-certificate"}, {"version", 1}, {"kind", "fixed"}, {"network", network_to_json(n)},
            {"claim", {{"fixed_points", components_to_json(r.components)}}}, {"proof", std::move(proof)}};
}

json make_classf_certificate(const fixed::ClassFQuery& q, const fixed::ClassFResult& r) {
    using V = fixed::ClassFResult::Verdict;
    if (r.verdict == V::unknown) throw std::invalid_argument("make_classf_certificate: the answer is unknown");
    json function = {{"name", fixed::function_name(q.function)}};
    if (q.function == fixed::Function::leaky_relu) function["slope"] = q.slope.to_string();
    json proof;
    if (r.verdict == V::member) {
        json cells = json::array();
        for (const Rational& p : r.cells) cells.push_back(p.to_string());
        proof = {{"rule", "schwarzian_cells"}, {"cells", std::move(cells)}};
    } else {
        proof = {{"rule", "chi_point"}, {"x", r.x.to_string()}, {"y", r.y.to_string()}};
    }
    return {{"format", "closecert-certificate"}, {"version", 1}, {"kind", "classf"}, {"function", std::move(function)},
            {"box", {q.lo.to_string(), q.hi.to_string()}}, {"claim", r.verdict == V::member ? "member" : "not_member"},
            {"proof", std::move(proof)}};
}

}  // namespace closecert::io
