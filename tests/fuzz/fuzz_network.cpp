// libFuzzer harness: the network-file reader and, on what it accepts, the fixed-point engine with
// small limits (any network the reader accepts must be answered, never crash).
#include <cstddef>
#include <cstdint>
#include <string>

#include "fixed/fixed_points.hpp"
#include "io/errors.hpp"
#include "io/json_reader.hpp"
#include "io/network_file.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string text(reinterpret_cast<const char*>(data), size);
    try {
        const auto n = closecert::io::network_from_json(closecert::io::parse_json_strict(text, "fuzz.json"), "fuzz.json");
        closecert::fixed::FixedLimits limits;
        limits.max_breaks = 4096;
        limits.timeout_seconds = 2;
        const auto r = closecert::fixed::fixed_points(n, limits);
        if (r.decided) closecert::io::make_fixed_certificate(n, r).dump();
    } catch (const closecert::io::InputError&) {
    }
    return 0;
}
