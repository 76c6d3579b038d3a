// Membership of an activation in the class F of seed 004 on a box [lo, hi] (docs/fixed.md,
// "Class F"): proved by the Schwarzian criterion (Lemmas S and C: f' > 0 and S f <= 0 on the box
// give chi_f <= 1 on the box squared), refuted by a point (x, y) with chi_f(x, y) > 1.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/rational.hpp"

namespace closecert::fixed {

enum class Function { tanh, logistic, arctan, softplus, silu, leaky_relu };

// "tanh", "logistic", "arctan", "softplus", "silu", "leaky_relu"; nullopt for another name.
std::optional<Function> function_from_name(const std::string& name);
std::string function_name(Function f);

struct ClassFQuery {
    Function function = Function::tanh;
    core::Rational slope;   // leaky_relu: the slope on x < 0 (> 0)
    core::Rational lo, hi;  // the box, lo < hi, |lo|, |hi| <= kMaxBox
    double timeout_seconds = 60;
    std::size_t max_cells = 1 << 16;
};
// The checker's interval arithmetic rounds outward to 2^-200, and f' of tanh and logistic falls like
// e^-2|x| and e^-|x|: beyond 24 the margins the two must share are lost.
inline constexpr long kMaxBox = 24;

struct ClassFResult {
    enum class Verdict { member, not_member, unknown } verdict = Verdict::unknown;
    std::vector<core::Rational> cells;  // member: lo = p_0 < ... < p_n = hi, S f <= 0 < f' on each cell
    core::Rational x, y;                // not_member: x < y in the box with chi_f(x, y) > 1
    double chi = 0;                     // its value, approximately
    std::optional<core::Rational> schwarzian_positive;  // a point where S f > 0 (proved), if one was met
    std::string reason;                 // unknown: why, at most one line
    double seconds = 0;
};

// Enclosures of f' and S f at x (not leaky_relu), from the closed forms of docs/fixed.md: for
// reports and for tests against an independent evaluation.
struct PointJet {
    double slope_lo, slope_hi, schwarzian_lo, schwarzian_hi;
};
PointJet jet_at(Function f, const core::Rational& x);

// Throws std::invalid_argument for a box or slope outside the limits above.
ClassFResult class_f(const ClassFQuery& q);

}  // namespace closecert::fixed
