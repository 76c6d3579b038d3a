// A process-wide memory limit: allocations beyond it fail, and every allocator the engine uses
// (operator new, GMP, FLINT) then throws std::bad_alloc, which decide_linear turns into `unknown`.
// Without this, GMP and FLINT abort the process when malloc fails.
#pragma once

#include <cstddef>
#include <optional>
#include <string>

namespace closecert::engine {

// Three quarters of the physical memory: a blow-up ends in unknown before the kernel's OOM killer.
std::size_t default_memory_limit();

// "512M", "2G", "1048576", "0" (no limit); K/M/G are powers of 1024. Empty optional: malformed.
std::optional<std::size_t> parse_memory_size(const std::string& text);

// Limits the address space to `bytes` (0: no limit) and installs the throwing GMP/FLINT allocators.
// Returns false, and sets no limit, in sanitizer builds (their shadow memory needs the address space).
bool set_memory_limit(std::size_t bytes);

// The limit set by set_memory_limit (0: none), for reasons.
std::size_t memory_limit();

}  // namespace closecert::engine
