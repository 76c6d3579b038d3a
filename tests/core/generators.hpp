// Random values of random sizes for the core property tests.
#pragma once

#include <algorithm>
#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include <doctest/doctest.h>

#include "core/laurent_poly.hpp"
#include "core/poly.hpp"
#include "core/qmatrix.hpp"
#include "core/rational.hpp"

namespace closecert::test {

using Rng = std::mt19937_64;

inline std::uint64_t uniform(Rng& rng, std::uint64_t lo, std::uint64_t hi) {
    return std::uniform_int_distribution<std::uint64_t>(lo, hi)(rng);
}

// Up to max_bits bits, often small, sometimes multi-limb.
inline core::Integer random_integer(Rng& rng, unsigned max_bits = 200) {
    unsigned bits = static_cast<unsigned>(uniform(rng, 0, max_bits));
    core::Integer r(0);
    const core::Integer base(1L << 30);
    for (unsigned b = 0; b < bits; b += 30) {
        r *= base;
        r += core::Integer(static_cast<long>(uniform(rng, 0, (1UL << std::min(30U, bits - b)) - 1)));
    }
    return uniform(rng, 0, 1) ? -r : r;
}

inline core::Integer random_nonzero_integer(Rng& rng, unsigned max_bits = 200) {
    for (;;) {
        core::Integer r = random_integer(rng, max_bits);
        if (!r.is_zero()) return r;
    }
}

inline core::Rational random_rational(Rng& rng, unsigned max_bits = 120) {
    if (uniform(rng, 0, 3) == 0) return core::Rational(static_cast<long>(uniform(rng, 0, 6)) - 3);
    return core::Rational(random_integer(rng, max_bits), random_nonzero_integer(rng, max_bits));
}

inline core::Rational random_nonzero_rational(Rng& rng, unsigned max_bits = 120) {
    for (;;) {
        core::Rational r = random_rational(rng, max_bits);
        if (!r.is_zero()) return r;
    }
}

inline core::Poly random_poly(Rng& rng, const core::Poly::Context& ctx, std::size_t max_terms = 8,
                              unsigned max_exp = 3, unsigned coef_bits = 40) {
    std::vector<core::Poly::Term> terms;
    std::size_t n = uniform(rng, 0, max_terms);
    for (std::size_t k = 0; k < n; ++k) {
        core::Poly::Term t{random_rational(rng, coef_bits), std::vector<unsigned long>(ctx->nvars(), 0)};
        for (auto& e : t.exps) e = uniform(rng, 0, 2) ? 0 : uniform(rng, 0, max_exp);
        terms.push_back(std::move(t));
    }
    return core::Poly::from_terms(ctx, terms);
}

inline core::LaurentPoly random_laurent(Rng& rng, std::size_t max_terms = 6) {
    core::LaurentPoly p;
    std::size_t n = uniform(rng, 0, max_terms);
    for (std::size_t k = 0; k < n; ++k)
        p += core::LaurentPoly(random_rational(rng, 60), static_cast<int>(uniform(rng, 0, 12)) - 6);
    return p;
}

inline core::QMatrix random_matrix(Rng& rng, std::size_t rows, std::size_t cols, unsigned bits = 30) {
    core::QMatrix m(rows, cols);
    for (std::size_t i = 0; i < rows; ++i)
        for (std::size_t j = 0; j < cols; ++j) m.set(i, j, random_rational(rng, bits));
    return m;
}

inline core::Poly::Context random_context(Rng& rng, std::size_t max_vars = 5) {
    std::vector<std::string> names;
    std::size_t n = uniform(rng, 1, max_vars);
    for (std::size_t i = 0; i < n; ++i) names.push_back("x" + std::to_string(i));
    return core::make_poly_context(names);
}

// The commutative ring laws every exact type must satisfy; shared by the per-type property tests.
template <class T>
void check_ring_laws(const T& a, const T& b, const T& c) {
    CHECK((a + b) + c == a + (b + c));
    CHECK((a * b) * c == a * (b * c));
    CHECK(a + b == b + a);
    CHECK(a * b == b * a);
    CHECK(a * (b + c) == a * b + a * c);
}

}  // namespace closecert::test

// Readable values in doctest failure messages.
namespace doctest {
template <> struct StringMaker<closecert::core::Integer> {
    static String convert(const closecert::core::Integer& v) { return v.to_string().c_str(); }
};
template <> struct StringMaker<closecert::core::Rational> {
    static String convert(const closecert::core::Rational& v) { return v.to_string().c_str(); }
};
template <> struct StringMaker<closecert::core::Poly> {
    static String convert(const closecert::core::Poly& v) { return v.to_string().c_str(); }
};
template <> struct StringMaker<closecert::core::LaurentPoly> {
    static String convert(const closecert::core::LaurentPoly& v) { return v.to_string().c_str(); }
};
template <> struct StringMaker<closecert::core::QMatrix> {
    static String convert(const closecert::core::QMatrix& v) { return v.to_string().c_str(); }
};
}  // namespace doctest
