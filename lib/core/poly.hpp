// Multivariate polynomials over Q: RAII wrapper over fmpq_mpoly_t that keeps its context alive.
#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <flint/fmpq_mpoly.h>

#include "core/poly_context.hpp"
#include "core/rational.hpp"

namespace closecert::core {

class Poly {
public:
    using Context = std::shared_ptr<const PolyContext>;

    struct Term {
        Rational coef;
        std::vector<unsigned long> exps;  // one exponent per context variable
    };

    // Throws std::invalid_argument on a null context.
    static Poly zero(Context ctx);
    static Poly constant(Context ctx, const Rational& c);
    // Throws std::out_of_range if i >= nvars.
    static Poly variable(Context ctx, std::size_t i);
    // Like terms are added, zero terms dropped. Throws std::invalid_argument if an exponent
    // vector does not have nvars entries.
    static Poly from_terms(Context ctx, const std::vector<Term>& terms);
    // Reads the to_string format (also accepts any FLINT "pretty" expression in the names).
    // Throws std::invalid_argument on bad text.
    static Poly parse(Context ctx, std::string_view text);

    Poly(const Poly& o);
    // Moved-from objects keep the context and hold zero, so they stay usable.
    Poly(Poly&& o) noexcept;
    ~Poly();
    Poly& operator=(const Poly& o);
    Poly& operator=(Poly&& o) noexcept;
    void swap(Poly& o) noexcept;

    // Binary operations need operands over the same context object; otherwise they throw
    // std::invalid_argument.
    Poly& operator+=(const Poly& o);
    Poly& operator-=(const Poly& o);
    Poly& operator*=(const Poly& o);
    Poly& operator*=(const Rational& c);
    friend Poly operator+(Poly a, const Poly& b) { return a += b; }
    friend Poly operator-(Poly a, const Poly& b) { return a -= b; }
    friend Poly operator*(const Poly& a, const Poly& b);
    friend Poly operator*(Poly a, const Rational& c) { return a *= c; }
    friend Poly operator*(const Rational& c, Poly a) { return a *= c; }
    Poly operator-() const;
    // Throws std::overflow_error if exponents would not fit.
    Poly pow(unsigned long e) const;
    friend bool operator==(const Poly& a, const Poly& b);

    bool is_zero() const { return fmpq_mpoly_is_zero(p_, ctx_->raw()) != 0; }
    bool is_constant() const { return fmpq_mpoly_is_fmpq(p_, ctx_->raw()) != 0; }
    // -1 for the zero polynomial.
    long total_degree() const { return fmpq_mpoly_total_degree_si(p_, ctx_->raw()); }
    // Degree in variable i, -1 for the zero polynomial.
    long degree(std::size_t i) const;
    std::size_t length() const { return static_cast<std::size_t>(fmpq_mpoly_length(p_, ctx_->raw())); }
    // Constant term (coefficient of the monomial 1).
    Rational constant_term() const;
    // Terms in degrevlex order, largest first.
    std::vector<Term> terms() const;
    // Indices of the variables that occur.
    std::vector<std::size_t> used_variables() const;
    // E.g. "w1_0_0*w2_1_0^2 - 3/2"; "0" for zero.
    std::string to_string() const;
    // Throws std::invalid_argument unless values.size() == nvars.
    Rational evaluate(const std::vector<Rational>& values) const;

    const Context& context() const { return ctx_; }
    fmpq_mpoly_struct* raw() { return p_; }
    const fmpq_mpoly_struct* raw() const { return p_; }

private:
    explicit Poly(Context ctx);
    void require_same(const Poly& o, const char* op) const;

    Context ctx_;
    fmpq_mpoly_t p_;
};

inline void swap(Poly& a, Poly& b) noexcept { a.swap(b); }

}  // namespace closecert::core
