#include "arch/pattern.hpp"

#include <algorithm>
#include <numeric>
#include <sstream>

namespace closecert::arch {

bool Rect::contains(Index i, Index j) const {
    return std::binary_search(rows.begin(), rows.end(), i) && std::binary_search(cols.begin(), cols.end(), j);
}

static bool sorted_intersect(const IndexSet& a, const IndexSet& b) {
    auto i = a.begin();
    auto j = b.begin();
    while (i != a.end() && j != b.end()) {
        if (*i == *j) return true;
        if (*i < *j) ++i; else ++j;
    }
    return false;
}

bool rects_overlap(const Rect& a, const Rect& b) {
    return sorted_intersect(a.rows, b.rows) && sorted_intersect(a.cols, b.cols);
}

Pattern two_layer_pattern(const Architecture& a) {
    if (a.depth() != 2) throw std::invalid_argument("two_layer_pattern: architecture has " +
                                                    std::to_string(a.depth()) + " layers");
    const Mask& m1 = a.layers[0].mask;  // r x n
    const Mask& m2 = a.layers[1].mask;  // m x r
    Pattern p;
    p.m = m2.rows();
    p.n = m1.cols();
    p.terms.resize(m1.rows());
    for (std::size_t k = 0; k < m1.rows(); ++k) {
        p.terms[k].rows = m2.col_support(k);
        p.terms[k].cols = m1.row_support(k);
    }
    return p;
}

Architecture architecture_of(const Pattern& p, const std::string& name) {
    Architecture a;
    a.name = name;
    a.input_dim = p.n;
    Mask m1(p.terms.size(), p.n), m2(p.m, p.terms.size());
    for (std::size_t k = 0; k < p.terms.size(); ++k) {
        for (Index j : p.terms[k].cols) m1.set(k, j);
        for (Index i : p.terms[k].rows) m2.set(i, k);
    }
    a.layers = {Layer{m1, true}, Layer{m2, true}};
    return a;
}

static IndexSet restrict_renumber(const IndexSet& s, const IndexSet& keep) {
    IndexSet out;
    for (std::size_t pos = 0; pos < keep.size(); ++pos)
        if (std::binary_search(s.begin(), s.end(), keep[pos])) out.push_back(static_cast<Index>(pos));
    return out;
}

Pattern window(const Pattern& p, const IndexSet& rows, const IndexSet& cols) {
    Pattern w;
    w.m = rows.size();
    w.n = cols.size();
    for (const auto& t : p.terms) w.terms.push_back(Rect{restrict_renumber(t.rows, rows), restrict_renumber(t.cols, cols)});
    return w;
}

Pattern transposed(const Pattern& p) {
    Pattern t{p.n, p.m, {}};
    for (const auto& r : p.terms) t.terms.push_back(Rect{r.cols, r.rows});
    return t;
}

std::string to_string(const Pattern& p) {
    std::ostringstream os;
    os << p.m << "x" << p.n << " [";
    for (std::size_t k = 0; k < p.terms.size(); ++k) {
        if (k) os << ", ";
        os << "{";
        for (std::size_t a = 0; a < p.terms[k].rows.size(); ++a) os << (a ? "," : "") << p.terms[k].rows[a];
        os << "}x{";
        for (std::size_t a = 0; a < p.terms[k].cols.size(); ++a) os << (a ? "," : "") << p.terms[k].cols[a];
        os << "}";
    }
    os << "]";
    return os.str();
}

}  // namespace closecert::arch
