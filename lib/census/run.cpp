#include "census/run.hpp"

#include <atomic>
#include <cstdint>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iomanip>
#include <iostream>
#include <mutex>
#include <sstream>
#include <stdexcept>
#include <thread>
#include <unordered_set>

#include <unistd.h>

#include "arch/architecture.hpp"
#include "census/checker.hpp"
#include "census/run_common.hpp"
#include "io/architecture_file.hpp"
#include "census/enumerate.hpp"
#include "io/atomic_file.hpp"
#include "io/certificate.hpp"

namespace closecert::census {

namespace fs = std::filesystem;
using nlohmann::json;

std::size_t shard_of(const std::string& key, std::size_t shards) {
    std::uint64_t h = 1469598103934665603ull;
    for (unsigned char c : key) h = (h ^ c) * 1099511628211ull;
    return shards ? static_cast<std::size_t>(h % shards) : 0;
}

RunResult run_census(const RunOptions& opts) {
    const auto start = std::chrono::steady_clock::now();
    std::ostream& log = opts.log ? *opts.log : std::cerr;
    if (opts.checker.empty()) throw std::runtime_error("no closecert-verify given or found");
    if (opts.out_path.empty()) throw std::runtime_error("no output file");
    const unsigned jobs = opts.jobs ? opts.jobs : std::max(1u, std::thread::hardware_concurrency());

    if (opts.shards == 0 || opts.shard >= opts.shards) throw std::runtime_error("shard out of range");
    std::vector<arch::CanonicalForm> patterns = enumerate_patterns(opts.m, opts.n, opts.r, jobs);
    if (opts.shards > 1)
        std::erase_if(patterns, [&](const arch::CanonicalForm& cf) { return shard_of(cf.key, opts.shards) != opts.shard; });
    if (!opts.cert_dir.empty()) fs::create_directories(opts.cert_dir);
    const std::size_t m = std::min(opts.m, opts.n), n = std::max(opts.m, opts.n);

    std::vector<json> previous = read_records(opts.out_path, true);
    std::unordered_set<std::string> done_keys;
    std::string kept;  // the file without its unknown records, when they are retried
    std::size_t retried = 0;
    for (const json& j : previous) {
        if (j.value("m", 0u) != m || j.value("n", 0u) != n || j.value("r", 0u) != opts.r)
            throw std::runtime_error(opts.out_path + " holds patterns of another size (" + j["key"].get<std::string>() + ")");
        if (opts.shards > 1 && shard_of(j["key"].get<std::string>(), opts.shards) != opts.shard)
            throw std::runtime_error(opts.out_path + " holds a pattern of another shard (" + j["key"].get<std::string>() + ")");
        if (opts.retry_unknown && j.value("verdict", "unknown") == "unknown") {
            ++retried;
            continue;
        }
        done_keys.insert(j["key"].get<std::string>());
        kept += j.dump() + "\n";
    }
    // Rewritten atomically before anything is appended: an interruption leaves the retried patterns
    // missing, and the next resumed run decides them.
    if (retried) io::write_file_atomically(opts.out_path, kept);
    std::vector<std::size_t> todo;
    for (std::size_t i = 0; i < patterns.size(); ++i)
        if (!done_keys.count(patterns[i].key)) todo.push_back(i);

    RunResult result;
    result.resumed = patterns.size() - todo.size();
    result.retried = retried;
    std::ofstream out(opts.out_path, std::ios::app | std::ios::binary);
    if (!out) throw std::runtime_error("cannot open " + opts.out_path + " for appending");
    ScratchDir scratch("closecert-census");
    const fs::path failed_dir = opts.failed_dir.empty() ? fs::path(opts.out_path + ".failed") : fs::path(opts.failed_dir);

    Counters counters;
    std::mutex out_mutex;
    std::atomic<std::size_t> next{0};
    engine::Options eopts;
    eopts.timeout_seconds = opts.timeout_seconds;

    auto work = [&] {
        for (std::size_t t; (t = next.fetch_add(1)) < todo.size();) {
            const arch::CanonicalForm& cf = patterns[todo[t]];
            const arch::Architecture a = arch::architecture_of(cf.pattern, file_stem(cf.key));
            engine::LinearResult lr;
            try {
                lr = engine::decide_linear(a, eopts);
            } catch (const std::exception& e) {
                lr = engine::LinearResult{};
                lr.reason = std::string("engine exception: ") + e.what();
            }
            bool verified = false;
            std::string failure;
            if (lr.verdict != engine::Verdict::unknown) {
                const std::string claim(engine::to_string(lr.verdict));
                const fs::path cert = scratch.path / (std::to_string(todo[t]) + ".json");
                try {
                    const fs::path arch_file = scratch.path / (std::to_string(todo[t]) + ".arch.json");
                    io::write_file_atomically(cert.string(), io::make_certificate(a, lr, io::ReluPart{}).dump(1) + "\n");
                    io::write_file_atomically(arch_file.string(), io::architecture_to_text(a));
                    const ProcessRun run = run_checker(opts.checker, cert.string(), arch_file.string(), opts.checker_timeout_seconds);
                    fs::remove(arch_file);
                    verified = checker_confirms(run, claim);
                    if (!verified)
                        failure = run.timed_out ? "checker timed out" : "checker exit " + std::to_string(run.exit_code) + ": " + run.output;
                } catch (const std::exception& e) {
                    failure = std::string("no certificate: ") + e.what();
                }
                if (verified && !opts.cert_dir.empty()) {
                    std::error_code ec;
                    fs::copy_file(cert, fs::path(opts.cert_dir) / (file_stem(cf.key) + ".json"), fs::copy_options::overwrite_existing, ec);
                    if (ec) failure = "cannot keep the certificate in " + opts.cert_dir + ": " + ec.message();
                }
                if (!verified) {
                    std::error_code ec;
                    fs::create_directories(failed_dir, ec);
                    fs::copy_file(cert, failed_dir / (file_stem(cf.key) + ".json"), fs::copy_options::overwrite_existing, ec);
                }
                std::error_code ec;
                fs::remove(cert, ec);
            }
            json rec = make_record(cf, lr, verified);
            if (!failure.empty()) rec["verify_error"] = failure;
            {
                std::lock_guard<std::mutex> lock(out_mutex);
                out << rec.dump() << '\n';
                out.flush();
                if (!failure.empty())
                    log << "\n*** VERIFICATION FAILURE *** " << cf.key << " " << arch::to_string(cf.pattern) << " claimed "
                        << engine::to_string(lr.verdict) << ": " << failure << "\n    certificate kept in "
                        << (failed_dir / (file_stem(cf.key) + ".json")).string() << "\n";
            }
            switch (lr.verdict) {
                case engine::Verdict::closed: ++counters.closed; break;
                case engine::Verdict::not_closed: ++counters.not_closed; break;
                case engine::Verdict::unknown: ++counters.unknown; break;
            }
            if (!failure.empty()) ++counters.failures;
            ++counters.done;
        }
    };

    const bool tty = opts.progress == Progress::bar || (opts.progress == Progress::automatic && ::isatty(STDERR_FILENO));
    const bool show = opts.progress != Progress::none;
    if (show)
        log << "census " << m << "x" << n << "x" << opts.r
            << (opts.shards > 1 ? " shard " + std::to_string(opts.shard + 1) + "/" + std::to_string(opts.shards) : std::string())
            << ": " << patterns.size() << " patterns, " << result.resumed
            << " already in " << opts.out_path << (retried ? ", " + std::to_string(retried) + " unknown ones retried" : "")
            << ", " << todo.size() << " to decide with " << jobs << " threads\n";
    run_workers(jobs, todo.size(), work, "", counters, show, tty, log, out_mutex, start);
    out.close();

    std::vector<json> all = read_records(opts.out_path, false);
    result.summary = summarize(all);
    if (result.summary.patterns == patterns.size()) write_sorted(opts.out_path, std::move(all));
    result.decided = todo.size();
    result.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    return result;
}

}  // namespace closecert::census
