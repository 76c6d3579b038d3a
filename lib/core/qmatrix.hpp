// Dense matrices over Q: RAII wrapper over FLINT's fmpq_mat_t.
#pragma once

#include <cstddef>
#include <optional>
#include <string>

#include <flint/fmpq_mat.h>

#include "core/rational.hpp"

namespace closecert::core {

class QMatrix {
public:
    // rows x cols zero matrix.
    QMatrix(std::size_t rows, std::size_t cols);
    static QMatrix identity(std::size_t n);
    QMatrix(const QMatrix& o);
    // Moved-from objects become 0 x 0 matrices, so they stay usable.
    QMatrix(QMatrix&& o) noexcept;
    ~QMatrix() { fmpq_mat_clear(m_); }
    QMatrix& operator=(const QMatrix& o);
    QMatrix& operator=(QMatrix&& o) noexcept;
    void swap(QMatrix& o) noexcept { fmpq_mat_swap(m_, o.m_); }

    std::size_t rows() const { return static_cast<std::size_t>(fmpq_mat_nrows(m_)); }
    std::size_t cols() const { return static_cast<std::size_t>(fmpq_mat_ncols(m_)); }
    // Bounds-checked; throw std::out_of_range.
    Rational get(std::size_t i, std::size_t j) const;
    void set(std::size_t i, std::size_t j, const Rational& v);

    // Throws std::invalid_argument on a shape mismatch.
    friend QMatrix operator*(const QMatrix& a, const QMatrix& b);
    friend QMatrix operator+(const QMatrix& a, const QMatrix& b);
    friend QMatrix operator-(const QMatrix& a, const QMatrix& b);
    // Shapes must match for equality.
    friend bool operator==(const QMatrix& a, const QMatrix& b);

    std::size_t rank() const;
    QMatrix transpose() const;
    std::string to_string() const;

    fmpq_mat_struct* raw() { return m_; }
    const fmpq_mat_struct* raw() const { return m_; }

private:
    void check(std::size_t i, std::size_t j) const;
    fmpq_mat_t m_;
};

inline void swap(QMatrix& a, QMatrix& b) noexcept { a.swap(b); }

// X with A X = B for square invertible A; nullopt if A is singular. Throws std::invalid_argument
// if A is not square or B has a different number of rows.
std::optional<QMatrix> solve(const QMatrix& A, const QMatrix& B);
// A basis of { v : A v = 0 } as the columns of the result (A.cols() rows, one column per free
// variable of the reduced row echelon form).
QMatrix nullspace(const QMatrix& A);

}  // namespace closecert::core
