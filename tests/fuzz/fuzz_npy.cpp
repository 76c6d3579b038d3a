// libFuzzer harness: the .npy mask reader, on the bytes written to a private temporary file.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <string>

#include <unistd.h>

#include "io/errors.hpp"
#include "io/npy.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static const std::string path = "/tmp/closecert-fuzz-npy-" + std::to_string(::getpid()) + ".npy";
    if (std::FILE* f = std::fopen(path.c_str(), "wb")) {
        std::fwrite(data, 1, size, f);
        std::fclose(f);
    }
    try {
        closecert::io::read_npy_mask(path, "fuzz.json", "layers[0].mask");
    } catch (const closecert::io::InputError&) {
    }
    return 0;
}
