#include "engine/engine.hpp"
#include "engine/memory_limit.hpp"

#include <algorithm>
#include <chrono>

#include <flint/flint.h>

#include "arch/pattern.hpp"
#include "engine/closed_prover.hpp"
#include "engine/deep_graph.hpp"
#include "engine/deep_prover.hpp"
#include "engine/witness.hpp"

namespace closecert::engine {

using nlohmann::json;

namespace {

// The two-layer sub-architecture of hidden units `hidden` (increasing), restricted to the inputs and
// outputs they touch.
arch::Architecture sub_architecture(const arch::Architecture& a, const std::vector<std::size_t>& hidden) {
    std::vector<std::size_t> ins, outs;
    for (std::size_t j = 0; j < a.input_dim; ++j)
        for (std::size_t k : hidden)
            if (a.layers[0].mask.at(k, j)) {
                ins.push_back(j);
                break;
            }
    for (std::size_t i = 0; i < a.layers[1].mask.rows(); ++i)
        for (std::size_t k : hidden)
            if (a.layers[1].mask.at(i, k)) {
                outs.push_back(i);
                break;
            }
    arch::Architecture s;
    s.name = a.name + "_stuck";
    s.input_dim = std::max<std::size_t>(ins.size(), 1);
    arch::Mask w1(hidden.size(), s.input_dim), w2(std::max<std::size_t>(outs.size(), 1), hidden.size());
    for (std::size_t k = 0; k < hidden.size(); ++k) {
        for (std::size_t c = 0; c < ins.size(); ++c)
            if (a.layers[0].mask.at(hidden[k], ins[c])) w1.set(k, c);
        for (std::size_t r = 0; r < outs.size(); ++r)
            if (a.layers[1].mask.at(outs[r], hidden[k])) w2.set(r, k);
    }
    s.layers.push_back(arch::Layer{std::move(w1), a.layers[0].bias});
    s.layers.push_back(arch::Layer{std::move(w2), a.layers[1].bias});
    return s;
}

}  // namespace

LinearResult decide_two_layer(const arch::Architecture& a, const Options& opts, const Deadline& deadline) {
    LinearResult r;
    const arch::Pattern p = arch::two_layer_pattern(a);
    ClosedProver prover(p, deadline);
    if (auto node = prover.prove_all()) {
        r.verdict = Verdict::closed;
        r.rule = (*node)["rule"].get<std::string>();
        r.proof = json{{"verdict", "closed"}, {"proof", std::move(*node)}};
        return r;
    }
    const Stuck& stuck = *prover.stuck();
    // Witnesses come from the original terms of the component where the prover got stuck: absorbed
    // terms take part in degenerations too (the LU window needs its absorbed cell term).
    std::vector<std::size_t> component;
    for (auto& comp : visible_components(prover.root()))
        if (std::find(comp.begin(), comp.end(), stuck.where.terms.front()) != comp.end()) component = comp;
    WitnessLimits wl;
    wl.max_candidates = opts.max_witness_candidates;
    wl.max_degree = opts.max_nullstellensatz_degree;
    WitnessSearch ws = find_witness(p, component, wl, deadline);
    if (ws.proof) {
        r.verdict = Verdict::not_closed;
        r.rule = "limit_outside";
        r.proof = std::move(*ws.proof);
        return r;
    }
    r.verdict = Verdict::unknown;
    r.stuck = describe(stuck.where);
    if (!stuck.where.terms.empty()) {
        r.stuck_architecture = std::make_shared<const arch::Architecture>(sub_architecture(a, stuck.where.terms));
        r.stuck_forgotten = stuck.where.forgotten.size();
    }
    r.reason = stuck.reason + "; no witness found (first-order hooks and families, random families of order <= 2; " + std::to_string(ws.candidates_tried) +
               " candidates, " + std::to_string(ws.windows_closed) + " in closed windows)";
    return r;
}

LinearResult decide_linear(const arch::Architecture& a, const Options& opts) {
    const auto start = std::chrono::steady_clock::now();
    const Deadline deadline(opts.timeout_seconds);
    LinearResult r;
    try {
        if (a.depth() == 1) {
            r.verdict = Verdict::closed;
            r.rule = "single_layer";
            r.proof = json{{"verdict", "closed"}, {"rule", "single_layer"}};
        } else if (a.depth() == 2 && is_full(a.layers[0].mask) && is_full(a.layers[1].mask)) {
            // Dense: L is the rank variety (theory.md, dense_ends). A two-layer proof tree would list
            // every rectangle, which for 4096 x 4096 x 4096 exceeds what the checker accepts.
            r.verdict = Verdict::closed;
            r.rule = "dense_ends";
            r.proof = json{{"verdict", "closed"}, {"deep", {{"rule", "dense_ends"}}}};
        } else if (a.depth() == 2) {
            r = decide_two_layer(a, opts, deadline);
        } else {
            r = decide_deep(a, opts, deadline);
        }
    } catch (const TimeoutError&) {
        r = LinearResult{};
        r.reason = "time limit of " + std::to_string(opts.timeout_seconds) + " s reached";
    } catch (const std::bad_alloc&) {
        r = LinearResult{};
        r.reason = memory_limit() ? "memory limit of " + std::to_string(memory_limit() >> 20) + " MiB reached (--max-memory)"
                                  : "out of memory";
    }
    r.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    return r;
}

void release_thread_caches() { flint_cleanup(); }

}  // namespace closecert::engine
