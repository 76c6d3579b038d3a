#include "engine/deep_paths.hpp"

#include "engine/deep_graph.hpp"

#include <algorithm>
#include <cstdint>
#include <stdexcept>
#include <vector>

namespace closecert::engine {

using nlohmann::json;

namespace {

// Bounds: the certificate lists |S| paths of L + 1 units; the search costs about |S| times the
// number of edges.
constexpr double kMaxPathEntries = 2e6;
constexpr double kMaxFlowWork = 4e8;

// Layers reversed and masks transposed: orientation `rows` of `a` is orientation `cols` of this.
arch::Architecture reversed(const arch::Architecture& a) {
    arch::Architecture r;
    r.name = a.name;
    r.input_dim = a.output_dim();
    for (auto it = a.layers.rbegin(); it != a.layers.rend(); ++it) r.layers.push_back({it->mask.transposed(), true});
    return r;
}

// Unit-capacity max flow on the layered graph of layers 1..L with every unit split in two (in, out)
// so that paths are vertex-disjoint; the source feeds the layer-1 units seeing the current input.
class PathFlow {
public:
    explicit PathFlow(const arch::Architecture& a) : a_(a) {
        std::size_t nodes = 0;
        for (std::size_t l = 1; l <= a.depth(); ++l) first_.push_back(nodes), nodes += a.width(l);
        source_ = 2 * nodes;
        sink_ = source_ + 1;
        head_.assign(sink_ + 1, -1);
        for (std::size_t l = 1; l <= a.depth(); ++l)
            for (std::size_t u = 0; u < a.width(l); ++u) add(in(l, u), out(l, u));
        for (std::size_t l = 2; l <= a.depth(); ++l) {
            const arch::Mask& m = a.layers[l - 1].mask;
            for (std::size_t v = 0; v < m.rows(); ++v)
                for (std::size_t u = 0; u < m.cols(); ++u)
                    if (m.at(v, u)) add(out(l - 1, u), in(l, v));
        }
        for (std::size_t u = 0; u < a.width(a.depth()); ++u) add(out(a.depth(), u), sink_);
        source_edge_.resize(a.width(1));
        for (std::size_t k = 0; k < a.width(1); ++k) source_edge_[k] = add(source_, in(1, k), 0);
        base_ = cap_;
    }

    std::size_t edges() const { return to_.size(); }

    // Paths [j, u_1, ..., u_L] from input j to `want` distinct outputs, or nullopt if fewer exist.
    std::optional<std::vector<std::vector<std::size_t>>> paths(std::size_t j, std::size_t want) {
        cap_ = base_;
        const arch::Mask& m1 = a_.layers[0].mask;
        for (std::size_t k = 0; k < m1.rows(); ++k)
            if (m1.at(k, j)) cap_[source_edge_[k]] = 1;
        for (std::size_t f = 0; f < want; ++f)
            if (!augment()) return std::nullopt;
        std::vector<std::vector<std::size_t>> out;
        for (std::size_t k = 0; k < m1.rows(); ++k) {
            if (!m1.at(k, j) || cap_[source_edge_[k]] != 0) continue;
            std::vector<std::size_t> p{j, k};
            std::size_t node = this->out(1, k);
            while (p.size() <= a_.depth()) {
                long used = -1;
                for (long e = head_[node]; e >= 0 && used < 0; e = next_[e])
                    if ((e & 1) == 0 && cap_[e] == 0 && to_[e] != sink_) used = e;
                if (used < 0) throw std::logic_error("disjoint paths: a flow unit does not continue");
                node = to_[used] + 1;  // in -> out of the next unit
                p.push_back(to_[used] / 2 - first_[p.size() - 1]);
            }
            out.push_back(std::move(p));
        }
        return out;
    }

private:
    std::size_t in(std::size_t l, std::size_t u) const { return 2 * (first_[l - 1] + u); }
    std::size_t out(std::size_t l, std::size_t u) const { return in(l, u) + 1; }

    // Forward edges have even indices, their residual twins the next odd one.
    std::size_t add(std::size_t from, std::size_t to, int cap = 1) {
        const std::size_t e = to_.size();
        to_.push_back(to), cap_.push_back(cap), next_.push_back(head_[from]), head_[from] = static_cast<long>(e);
        to_.push_back(from), cap_.push_back(0), next_.push_back(head_[to]), head_[to] = static_cast<long>(e + 1);
        return e;
    }

    bool augment() {
        std::vector<long> via(head_.size(), -1);
        std::vector<std::size_t> queue{source_};
        via[source_] = -2;
        for (std::size_t q = 0; q < queue.size() && via[sink_] == -1; ++q)
            for (long e = head_[queue[q]]; e >= 0; e = next_[e])
                if (cap_[e] > 0 && via[to_[e]] == -1) via[to_[e]] = e, queue.push_back(to_[e]);
        if (via[sink_] == -1) return false;
        for (std::size_t v = sink_; v != source_;) {
            const auto e = static_cast<std::size_t>(via[v]);
            --cap_[e], ++cap_[e ^ 1];
            v = to_[e ^ 1];
        }
        return true;
    }

    const arch::Architecture& a_;
    std::vector<std::size_t> first_;  // first node index of layer l (1-based, minus one)
    std::size_t source_ = 0, sink_ = 0;
    std::vector<long> head_, next_;
    std::vector<std::size_t> to_, source_edge_;
    std::vector<int> cap_, base_;
};

// Paths for orientation `cols` of `a`: count[j] distinct outputs for every input j, or nullopt.
std::optional<std::vector<std::vector<std::size_t>>> column_paths(const arch::Architecture& a, const std::vector<std::size_t>& count,
                                                                  double cells, const Deadline& deadline) {
    PathFlow flow(a);
    if (cells * static_cast<double>(flow.edges()) > kMaxFlowWork) return std::nullopt;
    std::vector<std::vector<std::size_t>> all;
    for (std::size_t j = 0; j < a.input_dim; ++j) {
        deadline.check();
        if (count[j] == 0) continue;
        auto p = flow.paths(j, count[j]);
        if (!p) return std::nullopt;
        for (auto& x : *p) all.push_back(std::move(x));
    }
    return all;
}

}  // namespace

std::optional<json> disjoint_paths_node(const arch::Architecture& a, const Deadline& deadline) {
    // S once for both orientations: its column counts are the `cols` demands, its row counts the
    // `rows` ones (the columns of the reversed architecture), and both list |S| paths.
    const auto reach = product_support(a, 2e8);
    if (!reach) return std::nullopt;
    std::vector<std::size_t> per_input(a.input_dim, 0), per_output(reach->size(), 0);
    double cells = 0;
    for (std::size_t i = 0; i < reach->size(); ++i)
        for (std::size_t j = 0; j < a.input_dim; ++j)
            if (((*reach)[i][j / 64] >> (j % 64)) & 1) ++per_input[j], ++per_output[i], ++cells;
    if (cells == 0 || cells * static_cast<double>(a.depth() + 1) > kMaxPathEntries) return std::nullopt;
    for (bool rows : {false, true}) {
        auto p = rows ? column_paths(reversed(a), per_output, cells, deadline) : column_paths(a, per_input, cells, deadline);
        if (!p) continue;
        if (rows)
            for (auto& x : *p) std::reverse(x.begin(), x.end());
        std::sort(p->begin(), p->end());
        return json{{"rule", "disjoint_paths"}, {"orientation", rows ? "rows" : "cols"}, {"paths", std::move(*p)}};
    }
    return std::nullopt;
}

}  // namespace closecert::engine
