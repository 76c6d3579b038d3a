#include "engine/properness.hpp"

#include <algorithm>

namespace closecert::engine {

namespace {

bool meets(const arch::IndexSet& a, const arch::IndexSet& b) {
    auto i = a.begin();
    auto j = b.begin();
    while (i != a.end() && j != b.end()) {
        if (*i == *j) return true;
        if (*i < *j) ++i; else ++j;
    }
    return false;
}

bool has(const arch::IndexSet& s, arch::Index v) { return std::binary_search(s.begin(), s.end(), v); }

void erase(arch::IndexSet& s, arch::Index v) { s.erase(std::lower_bound(s.begin(), s.end(), v)); }

// Another live class has a current cell in {row} x cols.
bool row_shared(const std::vector<ClassState>& cs, std::size_t c, arch::Index row) {
    for (std::size_t d = 0; d < cs.size(); ++d)
        if (d != c && !cs[d].empty() && has(cs[d].rows, row) && meets(cs[d].cols, cs[c].cols)) return true;
    return false;
}

bool col_shared(const std::vector<ClassState>& cs, std::size_t c, arch::Index col) {
    for (std::size_t d = 0; d < cs.size(); ++d)
        if (d != c && !cs[d].empty() && has(cs[d].cols, col) && meets(cs[d].rows, cs[c].rows)) return true;
    return false;
}

bool cell_shared(const std::vector<ClassState>& cs, std::size_t c, arch::Index i, arch::Index j) {
    for (std::size_t d = 0; d < cs.size(); ++d)
        if (d != c && !cs[d].empty() && has(cs[d].rows, i) && has(cs[d].cols, j)) return true;
    return false;
}

struct Search {
    const Deadline& deadline;
    std::size_t budget;

    std::optional<nlohmann::json> run(std::vector<ClassState> cs) {
        deadline.check();
        nlohmann::json drops = nlohmann::json::array();
        for (bool changed = true; changed;) {
            changed = false;
            for (std::size_t c = 0; c < cs.size(); ++c) {
                if (cs[c].empty()) continue;
                for (std::size_t a = 0; a < cs[c].rows.size() && !cs[c].empty();) {
                    arch::Index i = cs[c].rows[a];
                    if (!row_shared(cs, c, i)) {
                        drops.push_back({{"class", cs[c].id}, {"row", i}});
                        erase(cs[c].rows, i);
                        changed = true;
                    } else {
                        ++a;
                    }
                }
                for (std::size_t b = 0; b < cs[c].cols.size() && !cs[c].empty();) {
                    arch::Index j = cs[c].cols[b];
                    if (!col_shared(cs, c, j)) {
                        drops.push_back({{"class", cs[c].id}, {"col", j}});
                        erase(cs[c].cols, j);
                        changed = true;
                    } else {
                        ++b;
                    }
                }
            }
        }
        auto wrap = [&](nlohmann::json rest) -> nlohmann::json {
            if (drops.empty()) return rest;
            return {{"drop", drops}, {"then", std::move(rest)}};
        };
        if (std::all_of(cs.begin(), cs.end(), [](const ClassState& s) { return s.empty(); }))
            return wrap({{"done", true}});
        // Split on a private cell of a rank-one class: x_i y_j = 0.
        for (std::size_t c = 0; c < cs.size(); ++c) {
            if (cs[c].empty() || cs[c].size != 1) continue;
            for (arch::Index i : cs[c].rows)
                for (arch::Index j : cs[c].cols) {
                    if (cell_shared(cs, c, i, j)) continue;
                    if (budget == 0) return std::nullopt;
                    --budget;
                    auto by_row = cs;
                    erase(by_row[c].rows, i);
                    auto r1 = run(std::move(by_row));
                    if (!r1) return std::nullopt;
                    auto by_col = cs;
                    erase(by_col[c].cols, j);
                    auto r2 = run(std::move(by_col));
                    if (!r2) return std::nullopt;
                    return wrap({{"split", {{"class", cs[c].id}, {"row", i}, {"col", j}}},
                                 {"if_row", std::move(*r1)},
                                 {"if_col", std::move(*r2)}});
                }
        }
        return std::nullopt;
    }
};

}  // namespace

std::optional<nlohmann::json> refute_cancellation(std::vector<ClassState> classes, const Deadline& deadline,
                                                  std::size_t max_nodes) {
    Search s{deadline, max_nodes};
    return s.run(std::move(classes));
}

}  // namespace closecert::engine
