// End-to-end census runs with the engine and the real checker (CLOSECERT_VERIFY, set by meson).
#include <doctest/doctest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include <unistd.h>

#include "arch/canonical.hpp"
#include "census/checker.hpp"
#include "census_test_support.hpp"
#include "census/run.hpp"

using namespace closecert;
using closecert::test::checker_path;
using closecert::test::TempDir;
namespace fs = std::filesystem;
using nlohmann::json;

namespace {

census::RunOptions options(std::size_t m, std::size_t n, std::size_t r, const fs::path& out) {
    census::RunOptions o;
    o.m = m;
    o.n = n;
    o.r = r;
    o.jobs = 2;
    o.out_path = out.string();
    o.timeout_seconds = 20;
    o.checker = checker_path();
    o.progress = census::Progress::none;
    return o;
}

std::map<std::string, std::string> verdicts(const std::string& path) {
    std::map<std::string, std::string> v;
    for (const json& j : census::read_records(path, false)) v[j["key"]] = j["verdict"];
    return v;
}

std::string slurp(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::ostringstream os;
    os << in.rdbuf();
    return os.str();
}

}  // namespace

TEST_CASE("the checker binary is available") {
    const std::string c = checker_path();
    REQUIRE_MESSAGE(!c.empty(), "set CLOSECERT_VERIFY to closecert-verify");
    CHECK(::access(c.c_str(), X_OK) == 0);
}

TEST_CASE("census 2x2x2: every definite verdict is confirmed by closecert-verify") {
    TempDir tmp;
    const fs::path out = tmp.path / "c.jsonl";
    const census::RunResult rr = census::run_census(options(2, 2, 2, out));
    CHECK(rr.resumed == 0);
    CHECK(rr.summary.verify_failures == 0);
    CHECK(rr.summary.patterns == rr.summary.closed + rr.summary.not_closed + rr.summary.unknown);
    const auto recs = census::read_records(out.string(), false);
    CHECK(recs.size() == rr.summary.patterns);
    for (const json& j : recs) {
        CAPTURE(j.dump());
        if (j["verdict"] != "unknown") CHECK(j["verified"] == true);
        if (j["verdict"] == "not_closed") CHECK(j.contains("witness_window"));
        if (j["verdict"] == "unknown") CHECK(j.contains("reason"));
    }
    // Soundness spot checks from THEORY.md: LU is not closed, a single full rectangle is closed.
    const auto v = verdicts(out.string());
    const std::string lu = arch::canonical_key(arch::Pattern{2, 2, {{{0, 1}, {0, 1}}, {{1}, {1}}}});
    const std::string one = arch::canonical_key(arch::Pattern{2, 2, {{{0, 1}, {0, 1}}, {{}, {}}}});
    REQUIRE(v.count(lu));
    REQUIRE(v.count(one));
    CHECK(v.at(lu) != "closed");
    CHECK(v.at(one) != "not_closed");
}

TEST_CASE("a truncated census resumes to the same result") {
    TempDir tmp;
    const fs::path out = tmp.path / "c.jsonl";
    const census::RunResult first = census::run_census(options(1, 2, 3, out));
    REQUIRE(first.summary.patterns > 3);
    const std::string full = slurp(out);
    const auto before = verdicts(out.string());
    // Cut in the middle of the third line: two whole lines survive plus a fragment.
    std::size_t cut = 0;
    for (int i = 0; i < 2; ++i) cut = full.find('\n', cut) + 1;
    fs::resize_file(out, cut + 5);
    const census::RunResult second = census::run_census(options(1, 2, 3, out));
    CHECK(second.resumed == 2);
    CHECK(second.decided == first.summary.patterns - 2);
    CHECK(verdicts(out.string()) == before);
    CHECK(second.summary.patterns == first.summary.patterns);
    // A complete file is left sorted, so reruns give the same lines (times aside).
    const census::RunResult third = census::run_census(options(1, 2, 3, out));
    CHECK(third.decided == 0);
    CHECK(verdicts(out.string()) == before);
}

TEST_CASE("unknown records are decided again with --retry-unknown, each key kept once") {
    TempDir tmp;
    const fs::path out = tmp.path / "c.jsonl";
    census::RunOptions hurried = options(2, 2, 2, out);
    hurried.timeout_seconds = 1e-9;  // every pattern runs out of time
    const census::RunResult first = census::run_census(hurried);
    REQUIRE(first.summary.patterns > 3);
    // Every pattern but the dense one (closed by dense_ends before any search) runs out of time.
    CHECK(first.summary.unknown == first.summary.patterns - 1);
    census::RunOptions again = options(2, 2, 2, out);
    CHECK(census::run_census(again).decided == 0);  // plain resume keeps the unknown records
    again.retry_unknown = true;
    const census::RunResult second = census::run_census(again);
    CHECK(second.retried == first.summary.unknown);
    CHECK(second.decided == first.summary.unknown);
    CHECK(second.summary.unknown == 0);
    CHECK(second.summary.patterns == first.summary.patterns);
    CHECK(census::read_records(out.string(), false).size() == first.summary.patterns);
    // Nothing is unknown any more, so a second retry has nothing to do.
    CHECK(census::run_census(again).decided == 0);
}

TEST_CASE("a file of another size is refused") {
    TempDir tmp;
    const fs::path out = tmp.path / "c.jsonl";
    census::run_census(options(1, 1, 1, out));
    CHECK_THROWS(census::run_census(options(1, 1, 2, out)));
}

TEST_CASE("census verification passes the pattern's architecture to the checker") {
    // A checker wrapper that refuses to run without the ARCH argument and checks that it is a file.
    TempDir tmp;
    const fs::path wrapper = tmp.path / "verify-with-arch.sh";
    {
        std::ofstream w(wrapper);
        w << "#!/bin/sh\n[ $# -eq 2 ] && [ -f \"$2\" ] || { echo \"called without an architecture\"; exit 1; }\nexec '"
          << checker_path() << "' \"$@\"\n";
    }
    fs::permissions(wrapper, fs::perms::owner_all);
    census::RunOptions o = options(2, 2, 2, tmp.path / "c.jsonl");
    o.checker = wrapper.string();
    const census::RunResult rr = census::run_census(o);
    CHECK(rr.summary.closed + rr.summary.not_closed > 0);
    CHECK(rr.summary.verify_failures == 0);
}
