// The network of a kind "fixed" certificate or network file, parsed independently of the engine.
#include "fixed.hpp"

#include <cmath>

namespace verify {

namespace {

// A number of a network file: "p", "p/q", a decimal string, a JSON integer or a JSON float (its
// exact binary value). In certificates only the strings "p" and "p/q".
Rational file_number(const json& v, const std::string& path) {
    if (v.is_number_integer()) return v.is_number_unsigned() ? Rational(Integer(v.get<std::uint64_t>())) : Rational(v.get<std::int64_t>());
    if (v.is_number_float()) {
        const double d = v.get<double>();
        if (!std::isfinite(d)) throw Reject(path, "not a finite number");
        int e = 0;
        const double m = std::frexp(d, &e);
        Rational r(Integer(static_cast<long long>(std::ldexp(m, 53))));
        const int shift = e - 53;
        const Integer p = Integer(1) << std::abs(shift);
        return shift >= 0 ? Rational(r * p) : Rational(r / p);
    }
    const std::string s = str(v, path);
    const auto point = s.find('.');
    if (point == std::string::npos) return rational(v, path);
    std::string digits = s.substr(0, point) + s.substr(point + 1);
    const bool neg = !digits.empty() && digits[0] == '-';
    if (neg) digits.erase(0, 1);
    const std::size_t frac = s.size() - point - 1;
    if (frac == 0 || point == (neg ? 1u : 0u) || s.size() > kMaxRationalChars) throw Reject(path, "not a decimal \"" + s + "\"");
    const auto first = digits.find_first_not_of('0');
    const Rational r = rational(json(first == std::string::npos ? "0" : digits.substr(first)), path) /
                       Rational(pow(Integer(10), static_cast<unsigned>(frac)));
    return neg ? Rational(-r) : r;
}

}  // namespace

bool piecewise_linear(Act a) { return a == Act::identity || a == Act::relu || a == Act::leaky_relu || a == Act::hardtanh; }

Net parse_net(const json& v, const std::string& path, bool file_form) {
    if (!v.is_object() || !has(v, "format") || v["format"] != "closecert-network") throw Reject(path, "not a closecert-network");
    if (!has(v, "version") || v["version"] != 1) throw Reject(at(path, "version"), "expected 1");
    Net n;
    if (has(v, "name")) n.name = str(v["name"], at(path, "name"));
    const json& layers = array(field(v, "layers", path), at(path, "layers"));
    if (layers.empty() || layers.size() > kMaxLayers) throw Reject(at(path, "layers"), "expected 1 to 64 layers");
    std::size_t width = 1;
    for (std::size_t l = 0; l < layers.size(); ++l) {
        const std::string lp = at(at(path, "layers"), l);
        const json& L = layers[l];
        FixedLayer out;
        const std::string a = str(field(L, "activation", lp), at(lp, "activation"));
        if (a == "identity") out.act = Act::identity;
        else if (a == "relu") out.act = Act::relu;
        else if (a == "leaky_relu") out.act = Act::leaky_relu;
        else if (a == "hardtanh") out.act = Act::hardtanh;
        else if (a == "logistic") out.act = Act::logistic;
        else if (a == "tanh") out.act = Act::tanh;
        else if (a == "arctan") out.act = Act::arctan;
        else if (a == "softplus") out.act = Act::softplus;
        else throw Reject(at(lp, "activation"), "unknown activation '" + a + "'");
        auto num = [&](const json& x, const std::string& p) { return file_form ? file_number(x, p) : rational(x, p); };
        // The default slope 1/100 (torch's) is for network files; a certificate states it.
        if (out.act == Act::leaky_relu && !file_form) out.slope = num(field(L, "slope", lp), at(lp, "slope"));
        else if (out.act == Act::leaky_relu) out.slope = has(L, "slope") ? num(L["slope"], at(lp, "slope")) : Rational(1, 100);
        else if (has(L, "slope")) throw Reject(at(lp, "slope"), "only leaky_relu has a slope");
        const json& w = array(field(L, "weights", lp), at(lp, "weights"));
        if (w.empty() || w.size() > kMaxWidth) throw Reject(at(lp, "weights"), "expected 1 to 4096 rows");
        for (std::size_t i = 0; i < w.size(); ++i) {
            const std::string rp = at(at(lp, "weights"), i);
            const json& row = array(w[i], rp);
            if (row.size() != width) throw Reject(rp, "has " + std::to_string(row.size()) + " entries, expected " + std::to_string(width));
            out.w.emplace_back();
            for (std::size_t j = 0; j < row.size(); ++j) out.w.back().push_back(num(row[j], at(rp, j)));
        }
        if (has(L, "bias")) {
            const json& b = array(L["bias"], at(lp, "bias"));
            if (b.size() != w.size()) throw Reject(at(lp, "bias"), "one bias per unit expected");
            for (std::size_t i = 0; i < b.size(); ++i) out.b.push_back(num(b[i], at(at(lp, "bias"), i)));
        } else if (!file_form) {
            throw Reject(at(lp, "bias"), "missing");
        } else {
            out.b.assign(w.size(), Rational(0));
        }
        width = w.size();
        n.layers.push_back(std::move(out));
    }
    if (width != 1) throw Reject(at(path, "layers"), "the last layer must have one unit");
    return n;
}


}  // namespace verify
