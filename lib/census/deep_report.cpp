#include "census/deep_report.hpp"

#include <filesystem>
#include <iomanip>
#include <map>
#include <sstream>

#include <nlohmann/json.hpp>

#include "census/checker.hpp"
#include "census/deep_run.hpp"
#include "census/records.hpp"
#include "io/atomic_file.hpp"

namespace closecert::census {

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

struct Row {
    std::string label;  // "1-2-2-1"
    std::size_t depth = 0;
    std::size_t classes = 0, closed = 0, not_closed = 0, unknown = 0, failures = 0;
    std::size_t agree = 0, limit_only = 0, disagree = 0, no_answer = 0, trivial = 0, not_checked = 0, z3_only = 0;
    double seconds = 0.0, verify_seconds = 0.0;
    void add(const Row& o) {
        classes += o.classes, closed += o.closed, not_closed += o.not_closed, unknown += o.unknown, failures += o.failures;
        agree += o.agree, limit_only += o.limit_only, disagree += o.disagree, no_answer += o.no_answer, trivial += o.trivial;
        not_checked += o.not_checked, z3_only += o.z3_only, seconds += o.seconds, verify_seconds += o.verify_seconds;
    }
};

bool definite(const std::string& v) { return v == "closed" || v == "not_closed"; }

std::string masks_text(const json& rec) {
    std::string s;
    for (const json& layer : rec["masks"]) {
        s += s.empty() ? "[" : " [";
        std::string rows;
        for (const json& r : layer) rows += (rows.empty() ? "" : " ") + r.get<std::string>();
        s += rows + "]";
    }
    return s;
}

std::string secs(double s, int digits = 1) {
    std::ostringstream os;
    os << std::fixed << std::setprecision(digits) << s;
    return os.str();
}

std::string md_escape(std::string s) {
    std::string out;
    for (char c : s) out += c == '|' ? std::string("\\|") : c == '\n' ? std::string(" ") : std::string(1, c);
    return out;
}

std::string row_md(const Row& r, const std::string& first) {
    std::ostringstream os;
    os << "| " << first << " | " << r.classes << " | " << r.closed << " | " << r.not_closed << " | " << r.unknown << " | "
       << r.failures << " | " << r.agree << " | " << r.limit_only << " | " << r.disagree << " | " << r.no_answer << " | "
       << r.trivial << " | "
       << secs(r.seconds) << " |\n";
    return os.str();
}

}  // namespace

