// Internal to the two-layer witness search (witness.cpp): candidate degenerations and the searcher
// that turns them into checked not-closed certificates.
#pragma once

#include "engine/witness.hpp"
#include "engine/poly_json.hpp"

#include <algorithm>
#include <cmath>
#include <functional>
#include <map>
#include <random>
#include <tuple>
#include <set>
#include <stdexcept>

#include "core/laurent_poly.hpp"
#include "core/nullstellensatz.hpp"
#include "core/positivstellensatz.hpp"
#include "core/qmatrix.hpp"
#include "core/poly.hpp"
#include "core/rational.hpp"
#include "engine/closed_prover.hpp"

namespace closecert::engine::witness_detail {

using nlohmann::json;
using arch::Index;
using arch::IndexSet;

struct Candidate {
    std::size_t k, l;       // the two overlapping terms
    Index i, j;             // shared cell: x = e_i, y = e_j
    IndexSet v_rows;        // A = sum_{i'} e_{i'} e_j^T + sum_{j'} e_i e_{j'}^T
    IndexSet u_cols;
    // Bounded contribution of a third term h (Lemma D): x_h = e_p, y_h = e_q, adding e_p e_q^T to A.
    std::optional<std::size_t> h;
    Index p = 0, q = 0;
};

// An explicit Laurent family, for degenerations beyond the Candidate shape (Lemma D', wider third
// terms): its limit and window are read off the exact product.
struct Family {
    std::map<std::pair<std::size_t, Index>, core::LaurentPoly> layer1;  // (hidden, input)
    std::map<std::pair<Index, std::size_t>, core::LaurentPoly> layer2;  // (output, hidden)
};

// Per-term vectors x_k (over "rows") and y_k (over "cols") in a possibly transposed view; to_family
// swaps the layers back, since (x y^T)^T = y x^T.
struct TermVecs {
    std::map<Index, core::LaurentPoly> x, y;
};

inline Family to_family(const std::map<std::size_t, TermVecs>& vecs, bool transposed) {
    Family f;
    for (const auto& [k, v] : vecs) {
        for (const auto& [r, val] : v.x)
            if (!val.is_zero()) (transposed ? f.layer1[{k, r}] : f.layer2[{r, k}]) = val;
        for (const auto& [c, val] : v.y)
            if (!val.is_zero()) (transposed ? f.layer2[{c, k}] : f.layer1[{k, c}]) = val;
    }
    return f;
}

inline bool has(const IndexSet& s, Index v) { return std::binary_search(s.begin(), s.end(), v); }

inline IndexSet sorted_union(IndexSet a, const IndexSet& b) {
    a.insert(a.end(), b.begin(), b.end());
    std::sort(a.begin(), a.end());
    a.erase(std::unique(a.begin(), a.end()), a.end());
    return a;
}

inline IndexSet sorted_intersection(const IndexSet& a, const IndexSet& b) {
    IndexSet out;
    std::set_intersection(a.begin(), a.end(), b.begin(), b.end(), std::back_inserter(out));
    return out;
}

// Rows (or columns) other than the centre, the terms' exclusive ones first: hooks that leave the
// shared part are the ones that tend to escape L.
inline IndexSet arms(const IndexSet& mine, const IndexSet& theirs, Index centre) {
    IndexSet out;
    for (Index a : mine)
        if (a != centre && !has(theirs, a)) out.push_back(a);
    for (Index a : theirs)
        if (a != centre && !has(mine, a)) out.push_back(a);
    for (Index a : mine)
        if (a != centre && has(theirs, a)) out.push_back(a);
    return out;
}

inline std::vector<IndexSet> subsets_up_to(const IndexSet& pool, std::size_t min_size, std::size_t max_size) {
    std::vector<IndexSet> out;
    if (min_size == 0) out.push_back({});
    if (max_size >= 1 && min_size <= 1)
        for (Index a : pool) out.push_back({a});
    if (max_size >= 2)
        for (std::size_t x = 0; x < pool.size(); ++x)
            for (std::size_t y = x + 1; y < pool.size(); ++y) {
                IndexSet s{pool[x], pool[y]};
                std::sort(s.begin(), s.end());
                out.push_back(s);
            }
    return out;
}

inline json laurent_json(const core::LaurentPoly& p) {
    json out = json::array();
    for (const auto& [e, c] : p.terms()) out.push_back({c.to_string(), e});
    return out;
}

inline std::string var_x(Index row, std::size_t h) { return "w2_" + std::to_string(row) + "_" + std::to_string(h); }
inline std::string var_y(std::size_t h, Index col) { return "w1_" + std::to_string(h) + "_" + std::to_string(col); }

using Limit = std::map<std::pair<Index, Index>, core::Rational>;

// Cheap sufficient test for A in L: split A into rank-one pieces, one per class of proportional rows
// (or columns), and match the pieces to distinct terms that contain them. Candidates it accepts
// can have no non-membership proof, and the Nullstellensatz search would only fail slowly on them.
inline bool obviously_in_L(const arch::Pattern& p, const Limit& limit, bool by_cols) {
    // line -> normalised entries (first nonzero = 1), grouped into classes of proportional lines.
    std::map<Index, std::vector<std::pair<Index, core::Rational>>> lines;
    for (const auto& [cell, q] : limit)
        if (!q.is_zero()) lines[by_cols ? cell.second : cell.first].push_back({by_cols ? cell.first : cell.second, q});
    std::map<std::vector<std::pair<Index, core::Rational>>, std::pair<IndexSet, IndexSet>> classes;  // -> (lines, support)
    for (auto& [line, entries] : lines) {
        std::sort(entries.begin(), entries.end());
        const core::Rational lead = entries.front().second;
        IndexSet support;
        for (auto& [pos, q] : entries) {
            q = q / lead;
            support.push_back(pos);
        }
        auto& cls = classes[entries];
        cls.first.push_back(line);
        cls.second = support;
    }
    std::vector<std::pair<IndexSet, IndexSet>> pieces;
    for (auto& [key, cls] : classes) pieces.push_back(cls);
    if (pieces.size() > p.terms.size()) return false;
    // Kuhn's augmenting paths: piece -> term.
    auto fits = [&](const std::pair<IndexSet, IndexSet>& pc, const arch::Rect& r) {
        const IndexSet& lines_of = by_cols ? r.cols : r.rows;
        const IndexSet& support_of = by_cols ? r.rows : r.cols;
        return std::includes(lines_of.begin(), lines_of.end(), pc.first.begin(), pc.first.end()) &&
               std::includes(support_of.begin(), support_of.end(), pc.second.begin(), pc.second.end());
    };
    std::vector<std::size_t> owner(p.terms.size(), pieces.size());
    std::function<bool(std::size_t, std::vector<bool>&)> augment = [&](std::size_t pc, std::vector<bool>& visited) {
        for (std::size_t h = 0; h < p.terms.size(); ++h) {
            if (visited[h] || !fits(pieces[pc], p.terms[h])) continue;
            visited[h] = true;
            if (owner[h] == pieces.size() || augment(owner[h], visited)) {
                owner[h] = pc;
                return true;
            }
        }
        return false;
    };
    for (std::size_t pc = 0; pc < pieces.size(); ++pc) {
        std::vector<bool> visited(p.terms.size(), false);
        if (!augment(pc, visited)) return false;
    }
    return true;
}

// "r,r,...|c,c,...": the part of the search's keys that names a window.
inline std::string window_key(const IndexSet& rows, const IndexSet& cols) {
    std::string key;
    for (Index a : rows) key += std::to_string(a) + ",";
    key += "|";
    for (Index b : cols) key += std::to_string(b) + ",";
    return key;
}

class Searcher {
public:
    Searcher(const arch::Pattern& p, const WitnessLimits& limits, const Deadline& deadline)
        : p_(p), limits_(limits), deadline_(deadline) {}

