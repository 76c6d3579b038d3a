// closecert census: decide every two-layer pattern of a size up to symmetry, check every certificate
// with closecert-verify, write JSON Lines; with --sweep, regenerate data/census.
#include <iostream>
#include <memory>
#include <thread>

#include "census/checker.hpp"
#include "census/enumerate.hpp"
#include "census/merge.hpp"
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
    std::string max_memory;
    std::string progress = "auto";
    std::size_t sweep = 0;
    std::size_t max_rank = 3;
    std::string data_dir = "data/census";
    bool fresh = false;
    bool retry_unknown = false;
    bool count_only = false;
    std::string shard, certs;
};

// "K/N" with 1 <= K <= N: the K-th of N shards (0-based K-1 in RunOptions).
void parse_shard(const std::string& text, census::RunOptions& ro) {
    const auto slash = text.find('/');
    std::size_t k = 0, n = 0;
    try {
        if (slash == std::string::npos || text.find_first_not_of("0123456789/") != std::string::npos) throw 0;
        k = std::stoul(text.substr(0, slash));
        n = std::stoul(text.substr(slash + 1));
    } catch (...) {
        throw UsageError("--shard: '" + text + "' is not K/N (e.g. 3/16)");
    }
    if (n < 1 || n > 100000 || k < 1 || k > n) throw UsageError("--shard: '" + text + "' needs 1 <= K <= N <= 100000");
    ro.shard = k - 1;
    ro.shards = n;
}

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
    if (!a.shard.empty()) parse_shard(a.shard, ro);
    ro.cert_dir = a.certs;
    if ((ro.shards > 1 || !a.certs.empty()) && a.sweep) throw UsageError("--shard and --certs apply to one size, not to --sweep");
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
    if (ro.shards > 1 && a.out.empty()) ro.out_path += ".shard" + std::to_string(ro.shard + 1) + "of" + std::to_string(ro.shards);
    const census::RunResult r = census::run_census(ro);
    print_summary("census " + std::to_string(a.rows) + "x" + std::to_string(a.cols) + "x" + std::to_string(a.rank) +
                      (ro.shards > 1 ? " shard " + a.shard : std::string()) +
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
    c->add_option("--shard", a->shard, "K/N: decide only the K-th of N deterministic shards (by key); join them with census-merge");
    c->add_option("--certs", a->certs, "keep every verified certificate in this directory (census-merge verifies them again)");
    c->add_flag("--retry-unknown", a->retry_unknown, "decide again the patterns recorded as unknown (e.g. with a longer --timeout)");
    add_memory_option(c, a->max_memory);
    out.push_back({c, [a] {
        apply_memory_limit(a->max_memory);
        return run_census_command(*a);
    }});
}

void register_census_merge(CLI::App& root, CommandList& out) {
    struct MergeArgs {
        std::size_t rows = 0, cols = 0, rank = 0;
        std::vector<std::string> shards, certs;
        std::string out, verify, progress = "auto";
        unsigned jobs = 0;
    };
    auto a = std::make_shared<MergeArgs>();
    CLI::App* c = root.add_subcommand("census-merge", "join the shards of one census size, verifying every certificate again");
    c->footer("Exit status: 0 merged and every certificate verified, 2 bad input (a pattern missing, in two shards or of "
              "another size; nothing is written), 4 the checker rejected a certificate.");
    c->add_option("SHARD", a->shards, "JSON Lines written by census --shard")->required();
    c->add_option("--rows", a->rows, "output rows M")->required()->check(CLI::Range(1, 6));
    c->add_option("--cols", a->cols, "input columns N")->required()->check(CLI::Range(1, 6));
    c->add_option("--rank", a->rank, "hidden units R")->required()->check(CLI::Range(1, 16));
    c->add_option("--certs", a->certs, "directories holding the shards' certificates (census --certs)")->required();
    c->add_option("--out", a->out, "merged JSON Lines (default census_MxNxR.jsonl)");
    c->add_option("--jobs", a->jobs, "checker processes at once (default: number of cores)");
    c->add_option("--verify", a->verify, "closecert-verify (default: next to closecert, or on PATH)");
    c->add_option("--progress", a->progress, "auto, bar, lines or none")->check(CLI::IsMember({"auto", "bar", "lines", "none"}));
    out.push_back({c, [a] {
        census::MergeOptions mo;
        mo.m = a->rows, mo.n = a->cols, mo.r = a->rank;
        mo.shard_files = a->shards;
        mo.cert_dirs = a->certs;
        mo.out_path = a->out.empty() ? census::census_file_name({a->rows, a->cols, a->rank}) : a->out;
        mo.checker = a->verify.empty() ? census::locate_checker() : a->verify;
        if (mo.checker.empty()) throw UsageError("closecert-verify not found next to closecert nor on PATH; give --verify PATH");
        mo.jobs = a->jobs;
        mo.show_progress = a->progress != "none";
        census::MergeResult r;
        try {
            r = census::merge_census(mo);
        } catch (const std::runtime_error& e) {
            throw UsageError(std::string("census-merge: ") + e.what());
        }
        if (r.missing)
            throw UsageError("census-merge: " + std::to_string(r.missing) + " patterns of the size are in no shard; " +
                             mo.out_path + " not written");
        print_summary("census-merge (" + mo.out_path + ")", r.summary);
        std::cout << "verified again " << r.reverified << " certificates in " << format_seconds(r.seconds) << " s\n";
        return r.summary.verify_failures ? verification_failed(r.summary.verify_failures) : kExitClosed;
    }});
}

}  // namespace closecert::cli
