#include "core/rat_func.hpp"

#include <stdexcept>

#include <flint/fmpq_mpoly_factor.h>

namespace closecert::core {

Poly gcd(const Poly& a, const Poly& b) {
    Poly g = Poly::zero(a.context());
    if (a.context() != b.context()) throw std::invalid_argument("gcd: operands over different contexts");
    if (!fmpq_mpoly_gcd(g.raw(), a.raw(), b.raw(), a.context()->raw())) throw std::runtime_error("gcd: FLINT gave up");
    return g;
}

std::optional<Poly> divide_exact(const Poly& a, const Poly& b) {
    if (a.context() != b.context()) throw std::invalid_argument("divide_exact: operands over different contexts");
    if (b.is_zero()) return std::nullopt;
    Poly q = Poly::zero(a.context());
    if (!fmpq_mpoly_divides(q.raw(), a.raw(), b.raw(), a.context()->raw())) return std::nullopt;
    return q;
}

Poly zero_variables(const Poly& p, const std::vector<bool>& zero) {
    std::vector<Poly::Term> kept;
    for (auto& t : p.terms()) {
        bool drop = false;
        for (std::size_t v = 0; v < t.exps.size() && !drop; ++v) drop = t.exps[v] != 0 && v < zero.size() && zero[v];
        if (!drop) kept.push_back(std::move(t));
    }
    return Poly::from_terms(p.context(), kept);
}

Factored factor(const Poly& p) {
    if (p.is_zero()) throw std::invalid_argument("factor: zero polynomial");
    auto* ctx = p.context()->raw();
    fmpq_mpoly_factor_t f;
    fmpq_mpoly_factor_init(f, ctx);
    Factored out;
    if (!fmpq_mpoly_factor(f, p.raw(), ctx) || !fmpq_mpoly_factor_make_monic(f, ctx)) {
        fmpq_mpoly_factor_clear(f, ctx);
        throw std::runtime_error("factor: FLINT gave up");
    }
    fmpq_set(out.unit.raw(), f->constant);
    for (slong i = 0; i < f->num; ++i) {
        Poly base = Poly::zero(p.context());
        fmpq_mpoly_set(base.raw(), f->poly + i, ctx);
        out.factors.emplace_back(std::move(base), fmpz_get_ui(f->exp + i));
    }
    fmpq_mpoly_factor_clear(f, ctx);
    return out;
}

RatFunc::RatFunc(Poly num) : num_(std::move(num)), den_(Poly::constant(num_.context(), Rational(1))) {}

RatFunc::RatFunc(Poly num, Poly den) : num_(std::move(num)), den_(std::move(den)) {
    if (den_.is_zero()) throw std::domain_error("rational function with zero denominator");
    normalise();
}

void RatFunc::normalise() {
    if (num_.is_zero()) {
        den_ = Poly::constant(num_.context(), Rational(1));
        return;
    }
    if (!den_.is_constant()) {
        Poly g = gcd(num_, den_);
        if (!g.is_constant()) {
            num_ = *divide_exact(num_, g);
            den_ = *divide_exact(den_, g);
        }
    }
    Rational lead = den_.terms().front().coef;
    if (!(lead == Rational(1))) {
        Rational inv = Rational(1) / lead;
        num_ *= inv;
        den_ *= inv;
    }
}

RatFunc operator+(const RatFunc& a, const RatFunc& b) {
    if (a.den_ == b.den_) return RatFunc(a.num_ + b.num_, a.den_);
    return RatFunc(a.num_ * b.den_ + b.num_ * a.den_, a.den_ * b.den_);
}

RatFunc operator-(const RatFunc& a, const RatFunc& b) {
    if (a.den_ == b.den_) return RatFunc(a.num_ - b.num_, a.den_);
    return RatFunc(a.num_ * b.den_ - b.num_ * a.den_, a.den_ * b.den_);
}

RatFunc operator*(const RatFunc& a, const RatFunc& b) { return RatFunc(a.num_ * b.num_, a.den_ * b.den_); }

RatFunc operator/(const RatFunc& a, const RatFunc& b) {
    if (b.is_zero()) throw std::domain_error("division by a zero rational function");
    return RatFunc(a.num_ * b.den_, a.den_ * b.num_);
}

}  // namespace closecert::core
