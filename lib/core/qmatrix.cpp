#include "core/qmatrix.hpp"

#include <stdexcept>
#include <vector>

namespace closecert::core {

QMatrix::QMatrix(std::size_t rows, std::size_t cols) {
    fmpq_mat_init(m_, static_cast<slong>(rows), static_cast<slong>(cols));
}

QMatrix QMatrix::identity(std::size_t n) {
    QMatrix r(n, n);
    fmpq_mat_one(r.m_);
    return r;
}

QMatrix::QMatrix(const QMatrix& o) {
    fmpq_mat_init(m_, fmpq_mat_nrows(o.m_), fmpq_mat_ncols(o.m_));
    fmpq_mat_set(m_, o.m_);
}

QMatrix::QMatrix(QMatrix&& o) noexcept {
    fmpq_mat_init(m_, 0, 0);
    fmpq_mat_swap(m_, o.m_);
}

QMatrix& QMatrix::operator=(const QMatrix& o) {
    if (this == &o) return *this;
    QMatrix tmp(o);  // shapes may differ, so rebuild
    swap(tmp);
    return *this;
}

QMatrix& QMatrix::operator=(QMatrix&& o) noexcept {
    if (this == &o) return *this;
    QMatrix tmp(std::move(o));
    swap(tmp);
    return *this;
}

void QMatrix::check(std::size_t i, std::size_t j) const {
    if (i >= rows() || j >= cols()) throw std::out_of_range("QMatrix index out of range");
}

Rational QMatrix::get(std::size_t i, std::size_t j) const {
    check(i, j);
    Rational r;
    fmpq_set(r.raw(), fmpq_mat_entry(m_, static_cast<slong>(i), static_cast<slong>(j)));
    return r;
}

void QMatrix::set(std::size_t i, std::size_t j, const Rational& v) {
    check(i, j);
    fmpq_set(fmpq_mat_entry(m_, static_cast<slong>(i), static_cast<slong>(j)), v.raw());
}

QMatrix operator*(const QMatrix& a, const QMatrix& b) {
    if (a.cols() != b.rows()) throw std::invalid_argument("QMatrix *: shape mismatch");
    QMatrix r(a.rows(), b.cols());
    fmpq_mat_mul(r.m_, a.m_, b.m_);
    return r;
}

QMatrix operator+(const QMatrix& a, const QMatrix& b) {
    if (a.rows() != b.rows() || a.cols() != b.cols()) throw std::invalid_argument("QMatrix +: shape mismatch");
    QMatrix r(a.rows(), a.cols());
    fmpq_mat_add(r.m_, a.m_, b.m_);
    return r;
}

QMatrix operator-(const QMatrix& a, const QMatrix& b) {
    if (a.rows() != b.rows() || a.cols() != b.cols()) throw std::invalid_argument("QMatrix -: shape mismatch");
    QMatrix r(a.rows(), a.cols());
    fmpq_mat_sub(r.m_, a.m_, b.m_);
    return r;
}

bool operator==(const QMatrix& a, const QMatrix& b) {
    if (a.rows() != b.rows() || a.cols() != b.cols()) return false;
    return fmpq_mat_equal(a.m_, b.m_) != 0;
}

std::size_t QMatrix::rank() const {
    if (rows() == 0 || cols() == 0) return 0;
    QMatrix r(rows(), cols());
    return static_cast<std::size_t>(fmpq_mat_rref(r.m_, m_));
}

QMatrix QMatrix::transpose() const {
    QMatrix r(cols(), rows());
    fmpq_mat_transpose(r.m_, m_);
    return r;
}

std::string QMatrix::to_string() const {
    std::string s = "[";
    for (std::size_t i = 0; i < rows(); ++i) {
        s += i ? ", [" : "[";
        for (std::size_t j = 0; j < cols(); ++j) s += (j ? ", " : "") + get(i, j).to_string();
        s += "]";
    }
    return s + "]";
}

std::optional<QMatrix> solve(const QMatrix& A, const QMatrix& B) {
    if (A.rows() != A.cols()) throw std::invalid_argument("solve: A is not square");
    if (B.rows() != A.rows()) throw std::invalid_argument("solve: B has the wrong number of rows");
    QMatrix X(A.cols(), B.cols());
    if (A.rows() == 0) return X;
    if (!fmpq_mat_solve(X.raw(), A.raw(), B.raw())) return std::nullopt;
    return X;
}

QMatrix nullspace(const QMatrix& A) {
    QMatrix R(A.rows(), A.cols());
    const std::size_t rank = A.rows() == 0 || A.cols() == 0 ? 0 : static_cast<std::size_t>(fmpq_mat_rref(R.raw(), A.raw()));
    std::vector<std::size_t> pivot;  // pivot column of each of the first `rank` rows
    for (std::size_t r = 0, c = 0; r < rank; ++r) {
        while (R.get(r, c).is_zero()) ++c;
        pivot.push_back(c++);
    }
    std::vector<std::size_t> free;
    for (std::size_t c = 0, r = 0; c < A.cols(); ++c)
        if (r < rank && pivot[r] == c) ++r;
        else free.push_back(c);
    QMatrix N(A.cols(), free.size());
    for (std::size_t f = 0; f < free.size(); ++f) {
        N.set(free[f], f, Rational(1));
        for (std::size_t r = 0; r < rank; ++r) N.set(pivot[r], f, -R.get(r, free[f]));
    }
    return N;
}

}  // namespace closecert::core
