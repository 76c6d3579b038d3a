#include "relu/decide.hpp"

#include "relu/linear_witness.hpp"
#include "relu/transfer.hpp"

namespace closecert::relu {

using engine::Verdict;

namespace {

ReluDecision unknown(std::string reason) {
    ReluDecision d;
    d.reason = std::move(reason);
    return d;
}

std::string first_layer_without_bias(const arch::Architecture& a) {
    for (std::size_t l = 1; l <= a.depth(); ++l)
        if (!a.layers[l - 1].bias) return std::to_string(l);
    return {};
}

}  // namespace

ReluDecision decide_relu(const arch::Architecture& a, const engine::LinearResult& linear) {
    // No hidden layer: the functions x -> W x (+ b) form a finite-dimensional linear subspace of the
    // continuous functions on any domain, which is closed (docs/relu.md, rule linear_layer).
    if (a.depth() == 1) {
        ReluDecision d;
        d.verdict = Verdict::closed;
        d.proof = nlohmann::json{{"verdict", "closed"}, {"rule", "linear_layer"}};
        return d;
    }
    if (linear.verdict == Verdict::not_closed) {
        if (std::string l = first_layer_without_bias(a); !l.empty())
            return unknown("layer " + l + " has no bias: Lemma T needs biases in every layer to lift the linear witness");
        try {
            LinearWitness w = parse_linear_witness(linear.proof, a);
            LiftedNetwork n = lift(a, w);
            verify_lift(n);
            ReluDecision d;
            d.verdict = Verdict::not_closed;
            d.proof = transfer_proof(n, w);
            return d;
        } catch (const WitnessError& e) {
            return unknown(std::string("the linear witness cannot be read: ") + e.what());
        } catch (const LiftError& e) {
            return unknown(std::string("the linear witness does not lift to ReLU networks: ") + e.what());
        }
    }
    // Scalar output, one hidden layer: Lemma S makes the linear verdict closed, so no conflict.
    if (a.depth() == 2 && a.output_dim() == 1) {
        if (!a.layers[0].bias || !a.layers[1].bias)
            return unknown("one hidden layer with scalar output, but the cited theorem is used here only with biases in both layers");
        ReluDecision d;
        d.verdict = Verdict::closed;
        d.proof = nlohmann::json{{"verdict", "closed"},
                                 {"rule", "cited"},
                                 {"theorem", "scalar_output_shallow"},
                                 {"citation", kScalarOutputCitation}};
        return d;
    }
    if (linear.verdict == Verdict::closed)
        return unknown("linear counterpart closed: closedness does not transfer to the ReLU space (Lemma T only transfers non-closedness)");
    return unknown("linear counterpart undecided" + (linear.reason.empty() ? std::string() : ": " + linear.reason));
}

}  // namespace closecert::relu
