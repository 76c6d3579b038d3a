// closecert flow ARCH --init PARAMS: the invariants of gradient flow on a one-hidden-layer ReLU
// network (seed 003), the components of the invariant set, whether a target is unreachable, the
// exact per-step drift of gradient descent, and the experiment with its plot (docs/flow.md).
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <memory>

#include <nlohmann/json.hpp>

#include "common.hpp"
#include "flow/descent.hpp"
#include "flow/minimisers.hpp"
#include "flow/shallow.hpp"
#include "io/atomic_file.hpp"
#include "io/errors.hpp"
#include "io/json_reader.hpp"
#include "io/network_file.hpp"
#include "io/params_file.hpp"
#include "plot.hpp"

namespace closecert::cli {

namespace {

using nlohmann::json;

struct Args {
    std::string arch, init, target, data, cert, train, compare, eta = "1/10";
    long steps = 3000;
    bool json = false;
};

// {"format": "closecert-data", "version": 1, "x": [[...]], "y": [[...]]}: N samples.
void read_data(const std::string& path, const arch::Architecture& a, flow::RMatrix& x, flow::RMatrix& y) {
    const json j = io::parse_json_strict(io::read_text_file(path, io::kMaxNetworkFileBytes), path);
    if (!j.is_object() || !j.contains("format") || j["format"] != "closecert-data") throw io::InputError(path, "format", "expected \"closecert-data\"");
    for (const char* key : {"x", "y"}) {
        const std::size_t width = key[0] == 'x' ? a.input_dim : a.output_dim();
        if (!j.contains(key) || !j[key].is_array() || j[key].empty() || j[key].size() > 100000)
            throw io::InputError(path, key, "expected 1 to 100000 rows");
        flow::RMatrix& m = key[0] == 'x' ? x : y;
        for (std::size_t s = 0; s < j[key].size(); ++s) {
            const std::string place = std::string(key) + "[" + std::to_string(s) + "]";
            if (!j[key][s].is_array() || j[key][s].size() != width)
                throw io::InputError(path, place, "expected " + std::to_string(width) + " numbers");
            m.emplace_back();
            for (std::size_t k = 0; k < width; ++k) m.back().push_back(io::exact_number(j[key][s][k], path, place + "[" + std::to_string(k) + "]"));
        }
    }
    if (x.size() != y.size()) throw io::InputError(path, "y", "as many rows as x expected");
}

std::string side_text(const flow::Unit& u) {
    return std::string(u.c.sign() > 0 ? "incoming" : "outgoing") + " parameter " + (u.side > 0 ? "> 0" : "< 0");
}

void write_plot(const Args& t, const std::string& name, const std::vector<std::vector<flow::DescentRecord>>& runs,
                const std::vector<std::string>& labels) {
    const std::filesystem::path svg(t.train);
    const std::string csv = std::filesystem::path(svg).replace_extension(".csv").string();
    const std::string gp = std::filesystem::path(svg).replace_extension(".gp").string();
    std::string text = "step";
    for (std::size_t r = 0; r < runs.size(); ++r) {
        text += ",loss_" + std::to_string(r);
        for (std::size_t k = 0; k < runs[r][0].c.size(); ++k) text += ",c" + std::to_string(k) + "_" + std::to_string(r);
    }
    text += "\n";
    for (std::size_t s = 0; s < runs[0].size(); ++s) {
        text += std::to_string(s);
        for (const auto& run : runs) {
            char buf[64];
            std::snprintf(buf, sizeof buf, ",%.10g", run[s].loss);
            text += buf;
            for (double c : run[s].c) std::snprintf(buf, sizeof buf, ",%.10g", c), text += buf;
        }
        text += "\n";
    }
    io::write_file_atomically(csv, text);
    const std::string csv_name = std::filesystem::path(csv).filename().string();
    std::string s = "# Renders " + svg.filename().string() + " from " + csv_name + " (run here: gnuplot " + std::filesystem::path(gp).filename().string() + ")\n";
    s += "set terminal svg size 1000,460 dynamic enhanced font 'sans,12' background '#ffffff'\n";
    s += "set output " + quote_gnuplot(svg.filename().string()) + "\nset datafile separator ','\nset key top right\n";
    s += "set multiplot layout 1,2 title " + quote_gnuplot("gradient descent on " + name + ", eta " + t.eta) + " noenhanced\n";
    s += "set logscale y\nset xlabel 'step'\nset ylabel 'loss'\nset title 'loss'\nplot ";
    std::size_t col = 2;
    std::vector<std::size_t> first_c;
    for (std::size_t r = 0; r < runs.size(); ++r) {
        s += (r ? ", " : "") + quote_gnuplot(csv_name) + " using 1:" + std::to_string(col) + " skip 1 with lines lw 2 title " + quote_gnuplot(labels[r]) + " noenhanced";
        first_c.push_back(col + 1);
        col += 1 + runs[r][0].c.size();
    }
    s += "\nunset logscale y\nset ylabel 'c_k = |w_k|^2 + b_k^2 - |a_k|^2'\nset title 'invariants (constant under gradient flow)'\nplot ";
    bool first = true;
    for (std::size_t r = 0; r < runs.size(); ++r)
        for (std::size_t k = 0; k < runs[r][0].c.size(); ++k) {
            s += (first ? "" : ", ") + quote_gnuplot(csv_name) + " using 1:" + std::to_string(first_c[r] + k) + " skip 1 with lines lw 2 dt " +
                 std::to_string(r + 1) + " title " + quote_gnuplot(labels[r] + ": c" + std::to_string(k)) + " noenhanced";
            first = false;
        }
    s += "\nunset multiplot\n";
    io::write_file_atomically(gp, s);
    if (!on_path("gnuplot")) {
        std::printf("gnuplot not found: wrote %s and %s\n", csv.c_str(), gp.c_str());
        return;
    }
    const std::filesystem::path cwd = std::filesystem::current_path();
    if (!svg.parent_path().empty()) std::filesystem::current_path(svg.parent_path());
    const int rc = run_gnuplot(std::filesystem::path(gp).filename().string());
    std::filesystem::current_path(cwd);
    if (rc != 0) throw io::OutputError(t.train + ": gnuplot failed (script " + gp + ")");
    std::printf("wrote %s, %s and %s\n", csv.c_str(), gp.c_str(), t.train.c_str());
}

int run_flow(const Args& t) {
    const arch::Architecture a = load_architecture(t.arch);
    if (a.depth() != 2) throw io::InputError(t.arch, "layers", "flow needs one hidden layer (two layers), the architecture has " + std::to_string(a.depth()));
    const flow::Params init = io::read_params(t.init, a);
    const flow::Invariants inv = flow::invariants(a, init);
    std::optional<flow::Params> target;
    flow::Reach reach;
    if (!t.target.empty()) {
        target = io::read_params(t.target, a);
        reach = flow::reach(inv, flow::invariants(a, *target));
    }
    flow::RMatrix x, y;
    if (!t.data.empty()) read_data(t.data, a, x, y);
    const core::Rational eta = [&] {
        try {
            return core::Rational::parse(t.eta);
        } catch (const std::exception&) {
            throw UsageError("--eta: '" + t.eta + "' is not a rational p/q");
        }
    }();
    std::vector<core::Rational> drift;
    if (!x.empty()) drift = flow::gd_drift(a, init, x, y, eta);
    using MA = flow::MinimiserAnalysis::Answer;
    flow::MinimiserAnalysis mins;
    if (!x.empty()) mins = flow::analyse_minimisers(a, inv, x, y);
    if (!t.cert.empty())
        emit_text(t.cert, io::make_flow_certificate(a, init, inv, target ? &*target : nullptr, target ? &reach : nullptr, &x, &y,
                                                    x.empty() ? nullptr : &mins).dump(1) + "\n");
    const std::string mins_text = mins.answer == MA::unreachable ? "unreachable"
                                  : mins.answer == MA::in_component ? "in_component" : "unknown";

    if (t.json) {
        json units = json::array();
        for (std::size_t k = 0; k < inv.units.size(); ++k) {
            const flow::Unit& u = inv.units[k];
            units.push_back({{"c", u.c.to_string()}, {"in", u.p}, {"out", u.q}, {"split", u.split}, {"side", u.side}, {"class", u.cls}});
            if (!drift.empty()) units.back()["gd_drift"] = drift[k].to_string();
        }
        json j = {{"name", a.name}, {"units", units}, {"components", inv.components.to_string()},
                  {"components_up_to_symmetry", inv.components_up_to_symmetry.to_string()}};
        if (!x.empty()) {
            j["minimisers"] = {{"answer", mins_text}};
            if (mins.answer == MA::unknown) j["minimisers"]["reason"] = mins.reason;
            else if (mins.answer == MA::unreachable) j["minimisers"]["combinations"] = mins.combinations.size();
        }
        if (target) j["target"] = reach.unreachable ? json{{"reachable", false}, {"unit", reach.unit}, {"why", reach.why}} : json{{"reachable", "not excluded"}};
        std::cout << j.dump() << "\n";
    } else {
        std::cout << a.name << ": " << inv.units.size() << " hidden units; c_k = |w_k|^2 + b_k^2 - |a_k|^2 is conserved by gradient flow\n";
        for (std::size_t k = 0; k < inv.units.size(); ++k) {
            const flow::Unit& u = inv.units[k];
            std::cout << "  unit " << k << ": c = " << u.c.to_string() << " (" << u.p << " in, " << u.q << " out)"
                      << (u.split ? ": its quadric has two components; here " + side_text(u) : "")
                      << (drift.empty() ? "" : "; gradient-descent drift per step " + drift[k].to_string()) << "\n";
        }
        std::cout << "invariant set: " << inv.components.to_string() << " connected component" << (inv.split_units ? "s" : "") << " ("
                  << inv.components_up_to_symmetry.to_string() << " up to permuting interchangeable units)\n";
        if (target) {
            if (reach.unreachable && reach.why == "invariant")
                std::cout << "target: unreachable by gradient flow: unit " << reach.unit << " has another invariant\n";
            else if (reach.unreachable)
                std::cout << "target: unreachable by gradient flow: unit " << reach.unit << " lies in the other component of its quadric\n";
            else
                std::cout << "target: in the initialisation's component (reachability not excluded)\n";
        }
        if (!x.empty()) {
            if (mins.answer == MA::unreachable)
                std::cout << "global minimisers of the data (zero loss, attained): none lies in the initialisation's component, so gradient "
                             "flow cannot reach one (" << mins.combinations.size() << " activity patterns excluded, Lemma G)\n";
            else if (mins.answer == MA::in_component)
                std::cout << "global minimisers of the data (zero loss): one lies in the initialisation's component (reachability not excluded)\n";
            else
                std::cout << "global minimisers of the data: unknown (" << mins.reason << ")\n";
        }
    }
    if (!t.train.empty()) {
        if (x.empty()) throw UsageError("--train needs --data");
        std::vector<std::vector<flow::DescentRecord>> runs{flow::descend(a, init, x, y, eta.to_double(), t.steps)};
        std::vector<std::string> labels{std::filesystem::path(t.init).stem().string()};
        if (!t.compare.empty()) {
            runs.push_back(flow::descend(a, io::read_params(t.compare, a), x, y, eta.to_double(), t.steps));
            labels.push_back(std::filesystem::path(t.compare).stem().string());
        }
        for (std::size_t r = 0; r < runs.size(); ++r)
            std::printf("gradient descent from %s: loss %.4e -> %.4e after %ld steps\n", labels[r].c_str(), runs[r].front().loss,
                        runs[r].back().loss, t.steps);
        write_plot(t, a.name, runs, labels);
    }
    return reach.unreachable || mins.answer == MA::unreachable ? kExitNotClosed : kExitClosed;
}

}  // namespace

void register_flow(CLI::App& root, CommandList& out) {
    auto a = std::make_shared<Args>();
    CLI::App* cmd = root.add_subcommand("flow", "invariants of gradient flow on a one-hidden-layer ReLU network, components, reachability");
    cmd->add_option("ARCH", a->arch, "architecture file with two layers")->required();
    cmd->add_option("--init", a->init, "parameters at initialisation (closecert-params, docs/flow.md)")->required();
    cmd->add_option("--target", a->target, "parameters to reach");
    cmd->add_option("--data", a->data, "training data (closecert-data): whether its global minimisers are reachable, the exact drift of gradient descent, and --train");
    cmd->add_option("--eta", a->eta, "gradient-descent step, a rational (default 1/10)");
    cmd->add_option("--cert", a->cert, "write the certificate (kind \"flow\")");
    cmd->add_option("--train", a->train, "run gradient descent in doubles and plot loss and invariants to this SVG");
    cmd->add_option("--compare", a->compare, "a second initialisation, trained and plotted beside the first");
    cmd->add_option("--steps", a->steps, "gradient-descent steps for --train (default 3000)")->check(CLI::Range(1L, 10000000L));
    cmd->add_flag("--json", a->json, "one JSON object on stdout");
    cmd->footer("Exit status: 0 described (a target or minimiser, if asked for, is not excluded), 1 the target or every global "
                "minimiser of --data is unreachable (certified), "
                "2 bad input, 4 internal error.");
    out.push_back({cmd, [a] { return run_flow(*a); }});
}

}  // namespace closecert::cli
