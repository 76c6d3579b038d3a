// Search for real infeasibility certificates sum_i g_i f_i + 1 + sum_s w_s s_s^2 = 0 (w_s > 0) by
// linear programming over a fixed set of candidate squares (monomials and binomials).
#pragma once

#include <chrono>
#include <cstddef>
#include <optional>
#include <vector>

#include "core/poly.hpp"
#include "core/rational.hpp"

namespace closecert::core {

struct PositivstellensatzLimits {
    // Largest total degree D of the identity (even values are tried: squares have degree <= D/2).
    unsigned max_degree = 4;
    // Give up when the LP for the next degree has more unknowns (cofactor coefficients plus square
    // weights) or more equations (monomials) than this.
    std::size_t max_unknowns = 20000;
    std::size_t max_rows = 20000;
    std::chrono::steady_clock::time_point deadline = std::chrono::steady_clock::time_point::max();
    // Candidate squares (m_a + m_b)^2 and (m_a - m_b)^2 besides the monomial squares m^2: with them
    // the LP ranges over all diagonally dominant Gram matrices (DSOS), without them only diagonal ones.
    bool binomials = true;
    // Integer weights per variable, as in NullstellensatzLimits. Gradings under which some f_i is
    // not homogeneous are ignored. The candidate squares are weight-homogeneous, so the weight-0
    // part of a certificate is again one (see positivstellensatz.cpp): only weight-0 squares and
    // cofactor monomials of weight -weight(f_i) are searched.
    std::vector<std::vector<int>> gradings;
};

struct PositivstellensatzStats {
    unsigned degree = 0;        // last degree D tried (0 if none)
    std::size_t unknowns = 0;   // LP columns at that degree
    std::size_t rows = 0;       // LP rows (monomials)
    std::size_t squares = 0;    // candidate squares among the columns
    std::size_t basic = 0;      // structural columns in the final basis (size of the exact solve)
    double seconds_build = 0;
    double seconds_lp = 0;      // GLPK: floating-point simplex, then exact simplex from its basis
    double seconds_exact = 0;   // exact re-solve over Q with FLINT and verification
};

struct WeightedSquare {
    Rational weight;  // > 0
    Poly poly;
};

struct PositivstellensatzCertificate {
    std::vector<Poly> cofactors;           // same length and context as f
    std::vector<WeightedSquare> squares;   // weights > 0, possibly empty
};

// A certificate with sum_i g_i f_i + 1 + sum_s w_s s_s^2 == 0 and every w_s > 0, verified with exact
// polynomial arithmetic before being returned. It proves that the f have no common REAL zero (the
// left side is >= 1 there). nullopt if none was found within the limits, which proves nothing.
// Throws std::invalid_argument if the f do not share one context.
std::optional<PositivstellensatzCertificate> find_positivstellensatz(const std::vector<Poly>& f,
                                                                     const PositivstellensatzLimits& limits);
std::optional<PositivstellensatzCertificate> find_positivstellensatz(const std::vector<Poly>& f,
                                                                     const PositivstellensatzLimits& limits,
                                                                     PositivstellensatzStats& stats);

// True iff every weight is > 0 and sum_i g_i f_i + 1 + sum_s w_s s_s^2 == 0 exactly (false on a
// length or context mismatch).
bool is_positivstellensatz_certificate(const std::vector<Poly>& f, const PositivstellensatzCertificate& c);

}  // namespace closecert::core
