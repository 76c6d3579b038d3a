#include "arch/architecture.hpp"

#include <string>

namespace closecert::arch {

std::size_t Mask::nonzeros() const {
    std::size_t n = 0;
    for (auto b : bits_) n += b;
    return n;
}

std::vector<std::uint32_t> Mask::row_support(std::size_t i) const {
    std::vector<std::uint32_t> s;
    for (std::size_t j = 0; j < cols_; ++j)
        if (at(i, j)) s.push_back(static_cast<std::uint32_t>(j));
    return s;
}

std::vector<std::uint32_t> Mask::col_support(std::size_t j) const {
    std::vector<std::uint32_t> s;
    for (std::size_t i = 0; i < rows_; ++i)
        if (at(i, j)) s.push_back(static_cast<std::uint32_t>(i));
    return s;
}

Mask Mask::transposed() const {
    Mask t(cols_, rows_);
    for (std::size_t i = 0; i < rows_; ++i)
        for (std::size_t j = 0; j < cols_; ++j)
            if (at(i, j)) t.set(j, i);
    return t;
}

Mask boolean_product(const Mask& left, const Mask& right) {
    if (left.cols() != right.rows()) throw std::invalid_argument("boolean_product: shape mismatch");
    Mask out(left.rows(), right.cols());
    for (std::size_t i = 0; i < left.rows(); ++i) {
        std::size_t filled = 0;  // a full row stops early: dense products cost one row each
        for (std::size_t k = 0; k < left.cols() && filled < right.cols(); ++k) {
            if (!left.at(i, k)) continue;
            for (std::size_t j = 0; j < right.cols(); ++j)
                if (right.at(k, j) && !out.at(i, j)) out.set(i, j), ++filled;
        }
    }
    return out;
}

bool Architecture::all_biases() const {
    for (const auto& l : layers)
        if (!l.bias) return false;
    return true;
}

std::size_t Architecture::nonzeros() const {
    std::size_t n = 0;
    for (const auto& l : layers) n += l.mask.nonzeros();
    return n;
}

void Architecture::validate() const {
    if (input_dim == 0) throw ArchitectureError("input_dim", "must be at least 1");
    if (input_dim > kMaxWidth)
        throw ArchitectureError("input_dim", "is " + std::to_string(input_dim) + ", over the limit " +
                                                 std::to_string(kMaxWidth));
    if (layers.empty()) throw ArchitectureError("layers", "must list at least one layer");
    if (layers.size() > kMaxLayers)
        throw ArchitectureError("layers", "has " + std::to_string(layers.size()) + " layers, over the limit " +
                                              std::to_string(kMaxLayers));
    std::size_t prev = input_dim;
    for (std::size_t l = 0; l < layers.size(); ++l) {
        const auto& m = layers[l].mask;
        const std::string where = "layers[" + std::to_string(l) + "].mask";
        if (m.rows() == 0) throw ArchitectureError(where, "has no rows (a layer needs at least one unit)");
        if (m.rows() > kMaxWidth)
            throw ArchitectureError(where, "has " + std::to_string(m.rows()) + " rows, over the limit " +
                                               std::to_string(kMaxWidth));
        if (m.cols() != prev)
            throw ArchitectureError(where, "has " + std::to_string(m.cols()) + " columns, expected " +
                                               std::to_string(prev) + " (units of the previous layer)");
        if (m.rows() * m.cols() > kMaxMaskEntries)
            throw ArchitectureError(where, "has too many entries");
        prev = m.rows();
    }
}

Mask Architecture::linear_support() const {
    Mask acc = layers.at(0).mask;
    for (std::size_t l = 1; l < layers.size(); ++l) acc = boolean_product(layers[l].mask, acc);
    return acc;
}

}  // namespace closecert::arch
