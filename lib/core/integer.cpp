#include "core/integer.hpp"

#include <cstring>
#include <stdexcept>

namespace closecert::core {

namespace {

bool is_decimal(std::string_view s) {
    if (!s.empty() && s.front() == '-') s.remove_prefix(1);
    if (s.empty()) return false;
    for (char c : s)
        if (c < '0' || c > '9') return false;
    return true;
}

}  // namespace

Integer::Integer(std::string_view decimal) {
    fmpz_init(v_);
    if (!is_decimal(decimal)) {
        fmpz_clear(v_);
        throw std::invalid_argument("not a decimal integer: '" + std::string(decimal) + "'");
    }
    std::string text(decimal);  // fmpz_set_str needs a terminated string
    if (fmpz_set_str(v_, text.c_str(), 10) != 0) {
        fmpz_clear(v_);
        throw std::invalid_argument("not a decimal integer: '" + text + "'");
    }
}

long Integer::to_long() const {
    if (!fits_long()) throw std::overflow_error("integer does not fit in a long");
    return fmpz_get_si(v_);
}

std::string Integer::to_string() const {
    // Our own buffer: FLINT's allocating variant would need flint_free.
    std::string buf(fmpz_sizeinbase(v_, 10) + 2, '\0');
    fmpz_get_str(buf.data(), 10, v_);
    buf.resize(std::strlen(buf.c_str()));
    return buf;
}

}  // namespace closecert::core
