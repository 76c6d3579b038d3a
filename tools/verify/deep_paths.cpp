// Rule `disjoint_paths` (docs/theory.md §4.9, Lemma DP): every cell of the boolean product S of all
// masks has a listed input-output path along allowed weights, and within each line (an input
// column for `cols`, an output row for `rows`) the paths share no unit but the line's own end.
// Then L_I is every matrix supported on S, a closed set.
#include "verify.hpp"

#include <array>
#include <cstdint>
#include <stdexcept>

namespace verify {

namespace {

// reach[i] has bit j when output i is joined to input j along allowed weights.
std::vector<std::vector<std::uint64_t>> product_support(const Arch& a, const std::string& path) {
    const std::size_t words = (a.input_dim + 63) / 64;
    std::vector<std::vector<std::uint64_t>> cur(a.input_dim, std::vector<std::uint64_t>(words, 0));
    for (std::size_t j = 0; j < a.input_dim; ++j) cur[j][j / 64] |= std::uint64_t{1} << (j % 64);
    for (std::size_t l = 1; l <= a.depth(); ++l) {
        charge(static_cast<long long>((a.nonzeros(l) + a.width(l)) * words), path);
        std::vector<std::vector<std::uint64_t>> next(a.width(l), std::vector<std::uint64_t>(words, 0));
        for (std::size_t i = 0; i < a.width(l); ++i)
            for (std::uint32_t k : a.row(l, i))
                for (std::size_t w = 0; w < words; ++w) next[i][w] |= cur[k][w];
        cur = std::move(next);
    }
    return cur;
}

}  // namespace

void check_disjoint_paths(const json& nd, const Arch& a, const std::string& path) {
    const std::size_t L = a.depth();
    const std::string orient = str(field(nd, "orientation", path), at(path, "orientation"));
    if (orient != "rows" && orient != "cols") throw Reject(at(path, "orientation"), "expected \"rows\" or \"cols\"");
    const bool cols = orient == "cols";
    const std::string pp = at(path, "paths");
    const json& paths = array(field(nd, "paths", path), pp);
    std::set<Cell> cells;
    // (line, layer, unit): a unit used twice within one line.
    std::set<std::array<std::size_t, 3>> used;
    for (std::size_t q = 0; q < paths.size(); ++q) {
        const std::string qp = at(pp, q);
        const json& p = array(paths[q], qp);
        if (p.size() != L + 1) throw Reject(qp, "expected " + std::to_string(L + 1) + " units, one per layer 0.." + std::to_string(L));
        std::vector<std::size_t> u(L + 1);
        for (std::size_t l = 0; l <= L; ++l) u[l] = static_cast<std::size_t>(integer(p[l], at(qp, l), 0, static_cast<long>(a.width(l)) - 1));
        for (std::size_t l = 1; l <= L; ++l)
            if (!a.at(l, u[l], u[l - 1]))
                throw Reject(at(qp, l), "no allowed weight from unit " + std::to_string(u[l - 1]) + " of layer " + std::to_string(l - 1) + " to unit " + std::to_string(u[l]) + " of layer " + std::to_string(l));
        if (!cells.insert({u[L], u[0]}).second) throw Reject(qp, "cell (" + std::to_string(u[L]) + ", " + std::to_string(u[0]) + ") has two paths");
        const std::size_t line = cols ? u[0] : u[L];
        for (std::size_t l = cols ? 1 : 0; l <= (cols ? L : L - 1); ++l)
            if (!used.insert({line, l, u[l]}).second)
                throw Reject(at(qp, l), "unit " + std::to_string(u[l]) + " of layer " + std::to_string(l) + " is on two paths of " + (cols ? "input " : "output ") + std::to_string(line));
    }
    const auto reach = product_support(a, path);
    std::size_t support = 0;
    for (std::size_t i = 0; i < reach.size(); ++i)
        for (std::size_t j = 0; j < a.input_dim; ++j)
            if ((reach[i][j / 64] >> (j % 64)) & 1) {
                ++support;
                if (!cells.count({i, j})) throw Reject(pp, "cell (" + std::to_string(i) + ", " + std::to_string(j) + ") of the product has no path");
            }
    // Every listed path is a path, so its cell is in the product: the counts agree.
    if (support != cells.size()) throw std::logic_error("disjoint_paths: a listed path outside the product");
}

}  // namespace verify
