#include "relu/linear_witness.hpp"

#include <climits>

namespace closecert::relu {

using nlohmann::json;
using core::LaurentPoly;
using core::Rational;

namespace {

std::string at(const std::string& place, const std::string& key) { return place + "." + key; }
std::string at(const std::string& place, std::size_t k) { return place + "[" + std::to_string(k) + "]"; }

const json& required(const json& obj, const std::string& key, const std::string& place) {
    if (!obj.is_object()) throw WitnessError(place, "expected an object");
    auto it = obj.find(key);
    if (it == obj.end()) throw WitnessError(place, "missing key \"" + key + "\"");
    return *it;
}

const json& array(const json& v, const std::string& place) {
    if (!v.is_array()) throw WitnessError(place, "expected an array");
    return v;
}

long integer(const json& v, const std::string& place, long lo, long hi) {
    if (!v.is_number_integer()) throw WitnessError(place, "expected an integer");
    long x = v.get<long>();
    if (v.is_number_unsigned() && v.get<unsigned long>() > static_cast<unsigned long>(LONG_MAX))
        throw WitnessError(place, "integer out of range");
    if (x < lo || x > hi) throw WitnessError(place, "integer " + std::to_string(x) + " out of range");
    return x;
}

Rational rational(const json& v, const std::string& place) {
    if (!v.is_string()) throw WitnessError(place, "expected a rational string \"p\" or \"p/q\"");
    try {
        return Rational::parse(v.get<std::string>());
    } catch (const std::exception& e) {
        throw WitnessError(place, "not a rational: \"" + v.get<std::string>() + "\"");
    }
}

}  // namespace

LaurentPoly laurent_from_json(const json& v, const std::string& place) {
    LaurentPoly p;
    const json& terms = array(v, place);
    for (std::size_t k = 0; k < terms.size(); ++k) {
        const std::string tp = at(place, k);
        if (!terms[k].is_array() || terms[k].size() != 2) throw WitnessError(tp, "expected [coef, exponent]");
        // Exponents stay far from int overflow in later products.
        int e = static_cast<int>(integer(terms[k][1], at(tp, 1), -(1L << 20), 1L << 20));
        p += LaurentPoly(rational(terms[k][0], at(tp, 0)), e);
    }
    return p;
}

json laurent_to_json(const LaurentPoly& p) {
    json out = json::array();
    for (const auto& [e, c] : p.terms()) out.push_back(json::array({c.to_string(), e}));
    return out;
}

json entries_to_json(const LaurentMatrix& m) {
    json out = json::array();
    for (const auto& [cell, v] : m)
        out.push_back(json{{"row", cell.first}, {"col", cell.second}, {"value", laurent_to_json(v)}});
    return out;
}

LinearWitness parse_linear_witness(const json& linear, const arch::Architecture& a) {
    LinearWitness w;
    const std::size_t L = a.depth();
    const json& fam = array(required(linear, "family", "linear"), "family");
    w.family.assign(L, {});
    std::vector<bool> listed(L, false);
    for (std::size_t k = 0; k < fam.size(); ++k) {
        const std::string fp = at("family", k);
        const std::size_t l = static_cast<std::size_t>(integer(required(fam[k], "layer", fp), at(fp, "layer"), 1, static_cast<long>(L)));
        if (listed[l - 1]) throw WitnessError(at(fp, "layer"), "layer " + std::to_string(l) + " listed twice");
        listed[l - 1] = true;
        const arch::Mask& mask = a.layers[l - 1].mask;
        const std::string ep = at(fp, "entries");
        const json& entries = array(required(fam[k], "entries", fp), ep);
        for (std::size_t e = 0; e < entries.size(); ++e) {
            const std::string p = at(ep, e);
            const auto i = static_cast<std::size_t>(integer(required(entries[e], "row", p), at(p, "row"), 0, static_cast<long>(mask.rows()) - 1));
            const auto j = static_cast<std::size_t>(integer(required(entries[e], "col", p), at(p, "col"), 0, static_cast<long>(mask.cols()) - 1));
            if (!mask.at(i, j)) throw WitnessError(p, "position (" + std::to_string(i) + ", " + std::to_string(j) + ") is outside layer " + std::to_string(l) + "'s mask");
            LaurentPoly v = laurent_from_json(required(entries[e], "value", p), at(p, "value"));
            if (w.family[l - 1].count({i, j})) throw WitnessError(p, "position listed twice");
            if (!v.is_zero()) w.family[l - 1].emplace(Cell{i, j}, std::move(v));
        }
    }
    for (std::size_t l = 1; l <= L; ++l)
        if (!listed[l - 1]) throw WitnessError("family", "layer " + std::to_string(l) + " is not listed");
    w.family_json = fam;
    w.limit = parse_limit(linear, a.output_dim(), a.input_dim);
    return w;
}

RationalMatrix parse_limit(const json& linear, std::size_t rows, std::size_t cols) {
    RationalMatrix limit;
    const json& lim = array(required(linear, "limit", "linear"), "limit");
    for (std::size_t k = 0; k < lim.size(); ++k) {
        const std::string p = at("limit", k);
        const auto i = static_cast<std::size_t>(integer(required(lim[k], "row", p), at(p, "row"), 0, static_cast<long>(rows) - 1));
        const auto j = static_cast<std::size_t>(integer(required(lim[k], "col", p), at(p, "col"), 0, static_cast<long>(cols) - 1));
        if (limit.count({i, j})) throw WitnessError(p, "position listed twice");
        Rational v = rational(required(lim[k], "value", p), at(p, "value"));
        if (!v.is_zero()) limit.emplace(Cell{i, j}, std::move(v));
    }
    return limit;
}

LaurentMatrix product(const std::vector<LaurentMatrix>& family) {
    if (family.empty()) return {};
    LaurentMatrix acc = family.front();
    for (std::size_t l = 1; l < family.size(); ++l) {
        LaurentMatrix next;
        // (W_l acc)_{ij} = sum_k W_l(i,k) acc(k,j); index acc by row for the inner loop.
        std::multimap<std::size_t, std::pair<std::size_t, const LaurentPoly*>> by_row;
        for (const auto& [cell, v] : acc) by_row.emplace(cell.first, std::make_pair(cell.second, &v));
        for (const auto& [cell, w] : family[l]) {
            auto [lo, hi] = by_row.equal_range(cell.second);
            for (auto it = lo; it != hi; ++it) next[{cell.first, it->second.first}] += w * *it->second.second;
        }
        std::erase_if(next, [](const auto& kv) { return kv.second.is_zero(); });
        acc = std::move(next);
    }
    return acc;
}

int ord(const LaurentPoly& p) { return p.min_exponent(); }

Rational mass(const LaurentPoly& p) {
    Rational m;
    for (const auto& [e, c] : p.terms()) m += c.abs();
    return m;
}

Rational rational_pow(const Rational& t, int e) {
    Rational base = e < 0 ? t.inverse() : t;
    Rational r(1);
    for (long k = e < 0 ? -static_cast<long>(e) : e; k; k >>= 1) {
        if (k & 1) r *= base;
        if (k > 1) base *= base;
    }
    return r;
}

Rational evaluate(const LaurentPoly& p, const Rational& t) {
    Rational s;
    for (const auto& [e, c] : p.terms()) s += c * rational_pow(t, e);
    return s;
}

}  // namespace closecert::relu
