// Architecture parsing (string masks, sparse "ones" and "full" masks; 0/1 lists in architecture
// files) and variables.
#include "arch.hpp"

namespace verify {

static Arch::Mask parse_mask(const json& m, std::size_t cols, const std::string& path, bool file_forms) {
    Arch::Mask rows;
    if (m.is_object() && file_forms && m.contains("npy"))
        throw InputError(path + ": npy masks are not supported by the checker");
    if (m.is_object()) {
        const json& shape = array(field(m, "shape", path), at(path, "shape"));
        if (shape.size() != 2) throw Reject(at(path, "shape"), "expected [rows, cols]");
        long r = integer(shape[0], at(at(path, "shape"), 0), 1, kMaxWidth);
        long c = integer(shape[1], at(at(path, "shape"), 1), 0, kMaxWidth);
        if (static_cast<std::size_t>(c) != cols) throw Reject(at(path, "shape"), "column count is not the previous layer's width");
        rows.assign(r, {});
        if (m.contains("full")) {  // every entry a one: the compact form of a dense layer
            if (m.contains("ones") || m["full"] != true) throw Reject(at(path, "full"), "expected \"full\": true and no \"ones\"");
            if (static_cast<std::size_t>(r) * static_cast<std::size_t>(c) > kMaxMaskEntries)
                throw Reject(path, "more ones than the checker's limit");
            for (auto& row : rows)
                for (long j = 0; j < c; ++j) row.push_back(static_cast<std::uint32_t>(j));
            return rows;
        }
        const json& ones = array(field(m, "ones", path), at(path, "ones"));
        if (ones.size() > kMaxMaskEntries) throw Reject(at(path, "ones"), "more ones than the checker's limit");
        for (std::size_t k = 0; k < ones.size(); ++k) {
            std::string op = at(at(path, "ones"), k);
            if (!ones[k].is_array() || ones[k].size() != 2) throw Reject(op, "expected [row, col]");
            long i = integer(ones[k][0], op, 0, r - 1), j = integer(ones[k][1], op, 0, c - 1);
            rows[i].push_back(static_cast<std::uint32_t>(j));
        }
        for (std::size_t i = 0; i < rows.size(); ++i) {
            std::sort(rows[i].begin(), rows[i].end());
            if (std::adjacent_find(rows[i].begin(), rows[i].end()) != rows[i].end())
                throw Reject(at(path, "ones"), "position (" + std::to_string(i) + ", " + std::to_string(*std::adjacent_find(rows[i].begin(), rows[i].end())) + ") listed twice");
        }
        return rows;
    }
    const json& a = array(m, path);
    if (a.empty() || a.size() > kMaxWidth) throw Reject(path, "a layer needs between 1 and 4096 units");
    for (std::size_t i = 0; i < a.size(); ++i) {
        if (file_forms && a[i].is_array()) {  // a row as a list of 0/1, as architecture files allow
            const json& e = a[i];
            if (e.size() != cols) throw Reject(at(path, i), "row length is not the previous layer's width");
            auto& r = rows.emplace_back();
            for (std::size_t j = 0; j < e.size(); ++j) {
                if ((e[j].is_number_integer() && e[j] == 1) || e[j] == true) r.push_back(static_cast<std::uint32_t>(j));
                else if (!((e[j].is_number_integer() && e[j] == 0) || e[j] == false)) throw Reject(at(at(path, i), j), "mask entries are 0 or 1");
            }
            continue;
        }
        std::string row = str(a[i], at(path, i));
        if (row.size() != cols) throw Reject(at(path, i), "row length is not the previous layer's width");
        if (row.find_first_not_of("01") != std::string::npos) throw Reject(at(path, i), "mask rows use only '0' and '1'");
        auto& r = rows.emplace_back();
        for (std::size_t j = 0; j < row.size(); ++j)
            if (row[j] == '1') r.push_back(static_cast<std::uint32_t>(j));
    }
    return rows;
}

Arch parse_arch(const json& v, const std::string& path, bool file_forms) {
    if (!v.is_object()) throw InputError(path + ": architecture is not a JSON object");
    if (!v.contains("format") || v["format"] != "closecert-architecture")
        throw InputError(path + ": format is not \"closecert-architecture\"");
    if (!v.contains("version") || v["version"] != 1) throw InputError(path + ": unsupported architecture version");
    Arch a;
    if (has(v, "name")) a.name = str(v["name"], at(path, "name"));
    a.input_dim = integer(field(v, "input_dim", path), at(path, "input_dim"), 1, kMaxWidth);
    const json& layers = array(field(v, "layers", path), at(path, "layers"));
    if (layers.empty() || layers.size() > kMaxLayers) throw Reject(at(path, "layers"), "between 1 and 64 layers");
    std::size_t entries = 0;
    for (std::size_t l = 0; l < layers.size(); ++l) {
        std::string lp = at(at(path, "layers"), l);
        std::size_t cols = a.width(l);
        a.ones.push_back(parse_mask(field(layers[l], "mask", lp), cols, at(lp, "mask"), file_forms));
        entries += a.nonzeros(l + 1);
        if (entries > kMaxMaskEntries) throw Reject(lp, "masks with more ones than the checker's limit");
        // Biases are free unless the architecture says a layer has none.
        a.bias.push_back(has(layers[l], "bias") ? boolean(layers[l]["bias"], at(lp, "bias")) : true);
    }
    return a;
}

std::string arch_difference(const Arch& a, const Arch& b) {
    if (a.input_dim != b.input_dim) return "input dimensions differ";
    if (a.depth() != b.depth()) return "depths differ";
    for (std::size_t l = 1; l <= a.depth(); ++l) {
        if (a.ones[l - 1] != b.ones[l - 1]) return "masks of layer " + std::to_string(l) + " differ";
        if (a.bias[l - 1] != b.bias[l - 1]) return "bias flags of layer " + std::to_string(l) + " differ";
    }
    return "";
}

// Canonical decimal (no sign, no leading zero) below `bound`; -1 otherwise.
static long index_below(const std::string& s, std::size_t bound) {
    if (s.empty() || s.size() > 6 || (s.size() > 1 && s[0] == '0')) return -1;
    long v = 0;
    for (char c : s) {
        if (c < '0' || c > '9') return -1;
        v = 10 * v + (c - '0');
    }
    return static_cast<std::size_t>(v) < bound ? v : -1;
}

Var parse_var(const std::string& name, const Arch& a, const std::string& path) {
    auto u1 = name.find('_'), u2 = name.find('_', u1 == std::string::npos ? u1 : u1 + 1);
    if (name.size() < 6 || name[0] != 'w' || u1 == std::string::npos || u2 == std::string::npos)
        throw Reject(path, "not a weight variable \"" + name + "\"");
    long l = index_below(name.substr(1, u1 - 1), a.depth() + 1);
    long i = l < 1 ? -1 : index_below(name.substr(u1 + 1, u2 - u1 - 1), a.width(l));
    long j = i < 0 ? -1 : index_below(name.substr(u2 + 1), a.width(l - 1));
    if (j < 0 || !a.at(l, i, j)) throw Reject(path, "\"" + name + "\" is not a weight variable of the architecture");
    return make_var(l, i, j);
}

Poly parse_poly(const json& v, const Arch& a, const std::string& path) {
    Poly p;
    const json& terms = array(v, path);
    if (terms.size() > kMaxTerms) throw Reject(path, "polynomial with more terms than the checker's limit");
    for (std::size_t k = 0; k < terms.size(); ++k) {
        std::string tp = at(path, k);
        if (!terms[k].is_array() || terms[k].size() != 2 || !terms[k][1].is_object())
            throw Reject(tp, "expected [coef, {variable: exponent}]");
        Rational c = rational(terms[k][0], at(tp, 0));
        std::map<Var, int> powers;  // sorts the monomial
        for (const auto& [name, e] : terms[k][1].items())
            powers[parse_var(name, a, at(tp, 1))] = integer(e, at(at(tp, 1), name), 1, kMaxExponent);
        add_term(p, Monomial(powers.begin(), powers.end()), c);
    }
    return p;
}

}  // namespace verify
