// Minimal obstructions: not closed patterns all of whose proper windows are closed.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "arch/pattern.hpp"
#include "engine/verdict.hpp"

namespace closecert::census {

// The maximal proper windows: drop one row (if m > 1) or one column (if n > 1). Windows with no row
// or no column are the zero space, closed, and not listed. Every proper window lies in one of
// these, and a window of a closed pattern is closed (Lemma W), so a not closed pattern is minimal iff
// these are all closed.
std::vector<arch::Pattern> maximal_windows(const arch::Pattern& p);

enum class Minimality { minimal, not_minimal, undetermined };

// verdict_of gives the verdict of a window pattern (looked up or decided).
Minimality minimality(const arch::Pattern& p, const std::function<engine::Verdict(const arch::Pattern&)>& verdict_of);

// Number of terms with an empty rectangle (they do not change L).
std::size_t empty_terms(const arch::Pattern& p);

}  // namespace closecert::census
