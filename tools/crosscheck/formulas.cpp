#include "formulas.hpp"

#include <map>
#include <set>
#include <sstream>

namespace closecert::crosscheck {

namespace {

using Cell = std::pair<std::size_t, std::size_t>;

// Indices stay single digits for the sizes this tool is meant for, so names like p01 are unique.
std::string var(char prefix, std::size_t a, std::size_t b) { return prefix + std::to_string(a) + std::to_string(b); }

std::vector<std::size_t> live_terms(const arch::Pattern& p) {
    std::vector<std::size_t> t;
    for (std::size_t k = 0; k < p.terms.size(); ++k)
        if (!p.terms[k].empty()) t.push_back(k);
    return t;
}

std::set<Cell> support(const arch::Pattern& p) {
    std::set<Cell> s;
    for (const auto& t : p.terms)
        for (auto i : t.rows)
            for (auto j : t.cols) s.insert({i, j});
    return s;
}

// Factor variables of the live terms: row factor `rp`, column factor `cp`.
std::vector<std::string> factor_vars(const arch::Pattern& p, char rp, char cp) {
    std::vector<std::string> v;
    for (std::size_t k : live_terms(p)) {
        for (auto i : p.terms[k].rows) v.push_back(var(rp, k, i));
        for (auto j : p.terms[k].cols) v.push_back(var(cp, k, j));
    }
    return v;
}

// Monomials x_ik y_jk of entry (i, j).
std::vector<std::pair<std::string, std::string>> entry_monomials(const arch::Pattern& p, Cell c, char rp, char cp) {
    std::vector<std::pair<std::string, std::string>> out;
    for (std::size_t k : live_terms(p))
        if (p.terms[k].contains(static_cast<arch::Index>(c.first), static_cast<arch::Index>(c.second)))
            out.push_back({var(rp, k, c.first), var(cp, k, c.second)});
    return out;
}

std::string qepcad_entry(const arch::Pattern& p, Cell c, char rp, char cp) {
    std::string s;
    for (const auto& [x, y] : entry_monomials(p, c, rp, cp)) s += (s.empty() ? "" : " + ") + x + " " + y;
    return s.empty() ? "0" : s;
}

std::string smt_entry(const arch::Pattern& p, Cell c, char rp, char cp) {
    std::vector<std::string> ms;
    for (const auto& [x, y] : entry_monomials(p, c, rp, cp)) ms.push_back("(* " + x + " " + y + ")");
    if (ms.empty()) return "0.0";
    if (ms.size() == 1) return ms[0];
    std::string s = "(+";
    for (const auto& m : ms) s += " " + m;
    return s + ")";
}

std::string smt_decls(const std::vector<std::string>& vars) {
    std::string s;
    for (const auto& v : vars) s += "(" + v + " Real) ";
    return s;
}

// "p/q" or "p" as an SMT-LIB real term.
std::string smt_rational(const std::string& q) {
    auto num = [](std::string t) { return t[0] == '-' ? "(- " + t.substr(1) + ".0)" : t + ".0"; };
    const auto slash = q.find('/');
    if (slash == std::string::npos) return num(q);
    return "(/ " + num(q.substr(0, slash)) + " " + q.substr(slash + 1) + ".0)";
}

}  // namespace

std::string qepcad_input(const arch::Pattern& p) {
    const auto cells = support(p);
    if (cells.empty()) return "";
    std::vector<std::string> avars;
    for (const Cell& c : cells) avars.push_back(var('a', c.first, c.second));
    const auto exact = factor_vars(p, 'u', 'v');
    const auto approx = factor_vars(p, 'p', 'q');
    std::ostringstream os;
    os << "[ closedness of " << arch::to_string(p) << " ]\n(";
    std::string sep;
    for (const auto& v : avars) os << sep << v, sep = ",";
    os << ",e";
    for (const auto& v : exact) os << "," << v;
    for (const auto& v : approx) os << "," << v;
    os << ")\n0\n";
    for (const auto& v : avars) os << "(A " << v << ")";
    os << "(E e)";
    for (const auto& v : exact) os << "(E " << v << ")";
    for (const auto& v : approx) os << "(A " << v << ")";
    os << "[ [ e > 0 /\\ ";
    sep = "";
    for (const Cell& c : cells) os << sep << "(" << qepcad_entry(p, c, 'p', 'q') << " - " << var('a', c.first, c.second) << ")^2", sep = " + ";
    os << " >= e ] \\/ [ ";
    sep = "";
    for (const Cell& c : cells) os << sep << qepcad_entry(p, c, 'u', 'v') << " = " << var('a', c.first, c.second), sep = " /\\ ";
    os << " ] ].\nfinish\n";
    return os.str();
}

std::string smt_negated_closedness(const arch::Pattern& p) {
    const auto cells = support(p);
    std::ostringstream os;
    os << "; not closed iff sat: exists A in closure(L) \\ L, for " << arch::to_string(p) << "\n";
    for (const Cell& c : cells) os << "(declare-const " << var('a', c.first, c.second) << " Real)\n";
    const auto exact = factor_vars(p, 'u', 'v');
    const auto approx = factor_vars(p, 'p', 'q');
    std::string dist = "(+ 0.0";
    std::string eq = "(and true";
    for (const Cell& c : cells) {
        const std::string a = var('a', c.first, c.second);
        dist += " (* (- " + smt_entry(p, c, 'p', 'q') + " " + a + ") (- " + smt_entry(p, c, 'p', 'q') + " " + a + "))";
        eq += " (= " + smt_entry(p, c, 'u', 'v') + " " + a + ")";
    }
    dist += ")";
    eq += ")";
    std::string body = "(and (=> (> e 0.0) (< " + dist + " e)) (not " + eq + "))";
    if (!approx.empty()) body = "(exists (" + smt_decls(approx) + ") " + body + ")";
    os << "(assert (forall ((e Real) " << smt_decls(exact) << ") " << body << "))\n";
    os << "(check-sat-using nlqsat)\n";
    return os.str();
}

std::string smt_membership(const arch::Pattern& p, const std::vector<Entry>& a) {
    std::map<Cell, std::string> value;
    for (const auto& [c, v] : a) value[c] = v;
    std::ostringstream os;
    os << "; sat iff the matrix A is in L, for " << arch::to_string(p) << "\n";
    for (const auto& v : factor_vars(p, 'u', 'v')) os << "(declare-const " << v << " Real)\n";
    for (std::size_t i = 0; i < p.m; ++i)
        for (std::size_t j = 0; j < p.n; ++j) {
            auto it = value.find({i, j});
            os << "(assert (= " << smt_entry(p, {i, j}, 'u', 'v') << " " << (it == value.end() ? "0.0" : smt_rational(it->second))
               << "))\n";
        }
    os << "(check-sat-using qfnra-nlsat)\n";
    return os.str();
}

}  // namespace closecert::crosscheck
