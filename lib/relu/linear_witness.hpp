// The linear witness of a "not closed" certificate: the family W_l(t) and its limit A, read from
// the certificate's "linear" object (docs/certificates.md, "Linear proof: not closed").
#pragma once

#include <cstddef>
#include <map>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "arch/architecture.hpp"
#include "core/laurent_poly.hpp"
#include "core/rational.hpp"

namespace closecert::relu {

using Cell = std::pair<std::size_t, std::size_t>;                // (row, col)
using LaurentMatrix = std::map<Cell, core::LaurentPoly>;          // sparse, no zero entries
using RationalMatrix = std::map<Cell, core::Rational>;            // sparse, no zero entries

// Malformed witness; `place` names the JSON location, e.g. "family[1].entries[0].value[2]".
class WitnessError : public std::runtime_error {
public:
    WitnessError(std::string place, const std::string& what)
        : std::runtime_error(place + ": " + what), place_(std::move(place)) {}
    const std::string& place() const { return place_; }
private:
    std::string place_;
};

struct LinearWitness {
    std::vector<LaurentMatrix> family;  // family[l-1] = W_l(t)
    RationalMatrix limit;               // A
    nlohmann::json family_json;         // the "family" array as given (weights are copied verbatim)
};

// Reads "family" and "limit" of a linear not_closed proof. Checks shapes and masks only: the
// certificate checker, not this function, verifies that P(t) -> A.
LinearWitness parse_linear_witness(const nlohmann::json& linear, const arch::Architecture& a);

// Only the "limit" entries, for a rows x cols matrix (used when the limit is a training target).
RationalMatrix parse_limit(const nlohmann::json& linear, std::size_t rows, std::size_t cols);

core::LaurentPoly laurent_from_json(const nlohmann::json& v, const std::string& place);
nlohmann::json laurent_to_json(const core::LaurentPoly& p);
// [{"row", "col", "value"}] in (row, col) order.
nlohmann::json entries_to_json(const LaurentMatrix& m);

// W_L ... W_1; widths come from the architecture.
LaurentMatrix product(const std::vector<LaurentMatrix>& family);

// ord(p) = lowest exponent, M(p) = sum of |coefficients|: |p(t)| <= M(p) t^ord(p) on (0, 1].
int ord(const core::LaurentPoly& p);
core::Rational mass(const core::LaurentPoly& p);

core::Rational rational_pow(const core::Rational& t, int e);
core::Rational evaluate(const core::LaurentPoly& p, const core::Rational& t);

}  // namespace closecert::relu