    // Returns the proof if the candidate is a witness.
    std::optional<json> try_candidate(const Candidate& c, WitnessSearch& stats) {
        IndexSet rows = sorted_union({c.i}, c.v_rows);
        IndexSet cols = sorted_union({c.j}, c.u_cols);
        if (c.h) {
            rows = sorted_union(rows, {c.p});
            cols = sorted_union(cols, {c.q});
        }
        std::string key = window_key(rows, cols);
        key += "|" + std::to_string(c.i) + "," + std::to_string(c.j) + "|";
        for (Index a : c.v_rows) key += std::to_string(a) + ",";
        key += "|";
        for (Index b : c.u_cols) key += std::to_string(b) + ",";
        if (c.h) key += "|" + std::to_string(*c.h) + ":" + std::to_string(c.p) + "," + std::to_string(c.q);
        if (!seen_.insert(key).second) return std::nullopt;
        ++stats.candidates_tried;

        std::map<std::pair<Index, Index>, core::Rational> limit;
        for (Index a : c.v_rows) limit[{a, c.j}] = core::Rational(1);
        for (Index b : c.u_cols) limit[{c.i, b}] = core::Rational(1);
        if (c.h) limit[{c.p, c.q}] = limit[{c.p, c.q}] + core::Rational(1);
        return proof_in_window(rows, cols, limit, stats, [&] { return family(c, limit); });
    }

