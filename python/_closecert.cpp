// closecert._closecert: the C++ library in-process for the Python package (docs/python.md).
// Deliberately thin: masks cross as bytes, JSON documents as text (the package parses them), so
// files and certificates are produced by exactly the functions the closecert command uses.
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <cstdint>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "arch/architecture.hpp"
#include "engine/engine.hpp"
#include "io/architecture_file.hpp"
#include "io/atomic_file.hpp"
#include "io/certificate.hpp"
#include "io/errors.hpp"
#include "io/json_reader.hpp"
#include "relu/check_answer.hpp"

namespace py = pybind11;
using namespace closecert;

namespace {

// One layer as the package passes it: rows, cols, row-major 0/1 bytes, bias.
using LayerSpec = std::tuple<std::size_t, std::size_t, py::bytes, bool>;

arch::Architecture build(const std::string& name, const std::vector<LayerSpec>& layers) {
    arch::Architecture a;
    a.name = name;
    if (layers.empty()) throw arch::ArchitectureError("layers", "must list at least one layer");
    if (layers.size() > arch::kMaxLayers)
        throw arch::ArchitectureError("layers", "has " + std::to_string(layers.size()) + " layers, over the limit " +
                                                    std::to_string(arch::kMaxLayers));
    a.input_dim = std::get<1>(layers.front());
    for (std::size_t l = 0; l < layers.size(); ++l) {
        const auto& [rows, cols, data, bias] = layers[l];
        const std::string where = "layers[" + std::to_string(l) + "].mask";
        // Limits first, so that no Mask larger than the model allows is allocated.
        if (rows > arch::kMaxWidth || cols > arch::kMaxWidth || rows * cols > arch::kMaxMaskEntries)
            throw arch::ArchitectureError(where, "has shape " + std::to_string(rows) + " x " + std::to_string(cols) +
                                                     ", over the limits (widths <= " +
                                                     std::to_string(arch::kMaxWidth) + ")");
        const std::string_view bits(data);
        if (bits.size() != rows * cols)
            throw arch::ArchitectureError(where, "has " + std::to_string(bits.size()) + " entries, expected " +
                                                     std::to_string(rows * cols));
        arch::Layer layer{arch::Mask(rows, cols), bias};
        for (std::size_t k = 0; k < bits.size(); ++k) {
            if (bits[k] == 1) layer.mask.set(k / cols, k % cols);
            else if (bits[k] != 0)
                throw arch::ArchitectureError(where, "entry (" + std::to_string(k / cols) + ", " +
                                                         std::to_string(k % cols) + ") is not 0 or 1");
        }
        a.layers.push_back(std::move(layer));
    }
    a.validate();
    return a;
}

py::bytes mask_bytes(const arch::Architecture& a, std::size_t l) {
    const arch::Mask& m = a.layers.at(l).mask;
    std::string out(m.rows() * m.cols(), '\0');
    for (std::size_t i = 0; i < m.rows(); ++i)
        for (std::size_t j = 0; j < m.cols(); ++j)
            if (m.at(i, j)) out[i * m.cols() + j] = 1;
    return py::bytes(out);
}

// Strict parsing (duplicate keys, huge numbers, deep nesting refused), as every engine-side reader.
arch::Architecture from_json_text(const std::string& text, const std::string& source_name, const std::string& base_dir) {
    return io::architecture_from_json(io::parse_json_strict(text, source_name), source_name, base_dir);
}

// (summary, certificate text): the `check --json` object without "certificate", and the file
// `check --cert` writes. The engine runs without the GIL.
std::pair<std::string, std::string> check(const arch::Architecture& a, double timeout, bool linear_only) {
    if (!(timeout > 0)) throw py::value_error("timeout must be > 0 seconds (got " + std::to_string(timeout) + ")");
    std::string summary, cert;
    {
        py::gil_scoped_release nogil;
        engine::Options opts;
        opts.timeout_seconds = timeout;
        const engine::LinearResult lin = engine::decide_linear(a, opts);
        io::ReluPart relu;
        if (linear_only) relu.reason = relu::kReluNotAsked;
        else relu = relu::relu_part_for(a, lin);
        cert = io::make_certificate(a, lin, relu).dump(1) + "\n";
        summary = relu::check_summary(a, lin, relu).dump();
    }
    return {std::move(summary), std::move(cert)};
}

}  // namespace

PYBIND11_MODULE(_closecert, m) {
    m.doc() = "closecert's C++ library (use the closecert package, not this module)";
    m.attr("__version__") = CLOSECERT_VERSION;

    // InputError: unreadable or invalid architecture input; ArchitectureError: masks that violate
    // the model (shapes do not chain, over the limits). Both are ValueErrors for Python callers.
    py::register_exception<io::InputError>(m, "InputError", PyExc_ValueError);
    py::register_exception<arch::ArchitectureError>(m, "ArchitectureError", PyExc_ValueError);
    py::register_exception<io::OutputError>(m, "OutputError", PyExc_OSError);

    py::class_<arch::Architecture>(m, "Arch")
        .def(py::init(&build), py::arg("name"), py::arg("layers"))
        .def_readonly("name", &arch::Architecture::name)
        .def_readonly("input_dim", &arch::Architecture::input_dim)
        .def_property_readonly("depth", &arch::Architecture::depth)
        .def_property_readonly("widths", [](const arch::Architecture& a) {
            std::vector<std::size_t> w;
            for (std::size_t l = 0; l <= a.depth(); ++l) w.push_back(a.width(l));
            return w;
        })
        .def_property_readonly("nonzeros", &arch::Architecture::nonzeros)
        .def("bias", [](const arch::Architecture& a, std::size_t l) { return a.layers.at(l).bias; })
        .def("mask_bytes", &mask_bytes)
        .def("renamed", [](const arch::Architecture& a, const std::string& name) {
            arch::Architecture b = a;
            b.name = name;
            return b;
        })
        .def("to_json_text", [](const arch::Architecture& a) { return io::architecture_to_json(a).dump(); })
        .def("to_text", &io::architecture_to_text)
        .def("save", [](const arch::Architecture& a, const std::string& path) {
            io::write_file_atomically(path, io::architecture_to_text(a));
        })
        .def("same_layers", [](const arch::Architecture& a, const arch::Architecture& b) { return a == b; });

    m.def("read_architecture", &io::read_architecture, py::arg("path"),
          "reads and validates an architecture file (io::read_architecture)");
    m.def("architecture_from_json_text", &from_json_text, py::arg("text"), py::arg("source_name"),
          py::arg("base_dir") = std::string());
    m.def("check", &check, py::arg("arch"), py::arg("timeout"), py::arg("linear_only"));
    m.def("write_text_atomically", &io::write_file_atomically, py::arg("path"), py::arg("text"));
}
