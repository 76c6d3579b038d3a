// closecert: subcommand dispatch. Each subcommand lives in its own cmd_*.cpp and registers itself
// through a register_* function declared in common.hpp.
#include <iostream>
#include <new>

#include "common.hpp"
#include "io/errors.hpp"

namespace closecert::cli {
// Defined in cmd_census.cpp.
void register_census(CLI::App& root, CommandList& out);
}  // namespace closecert::cli

namespace closecert::cli {
// Declared here rather than in common.hpp: defined in cmd_lift.cpp and cmd_train.cpp.
void register_lift(CLI::App& root, CommandList& out);
void register_train(CLI::App& root, CommandList& out);
}  // namespace closecert::cli

namespace {

int report(const std::string& kind, const std::string& msg, int status) {
    std::cerr << "closecert: " << kind << ": " << msg << "\n";
    return status;
}

int run(int argc, char** argv) {
    using namespace closecert::cli;
    CLI::App app{"closecert: decides, with exact arithmetic and a checkable certificate, whether a sparse "
                 "ReLU architecture has a closed function space."};
    app.name("closecert");
    app.set_version_flag("--version", "closecert 0.1.0");
    app.require_subcommand(1);
    app.footer("Exit status: 0 closed, 1 not closed, 2 bad input, 3 unknown, 4 internal error.");
    CommandList commands;
    register_gen(app, commands);
    register_info(app, commands);
    register_check(app, commands);
    register_census(app, commands);
    register_lift(app, commands);
    register_train(app, commands);
    try {
        app.parse(argc, argv);
    } catch (const CLI::CallForHelp& e) {
        return app.exit(e);
    } catch (const CLI::CallForAllHelp& e) {
        return app.exit(e);
    } catch (const CLI::CallForVersion& e) {
        return app.exit(e);
    } catch (const CLI::ParseError& e) {
        std::cerr << "closecert: error: " << e.what() << "\n(run 'closecert --help' for usage)\n";
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
