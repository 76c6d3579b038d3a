// closecert train ARCH --target CERT: full-batch gradient descent towards x -> A x, logging the
// loss and the parameter norm, to watch non-closedness happen (the norm diverges on LU).
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <memory>

#include <nlohmann/json.hpp>

#include "common.hpp"
#include "plot.hpp"
#include "io/atomic_file.hpp"
#include "io/errors.hpp"
#include "relu/linear_witness.hpp"
#include "relu/train.hpp"

extern char** environ;

namespace closecert::cli {

using nlohmann::json;

// Defined in cmd_lift.cpp.
json read_certificate_json(const std::string& path);
const json& not_closed_linear(const json& cert, const std::string& path);

namespace {

struct TrainArgs {
    std::string arch, target_cert, target_matrix, csv, plot;
    relu::TrainOptions opts;
};

relu::DenseMatrix target_from_certificate(const std::string& path, std::size_t rows, std::size_t cols) {
    const json cert = read_certificate_json(path);
    const json& linear = not_closed_linear(cert, path);
    relu::RationalMatrix limit;
    try {
        limit = relu::parse_limit(linear, rows, cols);
    } catch (const relu::WitnessError& e) {
        const std::string msg = e.what();
        throw io::InputError(path, "linear." + e.place(), msg.substr(e.place().size() + 2) + " (the architecture is " +
                                                             std::to_string(rows) + " x " + std::to_string(cols) + ")");
    }
    relu::DenseMatrix a(rows, std::vector<double>(cols, 0.0));
    for (const auto& [cell, v] : limit)
        a[cell.first][cell.second] = std::stod(v.numerator().to_string()) / std::stod(v.denominator().to_string());
    return a;
}

std::string plot_script(const TrainArgs& t, const std::string& name, const std::string& csv, const std::string& svg) {
    char lr[32];
    std::snprintf(lr, sizeof lr, "%g", t.opts.learning_rate);
    const std::string csv_name = std::filesystem::path(csv).filename().string();
    std::string s;
    s += "# Renders " + std::filesystem::path(svg).filename().string() + " from " + csv_name +
         " (run from this directory: gnuplot " + std::filesystem::path(svg).stem().string() + ".gp)\n";
    s += "set terminal svg size 900,540 dynamic enhanced font 'sans,13' background '#ffffff'\n";
    s += "set output " + quote_gnuplot(std::filesystem::path(svg).filename().string()) + "\n";
    s += "set datafile separator ','\n";
    s += "set title " + quote_gnuplot("gradient descent on " + name + ": lr " + lr + ", " + std::to_string(t.opts.samples) +
                                      " samples, seed " + std::to_string(t.opts.seed)) + "\n";
    s += "set xlabel 'step + 1'\nset logscale x\nset format x '10^{%L}'\n";
    s += "set ylabel 'training loss (mean squared error)'\nset logscale y\nset format y '10^{%L}'\n";
    s += "set y2label 'parameter norm'\nset logscale y2\nset ytics nomirror\nset y2tics\nset grid\n";
    s += "set key top center\n";
    s += "plot " + quote_gnuplot(csv_name) + " using ($1+1):2 skip 1 with lines lw 2 title 'loss', \\\n";
    s += "     '' using ($1+1):3 skip 1 axes x1y2 with lines lw 2 title 'parameter norm'\n";
    return s;
}

int run_train(TrainArgs t) {
    const arch::Architecture a = load_architecture(t.arch);
    if (t.target_cert.empty() == t.target_matrix.empty())
        throw UsageError("give exactly one of --target CERT and --target-matrix M");
    relu::DenseMatrix target;
    if (!t.target_cert.empty()) {
        target = target_from_certificate(t.target_cert, a.output_dim(), a.input_dim);
    } else {
        try {
            target = relu::parse_dense_matrix(t.target_matrix);
        } catch (const std::invalid_argument& e) {
            throw UsageError(std::string("--target-matrix: ") + e.what());
        }
    }
    if (t.csv.empty() && !t.plot.empty()) t.csv = std::filesystem::path(t.plot).replace_extension(".csv").string();

    const bool chatty = t.opts.steps >= 100000;
    const long tick = std::max<long>(1, t.opts.steps / 10);
    long next_tick = tick;
    relu::TrainResult r;
    try {
        r = relu::train(a, target, t.opts, [&](const relu::TrainRecord& rec) {
            if (chatty && rec.step >= next_tick) {
                std::fprintf(stderr, "  step %ld/%ld  loss %.4e  norm %.4f\n", rec.step, t.opts.steps, rec.loss, rec.norm);
                next_tick += tick;
            }
        });
    } catch (const std::invalid_argument& e) {
        throw UsageError(e.what());
    }
    const relu::TrainRecord& first = r.log.front();
    const relu::TrainRecord& last = r.log.back();
    std::printf("trained %s for %ld steps: loss %.4e -> %.4e, parameter norm %.4f -> %.4f%s\n", a.name.c_str(), last.step,
                first.loss, last.loss, first.norm, last.norm, r.diverged ? " (stopped: loss not finite)" : "");
    if (!t.csv.empty()) io::write_file_atomically(t.csv, relu::train_csv(r));
    if (!t.plot.empty()) {
        const std::filesystem::path svg(t.plot);
        const std::string gp = std::filesystem::path(svg).replace_extension(".gp").string();
        // gnuplot resolves the script's relative names from its working directory: the csv sits
        // beside the svg, so the script names both by file name and is run from that directory.
        if (std::filesystem::path(t.csv).parent_path() != svg.parent_path())
            throw UsageError("--csv must be in the same directory as --plot");
        io::write_file_atomically(gp, plot_script(t, a.name, t.csv, t.plot));
        if (!on_path("gnuplot")) {
            std::printf("gnuplot not found: wrote %s and %s; render with: cd %s && gnuplot %s\n", t.csv.c_str(), gp.c_str(),
                        svg.parent_path().empty() ? "." : svg.parent_path().c_str(), std::filesystem::path(gp).filename().c_str());
            return kExitClosed;
        }
        const std::filesystem::path cwd = std::filesystem::current_path();
        if (!svg.parent_path().empty()) std::filesystem::current_path(svg.parent_path());
        const int rc = run_gnuplot(std::filesystem::path(gp).filename().string());
        std::filesystem::current_path(cwd);
        if (rc != 0) throw io::OutputError(t.plot + ": gnuplot failed (script " + gp + ")");
        std::printf("wrote %s, %s and %s\n", t.csv.c_str(), gp.c_str(), t.plot.c_str());
    } else if (!t.csv.empty()) {
        std::printf("wrote %s\n", t.csv.c_str());
    }
    return kExitClosed;
}

}  // namespace

void register_train(CLI::App& root, CommandList& out) {
    auto t = std::make_shared<TrainArgs>();
    CLI::App* cmd = root.add_subcommand("train", "gradient descent towards x -> A x: loss and parameter norm over the steps");
    cmd->footer("Exit status: 0 trained and written, 2 bad input, 4 internal error.");
    cmd->add_option("ARCH", t->arch, "architecture file")->required();
    cmd->add_option("--target", t->target_cert, "certificate whose limit A is the target (claim.linear not_closed)");
    cmd->add_option("--target-matrix", t->target_matrix, "target A given explicitly, e.g. \"0,1;1,0\"");
    cmd->add_option("--steps", t->opts.steps, "gradient steps")->capture_default_str()->check(CLI::NonNegativeNumber);
    cmd->add_option("--lr", t->opts.learning_rate, "learning rate")->capture_default_str()->check(CLI::PositiveNumber);
    cmd->add_option("--samples", t->opts.samples, "training points, uniform on [-1,1]^d")->capture_default_str()->check(CLI::PositiveNumber);
    cmd->add_option("--seed", t->opts.seed, "seed of the samples and the initial weights")->capture_default_str();
    cmd->add_option("--log-every", t->opts.log_every, "steps between logged records (0: about 1000 evenly spaced records plus log-spaced early ones)")->capture_default_str()->check(CLI::NonNegativeNumber);
    cmd->add_option("--csv", t->csv, "write step,loss,param_norm here");
    cmd->add_option("--plot", t->plot, "SVG plot of both curves (needs gnuplot; otherwise a .gp script is written)");
    out.push_back({cmd, [t] { return run_train(*t); }});
}

}  // namespace closecert::cli
