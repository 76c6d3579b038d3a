#include <doctest/doctest.h>

#include "io/architecture_file.hpp"
#include "io/errors.hpp"
#include "io/npy.hpp"
#include "io_test_support.hpp"

using namespace closecert;
using nlohmann::json;
using namespace std::string_literals;

namespace {

// The 2x3 matrix [[1,0,1],[0,0,1]] in C order (or Fortran order when fortran).
std::string matrix_data(const std::string& descr, bool fortran = false) {
    const int v[2][3] = {{1, 0, 1}, {0, 0, 1}};
    std::string d;
    if (!fortran) {
        for (auto& row : v)
            for (int x : row) d += test::npy_element(descr, x);
    } else {
        for (int j = 0; j < 3; ++j)
            for (int i = 0; i < 2; ++i) d += test::npy_element(descr, v[i][j]);
    }
    return d;
}

void check_matrix(const arch::Mask& m) {
    REQUIRE(m.rows() == 2);
    REQUIRE(m.cols() == 3);
    CHECK(m.at(0, 0));
    CHECK(!m.at(0, 1));
    CHECK(m.at(0, 2));
    CHECK(!m.at(1, 0));
    CHECK(!m.at(1, 1));
    CHECK(m.at(1, 2));
}

io::InputError npy_error(const test::TempDir& dir, const std::string& bytes) {
    const auto p = dir.file("bad.npy");
    test::write_bytes(p, bytes);
    try {
        io::read_npy_mask(p, "arch.json", "layers[0].mask.npy");
    } catch (const io::InputError& e) {
        return e;
    }
    FAIL("no error");
    return io::InputError("", "", "");
}

}  // namespace

TEST_CASE("npy: every supported dtype and both orders") {
    test::TempDir dir;
    for (std::string descr : {"|b1", "|u1", "|i1", "<i2", "<u2", "<i4", "<u4", "<i8", "<u8", ">i2", ">i4", ">u8",
                              "<f2", "<f4", "<f8", ">f2", ">f4", ">f8"}) {
        for (bool fortran : {false, true}) {
            INFO(descr << (fortran ? " fortran" : ""));
            const auto p = dir.file("m.npy");
            test::write_bytes(p, test::npy_bytes(descr, "(2, 3)", matrix_data(descr, fortran), fortran));
            check_matrix(io::read_npy_mask(p, "arch.json", "layers[0].mask.npy"));
        }
    }
}

TEST_CASE("npy: negative zero is zero, other values nonzero") {
    test::TempDir dir;
    std::string d = test::npy_element("<f8", 0);
    d[7] = static_cast<char>(0x80);  // -0.0
    d += test::npy_element("<f8", 1);
    const auto p = dir.file("z.npy");
    test::write_bytes(p, test::npy_bytes("<f8", "(1, 2)", d));
    auto m = io::read_npy_mask(p, "a.json", "x");
    CHECK(!m.at(0, 0));
    CHECK(m.at(0, 1));
}

TEST_CASE("npy: referenced from an architecture file, relative to its directory") {
    test::TempDir dir;
    std::filesystem::create_directory(dir.file("masks"));
    test::write_bytes(dir.file("masks/w1.npy"), test::npy_bytes("|b1", "(2, 3)", matrix_data("|b1")));
    json j = {{"format", "closecert-architecture"}, {"version", 1}, {"input_dim", 3},
              {"layers", {{{"mask", {{"npy", "masks/w1.npy"}}}}, {{"mask", {"11"}}}}}};
    test::write_bytes(dir.file("arch.json"), j.dump());
    auto a = io::read_architecture(dir.file("arch.json"));
    check_matrix(a.layers[0].mask);
    CHECK(a.output_dim() == 1);
    // Written back in the string form.
    CHECK(io::architecture_to_json(a)["layers"][0]["mask"] == json::array({"101", "001"}));

    j["layers"][0]["mask"]["npy"] = "masks/none.npy";
    test::write_bytes(dir.file("arch2.json"), j.dump());
    try {
        io::read_architecture(dir.file("arch2.json"));
        FAIL("no error");
    } catch (const io::InputError& e) {
        CHECK(e.place() == "layers[0].mask.npy");
        CHECK(e.message().find("none.npy") != std::string::npos);
        CHECK(e.message().find("cannot open") != std::string::npos);
    }
}

TEST_CASE("npy: invalid files") {
    test::TempDir dir;
    struct Case {
        std::string bytes, fragment;
    };
    const std::string two_by_three = matrix_data("|u1");
    std::string nan_data = test::npy_element("<f4", 1) + test::npy_element("<f4", 0, true);
    const std::vector<Case> cases = {
        {"not an npy file at all", "bad magic"},
        {"", "bad magic"},
        {test::npy_bytes("<c8", "(2, 3)", std::string(48, '\0')), "unsupported dtype '<c8'"},
        {test::npy_bytes("<U1", "(2, 3)", std::string(24, '\0')), "unsupported dtype"},
        {test::npy_bytes("|u1", "(2, 3, 1)", two_by_three), "has 3 dimensions, expected 2"},
        {test::npy_bytes("|u1", "(6,)", two_by_three), "has 1 dimensions, expected 2"},
        {test::npy_bytes("|u1", "(2, 3)", two_by_three.substr(1)), "data has 5 bytes, expected 6"},
        {test::npy_bytes("|u1", "(2, 3)", two_by_three + "x"), "data has 7 bytes"},
        {test::npy_bytes("<f4", "(1, 2)", nan_data), "entry (0, 1) is NaN"},
        {test::npy_bytes("|u1", "(100000, 100000)", ""), "over the width limit"},
        {test::npy_bytes("|u1", "(16384, 16384)", ""), "too many entries"},
        {test::npy_bytes("|u1", "(99999999999999999999999, 1)", ""), "not a tuple"},
        {"\x93NUMPY\x01\x00\xff\x7f{}"s, "truncated or oversized header"},
        {"\x93NUMPY\x09\x00\x10\x00{}"s, "unsupported .npy format version 9"},
    };
    for (const auto& c : cases) {
        INFO(c.fragment);
        auto e = npy_error(dir, c.bytes);
        CHECK(e.file() == "arch.json");
        CHECK(e.place() == "layers[0].mask.npy");
        CHECK(e.message().find(c.fragment) != std::string::npos);
    }
    // A directory in place of a file.
    try {
        io::read_npy_mask(dir.path(), "arch.json", "p");
        FAIL("no error");
    } catch (const io::InputError& e) {
        CHECK(e.message().find("directory") != std::string::npos);
    }
}
