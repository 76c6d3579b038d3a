// closecert: subcommand dispatch. Each subcommand lives in its own cmd_*.cpp and registers itself
// through a register_* function declared in common.hpp.
#include <algorithm>
#include <iostream>
#include <new>
#include <string>
#include <vector>

#include "common.hpp"
#include "io/errors.hpp"

namespace closecert::cli {
// Defined in cmd_census.cpp and cmd_census_deep.cpp.
void register_census(CLI::App& root, CommandList& out);
void register_census_deep(CLI::App& root, CommandList& out);
void register_census_merge(CLI::App& root, CommandList& out);
}  // namespace closecert::cli

namespace closecert::cli {
// Declared here rather than in common.hpp: defined in cmd_lift.cpp and cmd_train.cpp.
void register_lift(CLI::App& root, CommandList& out);
void register_train(CLI::App& root, CommandList& out);
void register_import(CLI::App& root, CommandList& out);
void register_fixed(CLI::App& root, CommandList& out);
void register_flow(CLI::App& root, CommandList& out);
void register_classf(CLI::App& root, CommandList& out);
}  // namespace closecert::cli

namespace {

int report(const std::string& kind, const std::string& msg, int status) {
    std::cerr << "closecert: " << kind << ": " << closecert::io::escape_control(msg) << "\n";
    return status;
}

// Levenshtein distance, for "did you mean" on a misspelt subcommand.
std::size_t distance(const std::string& a, const std::string& b) {
    std::vector<std::size_t> row(b.size() + 1);
    for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
    for (std::size_t i = 1; i <= a.size(); ++i) {
        std::size_t diag = row[0];
        row[0] = i;
        for (std::size_t j = 1; j <= b.size(); ++j) {
            const std::size_t up = row[j];
            row[j] = std::min({row[j] + 1, row[j - 1] + 1, diag + (a[i - 1] == b[j - 1] ? 0 : 1)});
            diag = up;
        }
    }
    return row[b.size()];
}

int run(int argc, char** argv) {
    using namespace closecert::cli;
    CLI::App app{"closecert: decides, with exact arithmetic and a checkable certificate, whether a sparse "
                 "ReLU architecture has a closed function space."};
    app.name("closecert");
    app.set_version_flag("--version", "closecert 0.1.0");
    app.require_subcommand(1);
    app.footer("Exit status: 0 closed, 1 not closed, 2 bad input, 3 unknown, 4 internal error.");
    // Registering a subcommand builds all its options (about 10% of start-up for all of them), so
    // when the first argument names one, only that one is registered.
    using Register = void (*)(CLI::App&, CommandList&);
    static const std::pair<const char*, Register> table[] = {
        {"gen", register_gen},       {"info", register_info},   {"check", register_check},
        {"census", register_census}, {"census-deep", register_census_deep}, {"census-merge", register_census_merge},
        {"lift", register_lift},     {"train", register_train}, {"import", register_import},
        {"fixed", register_fixed},   {"flow", register_flow},   {"classf", register_classf},
    };
    CommandList commands;
    const std::string first = argc > 1 ? argv[1] : "";
    bool one = false;
    for (const auto& [name, reg] : table)
        if (first == name) reg(app, commands), one = true;
    if (!one && first != "--version")
        for (const auto& [name, reg] : table) reg(app, commands);
    // "closecert help [SUBCOMMAND]" is "closecert [SUBCOMMAND] --help".
    std::vector<std::string> args(argv + 1, argv + argc);
    if (!args.empty() && args[0] == "help") {
        args.erase(args.begin());
        args.resize(std::min<std::size_t>(args.size(), 1));
        args.push_back("--help");
    }
    if (!args.empty() && !args[0].empty() && args[0][0] != '-') {
        bool known = false;
        std::string best;
        std::size_t best_d = 3;  // suggest only names within two edits
        for (const auto& [name, reg] : table) {
            known = known || name == args[0];
            if (const std::size_t d = distance(args[0], name); d < best_d) best_d = d, best = name;
        }
        if (!known)
            return report("error", "unknown subcommand '" + args[0] + "'" + (best.empty() ? "" : "; did you mean '" + best + "'?") +
                                       " (run 'closecert help')", kExitBadInput);
    }
    std::reverse(args.begin(), args.end());  // CLI11 takes the arguments as a stack
    try {
        app.parse(args);
    } catch (const CLI::CallForHelp& e) {
        return app.exit(e);
    } catch (const CLI::CallForAllHelp& e) {
        return app.exit(e);
    } catch (const CLI::CallForVersion& e) {
        return app.exit(e);
    } catch (const CLI::ParseError& e) {
        std::cerr << "closecert: error: " << closecert::io::escape_control(e.what()) << " (run 'closecert --help' for usage)\n";
        return kExitBadInput;
    }
    for (const auto& c : commands)
        if (c.app->parsed()) return c.run();
    return report("error", "no subcommand given", kExitBadInput);
}

}  // namespace

int main(int argc, char** argv) {
    using namespace closecert;
    // Nothing may escape: every failure becomes one line on stderr and an exit status.
    try {
        return run(argc, argv);
    } catch (const io::InputError& e) {
        return report("error", e.what(), cli::kExitBadInput);
    } catch (const io::OutputError& e) {
        return report("error", e.what(), cli::kExitBadInput);
    } catch (const cli::UsageError& e) {
        return report("error", e.what(), cli::kExitBadInput);
    } catch (const std::bad_alloc&) {
        return report("internal error", "out of memory", cli::kExitInternal);
    } catch (const std::exception& e) {
        return report("internal error", e.what(), cli::kExitInternal);
    } catch (...) {
        return report("internal error", "unknown exception", cli::kExitInternal);
    }
}
