// closecert-crosscheck: runs QEPCAD B and z3 (when installed) on the closedness question of small
// patterns and compares with the census verdicts. They are development references, not dependencies.
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iomanip>
#include <iostream>
#include <map>
#include <sstream>

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include "arch/canonical.hpp"
#include "census/checker.hpp"
#include "census/enumerate.hpp"
#include "census/obstructions.hpp"
#include "census/records.hpp"
#include "deep.hpp"
#include "formulas.hpp"
#include "io/atomic_file.hpp"

using namespace closecert;
namespace fs = std::filesystem;
using nlohmann::json;

namespace {

struct Outcome {
    std::string verdict = "-";  // closed, not_closed, in_L, not_in_L, timeout, error, absent, -
    double seconds = 0.0;
};

std::string fmt(const Outcome& o) {
    if (o.verdict == "-" || o.verdict == "absent") return o.verdict;
    std::ostringstream os;
    os << o.verdict << " (" << std::fixed << std::setprecision(2) << o.seconds << " s)";
    return os.str();
}

Outcome run_qepcad(const std::string& exe, const fs::path& input, double timeout) {
    Outcome o;
    if (exe.empty()) return {"absent", 0};
    const auto run = census::run_process({exe, "+N50000000"}, input.string() + ".log", timeout, input.string());
    o.seconds = run.seconds;
    const auto at = run.output.find("An equivalent quantifier-free formula:");
    if (run.timed_out) o.verdict = "timeout";
    else if (at == std::string::npos) o.verdict = "error";
    else {
        std::istringstream is(run.output.substr(at));
        std::string line, answer;
        std::getline(is, line);
        while (std::getline(is, line) && answer.empty())
            if (line.find_first_not_of(' ') != std::string::npos) answer = line;
        o.verdict = answer == "TRUE" ? "closed" : answer == "FALSE" ? "not_closed" : "error";
    }
    return o;
}

Outcome run_z3(const std::string& exe, const fs::path& input, double timeout, const char* on_sat, const char* on_unsat) {
    Outcome o;
    if (exe.empty()) return {"absent", 0};
    const auto run = census::run_process({exe, "-T:" + std::to_string(static_cast<int>(timeout + 0.5)), input.string()},
                                         input.string() + ".log", timeout + 5.0);
    o.seconds = run.seconds;
    const std::string first = run.output.substr(0, run.output.find('\n'));
    if (run.timed_out || first == "timeout") o.verdict = "timeout";
    else if (first == "sat") o.verdict = on_sat;
    else if (first == "unsat") o.verdict = on_unsat;
    else if (first == "unknown") o.verdict = "unknown";
    else o.verdict = "error";
    return o;
}

bool definite(const std::string& v) { return v == "closed" || v == "not_closed"; }

std::map<std::string, json> load_census(const fs::path& dir) {
    std::map<std::string, json> by_key;
    if (!fs::is_directory(dir)) return by_key;
    for (const auto& e : fs::directory_iterator(dir))
        if (e.path().extension() == ".jsonl" && e.path().filename().string().rfind("census_", 0) == 0)
            for (json& j : census::read_records(e.path().string(), false)) {
                std::string key = j["key"].get<std::string>();
                by_key[key] = std::move(j);
            }
    return by_key;
}

}  // namespace

