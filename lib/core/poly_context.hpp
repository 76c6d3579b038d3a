// Variable names and FLINT's fmpq_mpoly context (degrevlex order) shared by polynomials.
#pragma once

#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include <flint/fmpq_mpoly.h>

namespace closecert::core {

class PolyContext {
public:
    // Names must be non-empty, distinct, and free of spaces and the characters +-*/^().
    // Throws std::invalid_argument otherwise. Prefer make_poly_context.
    explicit PolyContext(std::vector<std::string> names);
    ~PolyContext() { fmpq_mpoly_ctx_clear(ctx_); }
    PolyContext(const PolyContext&) = delete;
    PolyContext& operator=(const PolyContext&) = delete;

    std::size_t nvars() const { return names_.size(); }
    const std::string& name(std::size_t i) const { return names_.at(i); }
    const std::vector<std::string>& names() const { return names_; }
    std::optional<std::size_t> index_of(const std::string& name) const;

    // FLINT's API takes non-const contexts even for read-only use.
    fmpq_mpoly_ctx_struct* raw() const { return ctx_; }

private:
    std::vector<std::string> names_;
    std::unordered_map<std::string, std::size_t> index_;
    mutable fmpq_mpoly_ctx_t ctx_;
};

std::shared_ptr<const PolyContext> make_poly_context(std::vector<std::string> names);

}  // namespace closecert::core
