// Lemma T made explicit: a linear not-closed witness W_l(t) -> A lifts to ReLU networks f_t that
// equal x -> P(t) x on the cube [-1, 1]^d for t in (0, 1], with sup |f_t(x) - A x| <= E t.
#pragma once

#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "arch/architecture.hpp"
#include "relu/linear_witness.hpp"

namespace closecert::relu {

// The certificate checker bounds |exponent| of every Laurent polynomial it reads.
inline constexpr int kMaxCertificateExponent = 64;

// The witness cannot be lifted (no bias somewhere, P(t) does not tend to A, exponents too large)
// or the lifted network failed its own exact check.
class LiftError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

struct LiftedNetwork {
    std::size_t input_dim = 0;
    std::vector<LaurentMatrix> weights;            // weights[l-1] = W_l(t), the linear family
    std::vector<std::vector<core::LaurentPoly>> bias;  // bias[l-1][unit]
    LaurentMatrix product;                         // P(t) = W_L(t) ... W_1(t)
    RationalMatrix limit;                          // A
    core::Rational error_bound;                    // E: sup_cube |f_t(x) - A x|_inf <= E t on (0, 1]
};

// Hidden biases are monomials beta t^(-q) chosen by the checker's majorant rule: with
// |h_v| <= U_v t^(-q_v) for the previous layer's units (inputs: U = 1, q = 0), unit u takes
// q_u = max(0, max_v (q_v - ord(w_uv))), beta_u = floor(sum_v M(w_uv) U_v) + 1 and then
// U_u = beta_u + sum_v M(w_uv) U_v. So every hidden pre-activation is positive on the cube and
// the network is linear there; the output bias cancels the accumulated constant exactly.
LiftedNetwork lift(const arch::Architecture& a, const LinearWitness& w);

struct Evaluation {
    std::vector<core::Rational> output;
    core::Rational min_preactivation;  // smallest hidden pre-activation (meaningless without hidden layers)
    bool has_hidden = false;
};
// Exact forward pass of the ReLU network at parameter t > 0 and input x.
Evaluation evaluate(const LiftedNetwork& n, const core::Rational& t, const std::vector<core::Rational>& x);
// P(t) x and A x, exactly.
std::vector<core::Rational> apply(const LaurentMatrix& m, std::size_t rows, const core::Rational& t, const std::vector<core::Rational>& x);
std::vector<core::Rational> apply(const RationalMatrix& m, std::size_t rows, const std::vector<core::Rational>& x);

// Re-checks a lifted network exactly: the output constant vanishes as a Laurent polynomial, and at
// several t in (0, 1] and at cube corners and other cube points every hidden pre-activation is
// positive, f_t(x) = P(t) x and |f_t(x) - A x|_inf <= E t. Throws LiftError naming the failure.
void verify_lift(const LiftedNetwork& n, std::uint64_t seed = 1);

// The certificate's "relu" object (rule "transfer", docs/certificates.md).
nlohmann::json transfer_proof(const LiftedNetwork& n, const LinearWitness& w);

// The document written by `closecert lift`: networks, limit function, t range and error bound.
nlohmann::json lift_document(const arch::Architecture& a, const LiftedNetwork& n, const LinearWitness& w);

}  // namespace closecert::relu