int main(int argc, char** argv) {
    CLI::App app{"closecert-crosscheck: QEPCAD B and z3 against the census on small patterns"};
    std::string census_dir = "data/census", out = "data/census/crosscheck.md", keep;
    double timeout = 10.0;
    std::size_t extra = 2;
    app.add_option("--census-dir", census_dir, "census results (census_*.jsonl)")->capture_default_str();
    app.add_option("--out", out, "Markdown report")->capture_default_str();
    app.add_option("--timeout", timeout, "seconds per solver run")->capture_default_str();
    app.add_option("--extra", extra, "closed and not closed 2x3x2 patterns added to the 2x2 sample")->capture_default_str();
    app.add_option("--keep", keep, "directory to keep the generated solver inputs in");
    crosscheck::DeepCrossOptions deep;
    app.add_option("--deep", deep.dir, "a deep census directory (data/census/deep): check its classes instead");
    app.add_option("--jobs", deep.jobs, "with --deep: solver runs in parallel")->capture_default_str()->check(CLI::Range(1, 64));
    app.add_option("--depth", deep.depth, "with --deep: only classes of this depth (default all)");
    app.add_flag("--qepcad", deep.qepcad, "with --deep: also run QEPCAD B");
    app.add_flag("--fresh", deep.fresh, "with --deep: discard earlier results instead of resuming");
    app.add_flag("--retry-timeouts", deep.retry_timeouts, "with --deep: run again the classes z3 did not answer");
    CLI11_PARSE(app, argc, argv);
    if (!deep.dir.empty()) {
        deep.timeout = timeout;
        deep.keep = keep;
        return crosscheck::run_deep_crosscheck(deep);
    }

    const std::string qepcad = census::find_on_path("qepcad"), z3 = census::find_on_path("z3");
    const auto records = load_census(census_dir);
    fs::path work = keep.empty() ? fs::temp_directory_path() / ("closecert-crosscheck-" + std::to_string(::getpid())) : fs::path(keep);
    fs::create_directories(work);

    // Sample: 1x1x1 and all 2x2 patterns with r <= 2, without empty terms (an empty term does not
    // change L, so such a pattern repeats one with fewer terms), plus a few 2x3x2.
    std::vector<arch::CanonicalForm> sample;
    for (auto [m, n, r] : {std::tuple{1, 1, 1}, {2, 2, 1}, {2, 2, 2}})
        for (auto& cf : census::enumerate_patterns(m, n, r))
            if (census::empty_terms(cf.pattern) == 0) sample.push_back(cf);
    std::map<std::string, std::size_t> taken;
    for (auto& cf : census::enumerate_patterns(2, 3, 2)) {
        auto it = records.find(cf.key);
        if (census::empty_terms(cf.pattern) || it == records.end()) continue;
        const std::string v = it->second.value("verdict", "");
        if (definite(v) && taken[v] < extra) ++taken[v], sample.push_back(cf);
    }

    std::ostringstream md;
    md << "# Cross-check against generic real-algebraic solvers\n\n"
       << "Generated by `build/tools/crosscheck/closecert-crosscheck` (see docs/census.md). For each pattern: the "
          "census verdict of closecert (certificate checked by closecert-verify), QEPCAD B on the closedness "
          "sentence of THEORY.md section 2 (prenex form, `qepcad +N50000000`), z3 `nlqsat` on the negated "
          "sentence, and for not closed patterns z3 `qfnra-nlsat` on the membership of the census witness "
          "A in L (expected: not in L). Time limit "
       << timeout << " s per run. qepcad: " << (qepcad.empty() ? "not installed" : qepcad)
       << "; z3: " << (z3.empty() ? "not installed" : z3) << ".\n\n"
       << "| pattern | key | closecert | qepcad | z3 nlqsat | z3 witness membership | agreement |\n"
       << "|---|---|---|---|---|---|---|\n";
    std::size_t disagreements = 0;
    std::map<std::string, std::pair<std::size_t, double>> solved;  // tool -> (definite answers, time)
    for (const auto& cf : sample) {
        const std::string stem = census::file_stem(cf.key);
        std::string ours = "-";
        const json* rec = nullptr;
        if (auto it = records.find(cf.key); it != records.end()) rec = &it->second, ours = rec->value("verdict", "-");
        Outcome q, zc, zm;
        const std::string qin = crosscheck::qepcad_input(cf.pattern);
        if (!qin.empty()) {
            io::write_file_atomically((work / (stem + ".qepcad")).string(), qin);
            q = run_qepcad(qepcad, work / (stem + ".qepcad"), timeout);
            io::write_file_atomically((work / (stem + ".smt2")).string(), crosscheck::smt_negated_closedness(cf.pattern));
            zc = run_z3(z3, work / (stem + ".smt2"), timeout, "not_closed", "closed");
        }
        if (rec && ours == "not_closed" && rec->contains("limit")) {
            std::vector<crosscheck::Entry> a;
            for (const json& e : (*rec)["limit"])
                a.push_back({{e["row"].get<std::size_t>(), e["col"].get<std::size_t>()}, e["value"].get<std::string>()});
            io::write_file_atomically((work / (stem + ".member.smt2")).string(), crosscheck::smt_membership(cf.pattern, a));
            zm = run_z3(z3, work / (stem + ".member.smt2"), timeout, "in_L", "not_in_L");
        }
        std::string agree = "yes";
        for (const Outcome* o : {&q, &zc})
            if (definite(o->verdict) && definite(ours) && o->verdict != ours) agree = "**DISAGREE**";
        if (zm.verdict == "in_L") agree = "**DISAGREE** (witness in L)";
        if (!definite(ours)) agree = "closecert " + ours;
        else if (agree == "yes" && !definite(q.verdict) && !definite(zc.verdict) && zm.verdict != "not_in_L") agree = "(no solver answer)";
        if (agree.find("DISAGREE") != std::string::npos) ++disagreements;
        for (auto [tool, o] : {std::pair{"qepcad", &q}, {"z3 nlqsat", &zc}})
            if (definite(o->verdict)) ++solved[tool].first, solved[tool].second += o->seconds;
        md << "| `" << arch::to_string(cf.pattern) << "` | `" << cf.key << "` | " << ours
           << (rec ? " (" + rec->value("rule", "") + ", " + std::to_string(rec->value("seconds", 0.0)).substr(0, 6) + " s)" : "")
           << " | " << (qin.empty() ? "trivial (L = 0)" : fmt(q)) << " | " << (qin.empty() ? "trivial" : fmt(zc)) << " | "
           << fmt(zm) << " | " << agree << " |\n";
        std::cerr << cf.key << ": closecert " << ours << ", qepcad " << fmt(q) << ", z3 " << fmt(zc) << ", member " << fmt(zm)
                  << "\n";
    }
    md << "\n" << sample.size() << " patterns, " << disagreements << " disagreements. Definite answers: ";
    for (auto tool : {"qepcad", "z3 nlqsat"})
        md << tool << " " << solved[tool].first << " (" << std::fixed << std::setprecision(1) << solved[tool].second << " s); ";
    md << "closecert decides every pattern of the census (see summary.md).\n";
    io::write_file_atomically(out, md.str());
    if (keep.empty()) fs::remove_all(work);
    std::cout << "wrote " << out << ": " << sample.size() << " patterns, " << disagreements << " disagreements\n";
    return disagreements ? 1 : 0;
}
