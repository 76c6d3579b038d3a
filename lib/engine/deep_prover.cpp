#include "engine/deep_prover.hpp"

#include <algorithm>

#include "engine/deep_borel.hpp"
#include "engine/deep_free_layer.hpp"
#include "engine/deep_graph.hpp"
#include "engine/deep_kronecker.hpp"
#include "engine/deep_lift.hpp"
#include "engine/deep_paths.hpp"
#include "engine/deep_twin.hpp"
#include "engine/deep_witness.hpp"

namespace closecert::engine {

using nlohmann::json;

namespace {

std::string shape(const arch::Architecture& a) {
    std::string s;
    for (std::size_t l = 0; l <= a.depth(); ++l) s += (l ? "-" : "") + std::to_string(a.width(l));
    return s + " (" + std::to_string(a.nonzeros()) + " weights)";
}

// Internally a closed result's `proof` is the deep node itself.
LinearResult closed_node(json node) {
    LinearResult r;
    r.verdict = Verdict::closed;
    r.rule = node.at("rule").get<std::string>();
    r.proof = std::move(node);
    return r;
}

// The node's verdict follows its child's: closed with `node` around the child's node, not closed
// with the child's proof lifted, unknown with the child's reason.
LinearResult through(LinearResult child, json node, const Lift& lift) {
    if (child.verdict == Verdict::closed) {
        node["child"] = std::move(child.proof);
        return closed_node(std::move(node));
    }
    if (child.verdict == Verdict::not_closed) {
        if (auto lifted = lift_proof(lift, child.proof)) {
            child.proof = std::move(*lifted);
            return child;
        }
        LinearResult r;
        r.reason = "a witness found after rule " + node.at("rule").get<std::string>() + " could not be mapped back";
        return r;
    }
    return child;
}

json units_json(const UnitSets& u) {
    json out = json::array();
    for (const auto& layer : u) out.push_back(layer);
    return out;
}

class DeepProver {
public:
    DeepProver(const Options& opts, const Deadline& deadline) : opts_(opts), deadline_(deadline) {}

    LinearResult decide(const arch::Architecture& a) {
        deadline_.check();
        if (a.depth() == 1) return closed_node({{"rule", "single_layer"}});
        if (a.depth() == 2) return two_layer(a);
        const UnitSets live = live_units(a);
        if (live.front().empty() || live.back().empty()) return closed_node({{"rule", "zero"}});
        if (!all_units(a, live)) return through(decide(restrict_units(a, live)), {{"rule", "prune"}, {"units", units_json(live)}}, lift_restriction(live));
        if (auto parts = layered_components(a); parts.size() > 1) return components(a, parts);
        if (is_full(a.layers.front().mask) && is_full(a.layers.back().mask)) return closed_node({{"rule", "dense_ends"}});
        for (std::size_t l = 1; l < a.depth(); ++l)
            if (is_partial_permutation(a.layers[l - 1].mask) || is_partial_permutation(a.layers[l].mask))
                return through(decide(fuse_pair(a, l)), {{"rule", "fuse"}, {"layer", l}, {"evidence", {{"kind", "partial_permutation"}}}},
                               lift_fusion_monomial(a, l));
        if (auto r = dense_run(a)) return std::move(*r);
        // Proofs before the cited Kronecker theorem.
        if (auto node = twin_node(a)) return closed_node(std::move(*node));
        if (auto node = disjoint_paths_node(a, deadline_)) return closed_node(std::move(*node));
        if (auto node = free_layer_node(a, deadline_)) return closed_node(std::move(*node));
        if (auto node = kronecker_chain_node(a)) return closed_node(std::move(*node));
        for (std::size_t l = 1; l < a.depth(); ++l)
            for (bool rows : {false, true})
                if (auto m = pair_matching(a.layers[l - 1].mask, a.layers[l].mask, rows)) {
                    json matching = json::array();
                    for (const auto& t : *m) matching.push_back(t);
                    json evidence = {{"kind", "generic"}, {"orientation", rows ? "rows" : "cols"}, {"matching", std::move(matching)}};
                    return through(decide(fuse_pair(a, l)), {{"rule", "fuse"}, {"layer", l}, {"evidence", std::move(evidence)}},
                                   lift_fusion_generic(a, l, rows));
                }
        BorelResult b = borel(a, std::min(10u, opts_.max_nullstellensatz_degree + 2 * static_cast<unsigned>(a.depth() - 2)), deadline_);
        if (b.node) return closed_node(std::move(*b.node));
        if (b.witness) {
            LinearResult r;
            r.verdict = Verdict::not_closed;
            r.rule = "limit_outside";
            r.proof = std::move(*b.witness);
            return r;
        }
        DeepWitness w = find_deep_witness(a, opts_, deadline_);
        LinearResult r;
        if (w.proof) {
            r.verdict = Verdict::not_closed;
            r.rule = "limit_outside";
            r.proof = std::move(*w.proof);
            return r;
        }
        r.stuck = shape(a);
        auto sub = std::make_shared<arch::Architecture>(a);
        sub->name += "_stuck";
        r.stuck_architecture = std::move(sub);
        r.reason = "deep: no rule for the " + std::to_string(a.depth()) + "-layer sub-architecture " + shape(a) + "; no routed witness (" +
                   std::to_string(w.routings) + " routings, " + std::to_string(w.limits) + " limits, " + std::to_string(w.windows) + " windows)";
        return r;
    }

private:
    LinearResult two_layer(const arch::Architecture& a) {
        LinearResult r = decide_two_layer(a, opts_, deadline_);
        if (r.verdict == Verdict::closed) return closed_node({{"rule", "two_layer"}, {"proof", std::move(r.proof["proof"])}});
        return r;
    }

