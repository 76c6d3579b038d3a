// closecert census-deep: decide every architecture of a depth and small widths up to symmetry (unit
// permutations of every layer, transposition), verify every certificate with closecert-verify CERT
// ARCH, write one JSON line per class, and regenerate the deep summary.
#include <filesystem>
#include <iostream>
#include <memory>
#include <sstream>

#include "census/checker.hpp"
#include "census/deep_enumerate.hpp"
#include "census/deep_report.hpp"
#include "census/deep_run.hpp"
#include "common.hpp"
#include "io/errors.hpp"

namespace closecert::cli {

namespace {

struct DeepArgs {
    std::size_t depth = 0, min_width = 1, max_width = 2;
    std::string widths;
    std::string data_dir = "data/census/deep";
    std::string out;
    unsigned jobs = 0;
    double timeout = 20.0;
    std::string verify;
    std::string max_memory;
    std::string progress = "auto";
    bool retry_unknown = false, count_only = false, summary_only = false, no_summary = false;
    std::size_t sample = 0;
    unsigned long long seed = 0;
};

census::Widths parse_widths(const std::string& s, std::size_t depth) {
    census::Widths w;
    std::istringstream is(s);
    for (std::string x; std::getline(is, x, ',');) {
        std::size_t pos = 0;
        unsigned long v = 0;
        try {
            v = std::stoul(x, &pos);
        } catch (const std::exception&) {
            pos = 0;
        }
        if (pos != x.size() || v == 0 || v > 8) throw UsageError("--widths: '" + x + "' is not a width in 1..8");
        w.push_back(v);
    }
    if (depth && w.size() != depth + 1)
        throw UsageError("--widths needs depth + 1 = " + std::to_string(depth + 1) + " numbers (N0,...,NL)");
    // Transposition maps w to reversed(w): the smaller orientation represents both.
    census::Widths rev(w.rbegin(), w.rend());
    return rev < w ? rev : w;
}

int run_deep_command(const DeepArgs& a) {
    if (a.summary_only) {
        const census::DeepReportResult r = census::write_deep_summary(a.data_dir);
        std::cout << "summary written to " << a.data_dir << "/summary.md: " << r.classes << " classes: closed " << r.closed
                  << ", not closed " << r.not_closed << ", unknown " << r.unknown << ", verification failures "
                  << r.verify_failures << "; z3 agrees " << r.agree << ", disagrees " << r.disagree << ", no answer "
                  << r.no_answer << (r.plot_written ? "" : " (no plot: " + r.plot_problem + ")") << "\n";
        return r.verify_failures || r.disagree ? kExitInternal : kExitClosed;
    }
    if (!a.depth) throw UsageError("census-deep needs --depth (or --summary-only)");
    std::vector<census::Widths> tuples;
    if (!a.widths.empty()) tuples.push_back(parse_widths(a.widths, a.depth));
    else tuples = census::deep_width_tuples(a.depth, a.min_width, a.max_width);
    if (tuples.empty()) throw UsageError("no widths: need 1 <= --min-width <= --max-width");
    for (const auto& w : tuples)
        if (census::deep_entries(w) > census::kDeepMaxEntries)
            throw UsageError("widths " + census::widths_label(w) + " have " + std::to_string(census::deep_entries(w)) +
                             " mask entries; at most " + std::to_string(census::kDeepMaxEntries) + " are enumerated");
    if (!a.out.empty() && tuples.size() != 1) throw UsageError("--out needs a single width tuple (--widths)");
    if (a.count_only) {
        std::size_t total = 0;
        for (const auto& w : tuples) {
            census::DeepEnumerationStats st;
            const auto classes = census::enumerate_deep(w, &st);
            total += classes.size();
            std::cout << "L" << a.depth << " " << census::widths_label(w) << ": " << classes.size() << " classes ("
                      << st.labelled << " architectures, group of order " << st.group_order << ", "
                      << format_seconds(st.seconds) << " s)\n";
        }
        std::cout << "L" << a.depth << ": " << total << " classes over " << tuples.size() << " width tuples\n";
        return kExitClosed;
    }
    census::DeepRunOptions ro;
    ro.jobs = a.jobs;
    ro.timeout_seconds = a.timeout;
    ro.checker = a.verify.empty() ? census::locate_checker() : a.verify;
    ro.retry_unknown = a.retry_unknown;
    ro.sample = a.sample;
    ro.seed = a.seed;
    ro.progress = a.progress == "bar"     ? census::Progress::bar
                  : a.progress == "lines" ? census::Progress::lines
                  : a.progress == "none"  ? census::Progress::none
                                          : census::Progress::automatic;
    if (ro.checker.empty()) throw UsageError("closecert-verify not found next to closecert nor on PATH; give --verify PATH");
    if (a.out.empty()) {
        std::error_code ec;
        std::filesystem::create_directories(a.data_dir, ec);
        if (ec) throw io::OutputError(a.data_dir + ": cannot create the directory: " + ec.message());
    }
    std::size_t failures = 0, classes = 0, closed = 0, not_closed = 0, unknown = 0;
    double seconds = 0.0;
    for (const auto& w : tuples) {
        ro.widths = w;
        ro.out_path = a.out.empty() ? (std::filesystem::path(a.data_dir) / census::deep_census_file_name(w)).string() : a.out;
        const census::RunResult r = census::run_deep_census(ro);
        std::cout << "L" << w.size() - 1 << " " << census::widths_label(w) << " (" << ro.out_path << "): " << r.summary.patterns
                  << " classes: closed " << r.summary.closed << ", not closed " << r.summary.not_closed << ", unknown "
                  << r.summary.unknown << ", verification failures " << r.summary.verify_failures << "; resumed "
                  << r.resumed << ", decided " << r.decided << " in " << format_seconds(r.seconds) << " s\n";
        failures += r.summary.verify_failures, classes += r.summary.patterns, closed += r.summary.closed;
        not_closed += r.summary.not_closed, unknown += r.summary.unknown, seconds += r.seconds;
    }
    if (tuples.size() > 1)
        std::cout << "L" << a.depth << ": " << classes << " classes: closed " << closed << ", not closed " << not_closed
                  << ", unknown " << unknown << ", verification failures " << failures << " (" << format_seconds(seconds)
                  << " s)\n";
    if (a.out.empty() && !a.no_summary && !a.sample) {
        const census::DeepReportResult r = census::write_deep_summary(a.data_dir);
        std::cout << "summary written to " << a.data_dir << "/summary.md"
                  << (r.plot_written ? "" : " (no plot: " + r.plot_problem + ")") << "\n";
    }
    if (failures) {
        std::cerr << "closecert: VERIFICATION FAILURE: closecert-verify rejected " << failures
                  << " certificate(s) of the engine; this is a bug (see the lines marked *** above)\n";
        return kExitInternal;
    }
    return kExitClosed;
}

}  // namespace

void register_census_deep(CLI::App& root, CommandList& out) {
    auto a = std::make_shared<DeepArgs>();
    CLI::App* c = root.add_subcommand("census-deep", "decide and verify every architecture of a depth and small widths, up to symmetry");
    c->footer("Exit status: 0 done (unknown verdicts included), 2 bad input, 4 the checker rejected a certificate of the engine (a bug; the lines are marked ***).");
    c->add_option("--depth", a->depth, "number of layers L")->check(CLI::Range(1, 8));
    c->add_option("--min-width", a->min_width, "smallest width of every layer")->capture_default_str()->check(CLI::Range(1, 8));
    c->add_option("--max-width", a->max_width, "largest width of every layer")->capture_default_str()->check(CLI::Range(1, 8));
    c->add_option("--widths", a->widths, "a single width tuple N0,N1,...,NL instead of all in [min, max]");
    c->add_option("--data-dir", a->data_dir, "directory of census_L<d>_w<widths>.jsonl and summary.md")->capture_default_str();
    c->add_option("--out", a->out, "JSON Lines output for a single --widths (no summary)");
    c->add_option("--jobs", a->jobs, "threads (default: number of cores)");
    c->add_option("--timeout", a->timeout, "engine seconds per class")->capture_default_str()->check(CLI::PositiveNumber);
    c->add_option("--verify", a->verify, "closecert-verify (default: next to closecert in the build tree, or on PATH)");
    c->add_option("--progress", a->progress, "auto, bar, lines or none")
        ->check(CLI::IsMember({"auto", "bar", "lines", "none"}))
        ->capture_default_str();
    c->add_flag("--retry-unknown", a->retry_unknown, "decide again the classes recorded as unknown");
    c->add_flag("--count", a->count_only, "only enumerate and count the classes");
    c->add_flag("--summary-only", a->summary_only, "only regenerate summary.md and the plot from --data-dir");
    c->add_flag("--no-summary", a->no_summary, "do not regenerate the summary after the run");
    c->add_option("--sample", a->sample, "decide only N classes per width tuple, drawn with --seed (tests)");
    c->add_option("--seed", a->seed, "seed of --sample")->capture_default_str();
    add_memory_option(c, a->max_memory);
    out.push_back({c, [a] {
        apply_memory_limit(a->max_memory);
        return run_deep_command(*a);
    }});
}

}  // namespace closecert::cli
