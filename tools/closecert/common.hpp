// Shared pieces of the closecert subcommands: exit statuses, error types, registration.
#pragma once

#include <functional>
#include <stdexcept>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "arch/architecture.hpp"

namespace closecert::cli {

// Exit statuses (docs/cli.md).
inline constexpr int kExitClosed = 0;
inline constexpr int kExitNotClosed = 1;
inline constexpr int kExitBadInput = 2;
inline constexpr int kExitUnknown = 3;
inline constexpr int kExitInternal = 4;

// Bad arguments found after parsing (e.g. generator parameters); reported like bad input.
class UsageError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

// A registered subcommand: the CLI11 node and the action run when it was selected.
struct Command {
    CLI::App* app = nullptr;
    std::function<int()> run;
};
using CommandList = std::vector<Command>;

// Each subcommand file provides one of these; main.cpp calls them in order.
void register_gen(CLI::App& root, CommandList& out);
void register_info(CLI::App& root, CommandList& out);
void register_check(CLI::App& root, CommandList& out);

// Reads and validates an architecture file (throws io::InputError).
arch::Architecture load_architecture(const std::string& path);

// Writes text to path atomically, or to stdout when path is empty or "-".
void emit_text(const std::string& path, const std::string& text);

// --max-memory SIZE (default three quarters of the physical memory, 0: none): the limit is applied
// when the subcommand runs, by apply_memory_limit.
void add_memory_option(CLI::App* app, std::string& target);
void apply_memory_limit(const std::string& size);
// load_architecture, with running out of memory reported as bad input naming the limit.
arch::Architecture load_within_memory_limit(const std::string& path);

// "0.012" style seconds for human output.
std::string format_seconds(double s);

}  // namespace closecert::cli
