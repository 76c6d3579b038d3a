#include <doctest/doctest.h>

#include <cstdlib>
#include <filesystem>

#include "io/architecture_file.hpp"
#include "io/errors.hpp"
#include "io_test_support.hpp"

using namespace closecert;
using nlohmann::json;

namespace {

json lu2_json() {
    return json::parse(R"({"format": "closecert-architecture", "version": 1, "name": "lu2", "input_dim": 2,
        "layers": [{"mask": ["11", "01"], "bias": true}, {"mask": ["10", "11"], "bias": true}]})");
}

// Parses text from a file and returns the InputError; fails the test if none is thrown.
io::InputError error_of_text(const test::TempDir& dir, const std::string& text, const std::string& name = "x.json") {
    const auto path = dir.file(name);
    test::write_bytes(path, text);
    try {
        io::read_architecture(path);
    } catch (const io::InputError& e) {
        return e;
    }
    FAIL("no InputError for: " << text);
    return io::InputError("", "", "");
}

io::InputError error_of(const json& j) {
    try {
        io::architecture_from_json(j, "data/x.json", ".");
    } catch (const io::InputError& e) {
        return e;
    }
    FAIL("no InputError for: " << j.dump());
    return io::InputError("", "", "");
}

// j with layers[l].mask replaced.
json with_mask(std::size_t l, json mask) {
    json j = lu2_json();
    j["layers"][l]["mask"] = std::move(mask);
    return j;
}

}  // namespace

TEST_CASE("valid files: string form, defaults, round trip") {
    auto a = io::architecture_from_json(lu2_json(), "lu2.json", ".");
    CHECK(a.name == "lu2");
    CHECK(a.input_dim == 2);
    REQUIRE(a.depth() == 2);
    CHECK(a.layers[0].mask.at(0, 1));
    CHECK(!a.layers[0].mask.at(1, 0));
    CHECK(a.all_biases());

    json j = lu2_json();
    j.erase("name");
    j["layers"][0].erase("bias");
    j["layers"][1]["bias"] = false;
    j["description"] = "free text";
    auto b = io::architecture_from_json(j, "some/dir/my_arch.json", ".");
    CHECK(b.name == "my_arch");
    CHECK(b.layers[0].bias);
    CHECK(!b.layers[1].bias);

    const json back = io::architecture_to_json(b);
    CHECK(back["layers"][0]["mask"] == json::array({"11", "01"}));
    auto c = io::architecture_from_json(back, "y.json", ".");
    CHECK(c == b);
    CHECK(c.name == b.name);
    // The text form parses to the same JSON.
    CHECK(json::parse(io::architecture_to_text(b)) == back);
}

TEST_CASE("valid files: sparse form") {
    json j = with_mask(1, json{{"shape", {2, 2}}, {"ones", {{0, 0}, {1, 0}, {1, 1}}}});
    auto a = io::architecture_from_json(j, "s.json", ".");
    CHECK(a == io::architecture_from_json(lu2_json(), "lu2.json", "."));
    json empty = with_mask(1, json{{"shape", {2, 2}}, {"ones", json::array()}});
    CHECK(io::architecture_from_json(empty, "s.json", ".").layers[1].mask.nonzeros() == 0);
}

TEST_CASE("every committed example architecture reads and round-trips") {
    const char* root = std::getenv("CLOSECERT_SOURCE_ROOT");
    if (!root) {
        MESSAGE("CLOSECERT_SOURCE_ROOT not set; skipped");
        return;
    }
    std::size_t files = 0;
    for (const auto& e : std::filesystem::directory_iterator(std::filesystem::path(root) / "data" / "patterns")) {
        if (e.path().extension() != ".json") continue;
        INFO(e.path().string());
        auto a = io::read_architecture(e.path().string());
        CHECK(io::architecture_from_json(io::architecture_to_json(a), "t.json", ".") == a);
        ++files;
    }
    CHECK(files >= 12);
}

TEST_CASE("malformed JSON gives line and column") {
    test::TempDir dir;
    auto e = error_of_text(dir, "{\n  \"format\": \"closecert-architecture\",\n  \"version\" 1\n}\n");
    CHECK(e.place() == "line 3 column 13");
    CHECK(std::string(e.what()).find("malformed JSON (") != std::string::npos);
    CHECK(e.file() == dir.file("x.json"));
    auto empty = error_of_text(dir, "");
    CHECK(empty.place().rfind("line 1 column", 0) == 0);
}

TEST_CASE("unreadable files") {
    test::TempDir dir;
    try {
        io::read_architecture(dir.file("missing.json"));
        FAIL("no error");
    } catch (const io::InputError& e) {
        CHECK(e.place().empty());
        CHECK(e.message().find("cannot open") != std::string::npos);
    }
    CHECK_THROWS_AS(io::read_architecture(dir.path()), io::InputError);
}

