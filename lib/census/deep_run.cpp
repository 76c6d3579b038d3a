#include "census/deep_run.hpp"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <filesystem>
#include <fstream>
#include <iomanip>
#include <iostream>
#include <mutex>
#include <random>
#include <regex>
#include <sstream>
#include <stdexcept>
#include <thread>
#include <unordered_set>

#include <unistd.h>

#include "census/checker.hpp"
#include "census/run_common.hpp"
#include "io/architecture_file.hpp"
#include "io/atomic_file.hpp"
#include "io/certificate.hpp"

namespace closecert::census {

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

double rounded(double s) { return static_cast<double>(static_cast<long long>(s * 1e4 + 0.5)) / 1e4; }

}  // namespace

std::string deep_census_file_name(const Widths& w) {
    return "census_L" + std::to_string(w.size() - 1) + "_w" + widths_label(w) + ".jsonl";
}

json make_deep_record(const DeepClass& c, const engine::LinearResult& r, bool verified, double verify_seconds) {
    json j = json::object();
    j["key"] = c.key;
    j["depth"] = c.widths.size() - 1;
    j["widths"] = c.widths;
    j["masks"] = mask_rows(c.masks);
    j["verdict"] = std::string(engine::to_string(r.verdict));
    j["rule"] = r.rule;
    if (r.verdict == engine::Verdict::unknown) {
        j["reason"] = r.reason;
        j["stuck"] = r.stuck;
    }
    if (r.verdict == engine::Verdict::not_closed && r.proof.is_object()) {
        if (r.proof.contains("window")) j["witness_window"] = r.proof["window"];
        if (r.proof.contains("limit")) j["limit"] = r.proof["limit"];
    }
    j["verified"] = verified;
    j["seconds"] = rounded(r.seconds);
    j["verify_seconds"] = rounded(verify_seconds);
    return j;
}

json decide_deep_class(const DeepClass& c, const engine::Options& eopts, const std::string& checker, double checker_timeout,
                       const std::string& scratch, const std::string& failed_dir, std::string& failure) {
    failure.clear();
    const std::string stem = file_stem(c.key);
    const arch::Architecture a = deep_architecture(c.masks, "deep_" + stem);
    engine::LinearResult lr;
    try {
        lr = engine::decide_linear(a, eopts);
    } catch (const std::exception& e) {
        lr = engine::LinearResult{};
        lr.reason = std::string("engine exception: ") + e.what();
    }
    bool verified = false;
    double verify_seconds = 0.0;
    if (lr.verdict != engine::Verdict::unknown) {
        const std::string claim(engine::to_string(lr.verdict));
        const fs::path cert = fs::path(scratch) / (stem + ".cert.json"), arch_file = fs::path(scratch) / (stem + ".arch.json");
        try {
            io::write_file_atomically(arch_file.string(), io::architecture_to_text(a));
            io::write_file_atomically(cert.string(), io::make_certificate(a, lr, io::ReluPart{}).dump(1) + "\n");
            // CERT ARCH: the checker also checks that the certificate speaks of this architecture.
            const ProcessRun run = run_checker(checker, cert.string(), arch_file.string(), checker_timeout);
            verify_seconds = run.seconds;
            verified = checker_confirms(run, claim);
            if (!verified)
                failure = run.timed_out ? "checker timed out" : "checker exit " + std::to_string(run.exit_code) + ": " + run.output;
        } catch (const std::exception& e) {
            failure = std::string("no certificate: ") + e.what();
        }
        std::error_code ec;
        if (!verified && !failed_dir.empty()) {
            fs::create_directories(failed_dir, ec);
            fs::copy_file(cert, fs::path(failed_dir) / (stem + ".cert.json"), fs::copy_options::overwrite_existing, ec);
            fs::copy_file(arch_file, fs::path(failed_dir) / (stem + ".arch.json"), fs::copy_options::overwrite_existing, ec);
        }
        fs::remove(cert, ec);
        fs::remove(arch_file, ec);
    }
    json rec = make_deep_record(c, lr, verified, verify_seconds);
    if (!failure.empty()) rec["verify_error"] = failure;
    return rec;
}

