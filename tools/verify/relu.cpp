// ReLU proofs: the transfer of a linear witness (Lemma T) and the cited scalar-output theorem.
#include "verify.hpp"

#include <set>

namespace verify {
namespace {

void check_cited(const json& proof, const Arch& a, const std::string& path, Tally& tally) {
    std::string theorem = str(field(proof, "theorem", path), at(path, "theorem"));
    if (theorem != "scalar_output_shallow") throw Reject(at(path, "theorem"), "unknown theorem \"" + theorem + "\"");
    std::string citation = str(field(proof, "citation", path), at(path, "citation"));
    if (citation.empty()) throw Reject(at(path, "citation"), "empty citation");
    for (unsigned char ch : citation)
        if (ch < 0x20) throw Reject(at(path, "citation"), "control character in the citation");
    if (a.depth() != 2) throw Reject(path, "scalar_output_shallow needs two layers");
    if (a.width(2) != 1) throw Reject(path, "scalar_output_shallow needs one output unit");
    if (!a.bias[0] || !a.bias[1]) throw Reject(path, "scalar_output_shallow needs biases in both layers");
    tally.trusted.push_back(path + ": scalar_output_shallow: " + citation);
}

void check_transfer(const json& proof, const Arch& a, const Witness* open, const std::string& path, Tally& tally) {
    if (!open) throw Reject(path, "transfer needs a verified linear \"not_closed\" proof");
    if (str(field(proof, "domain", path), at(path, "domain")) != "cube") throw Reject(at(path, "domain"), "domain is not \"cube\"");
    if (rational(field(proof, "t_max", path), at(path, "t_max")) != 1) throw Reject(at(path, "t_max"), "t_max is not 1");
    for (std::size_t l = 1; l <= a.depth(); ++l)
        if (!a.bias[l - 1]) throw Reject(path, "layer " + std::to_string(l) + " has no bias");
    std::size_t L = a.depth();
    std::string np = at(path, "networks");
    const json& nets = array(field(proof, "networks", path), np);
    std::vector<const json*> net(L, nullptr);
    std::vector<std::string> netp(L);
    for (std::size_t k = 0; k < nets.size(); ++k) {
        std::size_t l = integer(field(nets[k], "layer", at(np, k)), at(at(np, k), "layer"), 1, L);
        if (net[l - 1]) throw Reject(at(np, k), "layer listed twice");
        net[l - 1] = &nets[k], netp[l - 1] = at(np, k);
    }
    // Previous layer's bound: |h_v| <= U[v] t^(-q[v]) on the cube; the inputs have U = 1, q = 0.
    std::vector<Rational> U(a.input_dim, 1);
    std::vector<long> q(a.input_dim, 0);
    std::vector<Laurent> constant(a.input_dim);  // constant part of the previous layer's output
    for (std::size_t l = 1; l <= L; ++l) {
        if (!net[l - 1]) throw Reject(np, "layer " + std::to_string(l) + " is not listed");
        const json& n = *net[l - 1];
        const std::string& lp = netp[l - 1];
        if (parse_entries(field(n, "weights", lp), a, l, at(lp, "weights")) != open->family[l - 1])
            throw Reject(at(lp, "weights"), "weights differ from the linear family");
        std::string bp = at(lp, "bias");
        const json& bias = array(field(n, "bias", lp), bp);
        std::vector<Laurent> b(a.width(l));
        std::map<std::size_t, std::size_t> seen;  // unit -> its entry
        for (std::size_t k = 0; k < bias.size(); ++k) {
            std::string up = at(bp, k);
            std::size_t u = integer(field(bias[k], "unit", up), at(up, "unit"), 0, static_cast<long>(a.width(l)) - 1);
            if (!seen.emplace(u, k).second) throw Reject(up, "unit listed twice");
            b[u] = parse_laurent(field(bias[k], "value", up), at(up, "value"));
        }
        // c_l = W_l c_{l-1} + b_l, valid because every hidden unit is active.
        std::vector<Laurent> c = b;
        for (const auto& [cell, w] : open->family[l - 1]) add_into(c[cell.first], mul(w, constant[cell.second], lp));
        constant = std::move(c);
        if (l == L) break;
        std::vector<Rational> U2(a.width(l));
        std::vector<long> q2(a.width(l));
        for (std::size_t u = 0; u < a.width(l); ++u) {
            if (!seen.count(u)) throw Reject(bp, "hidden unit " + std::to_string(u) + " has no bias");
            std::string up = at(bp, seen[u]);
            if (b[u].size() != 1 || b[u].begin()->second <= 0) throw Reject(up, "hidden bias is not a single monomial beta t^-q with beta > 0");
            q2[u] = -b[u].begin()->first;
            U2[u] = b[u].begin()->second;
        }
        // Each weight term is at most M(w) U_v t^(ord(w) - q_v) <= M(w) U_v t^(-q_u) on (0, 1].
        std::vector<Rational> sum(a.width(l), 0);
        for (const auto& [cell, w] : open->family[l - 1]) {
            auto [u, v] = cell;
            if (-q2[u] > ord(w) - q[v])
                throw Reject(bp, "weight (" + std::to_string(u) + ", " + std::to_string(v) + ") outgrows the bias of unit " + std::to_string(u));
            sum[u] += mass(w) * U[v];
        }
        for (std::size_t u = 0; u < a.width(l); ++u) {
            if (U2[u] <= sum[u]) throw Reject(bp, "bias of unit " + std::to_string(u) + " does not dominate its weights on the cube");
            U2[u] += sum[u];
        }
        U = std::move(U2), q = std::move(q2);
    }
    ++tally.checked;
    for (std::size_t i = 0; i < constant.size(); ++i)
        if (!constant[i].empty()) throw Reject(np, "constant term of output " + std::to_string(i) + " is not 0");
    ++tally.checked;
    // |P_ij(t) - A_ij| <= M(P_ij - A_ij) t on (0, 1], since the linear proof showed every exponent is >= 1.
    Rational E = rational(field(proof, "error_bound", path), at(path, "error_bound"));
    std::vector<Rational> row(a.width(L), 0);
    std::set<Cell> cells;
    for (const auto& [cell, p] : open->product) cells.insert(cell);
    for (const auto& [cell, v] : open->limit) cells.insert(cell);
    for (const Cell& cell : cells) {
        Laurent d = open->product.count(cell) ? open->product.at(cell) : Laurent{};
        if (open->limit.count(cell)) add_term(d, 0, -open->limit.at(cell));
        row[cell.first] += mass(d);
    }
    for (std::size_t i = 0; i < row.size(); ++i)
        if (E < row[i]) throw Reject(at(path, "error_bound"), "error bound is below " + row[i].str() + " (output " + std::to_string(i) + ")");
    ++tally.checked;
}

}  // namespace

void check_relu(const json& proof, const Arch& a, const Witness* open, const std::string& path, Tally& tally) {
    std::string rule = str(field(proof, "rule", path), at(path, "rule"));
    std::string verdict = str(field(proof, "verdict", path), at(path, "verdict"));
    if (rule == "transfer" && verdict == "not_closed") check_transfer(proof, a, open, path, tally);
    else if (rule == "cited" && verdict == "closed") check_cited(proof, a, path, tally);
    else if (rule == "linear_layer" && verdict == "closed") {
        // A single affine layer: a finite-dimensional subspace of functions, closed on any domain.
        if (a.depth() != 1) throw Reject(path, "linear_layer needs an architecture with no hidden layer");
        ++tally.checked;
    }
    else throw Reject(at(path, "rule"), "rule \"" + rule + "\" does not prove \"" + verdict + "\"");
}

}  // namespace verify