    LinearResult components(const arch::Architecture& a, const std::vector<UnitSets>& parts) {
        json nodes = json::array();
        for (const UnitSets& u : parts) {
            LinearResult r = decide(restrict_units(a, u));
            if (r.verdict == Verdict::not_closed) {
                if (auto lifted = lift_proof(lift_restriction(u), r.proof)) {
                    r.proof = std::move(*lifted);
                    return r;
                }
                r.verdict = Verdict::unknown;
                r.reason = "a witness of a component could not be mapped back";
            }
            if (r.verdict == Verdict::unknown) return r;
            nodes.push_back({{"units", units_json(u)}, {"proof", std::move(r.proof)}});
        }
        return closed_node({{"rule", "deep_components"}, {"parts", std::move(nodes)}});
    }

    // A run of full layers that can be shortened: to one layer if its narrowest hidden layer is at
    // least the smaller end, else to two through the narrowest one.
    std::optional<LinearResult> dense_run(const arch::Architecture& a) {
        for (std::size_t first = 1; first <= a.depth(); ++first) {
            std::size_t last = first;
            while (last <= a.depth() && is_full(a.layers[last - 1].mask)) ++last;
            --last;
            if (last <= first) continue;
            std::size_t rho = a.width(first);
            for (std::size_t h = first; h < last; ++h) rho = std::min(rho, a.width(h));
            const bool one = rho >= std::min(a.width(first - 1), a.width(last));
            if (!one && last - first < 2) {
                first = last;
                continue;
            }
            const std::size_t width = one ? 0 : rho;
            return through(decide(replace_run(a, first, last, width)),
                           {{"rule", "dense_run"}, {"first", first}, {"last", last}, {"width", width}}, lift_run(a, first, last, width));
        }
        return std::nullopt;
    }

    const Options& opts_;
    const Deadline& deadline_;
};

}  // namespace

LinearResult decide_deep(const arch::Architecture& a, const Options& opts, const Deadline& deadline) {
    LinearResult r = DeepProver(opts, deadline).decide(a);
    if (r.verdict == Verdict::closed) r.proof = json{{"verdict", "closed"}, {"deep", std::move(r.proof)}};
    return r;
}

}  // namespace closecert::engine
