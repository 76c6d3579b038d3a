// closecert gen FAMILY [options] [--out FILE]: writes an architecture file of a named family.
#include <memory>

#include "arch/generators.hpp"
#include "common.hpp"
#include "io/architecture_file.hpp"

namespace closecert::cli {

namespace {

struct GenOptions {
    std::string out, name;
    std::vector<std::size_t> widths;
    std::size_t n = 0, b = 0, block = 0, lower = 0, upper = 0, depth = 2, keep = 2, group = 4, width = 0;
    double density = 0.5;
    std::uint64_t seed = 0;
};

CLI::App* family(CLI::App& gen, const std::string& name, const std::string& what, GenOptions& o) {
    CLI::App* f = gen.add_subcommand(name, what);
    f->add_option("--out,-o", o.out, "write the file here (atomically) instead of printing it");
    f->add_option("--name", o.name, "architecture name (default: derived from the parameters)");
    return f;
}

}  // namespace

void register_gen(CLI::App& root, CommandList& out) {
    auto o = std::make_shared<GenOptions>();
    CLI::App* gen = root.add_subcommand("gen", "print or write an architecture file of a named family");
    gen->require_subcommand(1);
    gen->footer("Family definitions: docs/patterns.md. Run 'closecert gen FAMILY --help' for a family's options.\n"
                "Exit status: 0 written, 2 bad input (unknown family, bad parameters, unwritable output).");

    struct Family {
        CLI::App* app;
        std::function<arch::Architecture()> make;
    };
    auto families = std::make_shared<std::vector<Family>>();
    GenOptions& g = *o;

    {
        auto* f = family(*gen, "dense", "all-ones masks; --widths N0 N1 ... NL", g);
        f->add_option("--widths", g.widths, "unit counts, input first")->required()->delimiter(',');
        families->push_back({f, [o] { return arch::dense(o->widths); }});
    }
    {
        auto* f = family(*gen, "lu", "two n x n layers: W1 upper triangular, W2 lower triangular", g);
        f->add_option("--n", g.n, "size")->required();
        families->push_back({f, [o] { return arch::lu(o->n); }});
    }
    {
        auto* f = family(*gen, "butterfly", "log2(n) butterfly factors of size n (n a power of two)", g);
        f->add_option("--n", g.n, "size, a power of two")->required();
        families->push_back({f, [o] { return arch::butterfly(o->n); }});
    }
    {
        auto* f = family(*gen, "monarch", "Monarch P L P^T R: two block-diagonal factors, permutation folded in", g);
        f->add_option("--n", g.n, "size")->required();
        f->add_option("--b", g.b, "block size of R, dividing n (default sqrt(n))");
        families->push_back({f, [o] { return arch::monarch(o->n, o->b); }});
    }
    {
        auto* f = family(*gen, "block_diagonal", "depth layers n x n, block diagonal", g);
        f->add_option("--n", g.n, "size")->required();
        f->add_option("--block", g.block, "block size")->required();
        f->add_option("--depth", g.depth, "number of layers")->capture_default_str();
        families->push_back({f, [o] { return arch::block_diagonal(o->n, o->block, o->depth); }});
    }
    {
        auto* f = family(*gen, "banded", "depth layers n x n, band i-lower <= j <= i+upper", g);
        f->add_option("--n", g.n, "size")->required();
        f->add_option("--lower", g.lower, "lower bandwidth")->capture_default_str();
        f->add_option("--upper", g.upper, "upper bandwidth")->capture_default_str();
        f->add_option("--depth", g.depth, "number of layers")->capture_default_str();
        families->push_back({f, [o] { return arch::banded(o->n, o->lower, o->upper, o->depth); }});
    }
    {
        auto* f = family(*gen, "nm", "n:m sparsity: each row keeps n of every m consecutive entries", g);
        f->alias("n:m");
        f->add_option("--keep,-n", g.keep, "n, entries kept per group")->capture_default_str();
        f->add_option("--group,-m", g.group, "m, group length")->capture_default_str();
        f->add_option("--width", g.width, "layer width")->required();
        f->add_option("--depth", g.depth, "number of layers")->capture_default_str();
        f->add_option("--seed", g.seed, "0: deterministic rotating pattern; else random positions")->capture_default_str();
        families->push_back({f, [o] { return arch::n_m(o->keep, o->group, o->width, o->depth, o->seed); }});
    }
    {
        auto* f = family(*gen, "random", "independent entries with probability --density", g);
        f->add_option("--widths", g.widths, "unit counts, input first")->required()->delimiter(',');
        f->add_option("--density", g.density, "probability of a 1")->capture_default_str();
        f->add_option("--seed", g.seed, "generator seed")->capture_default_str();
        families->push_back({f, [o] { return arch::random_architecture(o->widths, o->density, o->seed); }});
    }

    out.push_back({gen, [o, families] {
        for (const auto& fam : *families) {
            if (!fam.app->parsed()) continue;
            arch::Architecture a;
            try {
                a = fam.make();
            } catch (const std::invalid_argument& e) {
                throw UsageError(std::string("gen ") + e.what());
            }
            if (!o->name.empty()) a.name = o->name;
            emit_text(o->out, io::architecture_to_text(a));
            return kExitClosed;
        }
        throw UsageError("gen: no family given");
    }});
}

}  // namespace closecert::cli
