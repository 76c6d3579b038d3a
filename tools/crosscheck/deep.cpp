#include "deep.hpp"

#include <atomic>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <iomanip>
#include <iostream>
#include <map>
#include <mutex>
#include <sstream>
#include <thread>

#include <unistd.h>

#include <nlohmann/json.hpp>

#include "census/checker.hpp"
#include "census/deep_enumerate.hpp"
#include "census/deep_report.hpp"
#include "census/deep_run.hpp"
#include "census/records.hpp"
#include "deep_formulas.hpp"
#include "solvers.hpp"
#include "io/atomic_file.hpp"

namespace closecert::crosscheck {

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

double rounded(double s) { return static_cast<double>(static_cast<long long>(s * 1e3 + 0.5)) / 1e3; }

// "agree" (a solver answered the sentence as the census did), "limit_not_in_L" (the sentence got no
// answer, but z3 confirms that the census limit of a not closed class is outside L), "DISAGREE",
// "no_answer", "trivial" (L = 0, no solver run) or "census_unknown".
std::string agreement(const std::string& census, const json& r) {
    const std::string z = r.value("z3", "-"), q = r.value("qepcad", "-"), mem = r.value("membership", "-");
    if (z == "trivial") return census == "closed" ? "trivial" : "DISAGREE";
    if (mem == "in_L") return "DISAGREE";
    for (const std::string& s : {z, q})
        if (definite(s) && definite(census) && s != census) return "DISAGREE";
    if (!definite(census)) return "census_unknown";
    if (definite(z) || definite(q)) return "agree";
    return mem == "not_in_L" ? "limit_not_in_L" : "no_answer";
}

}  // namespace

