// Whole-file writes that never leave a partial file behind.
#pragma once

#include <cstddef>
#include <string>

namespace closecert::io {

// Writes text to a temporary file in path's directory, flushes it to disk and renames it over path.
// On any failure the temporary file is removed, path is untouched, and OutputError is thrown.
void write_file_atomically(const std::string& path, const std::string& text);

// Reads a whole file ("-": standard input); throws InputError (place empty) if it cannot be read, is
// not a regular file (a FIFO, device or directory is refused at once) or exceeds max_bytes.
std::string read_text_file(const std::string& path, std::size_t max_bytes);

// Opens a regular file for reading and returns its descriptor; throws InputError otherwise.
int open_regular_file(const std::string& path);

}  // namespace closecert::io
