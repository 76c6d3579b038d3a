// Engine benchmark: decides the linear counterpart of generated families, writes the certificate
// and times the independent checker on it. One line per case:
//   case, mask nonzeros, verdict, engine seconds, certificate bytes, checker seconds, checker status
#include <array>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <string>
#include <unistd.h>

#include "arch/generators.hpp"
#include "arch/pattern.hpp"
#include "engine/engine.hpp"
#include "io/atomic_file.hpp"
#include "io/certificate.hpp"

using namespace closecert;

namespace {

double now() { return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count(); }

// Two consecutive factors (levels l, l+1, 1-based) of an architecture, as a two-layer architecture.
arch::Architecture two_factors(const arch::Architecture& a, std::size_t l, const std::string& name) {
    arch::Architecture b;
    b.name = name;
    b.input_dim = a.width(l - 1);
    b.layers = {a.layers[l - 1], a.layers[l]};
    return b;
}

arch::Architecture make(const std::string& family, std::size_t n, std::string& name) {
    name = family + "_" + std::to_string(n);
    if (family == "lu") return arch::lu(n);
    if (family == "monarch") return arch::monarch(n, 16);
    if (family == "random") return arch::random_architecture({n, n, n}, 0.02, 1);
    if (family == "butterfly") {
        auto b = arch::butterfly(n);
        return two_factors(b, b.depth() / 2, name + "_levels");
    }
    if (family == "block") return arch::block_diagonal(n, 16);
    // Deep cases (three or more layers).
    if (family == "butterfly_deep") return arch::butterfly(n);  // log2 n factors
    if (family == "lu_deep3" || family == "lu_deep4") {
        // A stack of triangular factors: L L U (layers U, L, L) or L L U U (layers U, U, L, L).
        auto lu = arch::lu(n);
        arch::Architecture a = lu;
        a.name = name;
        if (family == "lu_deep4") a.layers.insert(a.layers.begin(), lu.layers[0]);
        a.layers.push_back(lu.layers[1]);
        return a;
    }
    if (family == "lu_alt") {
        // Alternating factors U L U (layers U, L, U): closed by rook placements at small n.
        auto lu = arch::lu(n);
        arch::Architecture a = lu;
        a.name = name;
        a.layers.push_back(lu.layers[0]);
        return a;
    }
    if (family == "bottleneck") return arch::dense({n, n / 8, n, n / 8, n});
    if (family == "block_chain") return arch::block_diagonal(n, 32, 4);
    if (family == "monarch_stack") {
        auto m = arch::monarch(n);
        arch::Architecture a = m;
        a.layers.insert(a.layers.end(), m.layers.begin(), m.layers.end());
        return a;
    }
    if (family == "mlp") return arch::random_architecture({784, 300, 100, 10}, 0.1, n);
    // Two-layer masks people prune to (issue: the masks of real networks); n is the density in
    // percent for the MLPs, the width for 2:4, the size for the bands and the block-sparse pair.
    if (family == "mlp2_784") return arch::random_architecture({784, 300, 10}, double(n) / 100, 1);
    if (family == "mlp2_256") return arch::random_architecture({256, 128, 10}, double(n) / 100, 1);
    if (family == "nm24") return arch::n_m(2, 4, n);
    if (family == "tridiagonal") return arch::banded(n, 1, 1);
    if (family == "pentadiagonal") return arch::banded(n, 2, 2);
    if (family == "block_sparse") {
        // Blocks of 32, 10% of the blocks of each layer kept (seeded), plus the diagonal blocks so
        // that every unit is on some path.
        arch::Architecture a = arch::dense({n, n, n});
        std::uint64_t state = 12345;
        for (auto& layer : a.layers)
            for (std::size_t bi = 0; bi < n / 32; ++bi)
                for (std::size_t bj = 0; bj < n / 32; ++bj) {
                    state = state * 6364136223846793005ULL + 1442695040888963407ULL;
                    const bool keep = bi == bj || (state >> 33) % 10 == 0;
                    for (std::size_t i = 32 * bi; i < 32 * bi + 32; ++i)
                        for (std::size_t j = 32 * bj; j < 32 * bj + 32; ++j) layer.mask.set(i, j, keep);
                }
        a.name = name;
        return a;
    }
    if (family == "tree") {
        // Receptive-field tree: pairs of twin units read one block of 4 units below (widths halve),
        // a dense read-out of 10 (rule twin).
        arch::Architecture a;
        a.name = name;
        a.input_dim = n;
        for (std::size_t w = n; w >= 16; w /= 2) {
            arch::Mask m(w / 2, w);
            for (std::size_t u = 0; u < w / 2; ++u)
                for (std::size_t j = 4 * (u / 2); j < 4 * (u / 2) + 4; ++j) m.set(u, j);
            a.layers.push_back({std::move(m), true});
        }
        arch::Mask out(10, a.output_dim());
        for (std::size_t i = 0; i < 10; ++i)
            for (std::size_t j = 0; j < out.cols(); ++j) out.set(i, j);
        a.layers.push_back({std::move(out), true});
        return a;
    }
    // The largest case tree of the 3x3x3 census (Lemma F, 16 leaves); n is not used.
    if (family == "case_tree")
        return arch::architecture_of({3, 3, {{{0, 2}, {0, 2}}, {{1, 2}, {1, 2}}, {{0, 1, 2}, {0, 1, 2}}}}, name);
    throw std::invalid_argument("unknown family " + family);
}

}  // namespace

int main(int argc, char** argv) {
    if (argc < 3) {
        std::cerr << "usage: bench_engine FAMILY N [REPEATS]\n";
        return 2;
    }
    const std::string family = argv[1];
    const std::size_t n = std::stoul(argv[2]);
    const int repeats = argc > 3 ? std::atoi(argv[3]) : 3;
    std::string name;
    const auto a = make(family, n, name);
    engine::LinearResult r;
    double best = 1e300;
    for (int rep = 0; rep < repeats; ++rep) {
        const double t0 = now();
        r = engine::decide_linear(a);
        best = std::min(best, now() - t0);
    }
    const std::string text = io::make_certificate(a, r, io::ReluPart{}).dump();
    char path[] = "/tmp/closecert-bench-XXXXXX.json";
    int fd = mkstemps(path, 5);
    close(fd);
    io::write_file_atomically(path, text);
    double check_seconds = -1;
    int status = -1;
    if (const char* verify = std::getenv("CLOSECERT_VERIFY")) {
        const double t0 = now();
        status = std::system((std::string(verify) + " " + path + " > /dev/null").c_str());
        check_seconds = now() - t0;
        status = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    }
    std::remove(path);
    std::printf("%-22s nnz %8zu  %-10s engine %8.4f s  cert %9zu B  checker %8.4f s (exit %d)%s%s\n", name.c_str(),
                a.nonzeros(), std::string(engine::to_string(r.verdict)).c_str(), best, text.size(), check_seconds, status,
                r.reason.empty() ? "" : "  ", r.reason.c_str());
    // A verdict the checker rejects is a failure of the benchmark too.
    return (r.verdict != engine::Verdict::unknown && status != 0) ? 1 : 0;
}
