// Lemma F ("absorb_tree"): a case tree shows that a group of rank-one terms realises every matrix on
// its visible cells Omega. Polynomials are in the target entries a_<i>_<j>, (i, j) in Omega.
#include "verify.hpp"

#include <algorithm>

namespace verify {
namespace {

constexpr std::size_t kMaxTreeDepth = 64, kMaxTreeNodes = 4096;

// num / prod_a N_a^{den_a}
struct Value {
    Poly num;
    std::vector<long> den;
};

// Canonical decimal (no sign, no leading zero) of at most 6 digits; -1 otherwise.
long index_of(const std::string& s) {
    if (s.empty() || s.size() > 6 || (s.size() > 1 && s[0] == '0')) return -1;
    long v = 0;
    for (char c : s) {
        if (c < '0' || c > '9') return -1;
        v = 10 * v + (c - '0');
    }
    return v;
}

struct TreeChecker {
    const std::vector<std::size_t>& group;
    const std::vector<std::set<std::size_t>>& I;
    const std::vector<std::set<std::size_t>>& J;
    const std::set<Cell>& omega;
    Tally& tally;
    std::size_t nodes = 0;
    std::vector<Poly> N, Z;                        // split polynomials of the branches taken, in path order
    std::map<std::vector<long>, Poly> power_memo;  // prod N^e for the current leaf's N

    // "a_<i>_<j>" with (i, j) in Omega; layer 0 is never a weight layer, so this cannot clash with w<l>_<i>_<j>.
    Var target_var(const std::string& name, const std::string& path) const {
        auto u = name.find('_', 2);
        long i = -1, j = -1;
        if (name.size() >= 5 && name.compare(0, 2, "a_") == 0 && u != std::string::npos)
            i = index_of(name.substr(2, u - 2)), j = index_of(name.substr(u + 1));
        if (i < 0 || j < 0) throw Reject(path, "not a target variable \"" + name + "\"");
        if (!omega.count({i, j})) throw Reject(path, "\"" + name + "\" is not a visible cell of the group");
        return make_var(0, i, j);
    }

    Poly poly(const json& v, const std::string& path) const {
        Poly p;
        const json& terms = array(v, path);
        if (terms.size() > kMaxTerms) throw Reject(path, "polynomial with more terms than the checker's limit");
        charge(static_cast<long long>(terms.size()), path);
        for (std::size_t k = 0; k < terms.size(); ++k) {
            std::string tp = at(path, k);
            if (!terms[k].is_array() || terms[k].size() != 2 || !terms[k][1].is_object())
                throw Reject(tp, "expected [coef, {variable: exponent}]");
            Rational c = rational(terms[k][0], at(tp, 0));
            charge(static_cast<long long>(terms[k][1].size()), tp);
            std::map<Var, int> powers;  // sorts the monomial
            for (const auto& [name, e] : terms[k][1].items())
                powers[target_var(name, at(tp, 1))] = integer(e, at(at(tp, 1), name), 1, kMaxExponent);
            add_term(p, Monomial(powers.begin(), powers.end()), c);
        }
        return p;
    }

    // Exactly n exponents in 0..kMaxExponent.
    std::vector<long> exponents(const json& v, const std::string& path, std::size_t n) const {
        const json& a = array(v, path);
        if (a.size() != n) throw Reject(path, "expected " + std::to_string(n) + " exponents, one per nonzero branch taken");
        charge(static_cast<long long>(n), path);
        std::vector<long> e;
        for (std::size_t x = 0; x < n; ++x) e.push_back(integer(a[x], at(path, x), 0, kMaxExponent));
        return e;
    }

    // By reference: a memoised power can be large, and copying it would be uncharged work.
    const Poly& power(const std::vector<long>& e, const std::string& path) {
        auto it = power_memo.find(e);
        if (it != power_memo.end()) return it->second;
        Poly r = constant(1);
        for (std::size_t a = 0; a < e.size(); ++a) {
            charge(e[a], path);  // a zero N_a makes every product free
            for (long t = 0; t < e[a]; ++t) r = mul(r, N[a], path);
        }
        return power_memo[e] = r;
    }

    // {"scale": r, "powers": e, "cofactors": Q}: r * prod N^e * f == sum_l Q_l Z_l, so f vanishes
    // wherever every N is non-zero and every Z is zero.
    void certify(const json& c, const std::string& path, const Poly& f) {
        std::string sp = at(path, "scale"), qp = at(path, "cofactors");
        Rational r = rational(field(c, "scale", path), sp);
        if (r == 0) throw Reject(sp, "zero scale");
        std::vector<long> e = exponents(field(c, "powers", path), at(path, "powers"), N.size());
        const json& qa = array(field(c, "cofactors", path), qp);
        if (qa.size() != Z.size()) throw Reject(qp, "expected " + std::to_string(Z.size()) + " cofactors, one per zero branch taken");
        charge(static_cast<long long>(qa.size()), qp);
        Poly rhs;
        for (std::size_t l = 0; l < qa.size(); ++l) add_into(rhs, mul(poly(qa[l], at(qp, l)), Z[l], at(qp, l)));
        if (mul(mul(constant(r), power(e, path), path), f, path) != rhs) throw Reject(path, "the identity does not hold");
    }

    Value value(const json& v, const std::string& path) const {
        return {poly(field(v, "num", path), at(path, "num")), exponents(field(v, "den", path), at(path, "den"), N.size())};
    }

