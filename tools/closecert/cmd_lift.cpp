// closecert lift CERT --out FILE: the explicit ReLU networks of Lemma T for a certificate whose
// linear claim is not_closed, as Laurent polynomials in t, with their limit and error bound.
#include <iostream>
#include <memory>

#include <nlohmann/json.hpp>

#include "common.hpp"
#include "engine/memory_limit.hpp"
#include "io/architecture_file.hpp"
#include "io/atomic_file.hpp"
#include "io/errors.hpp"
#include "io/json_reader.hpp"
#include "relu/linear_witness.hpp"
#include "relu/transfer.hpp"

namespace closecert::cli {

using nlohmann::json;

// The checker's limit: a certificate it would refuse is not lifted either.
inline constexpr std::size_t kMaxCertificateBytes = std::size_t{32} << 20;

// Shared with cmd_train.cpp: parses a certificate file and checks its format and version.
json read_certificate_json(const std::string& path) {
    const std::string text = io::read_text_file(path, kMaxCertificateBytes);
    json j = io::parse_json_strict(text, path);
    if (!j.is_object()) throw io::InputError(path, "top level", "expected a JSON object");
    if (!j.contains("format") || j["format"] != "closecert-certificate")
        throw io::InputError(path, "format", "expected \"closecert-certificate\"");
    if (!j.contains("version") || j["version"] != 1) throw io::InputError(path, "version", "expected 1");
    return j;
}

// Shared with cmd_train.cpp: the linear object of a not_closed certificate.
const json& not_closed_linear(const json& cert, const std::string& path) {
    const json* claim = cert.contains("claim") ? &cert["claim"] : nullptr;
    if (!claim || !claim->is_object() || !claim->contains("linear"))
        throw io::InputError(path, "claim.linear", "missing");
    if ((*claim)["linear"] != "not_closed")
        throw io::InputError(path, "claim.linear", "is " + (*claim)["linear"].dump() + ", not \"not_closed\": there is no limit to lift");
    if (!cert.contains("linear")) throw io::InputError(path, "linear", "missing");
    return cert["linear"];
}

namespace {

arch::Architecture certificate_architecture(const json& cert, const std::string& path) {
    if (!cert.contains("architecture")) throw io::InputError(path, "architecture", "missing");
    try {
        return io::architecture_from_json(cert["architecture"], path, "");
    } catch (const io::InputError& e) {
        throw io::InputError(path, e.place().empty() ? "architecture" : "architecture." + e.place(), e.message());
    }
}

int run_lift(const std::string& cert_path, const std::string& out) {
    const json cert = read_certificate_json(cert_path);
    const json& linear = not_closed_linear(cert, cert_path);
    const arch::Architecture a = certificate_architecture(cert, cert_path);
    relu::LinearWitness w;
    try {
        w = relu::parse_linear_witness(linear, a);
    } catch (const relu::WitnessError& e) {
        const std::string msg = e.what();
        throw io::InputError(cert_path, "linear." + e.place(), msg.substr(e.place().size() + 2));
    }
    relu::LiftedNetwork n;
    std::string text;
    try {
        n = relu::lift(a, w);
        relu::verify_lift(n);
        text = relu::lift_document(a, n, w).dump(2) + "\n";
    } catch (const relu::LiftError& e) {
        throw io::InputError(cert_path, "linear", e.what());
    } catch (const std::bad_alloc&) {
        std::cerr << "closecert: lift: memory limit of " << (engine::memory_limit() >> 20)
                  << " MiB reached (--max-memory); nothing written\n";
        return kExitUnknown;
    }
    emit_text(out, text);
    // The summary goes to stderr when the document itself goes to stdout.
    std::ostream& os = (out.empty() || out == "-") ? std::cerr : std::cout;
    os << "lifted " << a.name << ": " << a.depth() << " layers, f_t(x) = P(t) x on [-1,1]^" << a.input_dim
       << " for t in (0,1], sup |f_t(x) - A x| <= " << n.error_bound.to_string() << "*t"
       << (out.empty() || out == "-" ? "" : " -> " + out) << "\n";
    return kExitClosed;
}

}  // namespace

void register_lift(CLI::App& root, CommandList& out) {
    auto cert = std::make_shared<std::string>();
    auto file = std::make_shared<std::string>();
    CLI::App* cmd = root.add_subcommand("lift", "write the explicit ReLU networks (Lemma T) of a not_closed certificate");
    cmd->footer("Exit status: 0 written, 2 bad input (unreadable certificate, or its linear claim is not not_closed), 3 memory limit reached (nothing written), 4 internal error.");
    cmd->add_option("CERT", *cert, "certificate whose linear claim is not_closed")->required();
    cmd->add_option("--out", *file, "output JSON file ('-' for stdout)")->required();
    auto memory = std::make_shared<std::string>();
    add_memory_option(cmd, *memory);
    out.push_back({cmd, [cert, file, memory] {
        apply_memory_limit(*memory);
        return run_lift(*cert, *file);
    }});
}

}  // namespace closecert::cli