    // Same steps for an explicit family: no pole may survive, A is the constant term, the window is
    // every row and column the family touches (it contains supp A).
    std::optional<json> try_family(const Family& f, WitnessSearch& stats) {
        std::map<std::pair<Index, Index>, core::LaurentPoly> product;
        for (const auto& [p2, x] : f.layer2)
            for (auto it = f.layer1.lower_bound({p2.second, 0}); it != f.layer1.end() && it->first.first == p2.second; ++it) {
                auto& cell = product[{p2.first, it->first.second}];
                cell = cell + x * it->second;
            }
        std::map<std::pair<Index, Index>, core::Rational> limit;
        for (const auto& [cell, val] : product) {
            if (val.is_zero()) continue;
            if (val.min_exponent() < 0) return std::nullopt;
            if (core::Rational c = val.coeff(0); !c.is_zero()) limit[cell] = c;
        }
        if (limit.empty()) return std::nullopt;
        IndexSet rows, cols;
        for (const auto& [pos, val] : f.layer2) rows.push_back(pos.first);
        for (const auto& [pos, val] : f.layer1) cols.push_back(pos.second);
        rows = sorted_union(rows, {});
        cols = sorted_union(cols, {});
        // Window and limit decide the outcome: families that differ elsewhere are not retried.
        std::string key = "F|" + window_key(rows, cols);
        for (const auto& [cell, q] : limit)
            key += "|" + std::to_string(cell.first) + "," + std::to_string(cell.second) + "=" + q.to_string();
        if (!seen_.insert(key).second) return std::nullopt;
        if (obviously_in_L(p_, limit, false) || obviously_in_L(p_, limit, true)) return std::nullopt;
        ++stats.candidates_tried;
        return proof_in_window(rows, cols, limit, stats, [&] { return family_json(f.layer1, f.layer2, limit); });
    }

private:
    // The steps both candidate kinds share once the limit A is known: skip a window whose set is
    // closed (it contains the limit of any sequence in it, Lemma W), else prove A outside the window
    // set and assemble the certificate; `family` gives the checked family's JSON.
    template <class FamilyJson>
    std::optional<json> proof_in_window(const IndexSet& rows, const IndexSet& cols,
                                        const std::map<std::pair<Index, Index>, core::Rational>& limit,
                                        WitnessSearch& stats, FamilyJson family) {
        arch::Pattern wp = arch::window(p_, rows, cols);
        // Many candidates share a window; its closedness is decided once.
        auto [it, fresh] = window_closed_.emplace(window_key(rows, cols), false);
        if (fresh) it->second = ClosedProver(wp, deadline_).prove_all().has_value();
        if (it->second) {
            ++stats.windows_closed;
            return std::nullopt;
        }
        auto cofactors = nonmembership(wp, rows, cols, limit);
        if (!cofactors) return std::nullopt;
        json proof = {{"verdict", "not_closed"}, {"rule", "limit_outside"},
                      {"window", {{"rows", rows}, {"cols", cols}}}};
        proof["family"] = family();
        json lim = json::array();
        for (const auto& [cell, q] : limit)
            if (!q.is_zero()) lim.push_back({{"row", cell.first}, {"col", cell.second}, {"value", rational_json(q)}});
        proof["limit"] = std::move(lim);
        proof["nonmembership"] = std::move(*cofactors);
        return proof;
    }

