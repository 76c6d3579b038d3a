// closecert check FILE: decides closedness of the linear counterpart and of the ReLU space.
#include <cstdint>
#include <iostream>
#include <memory>

#include "common.hpp"
#include "engine/engine.hpp"
#include "io/architecture_file.hpp"
#include "io/certificate.hpp"
#include "relu/check_answer.hpp"

namespace closecert::cli {

namespace {

struct CheckOptions {
    std::string file, cert, explain, max_memory;
    bool linear_only = false, json = false, quiet = false, verbose = false;
    double timeout = engine::Options{}.timeout_seconds;
};

int status_of(engine::Verdict v) {
    switch (v) {
        case engine::Verdict::closed: return kExitClosed;
        case engine::Verdict::not_closed: return kExitNotClosed;
        case engine::Verdict::unknown: return kExitUnknown;
    }
    return kExitUnknown;
}

// Long texts are cut to `limit` characters unless --verbose.
std::string clipped(const std::string& t, std::size_t limit) {
    return t.size() <= limit ? t : t.substr(0, limit) + "... (" + std::to_string(t.size()) + " characters; --verbose shows all)";
}

std::string human_linear(const arch::Architecture& a, const engine::LinearResult& r, bool verbose) {
    std::string s = a.name + ": linear: " + std::string(engine::to_string(r.verdict)) + " (";
    if (r.verdict == engine::Verdict::unknown) {
        s += r.reason.empty() ? "no reason given" : verbose ? r.reason : clipped(r.reason, 200);
        if (!r.stuck.empty()) s += "; stuck at " + (verbose ? r.stuck : clipped(r.stuck, 120));
    } else {
        s += "rule " + (r.rule.empty() ? std::string("?") : r.rule);
    }
    return s + ", " + format_seconds(r.seconds) + " s)";
}

std::string index_list(const nlohmann::json& v) {
    std::string s = "{";
    for (std::size_t i = 0; i < v.size(); ++i) s += (i ? "," : "") + std::to_string(v[i].get<std::size_t>());
    return s + "}";
}

// "window rows {0,1} x cols {0,1}; limit A: (0,1) = 1, (1,0) = 1" (the first `max_entries` entries).
std::string human_witness(const nlohmann::json& proof, std::size_t max_entries) {
    if (!proof.is_object() || !proof.contains("window") || !proof.contains("limit")) return "";
    const auto& w = proof["window"];
    std::string s = "window rows " + index_list(w["rows"]) + " x cols " + index_list(w["cols"]) + "; limit A:";
    const auto& lim = proof["limit"];
    for (std::size_t k = 0; k < lim.size() && k < max_entries; ++k)
        s += std::string(k ? "," : "") + " (" + std::to_string(lim[k]["row"].get<std::size_t>()) + "," +
             std::to_string(lim[k]["col"].get<std::size_t>()) + ") = " + lim[k]["value"].get<std::string>();
    if (lim.size() > max_entries) s += ", ... (" + std::to_string(lim.size()) + " entries)";
    return s + ", 0 elsewhere";
}

std::string human_relu(const arch::Architecture& a, const io::ReluPart& r) {
    std::string s = a.name + ": relu: " + std::string(engine::to_string(r.verdict)) + " (";
    if (r.verdict == engine::Verdict::unknown) s += r.reason.empty() ? "no reason given" : r.reason;
    else s += "rule " + (r.proof.is_object() ? r.proof.value("rule", std::string("?")) : std::string("?"));
    return s + ")";
}

}  // namespace

void register_check(CLI::App& root, CommandList& out) {
    auto o = std::make_shared<CheckOptions>();
    CLI::App* check = root.add_subcommand("check", "decide whether the function space is closed");
    check->add_option("FILE", o->file, "architecture file")->required();
    check->add_flag("--linear", o->linear_only, "decide the linear counterpart only (exit status from it)");
    check->add_flag("--json", o->json, "print one JSON object instead of human lines");
    check->add_option("--cert", o->cert, "write the certificate here (atomically, also for unknown verdicts)");
    check->add_option("--explain", o->explain,
                      "for an unknown linear verdict, write the smallest sub-architecture the engine got stuck on here");
    check->add_flag("-q,--quiet", o->quiet, "print nothing; the exit status is the answer");
    check->add_flag("-v,--verbose", o->verbose, "print the whole limit A and the whole reason of an unknown verdict (cut at 200 characters otherwise)")->excludes("--quiet");
    check->add_option("--timeout", o->timeout, "wall-clock limit of the linear engine in seconds")
        ->check(CLI::PositiveNumber)
        ->capture_default_str();
    add_memory_option(check, o->max_memory);
    check->footer("Exit status: 0 closed, 1 not closed, 3 unknown (of the ReLU verdict, or of the linear one with "
                  "--linear), 2 bad input, 4 internal error. FILE '-' reads standard input.");

    out.push_back({check, [o] {
        apply_memory_limit(o->max_memory);
        const auto a = load_within_memory_limit(o->file);
        engine::Options opts;
        opts.timeout_seconds = o->timeout;
        const engine::LinearResult lin = engine::decide_linear(a, opts);
        io::ReluPart relu;
        if (o->linear_only) relu.reason = relu::kReluNotAsked;
        else {
            try {
                relu = relu::relu_part_for(a, lin);
            } catch (const std::bad_alloc&) {
                relu = io::ReluPart{};
                relu.reason = "memory limit reached (--max-memory)";
            }
        }

        // Assemble the certificate before printing anything, so a failure leaves no half answer.
        std::string cert_text;
        if (!o->cert.empty()) cert_text = io::make_certificate(a, lin, relu).dump(1) + "\n";
        std::string explained;
        if (!o->explain.empty() && lin.verdict == engine::Verdict::unknown && lin.stuck_architecture) {
            const arch::Architecture& s = *lin.stuck_architecture;
            emit_text(o->explain, io::architecture_to_text(s));
            explained = a.name + ": stuck sub-architecture written to " + o->explain + " (widths";
            for (std::size_t l = 0; l <= s.depth(); ++l) explained += (l ? "-" : " ") + std::to_string(s.width(l));
            explained += lin.stuck_forgotten ? "; the engine had also set aside " + std::to_string(lin.stuck_forgotten) +
                                                   " cells, which a file cannot express)" : ")";
        } else if (!o->explain.empty()) {
            explained = a.name + ": nothing to explain (" + (lin.verdict == engine::Verdict::unknown ? "no sub-architecture known" : "the linear verdict is decided") + "), " + o->explain + " not written";
        }

        if (o->json) {
            nlohmann::json j = relu::check_summary(a, lin, relu);
            if (!o->cert.empty()) j["certificate"] = o->cert;
            if (!explained.empty() && lin.stuck_architecture) j["explain"] = o->explain;
            if (!o->cert.empty()) emit_text(o->cert, cert_text);
            if (!o->quiet) std::cout << j.dump() << "\n" << std::flush;
        } else if (o->quiet) {
            if (!o->cert.empty()) emit_text(o->cert, cert_text);
        } else {
            if (!o->cert.empty()) emit_text(o->cert, cert_text);
            std::cout << human_linear(a, lin, o->verbose) << "\n";
            if (lin.verdict == engine::Verdict::not_closed)
                if (const std::string w = human_witness(lin.proof, o->verbose ? SIZE_MAX : 8); !w.empty())
                    std::cout << a.name << ": " << w << "\n";
            if (!o->linear_only) std::cout << human_relu(a, relu) << "\n";
            if (!o->cert.empty()) std::cout << a.name << ": certificate written to " << o->cert << "\n";
            if (!explained.empty()) std::cout << explained << "\n";
            std::cout << std::flush;
        }
        return status_of(o->linear_only ? lin.verdict : relu.verdict);
    }});
}

}  // namespace closecert::cli
