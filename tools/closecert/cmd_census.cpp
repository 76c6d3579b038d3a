// closecert census: decide every two-layer pattern of a size up to symmetry, check every certificate
// with closecert-verify, write JSON Lines; with --sweep, regenerate data/census.
#include <iostream>
#include <memory>
#include <thread>

#include "census/checker.hpp"
#include "census/enumerate.hpp"
#include "census/run.hpp"
#include "census/sweep.hpp"
#include "common.hpp"

namespace closecert::cli {

namespace {

struct CensusArgs {
    std::size_t rows = 0, cols = 0, rank = 0;
    unsigned jobs = 0;
    std::string out;
    double timeout = 60.0;
    std::string verify;
    std::string progress = "auto";
    std::size_t sweep = 0;
    std::size_t max_rank = 3;
    std::string data_dir = "data/census";
    bool fresh = false;
    bool retry_unknown = false;
    bool count_only = false;
};

census::Progress progress_of(const std::string& s) {
    if (s == "bar") return census::Progress::bar;
    if (s == "lines") return census::Progress::lines;
    if (s == "none") return census::Progress::none;
    return census::Progress::automatic;
}

void print_summary(const std::string& what, const census::Summary& s) {
    std::cout << what << ": " << s.patterns << " patterns: closed " << s.closed << ", not closed " << s.not_closed
              << ", unknown " << s.unknown << ", verification failures " << s.verify_failures << "\n";
}

int verification_failed(std::size_t n) {
    std::cerr << "closecert: VERIFICATION FAILURE: closecert-verify rejected " << n
              << " certificate(s) of the engine; this is a bug (see the lines marked *** above)\n";
    return kExitInternal;
}

int run_census_command(const CensusArgs& a) {
    if (a.count_only) {
        if (!a.rows || !a.cols || !a.rank) throw UsageError("--count needs --rows, --cols and --rank");
        census::EnumerationStats st;
        const unsigned jobs = a.jobs ? a.jobs : std::max(1u, std::thread::hardware_concurrency());
        const auto pats = census::enumerate_patterns(a.rows, a.cols, a.rank, jobs, &st);
        std::cout << a.rows << "x" << a.cols << "x" << a.rank << ": " << pats.size() << " patterns up to symmetry ("
                  << st.canonicalisations << " canonical forms, " << format_seconds(st.seconds) << " s)\n";
        return kExitClosed;
    }
    census::RunOptions ro;
    ro.jobs = a.jobs;
    ro.timeout_seconds = a.timeout;
    ro.checker = a.verify.empty() ? census::locate_checker() : a.verify;
    ro.progress = progress_of(a.progress);
    ro.retry_unknown = a.retry_unknown;
    if (ro.checker.empty())
        throw UsageError("closecert-verify not found next to closecert nor on PATH; give --verify PATH");
    if (a.sweep) {
        census::SweepOptions so;
        so.max_dim = a.sweep;
        so.max_rank = a.max_rank;
        so.data_dir = a.data_dir;
        so.fresh = a.fresh;
        so.run = ro;
        const census::SweepResult r = census::run_sweep(so);
        std::cout << "sweep written to " << a.data_dir << ": " << r.obstructions << " minimal obstructions, "
                  << r.undetermined_minimality << " not closed patterns of undetermined minimality"
                  << (r.plot_written ? "" : " (no plot)") << "\n";
        return r.verify_failures ? verification_failed(r.verify_failures) : kExitClosed;
    }
    if (!a.rows || !a.cols || !a.rank) throw UsageError("census needs --rows, --cols and --rank (or --sweep)");
    ro.m = a.rows;
    ro.n = a.cols;
    ro.r = a.rank;
    ro.out_path = a.out.empty() ? census::census_file_name({a.rows, a.cols, a.rank}) : a.out;
    const census::RunResult r = census::run_census(ro);
    print_summary("census " + std::to_string(a.rows) + "x" + std::to_string(a.cols) + "x" + std::to_string(a.rank) +
                      " (" + ro.out_path + ")",
                  r.summary);
    std::cout << "resumed " << r.resumed << ", decided " << r.decided << " in " << format_seconds(r.seconds) << " s\n";
    return r.summary.verify_failures ? verification_failed(r.summary.verify_failures) : kExitClosed;
}

}  // namespace

void register_census(CLI::App& root, CommandList& out) {
    auto a = std::make_shared<CensusArgs>();
    CLI::App* c = root.add_subcommand("census", "decide and verify every two-layer pattern of a size, up to symmetry");
    c->footer("Exit status: 0 done (unknown verdicts included), 2 bad input, 4 the checker rejected a certificate of the engine (a bug; the lines are marked ***).");
    c->add_option("--rows", a->rows, "output rows M")->check(CLI::Range(1, 6));
    c->add_option("--cols", a->cols, "input columns N")->check(CLI::Range(1, 6));
    c->add_option("--rank", a->rank, "hidden units R")->check(CLI::Range(1, 16));
    c->add_option("--jobs", a->jobs, "threads (default: number of cores)");
    c->add_option("--out", a->out, "JSON Lines output, resumed if present (default census_MxNxR.jsonl)");
    c->add_option("--timeout", a->timeout, "engine seconds per pattern")->capture_default_str();
    c->add_option("--verify", a->verify, "closecert-verify (default: next to closecert in the build tree, or on PATH)");
    c->add_option("--progress", a->progress, "auto, bar, lines or none")
        ->check(CLI::IsMember({"auto", "bar", "lines", "none"}))
        ->capture_default_str();
    c->add_flag("--count", a->count_only, "only enumerate and count the patterns");
    c->add_option("--sweep", a->sweep, "all sizes 1 <= M <= N <= D and ranks up to --max-rank into --data-dir")
        ->check(CLI::Range(1, 6));
    c->add_option("--max-rank", a->max_rank, "largest rank of --sweep")->capture_default_str()->check(CLI::Range(1, 16));
    c->add_option("--data-dir", a->data_dir, "output directory of --sweep")->capture_default_str();
    c->add_flag("--fresh", a->fresh, "with --sweep: discard existing results instead of resuming");
    c->add_flag("--retry-unknown", a->retry_unknown, "decide again the patterns recorded as unknown (e.g. with a longer --timeout)");
    out.push_back({c, [a] { return run_census_command(*a); }});
}

}  // namespace closecert::cli