    // Nullstellensatz certificate for: sum_h x_{ph} y_{hq} = A_pq on rows x cols.
    std::optional<json> nonmembership(const arch::Pattern& wp, const IndexSet& rows, const IndexSet& cols,
                                      const std::map<std::pair<Index, Index>, core::Rational>& limit) {
        // Lemma V inside the window: a full class takes any values on its cells, so A is in the window
        // set iff the rest matches A off those cells. Dropping those equations (cofactor 0) and the
        // class's variables loses no certificate and shrinks the system.
        SubPattern sp = make_subpattern(wp, [&] {
            std::vector<std::size_t> all(wp.terms.size());
            for (std::size_t h = 0; h < all.size(); ++h) all[h] = h;
            return all;
        }(), CellSet(wp.m, wp.n));
        std::vector<bool> removed(wp.terms.size(), false);
        for (bool again = true; again;) {
            again = false;
            for (const auto& cls : classes_of(sp)) {
                if (!class_is_full(sp, cls) || !sp.has_visible_cell(cls[0])) continue;
                CellSet forgotten = sp.forgotten;
                for (auto [i, j] : sp.visible_cells(cls[0])) forgotten.insert(i, j);
                std::vector<std::size_t> rest;
                std::set_difference(sp.terms.begin(), sp.terms.end(), cls.begin(), cls.end(), std::back_inserter(rest));
                for (std::size_t h : cls) removed[h] = true;
                sp = make_subpattern(wp, rest, forgotten);
                // Keep forgotten cells outside the remaining rectangles too: their equations stay dropped.
                sp.forgotten = forgotten;
                again = true;
                break;
            }
        }
        std::vector<std::string> names;
        std::vector<std::pair<std::size_t, int>> owner;  // (term, +1 for x / -1 for y)
        std::map<std::string, std::size_t> index;
        auto var = [&](const std::string& name, std::size_t h, int side) {
            auto [it, fresh] = index.emplace(name, names.size());
            if (fresh) {
                names.push_back(name);
                owner.emplace_back(h, side);
            }
            return it->second;
        };
        struct Product { std::size_t x, y; };
        std::vector<std::pair<std::pair<Index, Index>, std::vector<Product>>> cells;
        for (std::size_t wa = 0; wa < rows.size(); ++wa)
            for (std::size_t wb = 0; wb < cols.size(); ++wb) {
                if (!sp.visible(Index(wa), Index(wb))) continue;
                const Index a = rows[wa], b = cols[wb];
                std::vector<Product> prods;
                for (std::size_t h = 0; h < p_.terms.size(); ++h)
                    if (!removed[h] && p_.terms[h].contains(a, b)) prods.push_back({var(var_x(a, h), h, 1), var(var_y(h, b), h, -1)});
                cells.push_back({{a, b}, std::move(prods)});
            }
        // Most candidate limits that fail are in L; a numerical solution with bounded factors says so
        // cheaply and spares the exact searches (a filter: it can only lose a witness).
        {
            std::vector<std::vector<std::pair<std::size_t, std::size_t>>> prods;
            std::vector<double> target;
            for (const auto& [cell, ps] : cells) {
                auto& v = prods.emplace_back();
                for (const auto& pr : ps) v.emplace_back(pr.x, pr.y);
                auto it = limit.find(cell);
                target.push_back(it == limit.end() ? 0.0 : it->second.to_double());
            }
            if (numerically_in_image(names.size(), prods, target)) return std::nullopt;
        }
        auto ctx = core::make_poly_context(names);
        std::vector<core::Poly> f;
        for (const auto& [cell, prods] : cells) {
            core::Poly e = core::Poly::zero(ctx);
            for (const auto& pr : prods) e = e + core::Poly::variable(ctx, pr.x) * core::Poly::variable(ctx, pr.y);
            auto it = limit.find(cell);
            if (it != limit.end()) e = e - core::Poly::constant(ctx, it->second);
            f.push_back(std::move(e));
        }
        core::NullstellensatzLimits nl;
        nl.max_degree = limits_.max_degree;
        nl.deadline = deadline_.at();
        // Each term is invariant under x_h -> s x_h, y_h -> y_h / s: one grading per term.
        std::map<std::size_t, std::vector<int>> gradings;
        for (std::size_t v = 0; v < owner.size(); ++v) {
            auto& g = gradings.try_emplace(owner[v].first, std::vector<int>(owner.size(), 0)).first->second;
            g[v] = owner[v].second;
        }
        for (auto& [h, g] : gradings) nl.gradings.push_back(std::move(g));
        auto g = core::find_nullstellensatz(f, nl);
        deadline_.check();
        if (!g) {
            // No complex-infeasibility certificate: try a real one (Positivstellensatz, degree <= 4,
            // diagonally dominant squares by LP). Bounded because the census meets thousands of windows.
            core::PositivstellensatzLimits pl;
            pl.max_degree = std::min(4u, nl.max_degree);
            pl.max_unknowns = 4000;
            pl.max_rows = 2000;
            pl.deadline = nl.deadline;
            pl.gradings = nl.gradings;
            auto c = core::find_positivstellensatz(f, pl);
            deadline_.check();
            if (!c) return std::nullopt;
            json cof = json::array(), squares = json::array();
            for (std::size_t e = 0; e < f.size(); ++e)
                if (!c->cofactors[e].is_zero())
                    cof.push_back({{"row", cells[e].first.first}, {"col", cells[e].first.second}, {"poly", poly_json(c->cofactors[e])}});
            for (const auto& s : c->squares) squares.push_back({{"weight", rational_json(s.weight)}, {"poly", poly_json(s.poly)}});
            return json{{"kind", "positivstellensatz"}, {"cofactors", std::move(cof)}, {"squares", std::move(squares)}};
        }
        json cof = json::array();
        for (std::size_t e = 0; e < f.size(); ++e)
            if (!(*g)[e].is_zero())
                cof.push_back({{"row", cells[e].first.first}, {"col", cells[e].first.second}, {"poly", poly_json((*g)[e])}});
        return json{{"kind", "nullstellensatz"}, {"cofactors", std::move(cof)}};
    }

