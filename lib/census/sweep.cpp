#include "census/sweep.hpp"

#include <algorithm>
#include <filesystem>
#include <iostream>
#include <map>
#include <mutex>

#include "arch/architecture.hpp"
#include "arch/canonical.hpp"
#include "census/checker.hpp"
#include "io/architecture_file.hpp"
#include "census/enumerate.hpp"
#include "census/obstructions.hpp"
#include "census/report.hpp"
#include "io/atomic_file.hpp"
#include "io/certificate.hpp"

namespace closecert::census {

namespace fs = std::filesystem;
using nlohmann::json;

std::vector<Size> sweep_sizes(std::size_t max_dim, std::size_t max_rank) {
    std::vector<Size> out;
    for (std::size_t m = 1; m <= max_dim; ++m)
        for (std::size_t n = m; n <= max_dim; ++n)
            for (std::size_t r = 1; r <= max_rank; ++r) out.push_back({m, n, r});
    return out;
}

std::string census_file_name(const Size& s) {
    return "census_" + std::to_string(s.m) + "x" + std::to_string(s.n) + "x" + std::to_string(s.r) + ".jsonl";
}

namespace {

// The per-pattern time limit as written on a command line ("20", "2.5").
std::string fmt_seconds(double s) {
    std::string t = std::to_string(s);
    t.erase(t.find_last_not_of('0') + 1);
    if (!t.empty() && t.back() == '.') t.pop_back();
    return t;
}

engine::Verdict verdict_from(const std::string& v) {
    if (v == "closed") return engine::Verdict::closed;
    if (v == "not_closed") return engine::Verdict::not_closed;
    return engine::Verdict::unknown;
}

std::string label(const Size& s) {
    return std::to_string(s.m) + "x" + std::to_string(s.n) + "x" + std::to_string(s.r);
}

}  // namespace

SweepResult run_sweep(const SweepOptions& opts) {
    std::ostream& log = opts.run.log ? *opts.run.log : std::cerr;
    SweepResult result;
    fs::create_directories(opts.data_dir);
    const std::vector<Size> sizes = sweep_sizes(opts.max_dim, opts.max_rank);

    std::map<std::string, json> by_key;  // every record of the sweep
    std::vector<SizeReport> reports;
    std::vector<std::vector<arch::CanonicalForm>> patterns;
    for (const Size& s : sizes) {
        RunOptions ro = opts.run;
        ro.m = s.m;
        ro.n = s.n;
        ro.r = s.r;
        ro.out_path = (fs::path(opts.data_dir) / census_file_name(s)).string();
        ro.failed_dir = (fs::path(opts.data_dir) / "failed").string();
        if (opts.fresh) fs::remove(ro.out_path);
        const RunResult rr = run_census(ro);
        result.verify_failures += rr.summary.verify_failures;
        SizeReport rep;
        rep.label = label(s);
        rep.summary = rr.summary;
        for (json& j : read_records(ro.out_path, false)) {
            rep.engine_seconds += j.value("seconds", 0.0);
            if (j.value("verdict", "unknown") == "unknown") rep.unknowns.push_back(j);
            std::string key = j["key"].get<std::string>();
            by_key[key] = std::move(j);
        }
        reports.push_back(std::move(rep));
        patterns.push_back(enumerate_patterns(s.m, s.n, s.r, opts.run.jobs ? opts.run.jobs : 1));
    }

    // Window verdicts come from the sweep's own records; windows outside it are decided here.
    engine::Options eopts;
    eopts.timeout_seconds = opts.run.timeout_seconds;
    std::map<std::string, engine::Verdict> extra;
    auto verdict_of = [&](const arch::Pattern& w) {
        const std::string key = arch::canonical_key(w);
        if (auto it = by_key.find(key); it != by_key.end()) return verdict_from(it->second.value("verdict", "unknown"));
        if (auto it = extra.find(key); it != extra.end()) return it->second;
        const engine::Verdict v = engine::decide_linear(arch::architecture_of(w, "window"), eopts).verdict;
        extra[key] = v;
        return v;
    };

    const fs::path obs_dir = fs::path(opts.data_dir) / "obstructions";
    fs::create_directories(obs_dir);
    for (const auto& entry : fs::directory_iterator(obs_dir))
        if (entry.path().extension() == ".json") fs::remove(entry.path());
    std::vector<json> catalogue;
    for (std::size_t si = 0; si < sizes.size(); ++si) {
        for (const arch::CanonicalForm& cf : patterns[si]) {
            auto it = by_key.find(cf.key);
            if (it == by_key.end() || it->second.value("verdict", "") != "not_closed") continue;
            const Minimality mm = minimality(cf.pattern, verdict_of);
            if (mm == Minimality::undetermined) ++reports[si].undetermined;
            if (mm != Minimality::minimal) continue;
            ++reports[si].obstructions;
            // The certificate is produced again and checked again before it goes into data/.
            const arch::Architecture a = arch::architecture_of(cf.pattern, file_stem(cf.key));
            // The census decided it within the time limit on a loaded machine; give the re-run room so
            // that a slow moment does not drop an obstruction (a time-out here is not a wrong verdict).
            engine::Options again = eopts;
            again.timeout_seconds = std::max(60.0, 4 * eopts.timeout_seconds);
            const engine::LinearResult lr = engine::decide_linear(a, again);
            const std::string rel = "obstructions/" + file_stem(cf.key) + ".json";
            json o = {{"key", cf.key}, {"pattern", arch::to_string(cf.pattern)}, {"m", cf.pattern.m}, {"n", cf.pattern.n},
                      {"r", cf.pattern.terms.size()}, {"empty_terms", empty_terms(cf.pattern)}};
            if (it->second.contains("witness_window")) o["witness_window"] = it->second["witness_window"];
            if (lr.verdict == engine::Verdict::unknown) {
                log << "obstruction " << cf.key << " could not be re-decided within " << again.timeout_seconds
                    << " s (" << lr.reason << "); left out of the catalogue\n";
                --reports[si].obstructions;
                ++reports[si].undetermined;
                continue;
            }
            if (lr.verdict != engine::Verdict::not_closed) {
                log << "*** obstruction " << cf.key << " was not closed in the census but is now "
                    << engine::to_string(lr.verdict) << "\n";
                ++result.verify_failures;
                continue;
            }
            const std::string path = (fs::path(opts.data_dir) / rel).string();
            io::write_file_atomically(path, io::make_certificate(a, lr, io::ReluPart{}).dump(1) + "\n");
            const std::string arch_path = path + ".arch.json";
            io::write_file_atomically(arch_path, io::architecture_to_text(a));
            const ProcessRun run = run_checker(opts.run.checker, path, arch_path, opts.run.checker_timeout_seconds);
            fs::remove(arch_path);
            if (!checker_confirms(run, "not_closed")) {
                log << "*** VERIFICATION FAILURE *** obstruction certificate " << path << ": " << run.output << "\n";
                ++result.verify_failures;
                o["verified"] = false;
            } else {
                o["verified"] = true;
            }
            o["certificate"] = rel;
            catalogue.push_back(std::move(o));
        }
        result.obstructions += reports[si].obstructions;
        result.undetermined_minimality += reports[si].undetermined;
    }
    std::string text;
    for (const json& o : catalogue) text += o.dump() + "\n";
    io::write_file_atomically((fs::path(opts.data_dir) / "obstructions.jsonl").string(), text);

    const std::string command = "meson compile -C build && build/tools/closecert/closecert census --sweep " +
                                std::to_string(opts.max_dim) + " --max-rank " + std::to_string(opts.max_rank) +
                                " --timeout " + fmt_seconds(opts.run.timeout_seconds) + " --data-dir data/census --fresh";
    io::write_file_atomically((fs::path(opts.data_dir) / "summary.md").string(),
                              summary_markdown(reports, catalogue, command));
    std::string why;
    result.plot_written = write_plot(opts.data_dir, reports, why);
    if (!result.plot_written) log << "census: no plot: " << why << "\n";
    return result;
}

}  // namespace closecert::census
