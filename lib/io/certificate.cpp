#include "io/certificate.hpp"
#include "io/fingerprint.hpp"

#include <stdexcept>

#include "io/architecture_file.hpp"

namespace closecert::io {

nlohmann::json make_certificate(const arch::Architecture& a, const engine::LinearResult& linear, const ReluPart& relu) {
    using engine::Verdict;
    nlohmann::json c = nlohmann::json::object();
    c["format"] = "closecert-certificate";
    c["version"] = 1;
    c["architecture"] = architecture_to_json(a, true);
    c["architecture_sha256"] = architecture_sha256(a);
    c["claim"] = {{"linear", std::string(engine::to_string(linear.verdict))},
                  {"relu", std::string(engine::to_string(relu.verdict))}};
    if (linear.verdict != Verdict::unknown) {
        if (!linear.proof.is_object())
            throw std::invalid_argument("linear verdict " + std::string(engine::to_string(linear.verdict)) +
                                        " comes without a proof object");
        c["linear"] = linear.proof;
    }
    if (relu.verdict != Verdict::unknown) {
        if (!relu.proof.is_object())
            throw std::invalid_argument("ReLU verdict " + std::string(engine::to_string(relu.verdict)) +
                                        " comes without a proof object");
        c["relu"] = relu.proof;
    }
    return c;
}

}  // namespace closecert::io
