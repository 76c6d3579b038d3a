#include "engine/witness.hpp"
#include "engine/witness_searcher.hpp"

namespace closecert::engine {

using namespace witness_detail;

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


}  // namespace closecert::engine
