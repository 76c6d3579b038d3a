// Linear "closed" for any depth: a tree of rules, each node speaking of an architecture derived from
// its parent's (restricted to units, with layers fused or a dense run shortened), down to base rules.
#include "verify.hpp"

#include <algorithm>
#include <array>

namespace verify {
namespace {

using Units = std::vector<std::vector<std::size_t>>;  // per layer 0..L

// A rows x cols mask of ones.
Arch::Mask full_mask(std::size_t rows, std::size_t cols) {
    std::vector<std::uint32_t> all(cols);
    for (std::size_t j = 0; j < cols; ++j) all[j] = static_cast<std::uint32_t>(j);
    charge(static_cast<long long>(rows * cols), "linear.deep");
    return Arch::Mask(rows, all);
}

bool full(const Arch& a, std::size_t l) { return a.nonzeros(l) == a.width(l) * a.width(l - 1); }

bool partial_permutation(const Arch& a, std::size_t l) {
    std::vector<int> col(a.width(l - 1), 0);
    for (const auto& row : a.ones[l - 1]) {
        if (row.size() > 1) return false;
        for (std::uint32_t j : row)
            if (++col[j] > 1) return false;
    }
    return true;
}

// live[l][u]: unit u of layer l lies on a path from an input to an output.
std::vector<std::vector<char>> live_units(const Arch& a, const std::string& path) {
    const std::size_t L = a.depth();
    std::vector<std::vector<char>> fwd(L + 1), bwd(L + 1);
    fwd[0].assign(a.input_dim, 1);
    bwd[L].assign(a.width(L), 1);
    for (std::size_t l = 1; l <= L; ++l) {
        charge(static_cast<long long>(a.width(l) + a.nonzeros(l)), path);
        fwd[l].assign(a.width(l), 0);
        for (std::size_t i = 0; i < a.width(l); ++i)
            for (std::uint32_t j : a.row(l, i))
                if (fwd[l - 1][j]) fwd[l][i] = 1;
    }
    for (std::size_t l = L; l >= 1; --l) {
        bwd[l - 1].assign(a.width(l - 1), 0);
        for (std::size_t i = 0; i < a.width(l); ++i)
            if (bwd[l][i])
                for (std::uint32_t j : a.row(l, i)) bwd[l - 1][j] = 1;
    }
    for (std::size_t l = 0; l <= L; ++l)
        for (std::size_t u = 0; u < fwd[l].size(); ++u) fwd[l][u] = fwd[l][u] && bwd[l][u];
    return fwd;
}

Units parse_units(const json& v, const Arch& a, const std::string& path) {
    const json& layers = array(v, path);
    if (layers.size() != a.depth() + 1) throw Reject(path, "expected one unit list per layer 0.." + std::to_string(a.depth()));
    Units u(layers.size());
    for (std::size_t l = 0; l < layers.size(); ++l) {
        const json& list = array(layers[l], at(path, l));
        for (std::size_t k = 0; k < list.size(); ++k) {
            std::size_t x = integer(list[k], at(at(path, l), k), 0, static_cast<long>(a.width(l)) - 1);
            if (!u[l].empty() && x <= u[l].back()) throw Reject(at(at(path, l), k), "units are not strictly increasing");
            u[l].push_back(x);
        }
    }
    return u;
}

Arch restrict(const Arch& a, const Units& u) {
    Arch r;
    r.name = a.name;
    r.input_dim = u[0].size();
    for (std::size_t l = 1; l <= a.depth(); ++l) {
        // New index of each kept unit of layer l-1 (units are increasing, so rows stay sorted).
        std::vector<long> index(a.width(l - 1), -1);
        for (std::size_t j = 0; j < u[l - 1].size(); ++j) index[u[l - 1][j]] = static_cast<long>(j);
        Arch::Mask m(u[l].size());
        for (std::size_t i = 0; i < u[l].size(); ++i)
            for (std::uint32_t j : a.row(l, u[l][i]))
                if (index[j] >= 0) m[i].push_back(static_cast<std::uint32_t>(index[j]));
        r.ones.push_back(std::move(m));
        r.bias.push_back(a.bias[l - 1]);
    }
    return r;
}

// Layers first..last replaced by `with` (masks of consecutive layers).
Arch splice(const Arch& a, std::size_t first, std::size_t last, std::vector<Arch::Mask> with) {
    Arch r;
    r.name = a.name;
    r.input_dim = a.input_dim;
    for (std::size_t l = 1; l < first; ++l) r.ones.push_back(a.ones[l - 1]);
    for (auto& m : with) r.ones.push_back(std::move(m));
    for (std::size_t l = last + 1; l <= a.depth(); ++l) r.ones.push_back(a.ones[l - 1]);
    r.bias.assign(r.ones.size(), true);
    return r;
}

// Boolean product of layers l + 1 and l.
Arch::Mask product_mask(const Arch& a, std::size_t l, const std::string& path) {
    Arch::Mask m(a.width(l + 1));
    for (std::size_t i = 0; i < a.width(l + 1); ++i) {
        std::vector<char> seen(a.width(l - 1), 0);
        for (std::uint32_t k : a.row(l + 1, i)) {
            charge(static_cast<long long>(a.row(l, k).size()), path);
            for (std::uint32_t j : a.row(l, k)) seen[j] = 1;
        }
        for (std::size_t j = 0; j < seen.size(); ++j)
            if (seen[j]) m[i].push_back(static_cast<std::uint32_t>(j));
    }
    return m;
}

// Pair fusion by generic rank: every cell of the product matched to a hidden unit on a path, the
// units distinct within each column (cols) or row (rows); see docs/theory.md, Lemma FU.
void check_generic_matching(const json& ev, const Arch& a, std::size_t l, const Arch::Mask& prod, const std::string& path) {
    std::string orient = str(field(ev, "orientation", path), at(path, "orientation"));
    if (orient != "rows" && orient != "cols") throw Reject(at(path, "orientation"), "expected \"rows\" or \"cols\"");
    std::string mp = at(path, "matching");
    const json& m = array(field(ev, "matching", path), mp);
    std::set<Cell> cells;
    std::set<std::pair<std::size_t, std::size_t>> line_unit;
    for (std::size_t e = 0; e < m.size(); ++e) {
        std::string ep = at(mp, e);
        if (!m[e].is_array() || m[e].size() != 3) throw Reject(ep, "expected [row, col, unit]");
        std::size_t i = integer(m[e][0], ep, 0, static_cast<long>(a.width(l + 1)) - 1);
        std::size_t j = integer(m[e][1], ep, 0, static_cast<long>(a.width(l - 1)) - 1);
        std::size_t k = integer(m[e][2], ep, 0, static_cast<long>(a.width(l)) - 1);
        if (!a.at(l + 1, i, k) || !a.at(l, k, j)) throw Reject(ep, "no path through this unit");
        if (!cells.insert({i, j}).second) throw Reject(ep, "cell listed twice");
        if (!line_unit.insert({orient == "cols" ? j : i, k}).second) throw Reject(ep, "unit used twice in one " + orient.substr(0, 3));
    }
    for (std::size_t i = 0; i < prod.size(); ++i)
        for (std::uint32_t j : prod[i])
            if (!cells.count({i, j})) throw Reject(mp, "cell (" + std::to_string(i) + ", " + std::to_string(j) + ") of the product is not matched");
}

// I_a (x) 1_{b x c} (x) I_d, or its transpose when `transposed`, is the mask of layer l.
void check_kronecker(const Arch& a, std::size_t l, std::size_t A, std::size_t B, std::size_t C, std::size_t D, bool transposed,
                     const std::string& path) {
    std::size_t rows = A * B * D, cols = A * C * D;
    if (transposed) std::swap(rows, cols);
    if (a.width(l) != rows || a.width(l - 1) != cols) throw Reject(path, "shape differs from layer " + std::to_string(l) + "'s mask");
    // Every one of the mask is a one of the Kronecker form, and both have a b c d ones.
    charge(static_cast<long long>(a.nonzeros(l) + rows), path);
    for (std::size_t i = 0; i < rows; ++i)
        for (std::uint32_t j : a.row(l, i)) {
            std::size_t r = transposed ? j : i, c = transposed ? i : j;
            if (!(r / (B * D) == c / (C * D) && r % D == c % D))
                throw Reject(path, "layer " + std::to_string(l) + "'s mask differs at (" + std::to_string(i) + ", " + std::to_string(j) + ")");
        }
    if (a.nonzeros(l) != A * B * C * D) throw Reject(path, "layer " + std::to_string(l) + "'s mask has " + std::to_string(a.nonzeros(l)) + " ones, the Kronecker form " + std::to_string(A * B * C * D));
}

void kronecker_chain(const json& nd, const Arch& a, const std::string& path, Tally& tally) {
    std::string orient = str(field(nd, "orientation", path), at(path, "orientation"));
    if (orient != "product" && orient != "transposed") throw Reject(at(path, "orientation"), "expected \"product\" or \"transposed\"");
    const bool tr = orient == "transposed";
    std::string fp = at(path, "factors");
    const json& f = array(field(nd, "factors", path), fp);
    if (f.size() != a.depth()) throw Reject(fp, "expected one factor per layer");
    std::vector<std::array<std::size_t, 4>> t;
    for (std::size_t k = 0; k < f.size(); ++k) {
        std::string kp = at(fp, k);
        std::array<std::size_t, 4> x{};
        const char* names[] = {"a", "b", "c", "d"};
        for (int q = 0; q < 4; ++q) x[q] = integer(field(f[k], names[q], kp), at(kp, names[q]), 1, kMaxWidth);
        // Factor k + 1 (output side first) is W_{L-k}, or W_{k+1}^T when transposed.
        check_kronecker(a, tr ? k + 1 : a.depth() - k, x[0], x[1], x[2], x[3], tr, kp);
        t.push_back(x);
    }
    for (std::size_t k = 0; k + 1 < t.size(); ++k) {
        const auto& p = t[k];
        const auto& q = t[k + 1];
        if (q[0] % p[0] != 0 || p[3] % q[3] != 0 || (p[0] * p[2]) % q[0] != 0)
            throw Reject(at(fp, k + 1), "not chainable with the previous factor (a | a', d' | d, a' | a c)");
    }
    std::string theorem = str(field(nd, "theorem", path), at(path, "theorem"));
    if (theorem != "chainable_kronecker_closed") throw Reject(at(path, "theorem"), "unknown theorem");
    std::string citation = str(field(nd, "citation", path), at(path, "citation"));
    if (citation.empty() || citation.find('\n') != std::string::npos) throw Reject(at(path, "citation"), "expected a one-line citation");
    tally.trusted.push_back(path + ": " + theorem + ": " + citation);
}

}  // namespace

void check_deep(const json& nd, const Arch& a, const std::string& path, Tally& tally) {
    const std::string rule = str(field(nd, "rule", path), at(path, "rule"));
    const std::size_t L = a.depth();
    auto child = [&](const Arch& c) { check_deep(field(nd, "child", path), c, at(path, "child"), tally); };
    if (rule == "kronecker_chain") return kronecker_chain(nd, a, path, tally);
    if (rule == "borel") return check_borel(nd, a, path, tally);
    ++tally.checked;
    if (rule == "single_layer") {
        if (L != 1) throw Reject(path, "single_layer needs exactly one layer");
    } else if (rule == "two_layer") {
        if (L != 2) throw Reject(path, "two_layer needs exactly two layers");
        --tally.checked;  // the tree's nodes are counted
        check_two_layer(field(nd, "proof", path), a, at(path, "proof"), tally);
    } else if (rule == "zero") {
        auto live = live_units(a, path);
        if (std::count(live[0].begin(), live[0].end(), 1) > 0) throw Reject(path, "some input reaches an output");
    } else if (rule == "twin") {
        check_twin(nd, a, path);
    } else if (rule == "free_layer") {
        check_free_layer(nd, a, path);
    } else if (rule == "disjoint_paths") {
        check_disjoint_paths(nd, a, path);
    } else if (rule == "dense_ends") {
        if (L < 2 || !full(a, 1) || !full(a, L)) throw Reject(path, "the first and last masks are not both full");
    } else if (rule == "prune") {
        Units u = parse_units(field(nd, "units", path), a, at(path, "units"));
        auto live = live_units(a, path);
        for (std::size_t l = 0; l <= L; ++l)
            for (std::size_t x = 0; x < a.width(l); ++x)
                if (live[l][x] && !std::binary_search(u[l].begin(), u[l].end(), x))
                    throw Reject(at(path, "units"), "unit " + std::to_string(x) + " of layer " + std::to_string(l) + " lies on an input-output path");
        child(restrict(a, u));
    } else if (rule == "deep_components") {
        std::string pp = at(path, "parts");
        const json& parts = array(field(nd, "parts", path), pp);
        std::vector<std::vector<long>> part_of(L + 1);
        for (std::size_t l = 0; l <= L; ++l) part_of[l].assign(a.width(l), -1);
        std::vector<Units> us;
        for (std::size_t p = 0; p < parts.size(); ++p) {
            Units u = parse_units(field(parts[p], "units", at(pp, p)), a, at(at(pp, p), "units"));
            if (u[L].empty()) throw Reject(at(pp, p), "a part without output units");
            if (p > 0 && u[L][0] <= us.back()[L][0]) throw Reject(at(pp, p), "parts are not ordered by their first output unit");
            for (std::size_t l = 0; l <= L; ++l)
                for (std::size_t x : u[l]) {
                    if (part_of[l][x] >= 0) throw Reject(at(pp, p), "unit " + std::to_string(x) + " of layer " + std::to_string(l) + " is in two parts");
                    part_of[l][x] = static_cast<long>(p);
                }
            us.push_back(std::move(u));
        }
        for (std::size_t l = 0; l <= L; ++l)
            for (std::size_t x = 0; x < a.width(l); ++x)
                if (part_of[l][x] < 0) throw Reject(pp, "unit " + std::to_string(x) + " of layer " + std::to_string(l) + " is in no part");
        for (std::size_t l = 1; l <= L; ++l) {
            charge(static_cast<long long>(a.nonzeros(l)), path);
            for (std::size_t i = 0; i < a.width(l); ++i)
                for (std::uint32_t j : a.row(l, i))
                    if (part_of[l][i] != part_of[l - 1][j])
                        throw Reject(pp, "layer " + std::to_string(l) + "'s weight (" + std::to_string(i) + ", " + std::to_string(j) + ") joins two parts");
        }
        for (std::size_t p = 0; p < parts.size(); ++p)
            check_deep(field(parts[p], "proof", at(pp, p)), restrict(a, us[p]), at(at(pp, p), "proof"), tally);
    } else if (rule == "dense_run") {
        std::size_t first = integer(field(nd, "first", path), at(path, "first"), 1, static_cast<long>(L));
        std::size_t last = integer(field(nd, "last", path), at(path, "last"), 1, static_cast<long>(L));
        std::size_t width = integer(field(nd, "width", path), at(path, "width"), 0, kMaxWidth);
        if (last <= first) throw Reject(path, "a run needs at least two layers");
        std::size_t rho = a.width(first);
        for (std::size_t l = first; l <= last; ++l) {
            if (!full(a, l)) throw Reject(path, "layer " + std::to_string(l) + "'s mask is not full");
            if (l < last) rho = std::min(rho, a.width(l));
        }
        const std::size_t in = a.width(first - 1), out = a.width(last);
        if (width == 0 && rho < std::min(in, out)) throw Reject(at(path, "width"), "the run's narrowest layer is narrower than both ends");
        if (width != 0 && width != rho) throw Reject(at(path, "width"), "not the width of the run's narrowest layer (" + std::to_string(rho) + ")");
        if (width == 0) child(splice(a, first, last, {full_mask(out, in)}));
        else child(splice(a, first, last, {full_mask(width, in), full_mask(out, width)}));
    } else if (rule == "fuse") {
        std::size_t l = integer(field(nd, "layer", path), at(path, "layer"), 1, static_cast<long>(L) - 1);
        std::string ep = at(path, "evidence");
        const json& ev = field(nd, "evidence", path);
        std::string kind = str(field(ev, "kind", ep), at(ep, "kind"));
        Arch::Mask prod = product_mask(a, l, path);
        if (kind == "partial_permutation") {
            if (!partial_permutation(a, l) && !partial_permutation(a, l + 1))
                throw Reject(ep, "neither layer " + std::to_string(l) + " nor layer " + std::to_string(l + 1) + " is a partial permutation");
        } else if (kind == "generic") {
            check_generic_matching(ev, a, l, prod, ep);
        } else {
            throw Reject(at(ep, "kind"), "unknown evidence");
        }
        child(splice(a, l, l + 1, {std::move(prod)}));
    } else {
        throw Reject(at(path, "rule"), "unknown rule for a deep closed proof");
    }
}

}  // namespace verify
