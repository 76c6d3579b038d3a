// Linear "not closed": a Laurent family converging to A, and a proof that A has no factorisation.
#include "verify.hpp"

#include <set>

namespace verify {

static std::size_t index(const json& obj, const char* key, std::size_t bound, const std::string& path) {
    if (bound == 0) throw Reject(path, "no valid index");
    return integer(field(obj, key, path), at(path, key), 0, static_cast<long>(bound) - 1);
}

LaurentMatrix parse_entries(const json& v, const Arch& a, std::size_t l, const std::string& path) {
    LaurentMatrix w;
    std::set<Cell> seen;
    const json& entries = array(v, path);
    for (std::size_t k = 0; k < entries.size(); ++k) {
        std::string ep = at(path, k);
        std::size_t i = index(entries[k], "row", a.width(l), ep), j = index(entries[k], "col", a.width(l - 1), ep);
        if (!a.at(l, i, j)) throw Reject(ep, "position is not in layer " + std::to_string(l) + "'s mask");
        if (!seen.insert({i, j}).second) throw Reject(ep, "position listed twice");
        Laurent value = parse_laurent(field(entries[k], "value", ep), at(ep, "value"));
        if (!value.empty()) w[{i, j}] = std::move(value);
    }
    return w;
}

// Left-multiplies `right` (rows = units of layer l-1) by `left` (layer l).
static LaurentMatrix times(const LaurentMatrix& left, const LaurentMatrix& right, const std::string& path) {
    std::map<std::size_t, std::vector<std::pair<std::size_t, const Laurent*>>> by_row;
    for (const auto& [c, p] : right) by_row[c.first].emplace_back(c.second, &p);
    LaurentMatrix r;
    for (const auto& [c, p] : left) {
        auto it = by_row.find(c.second);
        if (it == by_row.end()) continue;
        for (const auto& [j, q] : it->second) {
            Laurent& dst = r[{c.first, j}];
            add_into(dst, mul(p, *q, path));
            if (dst.empty()) r.erase({c.first, j});
        }
    }
    return r;
}

static std::vector<std::size_t> increasing(const json& v, std::size_t bound, const std::string& path) {
    std::vector<std::size_t> out;
    const json& a = array(v, path);
    for (std::size_t k = 0; k < a.size(); ++k) {
        std::size_t x = integer(a[k], at(path, k), 0, static_cast<long>(bound) - 1);
        if (!out.empty() && x <= out.back()) throw Reject(at(path, k), "not strictly increasing");
        out.push_back(x);
    }
    return out;
}

// f_ij = [W_L ... W_1]_ij - A_ij with a variable at every mask position, for (i, j) in the window.
static std::map<Cell, Poly> window_system(const Arch& a, const std::vector<std::size_t>& rows,
                                          const std::vector<std::size_t>& cols,
                                          const std::map<Cell, Rational>& limit, const std::string& path) {
    std::map<Cell, Poly> f;
    std::set<std::size_t> wanted(rows.begin(), rows.end());
    for (std::size_t j : cols) {
        std::map<std::size_t, Poly> units{{j, constant(1)}};  // column j of the partial product
        for (std::size_t l = 1; l <= a.depth(); ++l) {
            std::map<std::size_t, Poly> next;
            charge(static_cast<long long>(a.width(l)) * static_cast<long long>(units.size() + 1), path);
            for (std::size_t u = 0; u < a.width(l); ++u) {
                if (l == a.depth() && !wanted.count(u)) continue;
                Poly z;
                for (const auto& [v, p] : units)
                    if (a.at(l, u, v)) add_into(z, mul(Poly{{Monomial{{make_var(l, u, v), 1}}, 1}}, p, path));
                if (z.size() > kMaxTerms) throw Reject(path, "polynomial with more terms than the checker's limit");
                if (!z.empty()) next[u] = std::move(z);
            }
            units = std::move(next);
        }
        for (std::size_t i : rows) {
            Poly& fij = f[{i, j}] = units[i];
            auto it = limit.find({i, j});
            if (it != limit.end()) add_term(fij, {}, -it->second);
        }
    }
    return f;
}

static void check_nonmembership(const json& nm, const Arch& a, const std::map<Cell, Poly>& f, const std::string& path) {
    std::string kind = str(field(nm, "kind", path), at(path, "kind"));
    if (kind != "nullstellensatz" && kind != "positivstellensatz") throw Reject(at(path, "kind"), "unknown kind \"" + kind + "\"");
    Poly sum;
    std::set<Cell> seen;
    std::string cp = at(path, "cofactors");
    const json& cof = array(field(nm, "cofactors", path), cp);
    for (std::size_t k = 0; k < cof.size(); ++k) {
        std::string gp = at(cp, k);
        Cell c{index(cof[k], "row", kMaxWidth, gp), index(cof[k], "col", kMaxWidth, gp)};
        if (!f.count(c)) throw Reject(gp, "cell is not in the window");
        if (!seen.insert(c).second) throw Reject(gp, "cell listed twice");
        add_into(sum, mul(parse_poly(field(cof[k], "poly", gp), a, at(gp, "poly")), f.at(c), gp));
    }
    if (kind == "nullstellensatz") {
        if (sum != constant(1)) throw Reject(path, "sum of cofactors times equations is not 1");
        return;
    }
    std::string sp = at(path, "squares");
    const json& squares = array(field(nm, "squares", path), sp);
    for (std::size_t k = 0; k < squares.size(); ++k) {
        std::string qp = at(sp, k);
        Rational w = rational(field(squares[k], "weight", qp), at(qp, "weight"));
        if (w <= 0) throw Reject(at(qp, "weight"), "weight is not positive");
        Poly s = parse_poly(field(squares[k], "poly", qp), a, at(qp, "poly"));
        add_into(sum, mul(constant(w), mul(s, s, qp), qp));
    }
    add_term(sum, {}, 1);
    if (!sum.empty()) throw Reject(path, "sum g f + 1 + sum weight s^2 is not 0");
}

Witness check_linear_open(const json& proof, const Arch& a, const std::string& path, Tally& tally) {
    if (str(field(proof, "rule", path), at(path, "rule")) != "limit_outside")
        throw Reject(at(path, "rule"), "a \"not_closed\" linear proof uses rule \"limit_outside\"");
    Witness w;
    // 1. The family: every layer once, entries at mask positions.
    std::string fp = at(path, "family");
    const json& fam = array(field(proof, "family", path), fp);
    w.family.resize(a.depth());
    std::vector<bool> listed(a.depth(), false);
    for (std::size_t k = 0; k < fam.size(); ++k) {
        std::string lp = at(fp, k);
        std::size_t l = integer(field(fam[k], "layer", lp), at(lp, "layer"), 1, a.depth());
        if (listed[l - 1]) throw Reject(lp, "layer listed twice");
        listed[l - 1] = true;
        w.family[l - 1] = parse_entries(field(fam[k], "entries", lp), a, l, at(lp, "entries"));
    }
    for (std::size_t l = 1; l <= a.depth(); ++l)
        if (!listed[l - 1]) throw Reject(fp, "layer " + std::to_string(l) + " is not listed");
    ++tally.checked;
    // 2. P(t) - A has only positive powers of t.
    std::string ap = at(path, "limit");
    const json& lim = array(field(proof, "limit", path), ap);
    for (std::size_t k = 0; k < lim.size(); ++k) {
        std::string ep = at(ap, k);
        Cell c{index(lim[k], "row", a.width(a.depth()), ep), index(lim[k], "col", a.input_dim, ep)};
        if (w.limit.count(c)) throw Reject(ep, "position listed twice");
        Rational v = rational(field(lim[k], "value", ep), at(ep, "value"));
        if (v != 0) w.limit[c] = v;
    }
    w.product = w.family[0];
    for (std::size_t l = 2; l <= a.depth(); ++l) w.product = times(w.family[l - 1], w.product, fp);
    std::set<Cell> cells;
    for (const auto& [c, p] : w.product) cells.insert(c);
    for (const auto& [c, v] : w.limit) cells.insert(c);
    for (const Cell& c : cells) {
        Laurent d = w.product.count(c) ? w.product.at(c) : Laurent{};
        if (w.limit.count(c)) add_term(d, 0, -w.limit.at(c));
        if (!d.empty() && ord(d) < 1)
            throw Reject(ap, "P(t) - A has a term t^" + std::to_string(ord(d)) + " at (" + std::to_string(c.first) +
                                 ", " + std::to_string(c.second) + "): P(t) does not tend to A");
    }
    ++tally.checked;
    // 3. The window contains every nonzero entry of A.
    std::string wp = at(path, "window");
    const json& win = field(proof, "window", path);
    auto rows = increasing(field(win, "rows", wp), a.width(a.depth()), at(wp, "rows"));
    auto cols = increasing(field(win, "cols", wp), a.input_dim, at(wp, "cols"));
    std::set<std::size_t> rs(rows.begin(), rows.end()), cs(cols.begin(), cols.end());
    for (const auto& [c, v] : w.limit)
        if (!rs.count(c.first) || !cs.count(c.second)) throw Reject(wp, "a nonzero entry of the limit lies outside the window");
    ++tally.checked;
    // 4. The window system has no solution.
    std::string np = at(path, "nonmembership");
    check_nonmembership(field(proof, "nonmembership", path), a, window_system(a, rows, cols, w.limit, np), np);
    ++tally.checked;
    return w;
}

}  // namespace verify
