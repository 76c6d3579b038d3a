#include "core/poly_context.hpp"

#include <stdexcept>

namespace closecert::core {

PolyContext::PolyContext(std::vector<std::string> names) : names_(std::move(names)) {
    for (std::size_t i = 0; i < names_.size(); ++i) {
        const std::string& n = names_[i];
        if (n.empty()) throw std::invalid_argument("empty variable name");
        if (n.find_first_of(" \t\r\n+-*/^()") != std::string::npos)
            throw std::invalid_argument("variable name with a reserved character: '" + n + "'");
        if (!index_.emplace(n, i).second) throw std::invalid_argument("duplicate variable name: '" + n + "'");
    }
    fmpq_mpoly_ctx_init(ctx_, static_cast<slong>(names_.size()), ORD_DEGREVLEX);
}

std::optional<std::size_t> PolyContext::index_of(const std::string& name) const {
    auto it = index_.find(name);
    if (it == index_.end()) return std::nullopt;
    return it->second;
}

std::shared_ptr<const PolyContext> make_poly_context(std::vector<std::string> names) {
    return std::make_shared<const PolyContext>(std::move(names));
}

}  // namespace closecert::core
