// libFuzzer harness: the engine's architecture-file reader (strict JSON, every mask form).
#include <cstddef>
#include <cstdint>
#include <string>

#include "io/architecture_file.hpp"
#include "io/errors.hpp"
#include "io/json_reader.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string text(reinterpret_cast<const char*>(data), size);
    try {
        const auto j = closecert::io::parse_json_strict(text, "fuzz.json");
        // No base directory: an "npy" reference names a file that does not exist.
        const auto a = closecert::io::architecture_from_json(j, "fuzz.json", "/nonexistent");
        closecert::io::architecture_to_text(a);
    } catch (const closecert::io::InputError&) {
    }
    return 0;
}
