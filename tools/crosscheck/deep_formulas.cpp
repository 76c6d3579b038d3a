#include "deep_formulas.hpp"

#include <map>
#include <set>
#include <sstream>
#include <stdexcept>

namespace closecert::crosscheck {

namespace {

using Cell = std::pair<std::size_t, std::size_t>;
using Path = std::vector<std::string>;  // the weight variables of one path, layer 1 first

// Variable of layer l (1-based), row i, column j: prefix and three digits.
std::string wvar(char prefix, std::size_t l, std::size_t i, std::size_t j) {
    return prefix + std::to_string(l) + std::to_string(i) + std::to_string(j);
}

void check_small(const std::vector<arch::Mask>& masks) {
    if (masks.empty() || masks.size() > 9) throw std::invalid_argument("deep formulas: depth must be 1..9");
    for (const auto& m : masks)
        if (m.rows() > 9 || m.cols() > 9) throw std::invalid_argument("deep formulas: widths must be <= 9");
}

// Paths of every cell (row i of the output, column j of the input), with variable prefix `pre`.
std::map<Cell, std::vector<Path>> paths(const std::vector<arch::Mask>& masks, char pre) {
    check_small(masks);
    std::map<Cell, std::vector<Path>> out;
    const std::size_t L = masks.size();
    Path cur;
    // walk(l, u): at unit u of layer l (0 = inputs), cur holds the weights of layers 1..l.
    auto walk = [&](auto& self, std::size_t l, std::size_t u, std::size_t j) -> void {
        if (l == L) {
            out[{u, j}].push_back(cur);
            return;
        }
        const arch::Mask& m = masks[l];
        for (std::size_t v = 0; v < m.rows(); ++v)
            if (m.at(v, u)) {
                cur.push_back(wvar(pre, l + 1, v, u));
                self(self, l + 1, v, j);
                cur.pop_back();
            }
    };
    for (std::size_t j = 0; j < masks[0].cols(); ++j) walk(walk, 0, j, j);
    return out;
}

std::vector<std::string> vars_of(const std::map<Cell, std::vector<Path>>& ps) {
    std::set<std::string> s;
    for (const auto& [c, list] : ps)
        for (const Path& p : list) s.insert(p.begin(), p.end());
    return {s.begin(), s.end()};
}

std::string smt_product(const Path& p) {
    if (p.size() == 1) return p[0];
    std::string s = "(*";
    for (const auto& v : p) s += " " + v;
    return s + ")";
}

std::string smt_entry(const std::map<Cell, std::vector<Path>>& ps, Cell c) {
    auto it = ps.find(c);
    if (it == ps.end()) return "0.0";
    if (it->second.size() == 1) return smt_product(it->second[0]);
    std::string s = "(+";
    for (const Path& p : it->second) s += " " + smt_product(p);
    return s + ")";
}

std::string qepcad_entry(const std::map<Cell, std::vector<Path>>& ps, Cell c) {
    auto it = ps.find(c);
    if (it == ps.end()) return "0";
    std::string s;
    for (const Path& p : it->second) {
        std::string m;
        for (const auto& v : p) m += (m.empty() ? "" : " ") + v;
        s += (s.empty() ? "" : " + ") + m;
    }
    return s;
}

std::string decls(const std::vector<std::string>& vars) {
    std::string s;
    for (const auto& v : vars) s += (s.empty() ? "(" : " (") + v + " Real)";
    return s;
}

std::string avar(Cell c) { return "a" + std::to_string(c.first) + std::to_string(c.second); }

std::string smt_rational(const std::string& q) {
    auto num = [](const std::string& t) { return t[0] == '-' ? "(- " + t.substr(1) + ".0)" : t + ".0"; };
    const auto slash = q.find('/');
    if (slash == std::string::npos) return num(q);
    return "(/ " + num(q.substr(0, slash)) + " " + q.substr(slash + 1) + ".0)";
}

std::string describe(const std::vector<arch::Mask>& masks) {
    std::string s;
    for (const auto& m : masks) {
        s += s.empty() ? "[" : " [";
        for (std::size_t i = 0; i < m.rows(); ++i) {
            if (i) s += ' ';
            for (std::size_t j = 0; j < m.cols(); ++j) s += m.at(i, j) ? '1' : '0';
        }
        s += "]";
    }
    return s;
}

}  // namespace

std::size_t deep_cells(const std::vector<arch::Mask>& masks) { return paths(masks, 'u').size(); }

std::string deep_smt_negated_closedness(const std::vector<arch::Mask>& masks) {
    const auto exact = paths(masks, 'u'), approx = paths(masks, 'p');
    std::ostringstream os;
    os << "; not closed iff sat: exists A in closure(L) \\ L, for the masks " << describe(masks) << "\n";
    for (const auto& [c, list] : exact) os << "(declare-const " << avar(c) << " Real)\n";
    std::string dist = "(+ 0.0", eq = "(and true";
    for (const auto& [c, list] : exact) {
        const std::string d = "(- " + smt_entry(approx, c) + " " + avar(c) + ")";
        dist += " (* " + d + " " + d + ")";
        eq += " (= " + smt_entry(exact, c) + " " + avar(c) + ")";
    }
    dist += ")";
    eq += ")";
    std::string body = "(and (=> (> e 0.0) (< " + dist + " e)) (not " + eq + "))";
    const auto pv = vars_of(approx), uv = vars_of(exact);
    if (!pv.empty()) body = "(exists (" + decls(pv) + ") " + body + ")";
    os << "(assert (forall ((e Real)" << (uv.empty() ? "" : " " + decls(uv)) << ") " << body << "))\n";
    os << "(check-sat-using nlqsat)\n";
    return os.str();
}

std::string deep_smt_membership(const std::vector<arch::Mask>& masks, const std::vector<Entry>& a) {
    const auto exact = paths(masks, 'u');
    std::map<Cell, std::string> value;
    for (const auto& [c, v] : a) value[c] = v;
    std::ostringstream os;
    os << "; sat iff the matrix A is W_L ... W_1 for some W, for the masks " << describe(masks) << "\n";
    for (const auto& v : vars_of(exact)) os << "(declare-const " << v << " Real)\n";
    for (std::size_t i = 0; i < masks.back().rows(); ++i)
        for (std::size_t j = 0; j < masks[0].cols(); ++j) {
            auto it = value.find({i, j});
            os << "(assert (= " << smt_entry(exact, {i, j}) << " " << (it == value.end() ? "0.0" : smt_rational(it->second))
               << "))\n";
        }
    os << "(check-sat-using qfnra-nlsat)\n";
    return os.str();
}

std::string deep_qepcad_input(const std::vector<arch::Mask>& masks) {
    const auto exact = paths(masks, 'u'), approx = paths(masks, 'p');
    if (exact.empty()) return "";
    std::vector<std::string> av;
    for (const auto& [c, list] : exact) av.push_back(avar(c));
    const auto uv = vars_of(exact), pv = vars_of(approx);
    std::ostringstream os;
    os << "[ closedness of the masks " << describe(masks) << " ]\n(";
    std::string sep;
    for (const auto& v : av) os << sep << v, sep = ",";
    os << ",e";
    for (const auto& v : uv) os << "," << v;
    for (const auto& v : pv) os << "," << v;
    os << ")\n0\n";
    for (const auto& v : av) os << "(A " << v << ")";
    os << "(E e)";
    for (const auto& v : uv) os << "(E " << v << ")";
    for (const auto& v : pv) os << "(A " << v << ")";
    os << "[ [ e > 0 /\\ ";
    sep = "";
    for (const auto& [c, list] : exact) os << sep << "(" << qepcad_entry(approx, c) << " - " << avar(c) << ")^2", sep = " + ";
    os << " >= e ] \\/ [ ";
    sep = "";
    for (const auto& [c, list] : exact) os << sep << qepcad_entry(exact, c) << " = " << avar(c), sep = " /\\ ";
    os << " ] ].\nfinish\n";
    return os.str();
}

}  // namespace closecert::crosscheck
