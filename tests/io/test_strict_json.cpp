// The strict JSON reader: what a second reader could resolve differently is refused with its place.
#include <doctest/doctest.h>

#include <string>
#include <tuple>
#include <vector>
#include <sys/stat.h>

#include "io/architecture_file.hpp"
#include "io/atomic_file.hpp"
#include "io/errors.hpp"
#include "io/json_reader.hpp"
#include "io_test_support.hpp"

using namespace closecert;

namespace {

io::InputError error_of(const std::string& text) {
    try {
        io::parse_json_strict(text, "f.json");
    } catch (const io::InputError& e) {
        return e;
    }
    FAIL("no InputError for: " << text);
    return io::InputError("", "", "");
}

}  // namespace

TEST_CASE("strict JSON: the same document as nlohmann's parser when nothing is ambiguous") {
    const std::string text = R"({"a": [1, -2, 3.5, "x", null, true, {"b": {}}], "c": {"d": [[]]}, "e": 18446744073709551615})";
    CHECK(io::parse_json_strict(text, "f.json") == nlohmann::json::parse(text));
    CHECK(io::parse_json_strict("[]", "f.json") == nlohmann::json::array());
    CHECK(io::parse_json_strict("7", "f.json") == 7);
}

TEST_CASE("strict JSON: duplicate keys are refused at their path, at any depth") {
    auto e = error_of(R"({"claim": {"linear": "closed", "linear": "not_closed"}})");
    CHECK(e.place() == "claim.linear");
    CHECK(e.message() == "duplicate key \"linear\"");
    auto top = error_of(R"({"a": 1, "b": 2, "a": 1})");
    CHECK(top.place() == "a");
    auto deep = error_of(R"({"layers": [{"mask": ["1"]}, {"mask": ["1"], "bias": true, "mask": ["0"]}]})");
    CHECK(deep.place() == "layers[1].mask");
    // The same key in sibling objects is not a duplicate.
    CHECK_NOTHROW(io::parse_json_strict(R"([{"a": 1}, {"a": 2}, {"b": {"a": 3}}])", "f.json"));
}

TEST_CASE("strict JSON: numbers out of the range of a double are refused, not an internal error") {
    for (const std::string& n : {std::string("1e309"), std::string("-1e400"), std::string(400, '9')}) {
        CAPTURE(n);
        auto e = error_of(R"({"version": 1, "x": [0, )" + n + "]}");
        CHECK(e.message() == "number out of the range of a double");
        CHECK(e.place() == "x[1]");
    }
}

TEST_CASE("strict JSON: nesting deeper than the limit, malformed text") {
    std::string deep(io::kMaxJsonDepth + 1, '[');
    deep += std::string(io::kMaxJsonDepth + 1, ']');
    CHECK(error_of(deep).message().find("nested deeper") != std::string::npos);
    std::string ok(io::kMaxJsonDepth, '[');
    ok += std::string(io::kMaxJsonDepth, ']');
    CHECK_NOTHROW(io::parse_json_strict(ok, "f.json"));
    auto m = error_of("{\n  \"a\" 1\n}");
    CHECK(m.place() == "line 2 column 7");
    CHECK(m.message().rfind("malformed JSON (", 0) == 0);
    CHECK(error_of("{} {}").message().rfind("malformed JSON", 0) == 0);
}

TEST_CASE("error messages are one line: control characters in quoted input are escaped") {
    const io::InputError ctl("x\ny.json", "key\r\v", "bad \"a\nb\"");
    const std::string w = ctl.what();
    CHECK(w.find('\n') == std::string::npos);
    CHECK(w.find('\r') == std::string::npos);
    CHECK(w.find('\v') == std::string::npos);
    CHECK(w == "x\\ny.json: key\\r\\x0b: bad \"a\\nb\"");
}

TEST_CASE("readers refuse FIFOs and directories at once, and read standard input for -") {
    test::TempDir dir;
    const std::string fifo = dir.file("pipe.json");
    REQUIRE(::mkfifo(fifo.c_str(), 0600) == 0);
    try {
        io::read_architecture(fifo);  // would block forever if it opened the FIFO for a blocking read
        FAIL("no error");
    } catch (const io::InputError& e) {
        CHECK(e.message() == "is a FIFO, not a regular file");
    }
    try {
        io::read_text_file(dir.path(), 100);
        FAIL("no error");
    } catch (const io::InputError& e) {
        CHECK(e.message() == "is a directory, not a regular file");
    }
    const std::string big = dir.file("big.json");
    test::write_bytes(big, std::string(200, ' '));
    try {
        io::read_text_file(big, 100);
        FAIL("no error");
    } catch (const io::InputError& e) {
        CHECK(e.message().find("200 bytes, over the limit of 100") != std::string::npos);
    }
}

TEST_CASE("mask forms: 0/1 lists and the full form read as the same masks as strings") {
    using nlohmann::json;
    const json strings = json::parse(R"({"format": "closecert-architecture", "version": 1, "input_dim": 2,
        "layers": [{"mask": ["11", "01"]}, {"mask": ["11", "11"]}]})");
    json lists = strings;
    lists["layers"][0]["mask"] = json::parse("[[1, 1], [false, true]]");
    lists["layers"][1]["mask"] = json::parse(R"({"shape": [2, 2], "full": true})");
    const auto a = io::architecture_from_json(strings, "s.json", "."), b = io::architecture_from_json(lists, "l.json", ".");
    CHECK(a.layers[0].mask == b.layers[0].mask);
    CHECK(a.layers[1].mask == b.layers[1].mask);
    for (const auto& [mask, place, fragment] : std::vector<std::tuple<std::string, std::string, std::string>>{
             {"[[1, 2], [0, 1]]", "layers[0].mask[0][1]", "expected 0, 1, true or false, found 2"},
             {"[[1, 1.0], [0, 1]]", "layers[0].mask[0][1]", "found 1.0"},
             {"[[1], [0, 1]]", "layers[0].mask[0]", "has 1 entries, expected 2"},
             {R"({"shape": [2, 2], "full": false})", "layers[0].mask.full", "expected true"},
             {R"({"shape": [2, 2], "full": true, "ones": []})", "layers[0].mask", "both"}}) {
        CAPTURE(mask);
        json bad = strings;
        bad["layers"][0]["mask"] = json::parse(mask);
        try {
            io::architecture_from_json(bad, "b.json", ".");
            FAIL("no error");
        } catch (const io::InputError& e) {
            CHECK(e.place() == place);
            CHECK(e.message().find(fragment) != std::string::npos);
        }
    }
    // Large all-ones masks are written in the full form and read back unchanged.
    arch::Architecture big;
    big.input_dim = 300;
    big.layers.push_back(arch::Layer{arch::Mask(300, 300), true});
    for (std::size_t i = 0; i < 300; ++i)
        for (std::size_t j = 0; j < 300; ++j) big.layers[0].mask.set(i, j);
    const std::string text = io::architecture_to_text(big);
    CHECK(text.size() < 400);
    CHECK(text.find("\"full\":true") != std::string::npos);
    CHECK(io::architecture_from_json(io::parse_json_strict(text, "t"), "t", ".").layers[0].mask == big.layers[0].mask);
}
