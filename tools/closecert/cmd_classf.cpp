// closecert classf FUNCTION: membership of an activation in the class F of seed 004 on a box, with
// a certificate (kind "classf") that closecert-verify re-checks.
#include <cstdio>
#include <iostream>
#include <memory>

#include <nlohmann/json.hpp>

#include "common.hpp"
#include "fixed/classf.hpp"
#include "io/network_file.hpp"

namespace closecert::cli {

namespace {

using nlohmann::json;
using V = fixed::ClassFResult::Verdict;

struct Args {
    std::string function, box = "-8,8", slope = "1/100", cert;
    bool json = false;
    double timeout = 60;
};

fixed::ClassFQuery query(const Args& a) {
    fixed::ClassFQuery q;
    const auto f = fixed::function_from_name(a.function);
    if (!f) throw UsageError("classf: unknown function '" + a.function + "' (tanh, logistic, arctan, softplus, silu, leaky_relu)");
    q.function = *f;
    const auto comma = a.box.find(',');
    if (comma == std::string::npos) throw UsageError("classf: --box takes LO,HI (for example --box=-8,8)");
    q.lo = io::exact_number(json(a.box.substr(0, comma)), "--box", "lower end");
    q.hi = io::exact_number(json(a.box.substr(comma + 1)), "--box", "upper end");
    if (!(q.lo < q.hi)) throw UsageError("classf: --box " + a.box + ": the lower end is not below the upper end");
    if (q.lo < core::Rational(-fixed::kMaxBox) || core::Rational(fixed::kMaxBox) < q.hi)
        throw UsageError("classf: --box " + a.box + ": must lie in [-" + std::to_string(fixed::kMaxBox) + ", " + std::to_string(fixed::kMaxBox) + "]");
    q.slope = io::exact_number(json(a.slope), "--slope", "value");
    if (q.function == fixed::Function::leaky_relu && !(core::Rational(0) < q.slope)) throw UsageError("classf: --slope must be > 0");
    q.timeout_seconds = a.timeout;
    return q;
}

int run_classf(const Args& a) {
    const fixed::ClassFQuery q = query(a);
    const fixed::ClassFResult r = fixed::class_f(q);
    std::string name = a.function;
    if (q.function == fixed::Function::leaky_relu) name += " (slope " + q.slope.to_string() + ")";
    const std::string box = "[" + q.lo.to_string() + ", " + q.hi.to_string() + "]";
    if (r.verdict != V::unknown && !a.cert.empty()) emit_text(a.cert, io::make_classf_certificate(q, r).dump(1) + "\n");
    if (a.json) {
        json j = {{"function", a.function}, {"box", {q.lo.to_string(), q.hi.to_string()}}, {"seconds", r.seconds},
                  {"verdict", r.verdict == V::member ? "member" : r.verdict == V::not_member ? "not_member" : "unknown"}};
        if (r.verdict == V::member) j["cells"] = r.cells.size() - 1;
        if (r.verdict == V::not_member) j["x"] = r.x.to_string(), j["y"] = r.y.to_string(), j["chi"] = r.chi;
        if (r.verdict == V::unknown) j["reason"] = r.reason;
        if (r.schwarzian_positive) j["schwarzian_positive_at"] = r.schwarzian_positive->to_string();
        std::cout << j.dump() << "\n";
    } else if (r.verdict == V::member) {
        const std::size_t n = r.cells.size() - 1;
        std::cout << name << " on " << box << ": in the class F (f' > 0 and S f <= 0 on " << n << (n == 1 ? " cell" : " cells")
                  << ", so chi_f <= 1 on the box squared; Lemmas S and C)\n";
    } else if (r.verdict == V::not_member) {
        char chi[32];
        std::snprintf(chi, sizeof chi, "%.9g", r.chi);
        std::cout << name << " on " << box << ": not in the class F: chi_f(" << r.x.to_string() << ", " << r.y.to_string()
                  << ") = " << chi << " > 1\n";
    } else {
        std::cout << name << " on " << box << ": unknown (" << r.reason << ")\n";
    }
    if (r.schwarzian_positive && !a.json)
        std::cout << "  (S f > 0 at x = " << r.schwarzian_positive->to_string() << ", proved)\n";
    if (!a.json && !a.cert.empty() && r.verdict != V::unknown) std::cout << "  (certificate " << a.cert << ", " << format_seconds(r.seconds) << " s)\n";
    return r.verdict == V::member ? kExitClosed : r.verdict == V::not_member ? kExitNotClosed : kExitUnknown;
}

}  // namespace

void register_classf(CLI::App& root, CommandList& out) {
    auto a = std::make_shared<Args>();
    CLI::App* cmd = root.add_subcommand("classf", "whether an activation is in the class F of seed 004 on a box, with a certificate");
    cmd->add_option("FUNCTION", a->function, "tanh, logistic, arctan, softplus, silu or leaky_relu")->required();
    cmd->add_option("--box", a->box, "the box LO,HI, exact numbers (default -8,8; write --box=-2,3)");
    cmd->add_option("--slope", a->slope, "leaky_relu: its slope on x < 0 (default 1/100)");
    cmd->add_option("--cert", a->cert, "write the certificate (kind \"classf\") to this file ('-': stdout)");
    cmd->add_flag("--json", a->json, "one JSON object on stdout");
    cmd->add_option("--timeout", a->timeout, "seconds (default 60)")->check(CLI::PositiveNumber);
    cmd->footer("Exit status: 0 in the class F on the box, 1 not in it (a point with chi > 1), 2 bad input, "
                "3 unknown, 4 internal error.");
    out.push_back({cmd, [a] { return run_classf(*a); }});
}

}  // namespace closecert::cli