    // x_k = t^-1 e_i + (v on k's rows), y_k = e_j + t (u on k's cols); x_l = -t^-1 e_i + (rest of v),
    // y_l = e_j - t (rest of u): the sum is A + t (...) (Lemma D).
    json family(const Candidate& c, const std::map<std::pair<Index, Index>, core::Rational>& limit) const {
        using core::LaurentPoly;
        using core::Rational;
        std::map<std::pair<std::size_t, Index>, LaurentPoly> layer1;  // (hidden, input)
        std::map<std::pair<Index, std::size_t>, LaurentPoly> layer2;  // (output, hidden)
        const auto& tk = p_.terms[c.k];
        layer2[{c.i, c.k}] = LaurentPoly(Rational(1), -1);
        layer2[{c.i, c.l}] = LaurentPoly(Rational(-1), -1);
        layer1[{c.k, c.j}] = LaurentPoly(Rational(1), 0);
        layer1[{c.l, c.j}] = LaurentPoly(Rational(1), 0);
        for (Index a : c.v_rows) layer2[{a, has(tk.rows, a) ? c.k : c.l}] = LaurentPoly(Rational(1), 0);
        for (Index b : c.u_cols) {
            if (has(tk.cols, b)) layer1[{c.k, b}] = LaurentPoly(Rational(1), 1);
            else layer1[{c.l, b}] = LaurentPoly(Rational(-1), 1);
        }
        if (c.h) {
            layer2[{c.p, *c.h}] = LaurentPoly(Rational(1), 0);
            layer1[{*c.h, c.q}] = LaurentPoly(Rational(1), 0);
        }
        return family_json(layer1, layer2, limit);
    }

    // The certificate's "family" array, after the guard below.
    json family_json(const std::map<std::pair<std::size_t, Index>, core::LaurentPoly>& layer1,
                     const std::map<std::pair<Index, std::size_t>, core::LaurentPoly>& layer2,
                     const std::map<std::pair<Index, Index>, core::Rational>& limit) const {
        check_family(layer1, layer2, limit);
        json l1 = json::array(), l2 = json::array();
        for (const auto& [pos, val] : layer1) l1.push_back({{"row", pos.first}, {"col", pos.second}, {"value", laurent_json(val)}});
        for (const auto& [pos, val] : layer2) l2.push_back({{"row", pos.first}, {"col", pos.second}, {"value", laurent_json(val)}});
        return json::array({json{{"layer", 1}, {"entries", l1}}, json{{"layer", 2}, {"entries", l2}}});
    }

    // Guard against engine bugs: the family must lie in the masks and converge to A.
    void check_family(const std::map<std::pair<std::size_t, Index>, core::LaurentPoly>& layer1,
                      const std::map<std::pair<Index, std::size_t>, core::LaurentPoly>& layer2,
                      const std::map<std::pair<Index, Index>, core::Rational>& limit) const {
        std::map<std::pair<Index, Index>, core::LaurentPoly> product;
        for (const auto& [p2, x] : layer2) {
            if (!has(p_.terms[p2.second].rows, p2.first)) throw std::logic_error("witness family leaves mask 2");
            for (const auto& [p1, y] : layer1) {
                if (p1.first != p2.second) continue;
                if (!has(p_.terms[p1.first].cols, p1.second)) throw std::logic_error("witness family leaves mask 1");
                auto& cell = product[{p2.first, p1.second}];
                cell = cell + x * y;
            }
        }
        for (const auto& [cell, q] : limit) product[cell] = product[cell] - core::LaurentPoly(q, 0);
        for (const auto& [cell, val] : product)
            if (!val.is_zero() && val.min_exponent() < 1) throw std::logic_error("witness family does not converge to A");
    }

    const arch::Pattern& p_;
    const WitnessLimits& limits_;
    const Deadline& deadline_;
    std::set<std::string> seen_;
    std::map<std::string, bool> window_closed_;
};

}  // namespace closecert::engine::witness_detail
