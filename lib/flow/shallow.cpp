#include "flow/shallow.hpp"

#include <map>
#include <tuple>

namespace closecert::flow {

using core::Integer;
using core::Rational;

std::string params_defect(const arch::Architecture& a, const Params& p) {
    if (a.depth() != 2) return "flow needs one hidden layer (two layers), the architecture has " + std::to_string(a.depth());
    const arch::Mask& m1 = a.layers[0].mask;
    const arch::Mask& m2 = a.layers[1].mask;
    auto check = [](const RMatrix& w, const arch::Mask& m, const std::string& name) -> std::string {
        if (w.size() != m.rows()) return name + " has " + std::to_string(w.size()) + " rows, the mask " + std::to_string(m.rows());
        for (std::size_t i = 0; i < w.size(); ++i) {
            if (w[i].size() != m.cols()) return name + " row " + std::to_string(i) + " has " + std::to_string(w[i].size()) + " entries, the mask " + std::to_string(m.cols());
            for (std::size_t j = 0; j < w[i].size(); ++j)
                if (!m.at(i, j) && !w[i][j].is_zero()) return name + "[" + std::to_string(i) + "][" + std::to_string(j) + "] is not zero outside the mask";
        }
        return "";
    };
    if (std::string d = check(p.w1, m1, "layer 1 weights"); !d.empty()) return d;
    if (std::string d = check(p.w2, m2, "layer 2 weights"); !d.empty()) return d;
    if (p.b1.size() != m1.rows() || p.b2.size() != m2.rows()) return "one bias per unit expected";
    for (std::size_t i = 0; i < p.b1.size(); ++i)
        if (!a.layers[0].bias && !p.b1[i].is_zero()) return "layer 1 has no bias, but bias " + std::to_string(i) + " is not zero";
    for (std::size_t i = 0; i < p.b2.size(); ++i)
        if (!a.layers[1].bias && !p.b2[i].is_zero()) return "layer 2 has no bias, but bias " + std::to_string(i) + " is not zero";
    return "";
}

Invariants invariants(const arch::Architecture& a, const Params& p) {
    const arch::Mask& m1 = a.layers[0].mask;
    const arch::Mask& m2 = a.layers[1].mask;
    Invariants inv;
    std::map<std::tuple<std::vector<std::uint32_t>, std::vector<std::uint32_t>, Rational>, std::size_t> classes;
    std::vector<std::size_t> split_in_class;
    for (std::size_t k = 0; k < m1.rows(); ++k) {
        Unit u;
        const Rational* in_single = nullptr;
        const Rational* out_single = nullptr;
        for (std::size_t j = 0; j < m1.cols(); ++j)
            if (m1.at(k, j)) u.c += p.w1[k][j] * p.w1[k][j], ++u.p, in_single = &p.w1[k][j];
        if (a.layers[0].bias) u.c += p.b1[k] * p.b1[k], ++u.p, in_single = &p.b1[k];
        for (std::size_t i = 0; i < m2.rows(); ++i)
            if (m2.at(i, k)) u.c -= p.w2[i][k] * p.w2[i][k], ++u.q, out_single = &p.w2[i][k];
        if (u.c.sign() > 0 && u.p == 1) u.split = true, u.side = in_single->sign();
        if (u.c.sign() < 0 && u.q == 1) u.split = true, u.side = out_single->sign();
        const auto key = std::make_tuple(m1.row_support(k), m2.col_support(k), u.c);
        const auto it = classes.emplace(key, classes.size()).first;
        u.cls = it->second;
        if (split_in_class.size() <= u.cls) split_in_class.resize(u.cls + 1, 0);
        if (u.split) ++split_in_class[u.cls], ++inv.split_units;
        inv.units.push_back(std::move(u));
    }
    // Up to permuting interchangeable units, a class with s split units has s + 1 sign patterns
    // (how many of them are on the negative side).
    inv.components = Integer(1);
    for (std::size_t k = 0; k < inv.split_units; ++k) inv.components = inv.components * Integer(2);
    inv.components_up_to_symmetry = Integer(1);
    for (std::size_t s : split_in_class) inv.components_up_to_symmetry = inv.components_up_to_symmetry * Integer(static_cast<long>(s + 1));
    return inv;
}

Reach reach(const Invariants& init, const Invariants& target) {
    for (std::size_t k = 0; k < init.units.size(); ++k)
        if (init.units[k].c != target.units[k].c) return {true, k, "invariant"};
    for (std::size_t k = 0; k < init.units.size(); ++k)
        if (init.units[k].split && init.units[k].side != target.units[k].side) return {true, k, "side"};
    return {};
}

std::vector<Rational> gd_drift(const arch::Architecture& a, const Params& p, const RMatrix& x, const RMatrix& y,
                               const Rational& eta) {
    const std::size_t hidden = p.w1.size(), out = p.w2.size(), n = x.size();
    RMatrix gw1(hidden, std::vector<Rational>(x.empty() ? 0 : x[0].size())), gw2(out, std::vector<Rational>(hidden));
    std::vector<Rational> gb1(hidden);
    const Rational inv_n = Rational(1) / Rational(static_cast<long>(n));
    for (std::size_t s = 0; s < n; ++s) {
        std::vector<Rational> z(hidden), h(hidden), r(out);
        for (std::size_t k = 0; k < hidden; ++k) {
            z[k] = p.b1[k];
            for (std::size_t j = 0; j < x[s].size(); ++j) z[k] += p.w1[k][j] * x[s][j];
            h[k] = z[k].sign() > 0 ? z[k] : Rational(0);
        }
        for (std::size_t i = 0; i < out; ++i) {
            r[i] = p.b2[i] - y[s][i];
            for (std::size_t k = 0; k < hidden; ++k) r[i] += p.w2[i][k] * h[k];
            r[i] *= inv_n;  // dL/dF_i for this sample
        }
        for (std::size_t k = 0; k < hidden; ++k) {
            Rational back;  // dL/dz_k
            for (std::size_t i = 0; i < out; ++i) {
                if (a.layers[1].mask.at(i, k)) gw2[i][k] += r[i] * h[k];
                back += r[i] * p.w2[i][k];
            }
            if (z[k].sign() <= 0) continue;
            for (std::size_t j = 0; j < x[s].size(); ++j)
                if (a.layers[0].mask.at(k, j)) gw1[k][j] += back * x[s][j];
            if (a.layers[0].bias) gb1[k] += back;
        }
    }
    std::vector<Rational> drift(hidden);
    for (std::size_t k = 0; k < hidden; ++k) {
        Rational d = gb1[k] * gb1[k];
        for (const Rational& g : gw1[k]) d += g * g;
        for (std::size_t i = 0; i < out; ++i) d -= gw2[i][k] * gw2[i][k];
        drift[k] = eta * eta * d;
    }
    return drift;
}

}  // namespace closecert::flow