RunResult run_deep_census(const DeepRunOptions& opts) {
    const auto start = std::chrono::steady_clock::now();
    std::ostream& log = opts.log ? *opts.log : std::cerr;
    if (opts.checker.empty()) throw std::runtime_error("no closecert-verify given or found");
    if (opts.out_path.empty()) throw std::runtime_error("no output file");
    const unsigned jobs = opts.jobs ? opts.jobs : std::max(1u, std::thread::hardware_concurrency());
    const std::vector<DeepClass> classes = enumerate_deep(opts.widths);
    const std::string label = "L" + std::to_string(opts.widths.size() - 1) + " " + widths_label(opts.widths);

    std::vector<json> previous = read_records(opts.out_path, true);
    std::unordered_set<std::string> done_keys;
    std::string kept;
    std::size_t retried = 0;
    for (const json& j : previous) {
        if (j.value("widths", json::array()) != json(opts.widths))
            throw std::runtime_error(opts.out_path + " holds classes of other widths (" + j["key"].get<std::string>() + ")");
        if (opts.retry_unknown && j.value("verdict", "unknown") == "unknown") {
            ++retried;
            continue;
        }
        done_keys.insert(j["key"].get<std::string>());
        kept += j.dump() + "\n";
    }
    if (retried) io::write_file_atomically(opts.out_path, kept);
    std::vector<std::size_t> todo;
    for (std::size_t i = 0; i < classes.size(); ++i)
        if (!done_keys.count(classes[i].key)) todo.push_back(i);
    const std::size_t resumed = classes.size() - todo.size();
    if (opts.sample && opts.sample < todo.size()) {
        std::mt19937_64 rng(opts.seed);
        std::shuffle(todo.begin(), todo.end(), rng);
        todo.resize(opts.sample);
        std::sort(todo.begin(), todo.end());
    }

    RunResult result;
    result.resumed = resumed;
    result.retried = retried;
    std::ofstream out(opts.out_path, std::ios::app | std::ios::binary);
    if (!out) throw std::runtime_error("cannot open " + opts.out_path + " for appending");
    ScratchDir scratch("closecert-deep-census");
    const std::string failed_dir = opts.failed_dir.empty() ? opts.out_path + ".failed" : opts.failed_dir;

    Counters counters;
    std::mutex out_mutex;
    std::atomic<std::size_t> next{0};
    engine::Options eopts;
    eopts.timeout_seconds = opts.timeout_seconds;

    auto work = [&] {
        for (std::size_t t; (t = next.fetch_add(1)) < todo.size();) {
            const DeepClass& c = classes[todo[t]];
            std::string failure;
            const json rec = decide_deep_class(c, eopts, opts.checker, opts.checker_timeout_seconds, scratch.path.string(),
                                               failed_dir, failure);
            const std::string v = rec["verdict"];
            {
                std::lock_guard<std::mutex> lock(out_mutex);
                out << rec.dump() << '\n';
                out.flush();
                if (!failure.empty())
                    log << "\n*** VERIFICATION FAILURE *** " << c.key << " claimed " << v << ": " << failure
                        << "\n    certificate and architecture kept in " << failed_dir << "\n";
            }
            if (v == "closed") ++counters.closed;
            else if (v == "not_closed") ++counters.not_closed;
            else ++counters.unknown;
            if (!failure.empty()) ++counters.failures;
            ++counters.done;
        }
    };

    const bool tty = opts.progress == Progress::bar || (opts.progress == Progress::automatic && ::isatty(STDERR_FILENO));
    const bool show = opts.progress != Progress::none;
    if (show)
        log << "deep census " << label << ": " << classes.size() << " classes, " << resumed << " already in "
            << opts.out_path << (retried ? ", " + std::to_string(retried) + " unknown ones retried" : "") << ", "
            << todo.size() << " to decide with " << jobs << " threads\n";
    run_workers(jobs, todo.size(), work, label, counters, show, tty, log, out_mutex, start);
    out.close();

    std::vector<json> all = read_records(opts.out_path, false);
    result.summary = summarize(all);
    if (result.summary.patterns == classes.size()) write_sorted(opts.out_path, std::move(all));
    result.decided = todo.size();
    result.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    return result;
}

std::vector<std::string> deep_census_files(const std::string& dir) {
    static const std::regex name(R"(census_L([0-9]+)_w([0-9]+(-[0-9]+)+)\.jsonl)");
    std::vector<std::pair<Widths, std::string>> found;
    std::error_code ec;
    if (!fs::is_directory(dir, ec)) return {};
    for (const auto& e : fs::directory_iterator(dir)) {
        std::smatch m;
        const std::string f = e.path().filename().string();
        if (!std::regex_match(f, m, name)) continue;
        Widths w;
        std::istringstream is(m[2].str());
        for (std::string x; std::getline(is, x, '-');) w.push_back(std::stoul(x));
        if (w.size() != std::stoul(m[1].str()) + 1) continue;
        found.push_back({w, e.path().string()});
    }
    std::sort(found.begin(), found.end(), [](const auto& a, const auto& b) {
        return a.first.size() != b.first.size() ? a.first.size() < b.first.size() : a.first < b.first;
    });
    std::vector<std::string> out;
    for (auto& [w, p] : found) out.push_back(p);
    return out;
}

}  // namespace closecert::census
