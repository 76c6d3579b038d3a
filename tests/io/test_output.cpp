#include <doctest/doctest.h>

#include <fstream>
#include <sstream>
#include <stdexcept>

#include "io/architecture_file.hpp"
#include "io/atomic_file.hpp"
#include "io/certificate.hpp"
#include "io/errors.hpp"
#include "io_test_support.hpp"

using namespace closecert;
using nlohmann::json;

namespace {

std::string slurp(const std::string& p) {
    std::ifstream in(p, std::ios::binary);
    std::ostringstream os;
    os << in.rdbuf();
    return os.str();
}

arch::Architecture lu2() {
    return io::architecture_from_json(
        json::parse(R"({"format": "closecert-architecture", "version": 1, "name": "lu2", "input_dim": 2,
            "layers": [{"mask": ["11", "01"]}, {"mask": ["10", "11"]}]})"),
        "lu2.json", ".");
}

}  // namespace

TEST_CASE("write_file_atomically writes, replaces and leaves no temporary files") {
    test::TempDir dir;
    const auto p = dir.file("out.json");
    io::write_file_atomically(p, "first\n");
    CHECK(slurp(p) == "first\n");
    io::write_file_atomically(p, std::string(100000, 'x'));
    CHECK(slurp(p) == std::string(100000, 'x'));
    CHECK(dir.entries() == 1);
}

TEST_CASE("write_file_atomically fails cleanly") {
    test::TempDir dir;
    CHECK_THROWS_AS(io::write_file_atomically(dir.file("no/such/dir/out.json"), "x"), io::OutputError);
    // Renaming onto a directory fails after the temporary file was written: it must be removed.
    std::filesystem::create_directory(dir.file("sub"));
    std::filesystem::create_directory(dir.file("sub/target"));
    test::write_bytes(dir.file("sub/target/keep"), "k");
    CHECK_THROWS_AS(io::write_file_atomically(dir.file("sub/target"), "x"), io::OutputError);
    std::size_t n = 0;
    for ([[maybe_unused]] auto& e : std::filesystem::directory_iterator(dir.file("sub"))) ++n;
    CHECK(n == 1);
    CHECK_THROWS_AS(io::write_file_atomically("", "x"), io::OutputError);
}

TEST_CASE("make_certificate: top level per docs/certificates.md") {
    const auto a = lu2();
    engine::LinearResult unknown;
    io::ReluPart relu;
    json c = io::make_certificate(a, unknown, relu);
    CHECK(c["format"] == "closecert-certificate");
    CHECK(c["version"] == 1);
    CHECK(c["claim"] == json{{"linear", "unknown"}, {"relu", "unknown"}});
    CHECK(!c.contains("linear"));
    CHECK(!c.contains("relu"));
    CHECK(io::architecture_from_json(c["architecture"], "cert", ".") == a);

    engine::LinearResult open;
    open.verdict = engine::Verdict::not_closed;
    open.proof = json{{"verdict", "not_closed"}, {"rule", "limit_outside"}};
    io::ReluPart transfer{engine::Verdict::not_closed, json{{"verdict", "not_closed"}, {"rule", "transfer"}}, ""};
    c = io::make_certificate(a, open, transfer);
    CHECK(c["claim"] == json{{"linear", "not_closed"}, {"relu", "not_closed"}});
    CHECK(c["linear"]["rule"] == "limit_outside");
    CHECK(c["relu"]["rule"] == "transfer");

    engine::LinearResult bare;
    bare.verdict = engine::Verdict::closed;
    CHECK_THROWS_AS(io::make_certificate(a, bare, relu), std::invalid_argument);
    io::ReluPart bare_relu{engine::Verdict::closed, json(), ""};
    CHECK_THROWS_AS(io::make_certificate(a, unknown, bare_relu), std::invalid_argument);
}
