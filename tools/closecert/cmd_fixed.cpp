// closecert fixed NET: every fixed point of a 1-D network (seed 004), exact for piecewise linear
// activations, with a certificate (kind "fixed") that closecert-verify re-checks.
#include <cstdio>
#include <iostream>
#include <memory>

#include <nlohmann/json.hpp>

#include "common.hpp"
#include "fixed/fixed_points.hpp"
#include "io/network_file.hpp"

namespace closecert::cli {

namespace {

using nlohmann::json;

std::string component_text(const fixed::Component& c) {
    if (c.isolating) {
        char approx[48];
        std::snprintf(approx, sizeof approx, "%.12g", ((*c.lo + *c.hi) / core::Rational(2)).to_double());
        return std::string(approx) + " (in [" + c.lo->to_string() + ", " + c.hi->to_string() + "])";
    }
    if (c.point()) return c.lo->to_string();
    return (c.lo ? "[" + c.lo->to_string() : "(-inf") + ", " + (c.hi ? c.hi->to_string() + "]" : "+inf)");
}

struct Args {
    std::string file, cert, memory;
    bool json = false;
    double timeout = 60;
};

int run_fixed(const Args& a) {
    const fixed::Network n = io::read_network(a.file);
    fixed::FixedLimits limits;
    limits.timeout_seconds = a.timeout;
    const fixed::FixedResult r = fixed::fixed_points(n, limits);
    const std::string name = n.name.empty() ? a.file : n.name;
    if (r.decided && !a.cert.empty()) emit_text(a.cert, io::make_fixed_certificate(n, r).dump(1) + "\n");
    if (a.json) {
        json j = {{"name", name}, {"decided", r.decided}, {"seconds", r.seconds}};
        if (r.decided) {
            j["fixed_points"] = io::components_to_json(r.components);
            j["rule"] = r.rule;
            if (r.rule == "interval_newton") j["cells"] = r.cells.size();
            else j["pieces"] = r.pieces, j["partition_points"] = r.partition.size();
        } else {
            j["reason"] = r.reason;
        }
        std::cout << j.dump() << "\n";
    } else if (r.decided) {
        std::size_t points = 0, intervals = 0;
        for (const auto& c : r.components) (c.point() || c.isolating ? points : intervals) += 1;
        std::cout << name << ": " << points << " fixed point" << (points == 1 ? "" : "s");
        if (intervals) std::cout << " and " << intervals << " interval" << (intervals == 1 ? "" : "s") << " of fixed points";
        std::cout << (r.components.empty() ? "" : ":");
        for (std::size_t k = 0; k < r.components.size() && k < 64; ++k) std::cout << (k ? ", " : " ") << component_text(r.components[k]);
        if (r.components.size() > 64) std::cout << ", ... (" << r.components.size() - 64 << " more; --json lists all)";
        if (r.rule == "interval_newton")
            std::cout << "\n  (each isolated by interval Newton; " << r.cells.size() << " cells cover ["
                      << r.domain_lo.to_string() << ", " << r.domain_hi.to_string() << "] (it holds f(R)), " << format_seconds(r.seconds) << " s";
        else
            std::cout << "\n  (exact; f has " << r.pieces << " affine pieces, " << format_seconds(r.seconds) << " s";
        std::cout << (a.cert.empty() ? "" : ", certificate " + a.cert) << ")\n";
    } else {
        std::cout << name << ": unknown (" << r.reason << ")\n";
    }
    return r.decided ? kExitClosed : kExitUnknown;
}

}  // namespace

void register_fixed(CLI::App& root, CommandList& out) {
    auto a = std::make_shared<Args>();
    CLI::App* cmd = root.add_subcommand("fixed", "every fixed point of a 1-D network (scalar input and output), with a certificate");
    cmd->add_option("NET", a->file, "network file (closecert-network, docs/fixed.md; '-': standard input)")->required();
    cmd->add_option("--cert", a->cert, "write the certificate (kind \"fixed\") to this file ('-': stdout)");
    cmd->add_flag("--json", a->json, "one JSON object on stdout");
    cmd->add_option("--timeout", a->timeout, "seconds (default 60)")->check(CLI::PositiveNumber);
    add_memory_option(cmd, a->memory);
    cmd->footer("Exit status: 0 every fixed point found (exact), 2 bad input, 3 unknown (smooth activation, "
                "time or size limit), 4 internal error.");
    out.push_back({cmd, [a] {
        apply_memory_limit(a->memory);
        return run_fixed(*a);
    }});
}

}  // namespace closecert::cli