    // One value per line of `lines` (rows of I_k or columns of J_k), in increasing order.
    std::map<std::size_t, Value> values(const json& v, const std::string& path, const std::set<std::size_t>& lines) const {
        const json& a = array(v, path);
        if (a.size() != lines.size()) throw Reject(path, "expected " + std::to_string(lines.size()) + " values, one per line of the term");
        charge(static_cast<long long>(a.size()), path);
        std::map<std::size_t, Value> m;
        std::size_t x = 0;
        for (std::size_t line : lines) m.emplace(line, value(a[x], at(path, x))), ++x;
        return m;
    }

    void realise(const json& r, const std::string& path);
    void tree(const json& t, const std::string& path, std::size_t depth);
};

void TreeChecker::realise(const json& r, const std::string& path) {
    power_memo.clear();
    std::string fp = at(path, "factors"), cp = at(path, "cells");
    const json& fa = array(field(r, "factors", path), fp);
    charge(static_cast<long long>(fa.size()), fp);
    std::map<std::size_t, std::pair<std::map<std::size_t, Value>, std::map<std::size_t, Value>>> factors;  // term -> x, y
    for (std::size_t x = 0; x < fa.size(); ++x) {
        std::string p = at(fp, x);
        std::size_t k = integer(field(fa[x], "term", p), at(p, "term"), 0, kMaxWidth);
        if (!std::binary_search(group.begin(), group.end(), k)) throw Reject(at(p, "term"), "term " + std::to_string(k) + " is not in the group");
        if (factors.count(k)) throw Reject(at(p, "term"), "term " + std::to_string(k) + " is listed twice");
        factors[k] = {values(field(fa[x], "x", p), at(p, "x"), I[k]), values(field(fa[x], "y", p), at(p, "y"), J[k])};
    }
    const json& ca = array(field(r, "cells", path), cp);
    charge(static_cast<long long>(ca.size()), cp);
    std::map<Cell, std::size_t> entry;
    for (std::size_t x = 0; x < ca.size(); ++x) {
        std::string p = at(at(cp, x), "cell");
        const json& c = field(ca[x], "cell", at(cp, x));
        if (!c.is_array() || c.size() != 2) throw Reject(p, "expected [row, col]");
        Cell cell{integer(c[0], p, 0, kMaxWidth), integer(c[1], p, 0, kMaxWidth)};
        if (!omega.count(cell)) throw Reject(p, "not a visible cell of the group");
        if (!entry.emplace(cell, x).second) throw Reject(p, "cell listed twice");
    }
    // Each cell's identity, cleared of denominators: F = sum_k num(x_k(i)) num(y_k(j)) N^(D - dx - dy) - a_ij N^D.
    for (const Cell& c : omega) {
        charge(static_cast<long long>(1 + factors.size() * (N.size() + 1)), path);
        std::vector<std::pair<const Value*, const Value*>> K;
        std::vector<long> D(N.size(), 0);
        for (const auto& [k, xy] : factors) {
            auto xi = xy.first.find(c.first);
            auto yj = xy.second.find(c.second);
            if (xi == xy.first.end() || yj == xy.second.end()) continue;
            K.emplace_back(&xi->second, &yj->second);
            for (std::size_t a = 0; a < N.size(); ++a) D[a] = std::max(D[a], xi->second.den[a] + yj->second.den[a]);
        }
        Poly F;
        add_term(F, {{make_var(0, c.first, c.second), 1}}, -1);
        F = mul(F, power(D, path), path);
        for (const auto& [x, y] : K) {
            std::vector<long> rest = D;
            for (std::size_t a = 0; a < N.size(); ++a) rest[a] -= x->den[a] + y->den[a];
            add_into(F, mul(mul(x->num, y->num, path), power(rest, path), path));
        }
        auto it = entry.find(c);
        if (it != entry.end()) certify(ca[it->second], at(cp, it->second), F);
        else if (!F.empty())
            throw Reject(cp, "cell (" + std::to_string(c.first) + ", " + std::to_string(c.second) + ") is not realised identically and has no entry");
    }
}

void TreeChecker::tree(const json& t, const std::string& path, std::size_t depth) {
    if (depth > kMaxTreeDepth) throw Reject(path, "case tree deeper than the checker's limit");
    if (++nodes > kMaxTreeNodes) throw Reject(path, "case tree with more nodes than the checker's limit");
    ++tally.checked;
    if (has(t, "split") + has(t, "empty") + has(t, "realise") != 1)
        throw Reject(path, "expected exactly one of \"split\", \"empty\" and \"realise\"");
    if (has(t, "split")) {
        // Every target has P != 0 or P == 0: the two branches cover all of R^Omega.
        Poly p = poly(t["split"], at(path, "split"));
        N.push_back(p);
        tree(field(t, "nonzero", path), at(path, "nonzero"), depth + 1);
        N.pop_back();
        Z.push_back(p);
        tree(field(t, "zero", path), at(path, "zero"), depth + 1);
        Z.pop_back();
    } else if (has(t, "empty")) {
        power_memo.clear();
        certify(t["empty"], at(path, "empty"), constant(1));
    } else {
        realise(t["realise"], at(path, "realise"));
    }
}

}  // namespace

void check_case_tree(const json& tree, const std::string& path, const std::vector<std::size_t>& group,
                     const std::vector<std::set<std::size_t>>& I, const std::vector<std::set<std::size_t>>& J,
                     const std::set<Cell>& omega, Tally& tally) {
    TreeChecker ch{group, I, J, omega, tally, 0, {}, {}, {}};
    ch.tree(tree, path, 1);
}

}  // namespace verify
