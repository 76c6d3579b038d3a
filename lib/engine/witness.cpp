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

namespace closecert::engine {

using nlohmann::json;
using arch::Index;
using arch::IndexSet;

namespace {

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

Family to_family(const std::map<std::size_t, TermVecs>& vecs, bool transposed) {
    Family f;
    for (const auto& [k, v] : vecs) {
        for (const auto& [r, val] : v.x)
            if (!val.is_zero()) (transposed ? f.layer1[{k, r}] : f.layer2[{r, k}]) = val;
        for (const auto& [c, val] : v.y)
            if (!val.is_zero()) (transposed ? f.layer2[{c, k}] : f.layer1[{k, c}]) = val;
    }
    return f;
}

bool has(const IndexSet& s, Index v) { return std::binary_search(s.begin(), s.end(), v); }

IndexSet sorted_union(IndexSet a, const IndexSet& b) {
    a.insert(a.end(), b.begin(), b.end());
    std::sort(a.begin(), a.end());
    a.erase(std::unique(a.begin(), a.end()), a.end());
    return a;
}

IndexSet sorted_intersection(const IndexSet& a, const IndexSet& b) {
    IndexSet out;
    std::set_intersection(a.begin(), a.end(), b.begin(), b.end(), std::back_inserter(out));
    return out;
}

// Rows (or columns) other than the centre, the terms' exclusive ones first: hooks that leave the
// shared part are the ones that tend to escape L.
IndexSet arms(const IndexSet& mine, const IndexSet& theirs, Index centre) {
    IndexSet out;
    for (Index a : mine)
        if (a != centre && !has(theirs, a)) out.push_back(a);
    for (Index a : theirs)
        if (a != centre && !has(mine, a)) out.push_back(a);
    for (Index a : mine)
        if (a != centre && has(theirs, a)) out.push_back(a);
    return out;
}

std::vector<IndexSet> subsets_up_to(const IndexSet& pool, std::size_t min_size, std::size_t max_size) {
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

json laurent_json(const core::LaurentPoly& p) {
    json out = json::array();
    for (const auto& [e, c] : p.terms()) out.push_back({c.to_string(), e});
    return out;
}

std::string var_x(Index row, std::size_t h) { return "w2_" + std::to_string(row) + "_" + std::to_string(h); }
std::string var_y(std::size_t h, Index col) { return "w1_" + std::to_string(h) + "_" + std::to_string(col); }

using Limit = std::map<std::pair<Index, Index>, core::Rational>;

// Cheap sufficient test for A in L: split A into rank-one pieces, one per class of proportional rows
// (or columns), and match the pieces to distinct terms that contain them. Candidates it accepts
// can have no non-membership proof, and the Nullstellensatz search would only fail slowly on them.
bool obviously_in_L(const arch::Pattern& p, const Limit& limit, bool by_cols) {
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
std::string window_key(const IndexSet& rows, const IndexSet& cols) {
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

}  // namespace

// Calls visit(k, l, i, j, row_arms, col_arms) for every pair of overlapping terms with different
// rectangles and every shared cell (i, j); arms are capped at `cap`, exclusive ones first. Stops
// when visit returns true.
template <class Visit>
bool for_each_centre(const arch::Pattern& p, const std::vector<std::size_t>& terms, std::size_t cap, Visit visit) {
    for (std::size_t a = 0; a < terms.size(); ++a)
        for (std::size_t b = a + 1; b < terms.size(); ++b) {
            const std::size_t k = terms[a], l = terms[b];
            const auto& tk = p.terms[k];
            const auto& tl = p.terms[l];
            if (tk == tl || !arch::rects_overlap(tk, tl)) continue;
            for (Index i : sorted_intersection(tk.rows, tl.rows))
                for (Index j : sorted_intersection(tk.cols, tl.cols)) {
                    IndexSet row_arms = arms(tk.rows, tl.rows, i);
                    IndexSet col_arms = arms(tk.cols, tl.cols, j);
                    if (row_arms.size() > cap) row_arms.resize(cap);
                    if (col_arms.size() > cap) col_arms.resize(cap);
                    if (visit(k, l, i, j, row_arms, col_arms)) return true;
                }
        }
    return false;
}

WitnessSearch find_witness(const arch::Pattern& p, const std::vector<std::size_t>& terms, const WitnessLimits& limits,
                           const Deadline& deadline) {
    WitnessSearch stats;
    Searcher searcher(p, limits, deadline);
    // True when the search is over: a witness was found or the candidate budget is spent.
    auto try_one = [&](const Candidate& c) {
        if (stats.candidates_tried >= limits.max_candidates) return true;
        deadline.check();
        stats.proof = searcher.try_candidate(c, stats);
        return stats.proof.has_value();
    };
    // Pass 1: hooks with at most one arm each way; pass 2: up to two arms each way. The arm caps keep
    // the enumeration linear in the mask size.
    for (int pass = 1; pass <= 2 && limits.structured; ++pass) {
        const bool done = for_each_centre(p, terms, pass == 1 ? 64 : 6, [&](std::size_t k, std::size_t l, Index i, Index j,
                                                                          const IndexSet& row_arms, const IndexSet& col_arms) {
            for (const auto& v : subsets_up_to(row_arms, 0, pass))
                for (const auto& u : subsets_up_to(col_arms, 0, pass)) {
                    if (v.empty() && u.empty()) continue;
                    if (pass == 2 && v.size() < 2 && u.size() < 2) continue;
                    if (try_one(Candidate{k, l, i, j, v, u, std::nullopt, 0, 0})) return true;
                }
            return false;
        });
        if (done) return stats;
    }
    // Pass 3: one-arm hooks plus a bounded rank-one contribution of a third term on a fresh row and column.
    const bool done3 = limits.structured && for_each_centre(p, terms, 6, [&](std::size_t k, std::size_t l, Index i, Index j, const IndexSet& row_arms,
                                     const IndexSet& col_arms) {
        for (const auto& v : subsets_up_to(row_arms, 0, 1))
            for (const auto& u : subsets_up_to(col_arms, 0, 1))
                for (std::size_t h : terms) {
                    if (h == k || h == l || p.terms[h].empty()) continue;
                    for (Index pr : p.terms[h].rows) {
                        if (pr == i || has(v, pr)) continue;
                        for (Index qc : p.terms[h].cols)
                            if (qc != j && !has(u, qc) && try_one(Candidate{k, l, i, j, v, u, h, pr, qc})) return true;
                    }
                }
        return false;
    });
    if (done3) return stats;

    // Passes 4 and 5 build explicit families (Lemma D' first: it is cheaper on the census patterns). Many give the same (window, limit) and are skipped
    // cheaply, so the enumeration itself is capped too, not only the candidates that reach a prover.
    using core::LaurentPoly;
    using core::Rational;
    std::size_t enumerated = 0;
    const std::size_t max_enumerated = 64 * limits.max_candidates;
    auto try_family = [&](const std::map<std::size_t, TermVecs>& vecs, bool transposed) {
        if (stats.candidates_tried >= limits.max_candidates || ++enumerated > max_enumerated) return true;
        deadline.check();
        stats.proof = searcher.try_family(to_family(vecs, transposed), stats);
        return stats.proof.has_value();
    };

    // Pass 4 (Lemma D'): three terms a, b, c through column j cancel their poles with the dependent
    // x^0 = e_p + e_q, e_p, e_q (alpha = -1, 1, 1); y_k = t^-1 alpha_k e_j + y_k^0 with y_k^0 one cell
    // or 0, and x_m = x_m^0 + t e_r on one term m, adding alpha_m e_r e_j^T. Without that x^1 the
    // limit is sum x_k^0 (y_k^0)^T, in L. The transposed view gives the row version.
    for (bool tr : {false, true}) {
        if (!limits.structured) break;
        auto R = [&](std::size_t k) -> const IndexSet& { return tr ? p.terms[k].cols : p.terms[k].rows; };
        auto C = [&](std::size_t k) -> const IndexSet& { return tr ? p.terms[k].rows : p.terms[k].cols; };
        IndexSet js;
        for (std::size_t k : terms) js = sorted_union(js, C(k));
        for (Index j : js) {
            std::vector<std::size_t> through;
            for (std::size_t k : terms)
                if (!p.terms[k].empty() && has(C(k), j)) through.push_back(k);
            if (through.size() < 3) continue;
            // y^0 choices: a cell off j, the cell j, or 0; capped so wide terms stay cheap.
            auto y_options = [&](std::size_t k) {
                std::vector<std::optional<Index>> out;
                for (Index c : C(k))
                    if (c != j && out.size() < 3) out.push_back(c);
                out.push_back(j);
                out.push_back(std::nullopt);
                return out;
            };
            for (std::size_t a : through)
                for (const auto& pq : subsets_up_to(R(a), 2, 2))
                    for (std::size_t b : through) {
                        if (b == a || !has(R(b), pq[0])) continue;
                        for (std::size_t c : through) {
                            if (c == a || c == b || !has(R(c), pq[1])) continue;
                            const std::size_t ks[3] = {a, b, c};
                            const int alpha[3] = {-1, 1, 1};
                            const IndexSet x0[3] = {pq, {pq[0]}, {pq[1]}};
                            const auto ya = y_options(a), yb = y_options(b), yc = y_options(c);
                            for (const auto& y0a : ya)
                                for (const auto& y0b : yb)
                                    for (const auto& y0c : yc)
                                        for (int m = 0; m < 3; ++m)
                                            for (Index r : R(ks[m])) {
                                                std::map<std::size_t, TermVecs> vecs;
                                                const std::optional<Index> y0[3] = {y0a, y0b, y0c};
                                                for (int s = 0; s < 3; ++s) {
                                                    auto& tv = vecs[ks[s]];
                                                    for (Index x : x0[s]) tv.x[x] = LaurentPoly(Rational(1), 0);
                                                    tv.y[j] = LaurentPoly(Rational(alpha[s]), -1);
                                                    if (y0[s]) tv.y[*y0[s]] = tv.y[*y0[s]] + LaurentPoly(Rational(1), 0);
                                                }
                                                auto& xm = vecs[ks[m]].x[r];
                                                xm = xm + LaurentPoly(Rational(1), 1);
                                                if (try_family(vecs, tr)) return stats;
                                            }
                        }
                    }
        }
    }

    // Pass 5: hooks with up to two arms each way plus a third term h carrying e_p y^T with y on one or
    // two of h's columns, or x e_q^T with x on two of its rows (a bounded rank-one term adds to A).
    if (limits.structured) for_each_centre(p, terms, 6, [&](std::size_t k, std::size_t l, Index i, Index j,
                                     const IndexSet& row_arms, const IndexSet& col_arms) {
        const auto& tk = p.terms[k];
        for (const auto& v : subsets_up_to(row_arms, 0, 2))
            for (const auto& u : subsets_up_to(col_arms, 0, 2)) {
                if (v.empty() && u.empty()) continue;
                std::map<std::size_t, TermVecs> hook;  // the Lemma D family of family()
                hook[k].x[i] = LaurentPoly(Rational(1), -1);
                hook[l].x[i] = LaurentPoly(Rational(-1), -1);
                hook[k].y[j] = hook[l].y[j] = LaurentPoly(Rational(1), 0);
                for (Index a : v) hook[has(tk.rows, a) ? k : l].x[a] = LaurentPoly(Rational(1), 0);
                for (Index b : u) {
                    if (has(tk.cols, b)) hook[k].y[b] = LaurentPoly(Rational(1), 1);
                    else hook[l].y[b] = LaurentPoly(Rational(-1), 1);
                }
                const bool small_hook = v.size() <= 1 && u.size() <= 1;
                for (std::size_t h : terms) {
                    const auto& th = p.terms[h];
                    if (h == k || h == l || th.empty()) continue;
                    for (Index pr : th.rows)
                        for (const auto& qs : subsets_up_to(th.cols, 1, 2)) {
                            // Pass 3 already tried one fresh cell with a one-arm hook.
                            if (qs.size() == 1 && small_hook && pr != i && !has(v, pr) && qs[0] != j && !has(u, qs[0])) continue;
                            auto vecs = hook;
                            vecs[h].x[pr] = LaurentPoly(Rational(1), 0);
                            for (Index q : qs) vecs[h].y[q] = LaurentPoly(Rational(1), 0);
                            if (try_family(vecs, false)) return true;
                        }
                    for (Index qc : th.cols)
                        for (const auto& ps : subsets_up_to(th.rows, 2, 2)) {
                            auto vecs = hook;
                            for (Index pr : ps) vecs[h].x[pr] = LaurentPoly(Rational(1), 0);
                            vecs[h].y[qc] = LaurentPoly(Rational(1), 0);
                            if (try_family(vecs, false)) return true;
                        }
                }
            }
        return false;
    });
    if (stats.proof) return stats;

    // Pass 6 (poles of order up to 2, Lemma D2): random sparse families on small patterns. Rescaling
    // (x, y) -> (t^a x, t^-a y) moves every pole onto y, so x_k = sum_{e=0..d} t^e x_k^(e) and
    // y_k = sum_{f=-d..0} t^f y_k^(f). Once x is drawn, "no pole survives" is linear in the y^(f), f < 0:
    // sum_k sum_{e+f=s} x_k^(e)(i) y_k^(f)(j) = 0 on every cell, for s = -d..-1; a random element of
    // that kernel gives a family whose limit is the t^0 coefficient, sum_k sum_e x_k^(e) y_k^(-e)^T
    // (y^(0) is drawn at random too).
    // x is sparse so that terms can cancel at all. Fixed seed: verdicts are reproducible.
    {
        IndexSet rows, cols;
        for (std::size_t k : terms) rows = sorted_union(rows, p.terms[k].rows), cols = sorted_union(cols, p.terms[k].cols);
        if (rows.size() > limits.max_random_side || cols.size() > limits.max_random_side) return stats;
        std::mt19937_64 rng(0x6f72646572ULL + p.m * 131 + p.n);
        // 0 with probability zero_in_5 / 5, else 1 (or +-1 when signed): 0/1 entries keep the limits
        // and their Nullstellensatz certificates small.
        auto small = [&](int zero_in_5, bool signed_values = false) {
            if (static_cast<int>(rng() % 5) < zero_in_5) return 0L;
            return signed_values && rng() % 2 ? -1L : 1L;
        };
        for (unsigned d = std::max(1u, limits.first_random_order); d <= 2; ++d)
            for (std::size_t trial = 0; trial < limits.random_trials; ++trial) {
                deadline.check();
                // Unknowns: y_k^(f)(j) for f = -d..-1 (index f + d).
                std::map<std::tuple<std::size_t, unsigned, Index>, std::size_t> unknown;
                std::map<std::tuple<std::size_t, unsigned, Index>, long> x;  // (k, e, i)
                for (std::size_t k : terms) {
                    for (Index i : p.terms[k].rows)
                        for (unsigned e = 0; e <= d; ++e)
                            if (long v = small(3)) x[{k, e, i}] = v;
                    for (Index j : p.terms[k].cols)
                        for (unsigned f = 0; f < d; ++f) unknown.emplace(std::make_tuple(k, f, j), unknown.size());
                }
                std::vector<std::vector<std::pair<std::size_t, long>>> eqs;
                for (unsigned s = 0; s < d; ++s)  // coefficient of t^(s - d)
                    for (Index i : rows)
                        for (Index j : cols) {
                            std::vector<std::pair<std::size_t, long>> eq;
                            for (std::size_t k : terms) {
                                if (!has(p.terms[k].rows, i) || !has(p.terms[k].cols, j)) continue;
                                for (unsigned e = 0; e <= s; ++e)  // f = s - d - e, index s - e
                                    if (auto it = x.find({k, e, i}); it != x.end())
                                        eq.emplace_back(unknown.at({k, s - e, j}), it->second);
                            }
                            if (!eq.empty()) eqs.push_back(std::move(eq));
                        }
                core::QMatrix M(eqs.size(), unknown.size());
                for (std::size_t r = 0; r < eqs.size(); ++r)
                    for (auto [c, v] : eqs[r]) M.set(r, c, M.get(r, c) + Rational(v));
                core::QMatrix N = core::nullspace(M);
                if (N.cols() == 0) continue;
                std::vector<Rational> y(unknown.size(), Rational(0));
                for (std::size_t b = 0; b < N.cols(); ++b)
                    if (long c = small(2, true))
                        for (std::size_t r = 0; r < y.size(); ++r) y[r] += N.get(r, b) * Rational(c);
                // Order d only when some y^(-d) survives (order 1 is tried first).
                bool top = false;
                for (const auto& [key, idx] : unknown) top = top || (std::get<1>(key) == 0 && !y[idx].is_zero());
                if (!top) continue;
                std::map<std::size_t, TermVecs> vecs;
                for (const auto& [key, v] : x) {
                    auto& cell = vecs[std::get<0>(key)].x[std::get<2>(key)];
                    cell = cell + LaurentPoly(Rational(v), static_cast<int>(std::get<1>(key)));
                }
                // A bounded part y^(0) adds sum_k x_k^(0) y_k^(0)^T to the limit; it is what moves the
                // limit off L in the three-term families of Lemma D'.
                for (std::size_t k : terms)
                    for (Index j : p.terms[k].cols)
                        if (long v = small(3)) {
                            auto& cell = vecs[k].y[j];
                            cell = cell + LaurentPoly(Rational(v), 0);
                        }
                for (const auto& [key, idx] : unknown)
                    if (!y[idx].is_zero()) {
                        auto& cell = vecs[std::get<0>(key)].y[std::get<2>(key)];
                        cell = cell + LaurentPoly(y[idx], static_cast<int>(std::get<1>(key)) - static_cast<int>(d));
                    }
                stats.proof = searcher.try_family(to_family(vecs, false), stats);
                if (stats.proof) return stats;
            }
    }
    return stats;
}

// Levenberg-Marquardt on sum over products z_x z_y = target, per cell, from a few random starts: true
// if some start reaches a residual below 1e-10 (relative) with every |z| < 1e4. A limit outside L
// is approached only with unbounded factors, so such a point is (up to rounding) in L.
bool numerically_in_image(std::size_t n, const std::vector<std::vector<std::pair<std::size_t, std::size_t>>>& prods,
                          const std::vector<double>& target) {
    const std::size_t m = prods.size();
    double scale = 1;
    for (double a : target) scale = std::max(scale, std::abs(a));
    for (std::size_t c = 0; c < m; ++c)
        if (prods[c].empty() && target[c] != 0) return false;
    auto residual = [&](const std::vector<double>& z, std::vector<double>& r) {
        double cost = 0;
        for (std::size_t c = 0; c < m; ++c) {
            double v = -target[c];
            for (auto [x, y] : prods[c]) v += z[x] * z[y];
            r[c] = v;
            cost += v * v;
        }
        return cost;
    };
    std::mt19937_64 rng(0x6c6d);
    std::normal_distribution<double> normal;
    std::vector<double> z(n), r(m), rn(m), g(n), zn(n), A(n * n), d(n);
    for (int start = 0; start < 4; ++start) {
        for (auto& v : z) v = normal(rng);
        double cost = residual(z, r), mu = 1e-3;
        for (int it = 0; it < 300 && cost > 1e-26 * scale * scale; ++it) {
            // Normal equations (J^T J + mu I) d = -J^T r; row c of J has z_y at x and z_x at y.
            std::fill(A.begin(), A.end(), 0.0);
            std::fill(g.begin(), g.end(), 0.0);
            for (std::size_t c = 0; c < m; ++c) {
                std::map<std::size_t, double> row;
                for (auto [x, y] : prods[c]) row[x] += z[y], row[y] += z[x];
                for (auto [u, ju] : row) {
                    g[u] += ju * r[c];
                    for (auto [v, jv] : row) A[u * n + v] += ju * jv;
                }
            }
            for (std::size_t u = 0; u < n; ++u) A[u * n + u] += mu, d[u] = -g[u];
            // Gaussian elimination with partial pivoting (n is a few dozen).
            bool singular = false;
            for (std::size_t col = 0; col < n && !singular; ++col) {
                std::size_t piv = col;
                for (std::size_t row = col + 1; row < n; ++row)
                    if (std::abs(A[row * n + col]) > std::abs(A[piv * n + col])) piv = row;
                if (std::abs(A[piv * n + col]) < 1e-300) singular = true;
                if (singular) break;
                if (piv != col) {
                    for (std::size_t k = 0; k < n; ++k) std::swap(A[piv * n + k], A[col * n + k]);
                    std::swap(d[piv], d[col]);
                }
                for (std::size_t row = col + 1; row < n; ++row) {
                    double f = A[row * n + col] / A[col * n + col];
                    if (f == 0) continue;
                    for (std::size_t k = col; k < n; ++k) A[row * n + k] -= f * A[col * n + k];
                    d[row] -= f * d[col];
                }
            }
            if (singular) break;
            for (std::size_t col = n; col-- > 0;) {
                double v = d[col];
                for (std::size_t k = col + 1; k < n; ++k) v -= A[col * n + k] * d[k];
                d[col] = v / A[col * n + col];
            }
            for (std::size_t u = 0; u < n; ++u) zn[u] = z[u] + d[u];
            double cn = residual(zn, rn);
            if (cn < cost) {
                z.swap(zn), r.swap(rn), cost = cn, mu = std::max(mu * 0.3, 1e-12);
            } else if ((mu *= 10) > 1e10) {
                break;
            }
        }
        double zmax = 0;
        for (double v : z) zmax = std::max(zmax, std::abs(v));
        if (std::sqrt(cost) < 1e-10 * scale && zmax < 1e4) return true;
    }
    return false;
}

}  // namespace closecert::engine
