#include "relu/transfer.hpp"

#include <algorithm>
#include <random>
#include <set>

#include <flint/fmpz.h>

namespace closecert::relu {

using nlohmann::json;
using core::Integer;
using core::LaurentPoly;
using core::Rational;

namespace {

Rational floor_of(const Rational& r) {
    Integer q;
    fmpz_fdiv_q(q.raw(), r.numerator().raw(), r.denominator().raw());
    return Rational(q);
}

void check_exponents(const LaurentPoly& p, const std::string& what) {
    if (p.is_zero()) return;
    if (p.min_exponent() < -kMaxCertificateExponent || p.max_exponent() > kMaxCertificateExponent)
        throw LiftError(what + " has an exponent beyond the certificate limit " + std::to_string(kMaxCertificateExponent));
}

// Width of layer l (l = 0: inputs) from the family's shapes is not recoverable when rows are
// empty, so the architecture's widths are carried along in the bias vectors.
std::size_t width(const LiftedNetwork& n, std::size_t l) { return l == 0 ? n.input_dim : n.bias[l - 1].size(); }

}  // namespace

LiftedNetwork lift(const arch::Architecture& a, const LinearWitness& w) {
    const std::size_t L = a.depth();
    if (L == 0 || w.family.size() != L) throw LiftError("the family does not have one matrix per layer");
    for (std::size_t l = 1; l <= L; ++l)
        if (!a.layers[l - 1].bias) throw LiftError("layer " + std::to_string(l) + " has no bias");
    LiftedNetwork n;
    n.input_dim = a.input_dim;
    n.weights = w.family;
    n.limit = w.limit;
    n.bias.resize(L);

    // Bounds |h_v| <= U_v t^(-q_v) on the cube for the previous layer's outputs.
    std::vector<Rational> U(a.input_dim, Rational(1));
    std::vector<int> q(a.input_dim, 0);
    std::vector<LaurentPoly> constant(a.input_dim);  // constant part of the previous layer's output
    for (std::size_t l = 1; l <= L; ++l) {
        const std::size_t N = a.width(l);
        std::vector<LaurentPoly> c(N);
        for (const auto& [cell, wt] : n.weights[l - 1]) c[cell.first] += wt * constant[cell.second];
        if (l == L) {
            // Output bias: minus the accumulated constant, so f_t(x) = P(t) x exactly.
            for (std::size_t u = 0; u < N; ++u) {
                n.bias[l - 1].push_back(-c[u]);
                check_exponents(n.bias[l - 1].back(), "the bias of output " + std::to_string(u));
            }
            break;
        }
        std::vector<int> q2(N, 0);
        std::vector<Rational> sum(N);
        for (const auto& [cell, wt] : n.weights[l - 1]) {
            auto [u, v] = cell;
            q2[u] = std::max(q2[u], q[v] - ord(wt));
            sum[u] += mass(wt) * U[v];
        }
        std::vector<Rational> U2(N);
        for (std::size_t u = 0; u < N; ++u) {
            if (q2[u] > kMaxCertificateExponent)
                throw LiftError("the bias of layer " + std::to_string(l) + " unit " + std::to_string(u) +
                                " needs t^-" + std::to_string(q2[u]) + ", beyond the certificate limit");
            Rational beta = floor_of(sum[u]) + Rational(1);
            LaurentPoly b(beta, -q2[u]);
            c[u] += b;
            n.bias[l - 1].push_back(std::move(b));
            U2[u] = beta + sum[u];
        }
        U = std::move(U2);
        q = std::move(q2);
        constant = std::move(c);
    }

    n.product = product(n.weights);
    std::set<Cell> cells;
    for (const auto& [cell, p] : n.product) cells.insert(cell);
    for (const auto& [cell, v] : n.limit) cells.insert(cell);
    std::vector<Rational> row(a.output_dim());
    for (const Cell& cell : cells) {
        LaurentPoly d = n.product.count(cell) ? n.product.at(cell) : LaurentPoly();
        if (n.limit.count(cell)) d -= LaurentPoly::constant(n.limit.at(cell));
        if (d.is_zero()) continue;
        if (d.min_exponent() < 1)
            throw LiftError("P(t) does not tend to A: entry (" + std::to_string(cell.first) + ", " +
                            std::to_string(cell.second) + ") of P(t) - A is " + d.to_string());
        row[cell.first] += mass(d);
    }
    for (const Rational& r : row) n.error_bound = std::max(n.error_bound, r);
    return n;
}

Evaluation evaluate(const LiftedNetwork& n, const Rational& t, const std::vector<Rational>& x) {
    Evaluation ev;
    std::vector<Rational> h = x;
    const std::size_t L = n.weights.size();
    for (std::size_t l = 1; l <= L; ++l) {
        std::vector<Rational> z(width(n, l));
        for (std::size_t u = 0; u < z.size(); ++u) z[u] = relu::evaluate(n.bias[l - 1][u], t);
        for (const auto& [cell, wt] : n.weights[l - 1]) z[cell.first] += relu::evaluate(wt, t) * h[cell.second];
        if (l < L) {
            for (auto& v : z) {
                if (!ev.has_hidden || v < ev.min_preactivation) ev.min_preactivation = v;
                ev.has_hidden = true;
                if (v.sign() < 0) v = Rational();
            }
        }
        h = std::move(z);
    }
    ev.output = std::move(h);
    return ev;
}

std::vector<Rational> apply(const LaurentMatrix& m, std::size_t rows, const Rational& t, const std::vector<Rational>& x) {
    std::vector<Rational> y(rows);
    for (const auto& [cell, p] : m) y[cell.first] += relu::evaluate(p, t) * x[cell.second];
    return y;
}

std::vector<Rational> apply(const RationalMatrix& m, std::size_t rows, const std::vector<Rational>& x) {
    std::vector<Rational> y(rows);
    for (const auto& [cell, v] : m) y[cell.first] += v * x[cell.second];
    return y;
}

void verify_lift(const LiftedNetwork& n, std::uint64_t seed) {
    const std::size_t L = n.weights.size();
    const std::size_t d = n.input_dim, m = width(n, L);
    // Symbolic: the output's constant term vanishes (every hidden unit active, so constants add up).
    std::vector<LaurentPoly> c(d);
    for (std::size_t l = 1; l <= L; ++l) {
        std::vector<LaurentPoly> next = n.bias[l - 1];
        for (const auto& [cell, wt] : n.weights[l - 1]) next[cell.first] += wt * c[cell.second];
        c = std::move(next);
    }
    for (std::size_t i = 0; i < m; ++i)
        if (!c[i].is_zero()) throw LiftError("constant term of output " + std::to_string(i) + " is " + c[i].to_string());

    std::vector<std::vector<Rational>> points;
    std::mt19937_64 rng(seed);
    const bool all_corners = d <= 10;
    const std::size_t corners = all_corners ? (std::size_t{1} << d) : 64;
    for (std::size_t k = 0; k < corners; ++k) {
        std::uint64_t bits = all_corners ? k : rng();
        std::vector<Rational> x(d);
        for (std::size_t j = 0; j < d; ++j) x[j] = Rational(((bits >> (j % 64)) & 1) ? 1 : -1);
        points.push_back(std::move(x));
    }
    points.emplace_back(d);  // the centre
    // With every corner checked, interior points add nothing: pre-activations positive at the
    // corners are positive on the cube layer by layer (affine while the layers below are active),
    // and |output - A x| is then the absolute value of a linear map, largest at a corner.
    for (int k = 0; k < (all_corners ? 0 : 16); ++k) {
        std::vector<Rational> x(d);
        for (std::size_t j = 0; j < d; ++j) {
            long den = 1 + static_cast<long>(rng() % 9);
            long num = static_cast<long>(rng() % static_cast<std::uint64_t>(2 * den + 1)) - den;
            x[j] = Rational(Integer(num), Integer(den));
        }
        points.push_back(std::move(x));
    }
    const std::vector<Rational> ts = {Rational(1), Rational(Integer(1), Integer(2)), Rational(Integer(1), Integer(3)),
                                      Rational(Integer(1), Integer(10)), Rational(Integer(1), Integer(97))};
    for (const Rational& t : ts) {
        for (const auto& x : points) {
            Evaluation ev = evaluate(n, t, x);
            if (ev.has_hidden && ev.min_preactivation.sign() <= 0)
                throw LiftError("a hidden pre-activation is " + ev.min_preactivation.to_string() + " at t = " + t.to_string());
            std::vector<Rational> px = apply(n.product, m, t, x), ax = apply(n.limit, m, x);
            for (std::size_t i = 0; i < m; ++i) {
                if (ev.output[i] != px[i])
                    throw LiftError("output " + std::to_string(i) + " differs from P(t) x at t = " + t.to_string());
                if ((ev.output[i] - ax[i]).abs() > n.error_bound * t)
                    throw LiftError("output " + std::to_string(i) + " is farther than E t from A x at t = " + t.to_string());
            }
        }
    }
}

namespace {

json networks_json(const LiftedNetwork& n, const LinearWitness& w) {
    json nets = json::array();
    for (std::size_t l = 1; l <= n.weights.size(); ++l) {
        json weights;
        for (const auto& layer : w.family_json)
            if (layer.at("layer").get<std::size_t>() == l) weights = layer.at("entries");  // verbatim: equal to the family
        json bias = json::array();
        for (std::size_t u = 0; u < n.bias[l - 1].size(); ++u)
            if (!n.bias[l - 1][u].is_zero()) bias.push_back(json{{"unit", u}, {"value", laurent_to_json(n.bias[l - 1][u])}});
        nets.push_back(json{{"layer", l}, {"weights", std::move(weights)}, {"bias", std::move(bias)}});
    }
    return nets;
}

json limit_json(const RationalMatrix& a) {
    json out = json::array();
    for (const auto& [cell, v] : a) out.push_back(json{{"row", cell.first}, {"col", cell.second}, {"value", v.to_string()}});
    return out;
}

// "h1_0 = relu((t)*x_0 + (t^-1)*x_1 + 3*t^-1)": the networks for a human reader.
json equations(const LiftedNetwork& n) {
    json eqs = json::array();
    const std::size_t L = n.weights.size();
    auto name = [L](std::size_t l, std::size_t u) {
        if (l == 0) return "x_" + std::to_string(u);
        if (l == L) return "f_" + std::to_string(u);
        return "h" + std::to_string(l) + "_" + std::to_string(u);
    };
    for (std::size_t l = 1; l <= L; ++l) {
        std::vector<std::string> rhs(n.bias[l - 1].size());
        for (const auto& [cell, w] : n.weights[l - 1])
            rhs[cell.first] += (rhs[cell.first].empty() ? "" : " + ") + ("(" + w.to_string() + ")*") + name(l - 1, cell.second);
        for (std::size_t u = 0; u < rhs.size(); ++u) {
            if (!n.bias[l - 1][u].is_zero()) rhs[u] += (rhs[u].empty() ? "" : " + ") + ("(" + n.bias[l - 1][u].to_string() + ")");
            if (rhs[u].empty()) rhs[u] = "0";
            eqs.push_back(name(l, u) + " = " + (l < L ? "relu(" + rhs[u] + ")" : rhs[u]));
        }
    }
    return eqs;
}

}  // namespace

json transfer_proof(const LiftedNetwork& n, const LinearWitness& w) {
    return json{{"verdict", "not_closed"},
                {"rule", "transfer"},
                {"domain", "cube"},
                {"t_max", "1"},
                {"networks", networks_json(n, w)},
                {"error_bound", n.error_bound.to_string()}};
}

json lift_document(const arch::Architecture& a, const LiftedNetwork& n, const LinearWitness& w) {
    json product = json::array();
    for (const auto& [cell, p] : n.product)
        product.push_back(json{{"row", cell.first}, {"col", cell.second}, {"value", laurent_to_json(p)}});
    return json{
        {"format", "closecert-lift"},
        {"version", 1},
        {"architecture", a.name},
        {"domain", {{"kind", "cube"}, {"lower", "-1"}, {"upper", "1"}, {"dim", a.input_dim}}},
        {"t_range", {{"min_exclusive", "0"}, {"max", "1"}}},
        {"networks", networks_json(n, w)},
        {"activation", "relu on every layer except the last"},
        {"equations", equations(n)},
        {"product", std::move(product)},
        {"limit", limit_json(n.limit)},
        {"limit_function", "x -> A x with A = limit (entries not listed are 0)"},
        {"error_bound", n.error_bound.to_string()},
        {"error_statement", "sup over the cube of |f_t(x) - A x|_inf <= error_bound * t for every t in (0, 1]"}};
}

}  // namespace closecert::relu
