// Internal to the Lemma F search (case_tree.cpp, case_tree_search.cpp): the group's geometry and the
// search for a case tree over its candidate solutions.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/poly.hpp"
#include "core/rat_func.hpp"
#include "engine/case_tree.hpp"
#include "engine/deadline.hpp"

namespace closecert::engine::case_tree_detail {


using core::Poly;
using core::RatFunc;
using core::Rational;
using json = nlohmann::json;

// The group on its own rows and columns (local indices), possibly transposed: the search always
// solves column by column, and the transposed geometry gives the row-by-row search.
struct Geometry {
    std::size_t m = 0, n = 0;
    std::vector<std::vector<int>> var;                       // [i][j] -> target variable, -1 if not a visible group cell
    std::vector<std::vector<std::size_t>> rows, cols;        // per slot, sorted local indices
    std::vector<std::vector<std::vector<std::size_t>>> cover; // [i][j] -> slots seeing the visible cell

    Geometry transposed() const {
        Geometry t;
        t.m = n, t.n = m, t.rows = cols, t.cols = rows;
        t.var.assign(n, std::vector<int>(m, -1));
        t.cover.assign(n, std::vector<std::vector<std::size_t>>(m));
        for (std::size_t i = 0; i < m; ++i)
            for (std::size_t j = 0; j < n; ++j) t.var[j][i] = var[i][j], t.cover[j][i] = cover[i][j];
        return t;
    }
};

// Who solves the equation of cell (row, col) of a pinned column: the x entry ('u') or the y entry
// ('v') of `slot`, or nobody (the entry must then be zero in the region).
struct Solver {
    char kind = 0;
    std::size_t slot = 0;
};

struct PinChoice {
    std::vector<bool> active;       // per slot: its y entry in this column is non-zero
    std::vector<Solver> by_row;     // per visible row of the column (in order)
};

struct Column {
    std::size_t j = 0;
    std::vector<std::size_t> rows;  // visible rows
    std::vector<std::size_t> slots; // slots seeing a visible cell of the column
    bool pinned = false;
    std::vector<PinChoice> choices;                     // pinned columns
    std::vector<std::vector<std::size_t>> subsets;      // free columns: |rows| slots for Cramer's rule
};

// Values of one candidate: x (u) per slot and local row, y (v) per slot and local column, the
// rational functions that must not vanish, and the entries that must vanish.
struct Evaluated {
    std::vector<std::vector<std::optional<RatFunc>>> u, v;
    std::vector<RatFunc> nonzero;
    std::vector<std::size_t> zero_vars;
    // Free columns: per column, per Cramer subset, the determinant (nullopt if identically zero).
    std::vector<std::vector<std::optional<RatFunc>>> dets;
};

// A candidate as stored for the search: interned polynomials, so that a region analyses each
// distinct polynomial once.
struct Stored {
    std::uint64_t combo = 0;
    std::uint32_t mask = 0;
    std::vector<std::uint32_t> polys;                    // numerators and denominators that must not vanish
    std::vector<std::size_t> zero_vars;
    std::vector<std::vector<std::pair<std::uint32_t, std::uint32_t>>> dets;  // free column -> (num, den) per subset
};

constexpr std::uint32_t kNone = UINT32_MAX;          // no determinant (identically zero)
constexpr std::uint32_t kConstant = UINT32_MAX - 1;  // a constant denominator

// Determinant by the permutation expansion: lines have at most max_line (4) cells, so at most 24
// products, and zero entries cut most of them.
RatFunc det(const std::vector<std::vector<RatFunc>>& A, const Poly::Context& ctx);

class Search {
public:
    Search(const Geometry& g, Poly::Context ctx, const Deadline& deadline, const CaseTreeLimits& limits)
        : g_(g), ctx_(std::move(ctx)), deadline_(deadline), limits_(limits) {}

    bool build();
    std::optional<json> solve(std::vector<std::size_t>& N, std::vector<std::size_t>& Z, unsigned depth);
    // Values for the leaf, in local (possibly transposed) coordinates.
    std::optional<Evaluated> evaluate(std::uint64_t combo, std::uint32_t mask) const;
    const std::vector<Column>& columns() const { return cols_; }

    // Set by solve() when it returns a leaf: the candidate and its free-column subsets.
    struct Leaf {
        std::uint64_t combo;
        std::uint32_t mask;
        std::vector<std::size_t> subset;
    };
    std::vector<Leaf> leaves;  // the tree's leaves hold {"__leaf": index} until they are realised

private:
    struct Status {
        bool dead = false;
        std::size_t nonliteral = 0;
        std::vector<std::size_t> bad;  // variables not known to be non-zero
    };
    Status analyse(std::uint32_t id, const std::vector<bool>& zero, const std::vector<bool>& nonzero,
                   std::unordered_map<std::uint32_t, Status>& cache) const;
    std::uint32_t intern(const Poly& p);

    const Geometry& g_;
    Poly::Context ctx_;
    const Deadline& deadline_;
    const CaseTreeLimits& limits_;
    std::vector<Column> cols_;
    std::vector<std::pair<std::size_t, std::size_t>> free_u_;  // x entries given constants: (slot, row)
    std::vector<std::size_t> radix_;                          // choices per pinned column
    std::vector<Stored> cands_;
    std::vector<Poly> polys_;
    std::unordered_map<std::string, std::uint32_t> poly_ids_;
    std::size_t regions_ = 0;
};

}  // namespace closecert::engine::case_tree_detail
