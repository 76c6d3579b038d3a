// libFuzzer harness: what `closecert lift` reads from a certificate (strict JSON, the embedded
// architecture, the linear witness), then the lift (Lemma T) and its own verification.
#include <cstddef>
#include <cstdint>
#include <string>

#include "io/architecture_file.hpp"
#include "io/errors.hpp"
#include "io/json_reader.hpp"
#include "relu/linear_witness.hpp"
#include "relu/transfer.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace closecert;
    const std::string text(reinterpret_cast<const char*>(data), size);
    try {
        const auto j = io::parse_json_strict(text, "fuzz.json");
        if (!j.is_object() || !j.contains("architecture") || !j.contains("linear")) return 0;
        const auto a = io::architecture_from_json(j["architecture"], "fuzz.json", "/nonexistent");
        const relu::LinearWitness w = relu::parse_linear_witness(j["linear"], a);
        const relu::LiftedNetwork n = relu::lift(a, w);
        relu::verify_lift(n);
        relu::lift_document(a, n, w).dump();
    } catch (const io::InputError&) {
    } catch (const relu::WitnessError&) {
    } catch (const relu::LiftError&) {
    }
    return 0;
}
