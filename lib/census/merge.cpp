#include "census/merge.hpp"

#include <atomic>
#include <chrono>
#include <filesystem>
#include <iostream>
#include <map>
#include <mutex>
#include <stdexcept>
#include <thread>

#include <unistd.h>

#include "arch/architecture.hpp"
#include "census/checker.hpp"
#include "census/enumerate.hpp"
#include "census/run_common.hpp"
#include "io/architecture_file.hpp"
#include "io/atomic_file.hpp"

namespace closecert::census {

namespace fs = std::filesystem;
using nlohmann::json;

MergeResult merge_census(const MergeOptions& opts) {
    const auto start = std::chrono::steady_clock::now();
    std::ostream& log = opts.log ? *opts.log : std::cerr;
    if (opts.checker.empty()) throw std::runtime_error("no closecert-verify given or found");
    const unsigned jobs = opts.jobs ? opts.jobs : std::max(1u, std::thread::hardware_concurrency());
    const std::vector<arch::CanonicalForm> patterns = enumerate_patterns(opts.m, opts.n, opts.r, jobs);
    std::map<std::string, const arch::CanonicalForm*> by_key;
    for (const auto& cf : patterns) by_key[cf.key] = &cf;
    const std::size_t m = std::min(opts.m, opts.n), n = std::max(opts.m, opts.n);

    std::map<std::string, json> merged;
    for (const std::string& file : opts.shard_files) {
        if (!fs::is_regular_file(file)) throw std::runtime_error(file + ": not a readable shard file");
        for (json& j : read_records(file, false)) {
            const std::string key = j.value("key", std::string());
            if (j.value("m", 0u) != m || j.value("n", 0u) != n || j.value("r", 0u) != opts.r)
                throw std::runtime_error(file + ": pattern " + key + " is of another size");
            if (!by_key.count(key)) throw std::runtime_error(file + ": " + key + " is not a canonical pattern of the size");
            // A shard file is resumable: its last record of a key wins; two shards holding one key is an error.
            if (auto it = merged.find(key); it != merged.end() && it->second.value("_shard", std::string()) != file)
                throw std::runtime_error(file + ": " + key + " is also in " + it->second.value("_shard", std::string()));
            j["_shard"] = file;
            merged[key] = std::move(j);
        }
    }
    MergeResult result;
    for (const auto& cf : patterns)
        if (!merged.count(cf.key)) ++result.missing;
    if (result.missing) return result;

    std::vector<json*> todo;
    for (auto& [key, j] : merged) {
        j.erase("_shard");
        if (j.value("verdict", std::string("unknown")) != "unknown") todo.push_back(&j);
    }
    ScratchDir scratch("closecert-merge");
    Counters counters;
    std::mutex log_mutex;
    std::atomic<std::size_t> next{0};
    auto work = [&] {
        for (std::size_t t; (t = next.fetch_add(1)) < todo.size();) {
            json& rec = *todo[t];
            const std::string key = rec["key"].get<std::string>(), stem = file_stem(key);
            const std::string verdict = rec["verdict"].get<std::string>();
            fs::path cert;
            for (const std::string& d : opts.cert_dirs)
                if (fs::is_regular_file(fs::path(d) / (stem + ".json"))) {
                    cert = fs::path(d) / (stem + ".json");
                    break;
                }
            std::string failure;
            if (cert.empty()) failure = "no certificate " + stem + ".json in the certificate directories";
            else {
                const fs::path arch_file = scratch.path / (std::to_string(t) + ".arch.json");
                const arch::CanonicalForm& cf = *by_key.at(key);
                io::write_file_atomically(arch_file.string(), io::architecture_to_text(arch::architecture_of(cf.pattern, stem)));
                const ProcessRun run = run_checker(opts.checker, cert.string(), arch_file.string(), opts.checker_timeout_seconds);
                std::error_code ec;
                fs::remove(arch_file, ec);
                if (!checker_confirms(run, verdict))
                    failure = run.timed_out ? "checker timed out" : "checker exit " + std::to_string(run.exit_code) + ": " + run.output;
            }
            rec["verified"] = failure.empty();
            if (failure.empty()) {
                rec.erase("verify_error");
                (verdict == "closed" ? counters.closed : counters.not_closed)++;
            } else {
                rec["verify_error"] = failure;
                ++counters.failures;
                std::lock_guard<std::mutex> lock(log_mutex);
                log << "\n*** VERIFICATION FAILURE *** " << key << " claimed " << verdict << ": " << failure << "\n";
            }
            ++counters.done;
        }
    };
    if (opts.show_progress)
        log << "census-merge " << m << "x" << n << "x" << opts.r << ": " << merged.size() << " patterns from "
            << opts.shard_files.size() << " shards, " << todo.size() << " certificates to verify again\n";
    run_workers(jobs, todo.size(), work, "", counters, opts.show_progress, ::isatty(STDERR_FILENO), log, log_mutex, start);

    std::vector<json> all;
    all.reserve(merged.size());
    for (auto& [key, j] : merged) all.push_back(std::move(j));
    result.summary = summarize(all);
    result.reverified = todo.size();
    write_sorted(opts.out_path, std::move(all));
    result.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    return result;
}

}  // namespace closecert::census