DeepReportResult write_deep_summary(const std::string& dir) {
    std::map<std::string, json> cross;
    const std::string cross_path = (fs::path(dir) / kDeepCrosscheckFile).string();
    for (json& j : read_records(cross_path, false)) {
        std::string key = j["key"].get<std::string>();
        cross[key] = std::move(j);
    }
    std::vector<Row> rows;
    std::vector<json> unknowns, not_closed, disagreements, failures, z3_only;
    std::map<std::size_t, std::map<std::string, std::size_t>> rules;  // depth -> "verdict, rule" -> count
    std::map<std::size_t, std::pair<double, double>> z3_time;         // depth -> (answered seconds, all seconds)
    for (const std::string& path : deep_census_files(dir)) {
        std::map<std::string, json> last;
        for (json& j : read_records(path, false)) {
            std::string key = j["key"].get<std::string>();
            last[key] = std::move(j);
        }
        if (last.empty()) continue;
        Row r;
        r.label = widths_label(last.begin()->second["widths"].get<Widths>());
        r.depth = last.begin()->second.value("depth", std::size_t{0});
        for (auto& [key, rec] : last) {
            ++r.classes;
            const std::string v = rec.value("verdict", "unknown");
            (v == "closed" ? r.closed : v == "not_closed" ? r.not_closed : r.unknown)++;
            r.seconds += rec.value("seconds", 0.0);
            r.verify_seconds += rec.value("verify_seconds", 0.0);
            ++rules[r.depth][v + ", " + (rec.value("rule", "").empty() ? "-" : rec.value("rule", ""))];
            if (definite(v) && !rec.value("verified", false)) ++r.failures, failures.push_back(rec);
            if (v == "unknown") unknowns.push_back(rec);
            if (v == "not_closed") not_closed.push_back(rec);
            auto it = cross.find(key);
            if (it == cross.end()) {
                ++r.not_checked;
                continue;
            }
            const json& c = it->second;
            const std::string z = c.value("z3", "-"), q = c.value("qepcad", "-"), mem = c.value("membership", "-");
            z3_time[r.depth].second += c.value("z3_seconds", 0.0);
            if (definite(z)) z3_time[r.depth].first += c.value("z3_seconds", 0.0);
            json both = rec;
            both["z3"] = z;
            both["membership"] = mem;
            // L = {0} (no path from an input to an output) is closed without asking a solver.
            const std::string zv = z == "trivial" ? "closed" : z;
            const bool answered = definite(zv) || definite(q);
            if (z == "trivial" && v == "closed") ++r.trivial;
            else if (mem == "in_L" || (definite(v) && ((definite(zv) && zv != v) || (definite(q) && q != v))))
                ++r.disagree, disagreements.push_back(both);
            else if (answered && definite(v)) ++r.agree;
            else if (answered) ++r.z3_only, z3_only.push_back(both);
            else if (mem == "not_in_L") ++r.limit_only;
            else ++r.no_answer;
        }
        rows.push_back(r);
    }

    std::ostringstream md;
    md << "# Deep census: three layers with widths <= 3, four layers of width 2\n\n"
       << "Every architecture with the given widths N0-N1-...-NL (all masks, empty entries and zero rows or "
          "columns allowed), one class per orbit under permutations of the units of every layer and "
          "transposition (layer order reversed, masks transposed; widths are listed in the smaller "
          "orientation). Every class was decided by the engine (`closecert census-deep`, 20 s per class, 10 s for the tuples with a width 3) "
          "and every closed / not closed certificate was re-checked by `closecert-verify CERT ARCH` with the "
          "class's architecture file. The z3 columns come from `closecert-crosscheck --deep` (z3 `nlqsat` on "
          "the negated closedness sentence, and `qfnra-nlsat` on the membership of each not-closed limit in "
          "L). See docs/census.md, section \"Deep census\".\n\n"
       << "Regenerate with:\n\n"
       << "    build/tools/closecert/closecert census-deep --depth 3 --max-width 3 --data-dir data/census/deep\n"
       << "    build/tools/closecert/closecert census-deep --depth 4 --min-width 2 --max-width 2 --data-dir data/census/deep\n"
       << "    build/tools/crosscheck/closecert-crosscheck --deep data/census/deep --timeout 5\n\n"
       << "![verdicts per widths](summary.svg)\n\n"
       << "Cross-check columns: *z3 agrees*: z3 answered the closedness sentence as closecert did; *limit not in L*: "
          "a not closed class whose sentence z3 did not answer within the limit, but whose census limit A z3 proved "
          "outside L (the other half, A in the closure, is the checker's exact check of the family); *no answer*: "
          "z3 timed out or said unknown; *L = 0*: no input is joined to an output, so L = {0} is closed and no solver "
          "is run.\n\n"
       << "| widths | classes | closed | not closed | unknown | verification failures | z3 agrees | limit not in L | "
          "z3 disagrees | z3 no answer | L = 0 | engine seconds |\n"
       << "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n";
    DeepReportResult res;
    std::map<std::size_t, Row> per_depth;
    Row total;
    for (const Row& r : rows) {
        md << row_md(r, "L" + std::to_string(r.depth) + " " + r.label);
        per_depth[r.depth].add(r);
        total.add(r);
    }
    for (const auto& [d, r] : per_depth) md << row_md(r, "**all L" + std::to_string(d) + "**");
    md << row_md(total, "**all**") << "\n";
    md << "Verification failures: " << total.failures << ". z3 disagreements: " << total.disagree << ". ";
    if (total.not_checked) md << total.not_checked << " classes were not cross-checked. ";
    if (total.z3_only) md << total.z3_only << " classes are unknown to closecert but answered by z3 (listed below). ";
    md << "Engine time " << secs(total.seconds) << " s, checker time " << secs(total.verify_seconds) << " s (sums over classes).";
    for (const auto& [d, t] : z3_time)
        md << " z3 on L" << d << ": " << secs(t.second) << " s in all, " << secs(t.first) << " s on the answered classes.";
    md << "\n\n## Rules at the root of the proofs\n\n| depth | verdict, rule | classes |\n|---|---|---:|\n";
    for (const auto& [d, m] : rules)
        for (const auto& [k, n] : m) md << "| " << d << " | " << k << " | " << n << " |\n";
    auto list = [&](const std::string& title, const std::vector<json>& recs, bool details) {
        md << "\n## " << title << " (" << recs.size() << ")\n\n";
        if (recs.empty()) md << "None.\n";
        md << (recs.empty() ? "" : "Masks of layers 1..L, each as its rows (a row = one unit of the layer, a column = one unit of the layer below).\n\n");
        // Long lists are cut: every class is in the census files, where its record has the details.
        constexpr std::size_t kListed = 60;
        for (std::size_t k = 0; k < recs.size(); ++k) {
            const json& r = recs[k];
            if (k == kListed) {
                md << "- ... and " << recs.size() - kListed << " more (the census_*.jsonl files list them all)\n";
                break;
            }
            md << "- `" << r["key"].get<std::string>() << "`: " << masks_text(r);
            if (r.contains("z3")) md << "; z3 " << r["z3"].get<std::string>() << ", limit membership " << r["membership"].get<std::string>();
            if (details && r.value("verdict", "") == "not_closed")
                md << "; rule " << r.value("rule", "") << ", witness window " << r.value("witness_window", json()).dump()
                   << ", limit " << r.value("limit", json()).dump();
            if (details && r.value("verdict", "") == "unknown")
                md << "; " << md_escape(r.value("reason", "")) << (r.value("stuck", "").empty() ? "" : " (stuck: " + md_escape(r.value("stuck", "")) + ")");
            if (r.contains("verify_error")) md << "; " << md_escape(r["verify_error"].get<std::string>().substr(0, 300));
            md << "\n";
        }
    };
    list("Unknown classes", unknowns, true);
    list("Not closed classes", not_closed, true);
    list("Verification failures", failures, true);
    list("Disagreements with z3", disagreements, true);
    if (!z3_only.empty()) list("Unknown to closecert, answered by z3", z3_only, false);
    io::write_file_atomically((fs::path(dir) / "summary.md").string(), md.str());

    std::ostringstream dat;
    // A log scale has no 0: none is written as 0.5, below the plotted range (bars of height 0).
    dat << "# widths closed not_closed unknown (class counts; 0.5 means none)\n";
    auto cell = [](std::size_t n) { return n ? std::to_string(n) : std::string("0.5"); };
    for (const Row& r : rows)
        dat << "\"L" << r.depth << " " << r.label << "\" " << cell(r.closed) << " " << cell(r.not_closed) << " " << cell(r.unknown)
            << "\n";
    io::write_file_atomically((fs::path(dir) / "summary.dat").string(), dat.str());
    io::write_file_atomically((fs::path(dir) / "summary.gp").string(),
        "# Regenerated by closecert census-deep; run in this directory: gnuplot summary.gp\n"
        "set terminal svg size 960,520 dynamic font 'sans,11' background rgb 'white'\n"
        "set output 'summary.svg'\n"
        "set title 'closecert deep census: verdicts per widths N0-...-NL (classes up to symmetry)'\n"
        "set style data histograms\n"
        "set style histogram clustered gap 1\n"
        "set style fill solid 0.85 border rgb 'black'\n"
        "set boxwidth 0.9\n"
        "set logscale y\n"
        "set yrange [0.8:*]\n"
        "set ylabel 'classes (log scale)'\n"
        "set xtics rotate by -45 nomirror\n"
        "set key outside right top\n"
        "set grid ytics\n"
        "plot 'summary.dat' using 2:xtic(1) title 'closed' lc rgb '#1b9e77', \\\n"
        "     '' using 3 title 'not closed' lc rgb '#d95f02', \\\n"
        "     '' using 4 title 'unknown' lc rgb '#9e9e9e'\n");
    const std::string gnuplot = find_on_path("gnuplot");
    if (gnuplot.empty()) {
        res.plot_problem = "gnuplot not found on PATH";
    } else {
        std::string quoted;
        for (char c : fs::absolute(dir).string()) quoted += c == '\'' ? std::string("''") : std::string(1, c);
        const ProcessRun run = run_process({gnuplot, "-e", "cd '" + quoted + "'; load 'summary.gp'"},
                                           (fs::path(dir) / ".gnuplot.log").string(), 60.0);
        res.plot_written = run.exit_code == 0;
        if (!res.plot_written) res.plot_problem = "gnuplot failed: " + run.output;
    }
    res.classes = total.classes, res.closed = total.closed, res.not_closed = total.not_closed, res.unknown = total.unknown;
    res.verify_failures = total.failures, res.agree = total.agree, res.limit_not_in_l = total.limit_only;
    res.disagree = total.disagree, res.trivial = total.trivial;
    res.no_answer = total.no_answer, res.not_checked = total.not_checked;
    return res;
}

}  // namespace closecert::census
