// Internal to lib/core: the polynomial-system preparation shared by the Nullstellensatz and
// Positivstellensatz searches. Not part of the public API.
#pragma once

#include <cstddef>
#include <cstdint>
#include <utility>
#include <vector>

#include <flint/fmpq_mat.h>
#include <flint/fmpz_mat.h>

#include "core/integer.hpp"
#include "core/poly.hpp"
#include "core/rational.hpp"

namespace closecert::core::detail {

using Mono = std::vector<std::uint16_t>;  // exponents over the variables that occur in f

struct MonoHash {
    std::size_t operator()(const Mono& m) const noexcept {
        std::uint64_t h = 1469598103934665603ULL;
        for (auto e : m) h = (h ^ e) * 1099511628211ULL;
        return static_cast<std::size_t>(h);
    }
};

template <class Coef>
struct ScaledTerm {
    Mono exps;
    Coef coef;
};

// f'_i = scale_i * f_i with coprime integer coefficients, over the occurring variables only.
template <class Coef>
struct ScaledSystem {
    std::vector<std::size_t> vars;  // global index of each local variable
    std::vector<std::vector<ScaledTerm<Coef>>> terms;
    std::vector<Rational> scale;
    std::vector<long> degree;                  // -1 for a zero f_i
    unsigned long max_exponent = 0;            // before narrowing to Mono, for callers with bounds
    std::vector<std::vector<int>> grading;     // kept gradings, on local variables
    std::vector<std::vector<long>> eq_weight;  // per kept grading: weight of each f_i
};

using ExactSystem = ScaledSystem<Integer>;

// Largest total degree and whether some f_i has a constant term; throws std::invalid_argument
// (prefixed by `who`) unless all f share one context.
struct Survey {
    long top = -1;
    bool has_constant = false;
};
Survey survey(const std::vector<Poly>& f, const char* who);

// f must be nonempty. Exponents are narrowed to 16 bits; see max_exponent.
ExactSystem scale_system(const std::vector<Poly>& f);

// Keeps the gradings (over all nvars variables) under which every f_i is homogeneous; throws
// std::invalid_argument (prefixed by `who`) for a grading of the wrong length.
void keep_gradings(ExactSystem& in, const std::vector<std::vector<int>>& gradings, std::size_t nvars,
                   const char* who);

// The same system with each coefficient passed through `convert`.
template <class To, class From, class Convert>
ScaledSystem<To> convert_coefficients(ScaledSystem<From>&& in, Convert convert) {
    ScaledSystem<To> out;
    out.vars = std::move(in.vars);
    for (auto& ts : in.terms) {
        std::vector<ScaledTerm<To>> cs;
        cs.reserve(ts.size());
        for (auto& t : ts) cs.push_back({std::move(t.exps), convert(t.coef)});
        out.terms.push_back(std::move(cs));
    }
    out.scale = std::move(in.scale);
    out.degree = std::move(in.degree);
    out.max_exponent = in.max_exponent;
    out.grading = std::move(in.grading);
    out.eq_weight = std::move(in.eq_weight);
    return out;
}

long weight_of(const Mono& m, const std::vector<int>& w);

// C(nv + d, d), saturated at `cap`.
std::size_t count_monomials(std::size_t nv, unsigned d, std::size_t cap);

// All monomials in nv variables of degree <= d: by ascending degree, and within one degree in
// descending lexicographic order.
std::vector<Mono> monomials_up_to(std::size_t nv, unsigned d);

// Exponents over all nvars variables of the local monomial m.
std::vector<unsigned long> global_exponents(const std::vector<std::size_t>& vars, const Mono& m, std::size_t nvars);

// The exact square solve A X = B (A n x n, B n x 1 over Z, X over Q) both searches end with;
// owns the FLINT matrices so that they are freed on every path.
struct SquareSystem {
    fmpz_mat_t A, B;
    fmpq_mat_t X;
    explicit SquareSystem(slong n) {
        fmpz_mat_init(A, n, n);
        fmpz_mat_init(B, n, 1);
        fmpq_mat_init(X, n, 1);
    }
    SquareSystem(const SquareSystem&) = delete;
    SquareSystem& operator=(const SquareSystem&) = delete;
    ~SquareSystem() {
        fmpz_mat_clear(A);
        fmpz_mat_clear(B);
        fmpq_mat_clear(X);
    }
    // False if A is singular.
    bool solve() { return fmpq_mat_solve_fmpz_mat_dixon(X, A, B) != 0; }
};

}  // namespace closecert::core::detail
