// Reads a 2-D NumPy .npy file as a 0/1 mask (nonzero = allowed).
#pragma once

#include <string>

#include "arch/architecture.hpp"

namespace closecert::io {

// Accepts bool, signed/unsigned integer (1, 2, 4, 8 bytes) and float (2, 4, 8 bytes) dtypes,
// either byte order, C or Fortran order. Rejects other dtypes, other than 2 dimensions, NaN
// entries, sizes over the architecture limits (before allocating) and truncated data.
// Errors are InputError(source_file, place, message) with the .npy path inside the message.
arch::Mask read_npy_mask(const std::string& npy_path, const std::string& source_file, const std::string& place);

}  // namespace closecert::io
