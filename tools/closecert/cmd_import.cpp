// closecert import MODEL --out ARCH.json: the architecture of a PyTorch or ONNX model, through the
// Python package (python/closecert), which reads the models with Debian's python3-torch and
// python3-onnx. The process is replaced by `PYTHON -m closecert import ...`, so its exit status and
// its one-line errors are those of the Python command.
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <memory>
#include <unistd.h>

#include "census/checker.hpp"
#include "common.hpp"

namespace closecert::cli {

namespace {

struct ImportArgs {
    std::string model, out, name, python = "/usr/bin/python3";
};

// The directory holding the package `closecert`: CLOSECERT_PYTHONPATH, else the build tree's
// build/python next to build/tools/closecert, else "" (an installed package on the interpreter's path).
std::string package_dir() {
    namespace fs = std::filesystem;
    if (const char* e = std::getenv("CLOSECERT_PYTHONPATH"); e && *e) return e;
    const std::string exe = census::executable_dir();
    if (exe.empty()) return "";
    const fs::path build_tree = fs::path(exe) / ".." / ".." / "python";
    std::error_code ec;
    if (fs::is_regular_file(build_tree / "closecert" / "__init__.py", ec)) return fs::weakly_canonical(build_tree, ec).string();
    return "";
}

int run_import(const ImportArgs& a) {
    if (::access(a.python.c_str(), X_OK) != 0)
        throw UsageError("import: the Python interpreter " + a.python + " is not there (install python3, python3-torch, "
                         "python3-onnx, or give --python)");
    if (const std::string dir = package_dir(); !dir.empty()) {
        const char* old = std::getenv("PYTHONPATH");
        const std::string path = old && *old ? dir + ":" + old : dir;
        ::setenv("PYTHONPATH", path.c_str(), 1);
    }
    std::vector<std::string> args = {a.python, "-m", "closecert", "import", a.model, "--out", a.out};
    if (!a.name.empty()) args.insert(args.end(), {"--name", a.name});
    std::vector<char*> argv;
    for (std::string& s : args) argv.push_back(s.data());
    argv.push_back(nullptr);
    ::execv(a.python.c_str(), argv.data());
    throw UsageError("import: cannot run " + a.python + ": " + std::strerror(errno));
}

}  // namespace

void register_import(CLI::App& root, CommandList& out) {
    auto a = std::make_shared<ImportArgs>();
    CLI::App* c = root.add_subcommand("import", "write the architecture file of a PyTorch (.pt, .pth) or ONNX (.onnx) model");
    c->footer("Exit status: 0 written, 2 bad input (unreadable model, no linear layers, missing interpreter or package). "
              "Runs PYTHON -m closecert import (docs/python.md).");
    c->add_option("MODEL", a->model, "the model: .onnx, or a PyTorch module or state_dict (.pt, .pth)")->required();
    c->add_option("--out", a->out, "the architecture file to write ('-' for stdout)")->required();
    c->add_option("--name", a->name, "architecture name (default: the model file's stem)");
    c->add_option("--python", a->python, "the interpreter with python3-torch and python3-onnx")->capture_default_str();
    out.push_back({c, [a] { return run_import(*a); }});
}

}  // namespace closecert::cli
