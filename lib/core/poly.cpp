#include "core/poly.hpp"

#include <stdexcept>

#include <flint/flint.h>

namespace closecert::core {

Poly::Poly(Context ctx) : ctx_(std::move(ctx)) {
    if (!ctx_) throw std::invalid_argument("polynomial without a context");
    fmpq_mpoly_init(p_, ctx_->raw());
}

Poly::Poly(const Poly& o) : ctx_(o.ctx_) {
    fmpq_mpoly_init(p_, ctx_->raw());
    fmpq_mpoly_set(p_, o.p_, ctx_->raw());
}

Poly::Poly(Poly&& o) noexcept : ctx_(o.ctx_) {
    fmpq_mpoly_init(p_, ctx_->raw());
    fmpq_mpoly_swap(p_, o.p_, ctx_->raw());
}

Poly::~Poly() { fmpq_mpoly_clear(p_, ctx_->raw()); }

Poly& Poly::operator=(const Poly& o) {
    if (this == &o) return *this;
    if (ctx_ == o.ctx_) {
        fmpq_mpoly_set(p_, o.p_, ctx_->raw());
    } else {
        Poly tmp(o);
        swap(tmp);
    }
    return *this;
}

Poly& Poly::operator=(Poly&& o) noexcept {
    if (this == &o) return *this;
    Poly tmp(std::move(o));  // o becomes zero in its own context
    swap(tmp);
    return *this;
}

void Poly::swap(Poly& o) noexcept {
    // The struct swap does not depend on the context, so swapping contexts along is safe.
    fmpq_mpoly_swap(p_, o.p_, ctx_->raw());
    ctx_.swap(o.ctx_);
}

void Poly::require_same(const Poly& o, const char* op) const {
    if (ctx_ != o.ctx_) throw std::invalid_argument(std::string("Poly ") + op + ": operands over different contexts");
}

Poly Poly::zero(Context ctx) { return Poly(std::move(ctx)); }

Poly Poly::constant(Context ctx, const Rational& c) {
    Poly r(std::move(ctx));
    fmpq_mpoly_set_fmpq(r.p_, c.raw(), r.ctx_->raw());
    return r;
}

Poly Poly::variable(Context ctx, std::size_t i) {
    Poly r(std::move(ctx));
    if (i >= r.ctx_->nvars()) throw std::out_of_range("variable index out of range");
    fmpq_mpoly_gen(r.p_, static_cast<slong>(i), r.ctx_->raw());
    return r;
}

Poly Poly::from_terms(Context ctx, const std::vector<Term>& terms) {
    Poly r(std::move(ctx));
    const std::size_t n = r.ctx_->nvars();
    for (const Term& t : terms) {
        if (t.exps.size() != n) throw std::invalid_argument("term exponent vector of wrong length");
        if (t.coef.is_zero()) continue;
        fmpq_mpoly_push_term_fmpq_ui(r.p_, t.coef.raw(), t.exps.data(), r.ctx_->raw());
    }
    fmpq_mpoly_sort_terms(r.p_, r.ctx_->raw());
    fmpq_mpoly_combine_like_terms(r.p_, r.ctx_->raw());
    return r;
}

Poly Poly::parse(Context ctx, std::string_view text) {
    Poly r(std::move(ctx));
    std::vector<const char*> names;
    for (const auto& n : r.ctx_->names()) names.push_back(n.c_str());
    std::string s(text);
    if (s.empty() || fmpq_mpoly_set_str_pretty(r.p_, s.c_str(), names.data(), r.ctx_->raw()) != 0)
        throw std::invalid_argument("not a polynomial: '" + s + "'");
    return r;
}

Poly& Poly::operator+=(const Poly& o) {
    require_same(o, "+");
    fmpq_mpoly_add(p_, p_, o.p_, ctx_->raw());
    return *this;
}

Poly& Poly::operator-=(const Poly& o) {
    require_same(o, "-");
    fmpq_mpoly_sub(p_, p_, o.p_, ctx_->raw());
    return *this;
}

Poly operator*(const Poly& a, const Poly& b) {
    a.require_same(b, "*");
    Poly r(a.ctx_);
    fmpq_mpoly_mul(r.p_, a.p_, b.p_, a.ctx_->raw());
    return r;
}

Poly& Poly::operator*=(const Poly& o) {
    *this = *this * o;
    return *this;
}

Poly& Poly::operator*=(const Rational& c) {
    fmpq_mpoly_scalar_mul_fmpq(p_, p_, c.raw(), ctx_->raw());
    return *this;
}

Poly Poly::operator-() const {
    Poly r(ctx_);
    fmpq_mpoly_neg(r.p_, p_, ctx_->raw());
    return r;
}

Poly Poly::pow(unsigned long e) const {
    Poly r(ctx_);
    if (!fmpq_mpoly_pow_ui(r.p_, p_, e, ctx_->raw())) throw std::overflow_error("Poly::pow: exponent overflow");
    return r;
}

bool operator==(const Poly& a, const Poly& b) {
    a.require_same(b, "==");
    return fmpq_mpoly_equal(a.p_, b.p_, a.ctx_->raw()) != 0;
}

long Poly::degree(std::size_t i) const {
    if (i >= ctx_->nvars()) throw std::out_of_range("variable index out of range");
    return fmpq_mpoly_degree_si(p_, static_cast<slong>(i), ctx_->raw());
}

Rational Poly::constant_term() const {
    Rational c;
    std::vector<unsigned long> zeros(ctx_->nvars(), 0);
    fmpq_mpoly_get_coeff_fmpq_ui(c.raw(), p_, zeros.data(), ctx_->raw());
    return c;
}

std::vector<Poly::Term> Poly::terms() const {
    std::vector<Term> out;
    const slong len = fmpq_mpoly_length(p_, ctx_->raw());
    out.reserve(static_cast<std::size_t>(len));
    for (slong i = 0; i < len; ++i) {
        if (!fmpq_mpoly_term_exp_fits_ui(p_, i, ctx_->raw()))
            throw std::overflow_error("Poly::terms: exponent does not fit an unsigned long");
        Term t{Rational(), std::vector<unsigned long>(ctx_->nvars(), 0)};
        fmpq_mpoly_get_term_coeff_fmpq(t.coef.raw(), p_, i, ctx_->raw());
        fmpq_mpoly_get_term_exp_ui(t.exps.data(), p_, i, ctx_->raw());
        out.push_back(std::move(t));
    }
    return out;
}

std::vector<std::size_t> Poly::used_variables() const {
    std::vector<std::size_t> out;
    for (std::size_t i = 0; i < ctx_->nvars(); ++i)
        if (degree(i) > 0) out.push_back(i);
    return out;
}

std::string Poly::to_string() const {
    if (is_zero()) return "0";
    std::string s;
    bool first = true;
    for (const Term& t : terms()) {
        if (first) {
            if (t.coef.sign() < 0) s += "-";
        } else {
            s += t.coef.sign() < 0 ? " - " : " + ";
        }
        first = false;
        Rational a = t.coef.abs();
        std::string mono;
        for (std::size_t v = 0; v < t.exps.size(); ++v) {
            if (t.exps[v] == 0) continue;
            if (!mono.empty()) mono += "*";
            mono += ctx_->name(v);
            if (t.exps[v] > 1) mono += "^" + std::to_string(t.exps[v]);
        }
        if (mono.empty()) s += a.to_string();
        else if (a.is_one()) s += mono;
        else s += a.to_string() + "*" + mono;
    }
    return s;
}

Rational Poly::evaluate(const std::vector<Rational>& values) const {
    if (values.size() != ctx_->nvars()) throw std::invalid_argument("Poly::evaluate: wrong number of values");
    std::vector<fmpq*> ptrs;
    ptrs.reserve(values.size());
    // FLINT takes non-const pointers but does not modify the values.
    for (const Rational& v : values) ptrs.push_back(const_cast<fmpq*>(v.raw()));
    Rational r;
    if (!fmpq_mpoly_evaluate_all_fmpq(r.raw(), p_, ptrs.data(), ctx_->raw()))
        throw std::overflow_error("Poly::evaluate: result too large");
    return r;
}

}  // namespace closecert::core