TEST_CASE("invalid top level and fields name their place") {
    struct Case {
        json j;
        std::string place, fragment;
    };
    json no_format = lu2_json();
    no_format.erase("format");
    json no_dim = lu2_json();
    no_dim.erase("input_dim");
    json no_layers = lu2_json();
    no_layers.erase("layers");
    json unknown = lu2_json();
    unknown["widths"] = 3;
    auto set = [](const char* key, json v) {
        json j = lu2_json();
        j[key] = std::move(v);
        return j;
    };
    json layer_unknown = lu2_json();
    layer_unknown["layers"][0]["activation"] = "relu";
    json layer_no_mask = lu2_json();
    layer_no_mask["layers"][1].erase("mask");
    json bad_bias = lu2_json();
    bad_bias["layers"][1]["bias"] = "yes";
    json many = lu2_json();
    many["input_dim"] = 1;
    many["layers"] = json::array();
    for (int l = 0; l < 65; ++l) many["layers"].push_back(json{{"mask", {"1"}}});

    const std::vector<Case> cases = {
        {json::array(), "top level", "expected a JSON object"},
        {no_format, "format", "missing required key 'format'"},
        {set("format", "closecert-certificate"), "format", "expected \"closecert-architecture\""},
        {set("version", 2), "version", "version 2 is not supported"},
        {set("version", "1"), "version", "expected an integer"},
        {set("name", 5), "name", "expected a string"},
        {no_dim, "input_dim", "missing required key"},
        {set("input_dim", -1), "input_dim", "non-negative integer"},
        {set("input_dim", 2.5), "input_dim", "non-negative integer"},
        {set("input_dim", 0), "input_dim", "at least 1"},
        {set("input_dim", 100000), "input_dim", "over the limit"},
        {set("input_dim", 3), "layers[0].mask[0]", "has 2 characters, expected 3"},
        {no_layers, "layers", "missing required key 'layers'"},
        {set("layers", json::object()), "layers", "expected an array"},
        {set("layers", json::array()), "layers", "at least one layer"},
        {set("layers", json::array({5})), "layers[0]", "expected an object"},
        {unknown, "widths", "unknown key"},
        {layer_unknown, "layers[0].activation", "unknown key"},
        {layer_no_mask, "layers[1].mask", "missing required key 'mask'"},
        {bad_bias, "layers[1].bias", "expected true or false"},
        {many, "layers", "over the limit 64"},
    };
    for (const auto& c : cases) {
        INFO(c.j.dump());
        auto e = error_of(c.j);
        CHECK(e.file() == "data/x.json");
        CHECK(e.place() == c.place);
        CHECK(e.message().find(c.fragment) != std::string::npos);
        CHECK(std::string(e.what()) == "data/x.json: " + c.place + ": " + e.message());
    }
}

TEST_CASE("invalid masks name their place") {
    struct Case {
        json j;
        std::string place, fragment;
    };
    json three_rows = with_mask(1, json::array({"10", "11", "1x01"}));
    json bad_char = lu2_json();
    bad_char["input_dim"] = 4;
    bad_char["layers"][0]["mask"] = json::array({"1111", "0101", "011x"});
    bad_char["layers"][1]["mask"] = json::array({"100", "110", "111"});
    const std::vector<Case> cases = {
        {bad_char, "layers[0].mask[2]", "character 'x' at column 3 is not 0 or 1"},
        {with_mask(1, json::array({"10", "1\x01"})), "layers[1].mask[1]", "character '\\x01' at column 1"},
        {three_rows, "layers[1].mask[2]", "has 4 characters, expected 2"},
        {with_mask(1, json::array({"10", 11})), "layers[1].mask[1]", "expected a string"},
        {with_mask(1, json::array()), "layers[1].mask", "has no rows"},
        {with_mask(0, "11"), "layers[0].mask", "expected an array of row strings or of 0/1 lists, or an object"},
        {with_mask(0, json::object()), "layers[0].mask", "needs either"},
        {with_mask(1, json{{"shape", {2, 3}}, {"ones", json::array()}}), "layers[1].mask", "has 3 columns, expected 2"},
        {with_mask(1, json{{"shape", {2}}, {"ones", json::array()}}), "layers[1].mask.shape", "expected [rows, cols]"},
        {with_mask(1, json{{"shape", {2, -2}}, {"ones", json::array()}}), "layers[1].mask.shape[1]", "non-negative"},
        {with_mask(1, json{{"shape", {2, 2}}}), "layers[1].mask.ones", "missing required key 'ones'"},
        {with_mask(1, json{{"shape", {2, 2}}, {"ones", {{0, 2}}}}), "layers[1].mask.ones[0]", "out of range"},
        {with_mask(1, json{{"shape", {2, 2}}, {"ones", {{0, 1}, {0, 1}}}}), "layers[1].mask.ones[1]", "repeats [0, 1]"},
        {with_mask(1, json{{"shape", {2, 2}}, {"ones", {{0}}}}), "layers[1].mask.ones[0]", "expected [row, col]"},
        {with_mask(1, json{{"shape", {2, 2}}, {"ones", json::array()}, {"x", 1}}), "layers[1].mask.x", "unknown key"},
        // Limits are checked before the mask is allocated.
        {with_mask(1, json{{"shape", {16385, 2}}, {"ones", json::array()}}), "layers[1].mask", "rows, over the limit"},
        {with_mask(1, json{{"shape", {16384, 16384}}, {"ones", json::array()}}), "layers[1].mask", "entries, over the limit"},
        {with_mask(1, json{{"shape", {1ull << 40, 1ull << 40}}, {"ones", json::array()}}), "layers[1].mask", "over the limit"},
        {with_mask(1, json{{"npy", 3}}), "layers[1].mask.npy", "expected a non-empty path"},
        {with_mask(1, json{{"npy", "a.npy"}, {"shape", {2, 2}}}), "layers[1].mask.shape", "unknown key"},
    };
    for (const auto& c : cases) {
        INFO(c.j.dump());
        auto e = error_of(c.j);
        CHECK(e.place() == c.place);
        CHECK(e.message().find(c.fragment) != std::string::npos);
    }
}