int run_deep_crosscheck(const DeepCrossOptions& o) {
    const std::string z3 = census::find_on_path("z3"), qepcad = o.qepcad ? census::find_on_path("qepcad") : "";
    if (z3.empty()) {
        std::cerr << "closecert-crosscheck: z3 not found on PATH\n";
        return 2;
    }
    const std::string out_path = (fs::path(o.dir) / census::kDeepCrosscheckFile).string();
    std::vector<json> classes;
    for (const std::string& f : census::deep_census_files(o.dir))
        for (json& j : census::read_records(f, false))
            if (!o.depth || j.value("depth", std::size_t{0}) == o.depth) classes.push_back(std::move(j));
    std::map<std::string, json> done;
    if (!o.fresh)
        for (json& j : census::read_records(out_path, true)) {
            if (o.retry_timeouts && !definite(j.value("z3", "")) && j.value("z3", "") != "trivial") continue;
            std::string key = j["key"].get<std::string>();
            done[key] = std::move(j);
        }
    {
        // The file holds exactly the kept results before anything is appended.
        std::string text;
        for (const auto& [k, j] : done) text += j.dump() + "\n";
        io::write_file_atomically(out_path, text);
    }
    std::vector<const json*> todo;
    for (const json& c : classes)
        if (!done.count(c["key"].get<std::string>())) todo.push_back(&c);
    const fs::path work = o.keep.empty() ? fs::temp_directory_path() / ("closecert-crosscheck-deep-" + std::to_string(::getpid()))
                                         : fs::path(o.keep);
    fs::create_directories(work);
    std::cerr << "crosscheck --deep " << o.dir << ": " << classes.size() << " classes, " << classes.size() - todo.size()
              << " already in " << out_path << ", " << todo.size() << " to run (z3 " << z3 << ", " << o.timeout
              << " s per run, " << o.jobs << " in parallel" << (qepcad.empty() ? "" : ", with qepcad") << ")\n";

    std::ofstream out(out_path, std::ios::app | std::ios::binary);
    std::mutex mu;
    std::atomic<std::size_t> next{0}, finished{0};
    std::map<std::string, std::size_t> tally;
    const auto start = std::chrono::steady_clock::now();
    auto worker = [&] {
        for (std::size_t t; (t = next.fetch_add(1)) < todo.size();) {
            const json& c = *todo[t];
            const std::string key = c["key"].get<std::string>(), census_v = c.value("verdict", "unknown");
            const auto masks = census::masks_from_rows(c["masks"].get<std::vector<std::vector<std::string>>>());
            const std::string stem = census::file_stem(key);
            json r = {{"key", key}, {"census", census_v}, {"z3_timeout", o.timeout}};
            if (deep_cells(masks) == 0) {
                r["z3"] = "trivial";
            } else {
                const fs::path smt = work / (stem + ".smt2");
                io::write_file_atomically(smt.string(), deep_smt_negated_closedness(masks));
                const Outcome a = run_z3(z3, smt, o.timeout, "not_closed", "closed");
                r["z3"] = a.verdict;
                r["z3_seconds"] = rounded(a.seconds);
                if (!qepcad.empty()) {
                    const fs::path q = work / (stem + ".qepcad");
                    io::write_file_atomically(q.string(), deep_qepcad_input(masks));
                    const Outcome b = run_qepcad(qepcad, q, o.timeout);
                    r["qepcad"] = b.verdict;
                    r["qepcad_seconds"] = rounded(b.seconds);
                }
            }
            if (census_v == "not_closed" && c.contains("limit")) {
                std::vector<Entry> a;
                for (const json& e : c["limit"])
                    a.push_back({{e["row"].get<std::size_t>(), e["col"].get<std::size_t>()}, e["value"].get<std::string>()});
                const fs::path m = work / (stem + ".member.smt2");
                io::write_file_atomically(m.string(), deep_smt_membership(masks, a));
                const Outcome b = run_z3(z3, m, o.timeout, "in_L", "not_in_L");
                r["membership"] = b.verdict;
                r["membership_seconds"] = rounded(b.seconds);
            }
            r["agreement"] = agreement(census_v, r);
            std::lock_guard<std::mutex> lock(mu);
            out << r.dump() << "\n";
            out.flush();
            ++tally[r["agreement"].get<std::string>()];
            const std::size_t n = ++finished;
            if (r["agreement"] == "DISAGREE")
                std::cerr << "\n*** DISAGREE *** " << key << ": closecert " << census_v << ", z3 " << r.value("z3", "-")
                          << ", qepcad " << r.value("qepcad", "-") << ", limit membership " << r.value("membership", "-") << "\n";
            if (n % 50 == 0 || n == todo.size()) {
                const double el = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
                std::cerr << n << "/" << todo.size() << "  agree " << tally["agree"] << "  limit not in L "
                          << tally["limit_not_in_L"] << "  trivial " << tally["trivial"]
                          << "  no answer " << tally["no_answer"] << "  census unknown " << tally["census_unknown"]
                          << "  DISAGREE " << tally["DISAGREE"] << "  " << std::fixed << std::setprecision(0) << el << "s\n";
            }
        }
    };
    std::vector<std::thread> threads;
    for (unsigned k = 1; k < o.jobs && k < todo.size(); ++k) threads.emplace_back(worker);
    worker();
    for (auto& th : threads) th.join();
    out.close();
    census::write_sorted(out_path, census::read_records(out_path, false));
    if (o.keep.empty()) fs::remove_all(work);

    std::map<std::string, std::size_t> all;
    for (const json& j : census::read_records(out_path, false)) ++all[j.value("agreement", "-")];
    const census::DeepReportResult rep = census::write_deep_summary(o.dir);
    std::cout << "wrote " << out_path << ": agree " << all["agree"] << ", limit not in L " << all["limit_not_in_L"]
              << ", trivial (L = 0) " << all["trivial"] << ", no answer "
              << all["no_answer"] << ", census unknown " << all["census_unknown"] << ", DISAGREE " << all["DISAGREE"]
              << "; summary " << o.dir << "/summary.md (" << rep.classes << " classes)\n";
    return all["DISAGREE"] ? 1 : 0;
}

}  // namespace closecert::crosscheck
