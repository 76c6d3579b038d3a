#include "engine/deep_lift.hpp"

#include <algorithm>
#include <functional>
#include <random>
#include <set>
#include <stdexcept>

#include "core/poly.hpp"
#include "core/qmatrix.hpp"
#include "engine/poly_json.hpp"

namespace closecert::engine {

using nlohmann::json;
using core::LaurentPoly;
using core::Rational;

std::string weight_name(std::size_t layer, std::size_t i, std::size_t j) {
    return "w" + std::to_string(layer) + "_" + std::to_string(i) + "_" + std::to_string(j);
}

namespace {

struct Var { std::size_t layer, i, j; };

Var parse_weight(const std::string& name) {
    Var v{};
    if (std::sscanf(name.c_str(), "w%zu_%zu_%zu", &v.layer, &v.i, &v.j) != 3) throw std::logic_error("not a weight variable: " + name);
    return v;
}

LaurentPoly laurent_from(const json& v) {
    LaurentPoly p;
    for (const auto& t : v) p += LaurentPoly(Rational::parse(t.at(0).get<std::string>()), t.at(1).get<int>());
    return p;
}

json laurent_to(const LaurentPoly& p) {
    json out = json::array();
    for (const auto& [e, c] : p.terms()) out.push_back({c.to_string(), e});
    return out;
}

void put(LaurentMatrix& m, std::size_t i, std::size_t j, const LaurentPoly& v) {
    if (!v.is_zero()) m[{i, j}] = v;
}

const LaurentPoly kOne = LaurentPoly::constant(Rational(1));

// The top-left identity block of size n, as a matrix entry map.
LaurentMatrix identity(std::size_t n) {
    LaurentMatrix m;
    for (std::size_t i = 0; i < n; ++i) m[{i, i}] = kOne;
    return m;
}

// W_{l+1}, W_l with W_{l+1} W_l = F, upper entries fixed to random integers, lower solved column by
// column on the matched hidden units (cols orientation of pair_matching).
// Monomial factorisation: distinct hidden units k(i) for the rows of F with (i, k(i)) in the upper mask
// and (k(i), j) in the lower one for every entry (i, j) of F; W_{l+1} = the 0/1 matrix of k, W_l takes
// F's rows. Cheap, and enough when F is a small window family.
std::optional<std::pair<LaurentMatrix, LaurentMatrix>> factor_monomial(const arch::Mask& lower, const arch::Mask& upper,
                                                                      const LaurentMatrix& f) {
    std::map<std::size_t, std::vector<std::size_t>> cols_of;
    for (const auto& [pos, v] : f) cols_of[pos.first].push_back(pos.second);
    std::vector<std::size_t> rows;
    std::vector<std::vector<std::size_t>> adj;
    for (const auto& [i, cols] : cols_of) {
        std::vector<std::size_t> ks;
        for (std::size_t k = 0; k < upper.cols(); ++k) {
            bool ok = upper.at(i, k);
            for (std::size_t j : cols) ok = ok && lower.at(k, j);
            if (ok) ks.push_back(k);
        }
        rows.push_back(i);
        adj.push_back(std::move(ks));
    }
    std::vector<long> owner(upper.cols(), -1);
    std::vector<char> seen;
    std::function<bool(std::size_t)> augment = [&](std::size_t x) {
        for (std::size_t k : adj[x]) {
            if (seen[k]) continue;
            seen[k] = 1;
            if (owner[k] < 0 || augment(static_cast<std::size_t>(owner[k]))) return owner[k] = static_cast<long>(x), true;
        }
        return false;
    };
    for (std::size_t x = 0; x < rows.size(); ++x) {
        seen.assign(upper.cols(), 0);
        if (!augment(x)) return std::nullopt;
    }
    LaurentMatrix up, lo;
    for (std::size_t k = 0; k < owner.size(); ++k) {
        if (owner[k] < 0) continue;
        const std::size_t i = rows[static_cast<std::size_t>(owner[k])];
        up[{i, k}] = kOne;
        for (std::size_t j : cols_of[i]) lo[{k, j}] = f.at({i, j});
    }
    return std::make_pair(std::move(up), std::move(lo));
}

std::optional<std::pair<LaurentMatrix, LaurentMatrix>> factor_cols(const arch::Mask& lower, const arch::Mask& upper,
                                                                  const LaurentMatrix& f) {
    if (auto w = factor_monomial(lower, upper, f)) return w;
    auto matching = pair_matching(lower, upper, false);
    if (!matching) return std::nullopt;
    std::map<std::size_t, std::vector<std::pair<std::size_t, std::size_t>>> by_col;  // j -> (i, k)
    for (const auto& t : *matching) by_col[t[1]].push_back({t[0], t[2]});
    std::mt19937_64 rng(0x66757365ULL);
    for (int attempt = 0; attempt < 8; ++attempt) {
        LaurentMatrix up, lo;
        std::map<std::pair<std::size_t, std::size_t>, Rational> x;
        for (std::size_t i = 0; i < upper.rows(); ++i)
            for (std::size_t k = 0; k < upper.cols(); ++k)
                if (upper.at(i, k)) x[{i, k}] = Rational(static_cast<long>(1 + rng() % 9));
        bool ok = true;
        std::set<std::size_t> nonzero_cols;
        for (const auto& [pos, v] : f) nonzero_cols.insert(pos.second);
        for (const auto& [j, pairs] : by_col) {
            if (!nonzero_cols.count(j)) continue;  // y = 0 gives a zero column
            const std::size_t n = pairs.size();
            core::QMatrix X(n, n);
            for (std::size_t r = 0; r < n; ++r)
                for (std::size_t c = 0; c < n; ++c) {
                    auto it = x.find({pairs[r].first, pairs[c].second});
                    if (it != x.end()) X.set(r, c, it->second);
                }
            auto inv = core::solve(X, core::QMatrix::identity(n));
            if (!inv) { ok = false; break; }
            for (std::size_t c = 0; c < n; ++c) {
                LaurentPoly y;
                for (std::size_t r = 0; r < n; ++r) {
                    auto it = f.find({pairs[r].first, j});
                    if (it != f.end()) y += it->second * inv->get(c, r);
                }
                put(lo, pairs[c].second, j, y);
            }
        }
        if (!ok) continue;
        for (const auto& [pos, v] : x) up[pos] = LaurentPoly::constant(v);
        return std::make_pair(std::move(up), std::move(lo));
    }
    return std::nullopt;
}

LaurentMatrix transposed(const LaurentMatrix& m) {
    LaurentMatrix t;
    for (const auto& [pos, v] : m) t[{pos.second, pos.first}] = v;
    return t;
}

// Family with layers [first, first + count) of `child` replaced by `replacement` (original indices).
Family splice(const Family& child, std::size_t first, std::size_t count, const std::vector<LaurentMatrix>& replacement) {
    Family out(child.begin(), child.begin() + static_cast<std::ptrdiff_t>(first - 1));
    out.insert(out.end(), replacement.begin(), replacement.end());
    out.insert(out.end(), child.begin() + static_cast<std::ptrdiff_t>(first - 1 + count), child.end());
    return out;
}

// Entry (i, j) of W_hi ... W_lo of `a` as a sum over paths; empty when there are more than `cap`.
PathSum path_sum(const arch::Architecture& a, std::size_t lo, std::size_t hi, std::size_t i, std::size_t j, std::size_t cap = 100000) {
    std::vector<std::pair<std::size_t, std::vector<std::string>>> partial{{j, {}}};
    for (std::size_t l = lo; l <= hi; ++l) {
        const arch::Mask& m = a.layers[l - 1].mask;
        std::vector<std::pair<std::size_t, std::vector<std::string>>> next;
        for (const auto& [u, names] : partial)
            for (std::size_t v = 0; v < m.rows(); ++v) {
                if (!m.at(v, u) || (l == hi && v != i)) continue;
                auto n = names;
                n.push_back(weight_name(l, v, u));
                next.push_back({v, std::move(n)});
                if (next.size() > cap) throw std::length_error("too many paths");
            }
        partial = std::move(next);
    }
    PathSum out;
    for (auto& [u, names] : partial) out.push_back(std::move(names));
    return out;
}

std::vector<std::size_t> iota_vec(std::size_t n) {
    std::vector<std::size_t> v(n);
    for (std::size_t k = 0; k < n; ++k) v[k] = k;
    return v;
}

}  // namespace

Lift lift_restriction(const UnitSets& u) {
    Lift lift;
    lift.row_of = u.back();
    lift.col_of = u.front();
    lift.family = [u](const Family& f) -> std::optional<Family> {
        Family out(f.size());
        for (std::size_t l = 1; l <= f.size(); ++l)
            for (const auto& [pos, v] : f[l - 1]) out[l - 1][{u[l][pos.first], u[l - 1][pos.second]}] = v;
        return out;
    };
    lift.variable = [u](std::size_t l, std::size_t i, std::size_t j) { return PathSum{{weight_name(l, u[l][i], u[l - 1][j])}}; };
    return lift;
}

Lift lift_fusion_monomial(const arch::Architecture& a, std::size_t l) {
    Lift lift;
    lift.row_of = iota_vec(a.output_dim());
    lift.col_of = iota_vec(a.input_dim);
    const arch::Mask lower = a.layers[l - 1].mask, upper = a.layers[l].mask;
    const bool upper_pp = is_partial_permutation(upper);
    lift.family = [lower, upper, upper_pp, l](const Family& f) -> std::optional<Family> {
        LaurentMatrix lo, up;
        for (const auto& [pos, v] : f[l - 1]) {
            const auto [i, j] = pos;
            if (upper_pp) {
                std::size_t k = upper.row_support(i).at(0);
                up[{i, k}] = kOne;
                lo[{k, j}] = v;
            } else {
                std::size_t k = lower.col_support(j).at(0);
                lo[{k, j}] = kOne;
                up[{i, k}] = v;
            }
        }
        return splice(f, l, 1, {lo, up});
    };
    lift.variable = [a, l](std::size_t k, std::size_t i, std::size_t j) {
        if (k < l) return PathSum{{weight_name(k, i, j)}};
        if (k > l) return PathSum{{weight_name(k + 1, i, j)}};
        return path_sum(a, l, l + 1, i, j);
    };
    return lift;
}

Lift lift_fusion_generic(const arch::Architecture& a, std::size_t l, bool rows) {
    Lift lift;
    lift.row_of = iota_vec(a.output_dim());
    lift.col_of = iota_vec(a.input_dim);
    const arch::Mask lower = a.layers[l - 1].mask, upper = a.layers[l].mask;
    lift.family = [lower, upper, l, rows](const Family& f) -> std::optional<Family> {
        if (!rows) {
            auto w = factor_cols(lower, upper, f[l - 1]);
            if (!w) return std::nullopt;
            return splice(f, l, 1, {w->second, w->first});
        }
        // F^T = W_l^T W_{l+1}^T: the column case for the transposed pair.
        auto w = factor_cols(upper.transposed(), lower.transposed(), transposed(f[l - 1]));
        if (!w) return std::nullopt;
        return splice(f, l, 1, {transposed(w->first), transposed(w->second)});
    };
    lift.variable = [a, l](std::size_t k, std::size_t i, std::size_t j) {
        if (k < l) return PathSum{{weight_name(k, i, j)}};
        if (k > l) return PathSum{{weight_name(k + 1, i, j)}};
        return path_sum(a, l, l + 1, i, j);
    };
    return lift;
}

Lift lift_run(const arch::Architecture& a, std::size_t first, std::size_t last, std::size_t width) {
    Lift lift;
    lift.row_of = iota_vec(a.output_dim());
    lift.col_of = iota_vec(a.input_dim);
    // The hidden layer of the run where the bottleneck is (width > 0).
    std::size_t h = first;
    while (width != 0 && a.width(h) != width) ++h;
    const std::size_t count = last - first + 1, used = width == 0 ? 1 : 2;
    const std::size_t in = a.width(first - 1), out = a.width(last);
    lift.family = [=](const Family& f) -> std::optional<Family> {
        std::vector<LaurentMatrix> run(count);
        if (width != 0) {
            // W_h ... W_first = C and W_last ... W_{h+1} = B, through identities on `width` units.
            for (std::size_t l = first; l <= last; ++l) run[l - first] = identity(width);
            run[0] = f[first - 1];
            run[last - first] = f[first];
        } else {
            const bool through_out = out <= in;  // route the smaller side through the identities
            for (std::size_t l = first; l <= last; ++l) run[l - first] = identity(through_out ? out : in);
            if (through_out) run[0] = f[first - 1];
            else run[last - first] = f[first - 1];
        }
        return splice(f, first, used, run);
    };
    lift.variable = [=](std::size_t k, std::size_t i, std::size_t j) {
        if (k < first) return PathSum{{weight_name(k, i, j)}};
        if (k >= first + used) return PathSum{{weight_name(k + count - used, i, j)}};
        if (width == 0) return path_sum(a, first, last, i, j);
        return k == first ? path_sum(a, first, h, i, j) : path_sum(a, h + 1, last, i, j);
    };
    return lift;
}

Family family_from_json(const json& family, std::size_t depth) {
    Family f(depth);
    for (const auto& layer : family) {
        const std::size_t l = layer.at("layer").get<std::size_t>();
        for (const auto& e : layer.at("entries"))
            put(f.at(l - 1), e.at("row").get<std::size_t>(), e.at("col").get<std::size_t>(), laurent_from(e.at("value")));
    }
    return f;
}

json family_to_json(const Family& f) {
    json out = json::array();
    for (std::size_t l = 1; l <= f.size(); ++l) {
        json entries = json::array();
        for (const auto& [pos, v] : f[l - 1])
            if (!v.is_zero()) entries.push_back({{"row", pos.first}, {"col", pos.second}, {"value", laurent_to(v)}});
        out.push_back({{"layer", l}, {"entries", std::move(entries)}});
    }
    return out;
}

std::optional<json> lift_proof(const Lift& lift, const json& derived, std::size_t max_terms) {
    json proof = derived;
    std::size_t depth = 0;
    for (const auto& layer : derived.at("family")) depth = std::max(depth, layer.at("layer").get<std::size_t>());
    auto fam = lift.family(family_from_json(derived.at("family"), depth));
    if (!fam) return std::nullopt;
    proof["family"] = family_to_json(*fam);
    auto map_lines = [](const json& v, const std::vector<std::size_t>& to) {
        std::vector<std::size_t> out;
        for (const auto& x : v) out.push_back(to.at(x.get<std::size_t>()));
        std::sort(out.begin(), out.end());
        return out;
    };
    proof["window"]["rows"] = map_lines(derived.at("window").at("rows"), lift.row_of);
    proof["window"]["cols"] = map_lines(derived.at("window").at("cols"), lift.col_of);
    for (auto& e : proof["limit"]) {
        e["row"] = lift.row_of.at(e.at("row").get<std::size_t>());
        e["col"] = lift.col_of.at(e.at("col").get<std::size_t>());
    }
    // Substitution: every derived variable's image, over the original variables that occur.
    json& nm = proof["nonmembership"];
    std::vector<json*> polys;
    for (auto& c : nm["cofactors"]) {
        c["row"] = lift.row_of.at(c.at("row").get<std::size_t>());
        c["col"] = lift.col_of.at(c.at("col").get<std::size_t>());
        polys.push_back(&c["poly"]);
    }
    if (nm.contains("squares"))
        for (auto& s : nm["squares"]) polys.push_back(&s["poly"]);
    std::map<std::string, PathSum> image;
    std::set<std::string> names;
    try {
        for (json* p : polys)
            for (const auto& term : *p)
                for (const auto& [name, e] : term.at(1).items()) {
                    if (image.count(name)) continue;
                    Var v = parse_weight(name);
                    image[name] = lift.variable(v.layer, v.i, v.j);
                    for (const auto& prod : image[name]) names.insert(prod.begin(), prod.end());
                }
    } catch (const std::length_error&) {
        return std::nullopt;
    }
    std::vector<std::string> name_list(names.begin(), names.end());
    auto ctx = core::make_poly_context(name_list.empty() ? std::vector<std::string>{"w0_0_0"} : name_list);
    std::map<std::string, std::size_t> index;
    for (std::size_t k = 0; k < name_list.size(); ++k) index[name_list[k]] = k;
    std::map<std::string, core::Poly> value;
    for (const auto& [name, sum] : image) {
        core::Poly p = core::Poly::zero(ctx);
        for (const auto& prod : sum) {
            core::Poly m = core::Poly::constant(ctx, Rational(1));
            for (const auto& v : prod) m *= core::Poly::variable(ctx, index.at(v));
            p += m;
        }
        value.emplace(name, std::move(p));
    }
    for (json* p : polys) {
        core::Poly acc = core::Poly::zero(ctx);
        for (const auto& term : *p) {
            core::Poly m = core::Poly::constant(ctx, Rational::parse(term.at(0).get<std::string>()));
            for (const auto& [name, e] : term.at(1).items()) m *= value.at(name).pow(e.get<unsigned long>());
            acc += m;
            if (acc.length() > max_terms) return std::nullopt;
        }
        *p = poly_json(acc);
    }
    return proof;
}

}  // namespace closecert::engine
