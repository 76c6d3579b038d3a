// Sparse ReLU architectures: masks, validation and the linear counterpart's support.
#pragma once

#include <cstddef>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

namespace closecert::arch {

// Raised for architectures that violate the model (wrong shapes, sizes over the limits).
// `where` names the place, e.g. "layers[1].mask[0]".
class ArchitectureError : public std::runtime_error {
public:
    ArchitectureError(std::string where, const std::string& what)
        : std::runtime_error(where + ": " + what), where_(std::move(where)) {}
    const std::string& where() const { return where_; }
private:
    std::string where_;
};

// 0/1 matrix stored row-major; rows = units of this layer, cols = units of the previous one.
class Mask {
public:
    Mask() = default;
    Mask(std::size_t rows, std::size_t cols) : rows_(rows), cols_(cols), bits_(rows * cols, 0) {}
    std::size_t rows() const { return rows_; }
    std::size_t cols() const { return cols_; }
    bool at(std::size_t i, std::size_t j) const { return bits_[i * cols_ + j] != 0; }
    void set(std::size_t i, std::size_t j, bool v = true) { bits_[i * cols_ + j] = v ? 1 : 0; }
    std::size_t nonzeros() const;
    std::vector<std::uint32_t> row_support(std::size_t i) const;
    std::vector<std::uint32_t> col_support(std::size_t j) const;
    Mask transposed() const;
    friend bool operator==(const Mask&, const Mask&) = default;
private:
    std::size_t rows_ = 0, cols_ = 0;
    std::vector<std::uint8_t> bits_;
};

// Boolean product: support of the set of products (entry (i,j) is 1 iff some path exists).
Mask boolean_product(const Mask& left, const Mask& right);

struct Layer {
    Mask mask;
    bool bias = true;
    friend bool operator==(const Layer&, const Layer&) = default;
};

// Limits that keep every later algorithm's memory bounded; larger inputs are rejected.
inline constexpr std::size_t kMaxWidth = 1u << 14;
inline constexpr std::size_t kMaxLayers = 64;
inline constexpr std::size_t kMaxMaskEntries = std::size_t{1} << 26;

struct Architecture {
    std::string name;
    std::size_t input_dim = 0;
    std::vector<Layer> layers;  // first to last

    std::size_t depth() const { return layers.size(); }
    std::size_t output_dim() const { return layers.empty() ? input_dim : layers.back().mask.rows(); }
    // Width of layer l's units, l = 0 is the input.
    std::size_t width(std::size_t l) const { return l == 0 ? input_dim : layers[l - 1].mask.rows(); }
    bool all_biases() const;
    std::size_t nonzeros() const;
    // Throws ArchitectureError naming the offending layer.
    void validate() const;
    // Support of the linear counterpart W_L ... W_1 (N_L x N_0).
    Mask linear_support() const;
    friend bool operator==(const Architecture& a, const Architecture& b) {
        return a.input_dim == b.input_dim && a.layers == b.layers;
    }
};

}  // namespace closecert::arch
