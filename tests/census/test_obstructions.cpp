// Windows, minimality and the JSONL reader, without the engine.
#include <doctest/doctest.h>

#include <cstdio>
#include <filesystem>
#include <fstream>

#include "census/obstructions.hpp"
#include "census/records.hpp"

using namespace closecert;
namespace fs = std::filesystem;

namespace {
// The LU pattern of THEORY.md: S_1 = {0,1} x {0,1}, S_2 = {1} x {1}.
arch::Pattern lu() { return arch::Pattern{2, 2, {{{0, 1}, {0, 1}}, {{1}, {1}}}}; }
}  // namespace

TEST_CASE("maximal windows drop one row or one column") {
    const auto ws = census::maximal_windows(lu());
    REQUIRE(ws.size() == 4);
    for (const auto& w : ws) {
        CHECK(w.terms.size() == 2);
        CHECK(w.m * w.n == 2);
    }
    // Dropping row 0 leaves row 1 with both terms: {0}x{0,1} and {0}x{1}.
    CHECK(ws[0].terms[0] == arch::Rect{{0}, {0, 1}});
    CHECK(ws[0].terms[1] == arch::Rect{{0}, {1}});
    CHECK(census::maximal_windows(arch::Pattern{1, 1, {{{0}, {0}}}}).empty());
}

TEST_CASE("minimality from window verdicts") {
    using engine::Verdict;
    CHECK(census::minimality(lu(), [](const arch::Pattern&) { return Verdict::closed; }) == census::Minimality::minimal);
    CHECK(census::minimality(lu(), [](const arch::Pattern& w) { return w.m == 1 ? Verdict::unknown : Verdict::closed; }) ==
          census::Minimality::undetermined);
    CHECK(census::minimality(lu(), [](const arch::Pattern& w) { return w.m == 1 ? Verdict::not_closed : Verdict::unknown; }) ==
          census::Minimality::not_minimal);
    CHECK(census::empty_terms(arch::Pattern{2, 2, {{{0}, {}}, {{}, {}}, {{1}, {1}}}}) == 2);
}

TEST_CASE("the JSONL reader drops a truncated last line and repairs the file") {
    const fs::path p = fs::temp_directory_path() / ("census-read-" + std::to_string(::getpid()) + ".jsonl");
    {
        std::ofstream out(p, std::ios::binary);
        out << R"({"key":"a","verdict":"closed","verified":true})" << "\n"
            << R"({"key":"b","verdict":"not_closed","verified":false})" << "\n"
            << R"({"key":"c","verdict":"unknown","verif)";
    }
    const auto recs = census::read_records(p.string(), true);
    REQUIRE(recs.size() == 2);
    CHECK(fs::file_size(p) == recs[0].dump().size() + recs[1].dump().size() + 2);
    const census::Summary s = census::summarize(recs);
    CHECK(s.patterns == 2);
    CHECK(s.closed == 1);
    CHECK(s.not_closed == 1);
    CHECK(s.verify_failures == 1);
    {
        std::ofstream out(p, std::ios::binary | std::ios::app);
        out << "not json\n";
    }
    CHECK_THROWS(census::read_records(p.string(), false));
    fs::remove(p);
    CHECK(census::read_records(p.string(), false).empty());
    CHECK(census::file_stem("2x2:3.3,2.2") == "2x2_3.3_2.2");
}
