// Certificate JSON for exact numbers and polynomials: "p/q" strings, and [coef, {name: exponent}]
// terms in the polynomial context's variable names.
#pragma once

#include <nlohmann/json.hpp>

#include "core/poly.hpp"
#include "core/rational.hpp"

namespace closecert::engine {

inline nlohmann::json rational_json(const core::Rational& q) { return q.to_string(); }

inline nlohmann::json poly_json(const core::Poly& p) {
    nlohmann::json out = nlohmann::json::array();
    const auto& ctx = p.context();
    for (const auto& t : p.terms()) {
        nlohmann::json mono = nlohmann::json::object();
        for (std::size_t v = 0; v < t.exps.size(); ++v)
            if (t.exps[v]) mono[ctx->name(v)] = t.exps[v];
        out.push_back({rational_json(t.coef), std::move(mono)});
    }
    return out;
}

}  // namespace closecert::engine
