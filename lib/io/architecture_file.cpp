#include "io/architecture_file.hpp"

#include <filesystem>
#include <string_view>

#include "io/atomic_file.hpp"
#include "io/errors.hpp"
#include "io/json_reader.hpp"
#include "io/npy.hpp"

namespace closecert::io {

namespace {

using nlohmann::json;

std::string type_name(const json& j) {
    switch (j.type()) {
        case json::value_t::null: return "null";
        case json::value_t::boolean: return "a boolean";
        case json::value_t::number_integer:
        case json::value_t::number_unsigned: return "an integer";
        case json::value_t::number_float: return "a number with a fraction or exponent";
        case json::value_t::string: return "a string";
        case json::value_t::array: return "an array";
        case json::value_t::object: return "an object";
        default: return "an unsupported value";
    }
}

std::string quoted_char(unsigned char c) {
    static const char* hex = "0123456789abcdef";
    if (c >= 0x20 && c < 0x7f) return std::string("'") + static_cast<char>(c) + "'";
    return std::string("'\\x") + hex[c >> 4] + hex[c & 15] + "'";
}

struct Reader {
    const std::string& file;
    const std::string& base_dir;

    [[noreturn]] void fail(const std::string& place, const std::string& msg) const { throw InputError(file, place, msg); }

    void expect_object(const json& j, const std::string& place) const {
        if (!j.is_object()) fail(place, "expected an object, found " + type_name(j));
    }

    void only_keys(const json& j, const std::string& place, std::initializer_list<std::string_view> allowed) const {
        for (auto it = j.begin(); it != j.end(); ++it) {
            bool ok = false;
            for (auto a : allowed) ok = ok || it.key() == a;
            if (!ok) fail(place.empty() ? it.key() : place + "." + it.key(), "unknown key");
        }
    }

    const json& required(const json& j, const std::string& key, const std::string& place) const {
        auto it = j.find(key);
        if (it == j.end()) fail(place.empty() ? key : place, "missing required key '" + key + "'");
        return *it;
    }

    std::uint64_t count(const json& j, const std::string& place) const {
        if (!j.is_number_integer()) fail(place, "expected a non-negative integer, found " + type_name(j));
        // Values built in code are stored signed even when non-negative.
        if (!j.is_number_unsigned() && j.get<std::int64_t>() < 0)
            fail(place, "expected a non-negative integer, found " + j.dump());
        return j.get<std::uint64_t>();
    }

    void check_shape(std::uint64_t rows, std::uint64_t cols, const std::string& place) const {
        if (rows > arch::kMaxWidth)
            fail(place, "has " + std::to_string(rows) + " rows, over the limit " + std::to_string(arch::kMaxWidth));
        if (cols > arch::kMaxWidth)
            fail(place, "has " + std::to_string(cols) + " columns, over the limit " + std::to_string(arch::kMaxWidth));
        if (rows * cols > arch::kMaxMaskEntries)
            fail(place, "has " + std::to_string(rows * cols) + " entries, over the limit " +
                            std::to_string(arch::kMaxMaskEntries));
    }

    arch::Mask string_mask(const json& j, std::size_t expected_cols, const std::string& place) const {
        const std::size_t rows = j.size();
        check_shape(rows, expected_cols, place);
        arch::Mask m(rows, expected_cols);
        for (std::size_t i = 0; i < rows; ++i) {
            const std::string row_place = place + "[" + std::to_string(i) + "]";
            const json& r = j[i];
            if (r.is_array()) {  // a nested list, as json.dump(mask.tolist()) writes it
                if (r.size() != expected_cols)
                    fail(row_place, "has " + std::to_string(r.size()) + " entries, expected " +
                                        std::to_string(expected_cols) + " (the width of the layer's input)");
                for (std::size_t c = 0; c < r.size(); ++c) {
                    const json& e = r[c];
                    const bool one = e.is_boolean() ? e.get<bool>() : e.is_number_integer() && e == 1;
                    const bool zero = e.is_boolean() ? !e.get<bool>() : e.is_number_integer() && e == 0;
                    if (!one && !zero)
                        fail(row_place + "[" + std::to_string(c) + "]", "expected 0, 1, true or false, found " + e.dump());
                    if (one) m.set(i, c);
                }
                continue;
            }
            if (!r.is_string()) fail(row_place, "expected a string of '0'/'1' or a list of 0/1, found " + type_name(r));
            const auto& s = r.get_ref<const std::string&>();
            if (s.size() != expected_cols)
                fail(row_place, "has " + std::to_string(s.size()) + " characters, expected " +
                                    std::to_string(expected_cols) + " (the width of the layer's input)");
            for (std::size_t c = 0; c < s.size(); ++c) {
                if (s[c] == '1') m.set(i, c);
                else if (s[c] != '0')
                    fail(row_place, "character " + quoted_char(static_cast<unsigned char>(s[c])) + " at column " +
                                        std::to_string(c) + " is not 0 or 1");
            }
        }
        return m;
    }

    arch::Mask sparse_mask(const json& j, const std::string& place) const {
        only_keys(j, place, {"shape", "ones", "full"});
        const json& shape = required(j, "shape", place + ".shape");
        if (!shape.is_array() || shape.size() != 2)
            fail(place + ".shape", "expected [rows, cols], found " + (shape.is_array() ? shape.dump() : type_name(shape)));
        const std::uint64_t rows = count(shape[0], place + ".shape[0]");
        const std::uint64_t cols = count(shape[1], place + ".shape[1]");
        check_shape(rows, cols, place);
        if (auto it = j.find("full"); it != j.end()) {  // a dense layer: every entry a one
            if (*it != true) fail(place + ".full", "expected true, found " + it->dump());
            if (j.contains("ones")) fail(place, "has both \"full\" and \"ones\"");
            arch::Mask m(rows, cols);
            for (std::size_t i = 0; i < rows; ++i)
                for (std::size_t c = 0; c < cols; ++c) m.set(i, c);
            return m;
        }
        const json& ones = required(j, "ones", place + ".ones");
        if (!ones.is_array()) fail(place + ".ones", "expected an array of [row, col] pairs, found " + type_name(ones));
        arch::Mask m(rows, cols);
        for (std::size_t k = 0; k < ones.size(); ++k) {
            const std::string p = place + ".ones[" + std::to_string(k) + "]";
            const json& e = ones[k];
            if (!e.is_array() || e.size() != 2) fail(p, "expected [row, col], found " + e.dump());
            const std::uint64_t i = count(e[0], p + "[0]");
            const std::uint64_t c = count(e[1], p + "[1]");
            if (i >= rows || c >= cols)
                fail(p, "index [" + std::to_string(i) + ", " + std::to_string(c) + "] is out of range for shape [" +
                            std::to_string(rows) + ", " + std::to_string(cols) + "]");
            if (m.at(i, c)) fail(p, "repeats [" + std::to_string(i) + ", " + std::to_string(c) + "]");
            m.set(i, c);
        }
        return m;
    }

    arch::Mask npy_mask(const json& j, const std::string& place) const {
        only_keys(j, place, {"npy"});
        const json& p = j.at("npy");
        if (!p.is_string() || p.get_ref<const std::string&>().empty())
            fail(place + ".npy", "expected a non-empty path string, found " + type_name(p));
        std::filesystem::path rel(p.get<std::string>());
        std::filesystem::path full = rel.is_absolute() || base_dir.empty() ? rel : std::filesystem::path(base_dir) / rel;
        return read_npy_mask(full.string(), file, place + ".npy");
    }

    arch::Mask mask(const json& j, std::size_t expected_cols, const std::string& place) const {
        if (j.is_array()) return string_mask(j, expected_cols, place);
        if (j.is_object()) {
            if (j.contains("npy")) return npy_mask(j, place);
            if (j.contains("shape") || j.contains("ones") || j.contains("full")) return sparse_mask(j, place);
            fail(place, "a mask object needs either \"npy\" or \"shape\" with \"ones\" or \"full\"");
        }
        fail(place, "expected an array of row strings or of 0/1 lists, or an object, found " + type_name(j));
    }

    arch::Architecture architecture(const json& j) const {
        if (!j.is_object()) fail("top level", "expected a JSON object, found " + type_name(j));
        only_keys(j, "", {"format", "version", "name", "description", "input_dim", "layers"});
        const json& fmt = required(j, "format", "");
        if (!fmt.is_string() || fmt.get_ref<const std::string&>() != "closecert-architecture")
            fail("format", "expected \"closecert-architecture\", found " + fmt.dump());
        const json& ver = required(j, "version", "");
        if (!ver.is_number_integer()) fail("version", "expected an integer, found " + type_name(ver));
        if (ver != 1) fail("version", "version " + ver.dump() + " is not supported (this closecert reads version 1)");

        arch::Architecture a;
        if (auto it = j.find("name"); it != j.end()) {
            if (!it->is_string()) fail("name", "expected a string, found " + type_name(*it));
            a.name = it->get<std::string>();
        } else {
            a.name = std::filesystem::path(file).stem().string();
            if (a.name.empty()) a.name = "architecture";
        }
        if (auto it = j.find("description"); it != j.end() && !it->is_string())
            fail("description", "expected a string, found " + type_name(*it));

        const std::uint64_t d = count(required(j, "input_dim", ""), "input_dim");
        if (d == 0) fail("input_dim", "must be at least 1");
        if (d > arch::kMaxWidth)
            fail("input_dim", "is " + std::to_string(d) + ", over the limit " + std::to_string(arch::kMaxWidth));
        a.input_dim = static_cast<std::size_t>(d);

        const json& layers = required(j, "layers", "");
        if (!layers.is_array()) fail("layers", "expected an array of layers, found " + type_name(layers));
        if (layers.size() > arch::kMaxLayers)
            fail("layers", "has " + std::to_string(layers.size()) + " layers, over the limit " +
                               std::to_string(arch::kMaxLayers));
        for (std::size_t l = 0; l < layers.size(); ++l) {
            const std::string place = "layers[" + std::to_string(l) + "]";
            const json& lj = layers[l];
            expect_object(lj, place);
            only_keys(lj, place, {"mask", "bias"});
            arch::Layer layer;
            // For string masks the expected width comes from the previous layer.
            layer.mask = mask(required(lj, "mask", place + ".mask"), a.width(l), place + ".mask");
            if (auto it = lj.find("bias"); it != lj.end()) {
                if (!it->is_boolean()) fail(place + ".bias", "expected true or false, found " + type_name(*it));
                layer.bias = it->get<bool>();
            }
            a.layers.push_back(std::move(layer));
        }
        try {
            a.validate();
        } catch (const arch::ArchitectureError& e) {
            // what() is "where: message"; keep the message part only.
            std::string msg = e.what();
            const std::string prefix = e.where() + ": ";
            if (msg.rfind(prefix, 0) == 0) msg = msg.substr(prefix.size());
            fail(e.where(), msg);
        }
        return a;
    }
};

}  // namespace

arch::Architecture architecture_from_json(const nlohmann::json& j, const std::string& source_name,
                                          const std::string& base_dir) {
    return Reader{source_name, base_dir}.architecture(j);
}

arch::Architecture read_architecture(const std::string& path) {
    // "-" is standard input; its .npy references are relative to the working directory.
    const std::string name = path == "-" ? "(stdin)" : path;
    const std::string text = read_text_file(path, kMaxArchitectureFileBytes);
    const json j = parse_json_strict(text, name);
    const std::string dir = path == "-" ? "" : std::filesystem::path(path).parent_path().string();
    return architecture_from_json(j, name, dir);
}

nlohmann::json architecture_to_json(const arch::Architecture& a, bool compact) {
    json layers = json::array();
    for (const auto& l : a.layers) {
        const std::size_t entries = l.mask.rows() * l.mask.cols();
        const bool large = compact && entries > kCompactEntries;
        const std::size_t ones = large ? l.mask.nonzeros() : 0;
        if (large && ones == entries) {
            layers.push_back(json{{"mask", {{"shape", {l.mask.rows(), l.mask.cols()}}, {"full", true}}}, {"bias", l.bias}});
            continue;
        }
        if (large && 16 * ones <= entries) {
            json ones = json::array();
            for (std::size_t i = 0; i < l.mask.rows(); ++i)
                for (std::uint32_t j : l.mask.row_support(i)) ones.push_back({i, j});
            layers.push_back(json{{"mask", {{"shape", {l.mask.rows(), l.mask.cols()}}, {"ones", std::move(ones)}}}, {"bias", l.bias}});
            continue;
        }
        json rows = json::array();
        for (std::size_t i = 0; i < l.mask.rows(); ++i) {
            std::string s(l.mask.cols(), '0');
            for (std::size_t c = 0; c < l.mask.cols(); ++c)
                if (l.mask.at(i, c)) s[c] = '1';
            rows.push_back(std::move(s));
        }
        layers.push_back(json{{"mask", std::move(rows)}, {"bias", l.bias}});
    }
    json j = json::object();
    j["format"] = "closecert-architecture";
    j["version"] = 1;
    j["name"] = a.name;
    j["input_dim"] = a.input_dim;
    j["layers"] = std::move(layers);
    return j;
}

std::string architecture_to_text(const arch::Architecture& a) {
    // Hand-laid so that each mask reads as a matrix, one row per line.
    const json j = architecture_to_json(a, true);
    std::string out = "{\n";
    out += "  \"format\": \"closecert-architecture\",\n  \"version\": 1,\n";
    out += "  \"name\": " + json(a.name).dump() + ",\n";
    out += "  \"input_dim\": " + std::to_string(a.input_dim) + ",\n";
    out += "  \"layers\": [";
    for (std::size_t l = 0; l < a.layers.size(); ++l) {
        out += l ? ",\n" : "\n";
        out += "    {\"bias\": " + std::string(a.layers[l].bias ? "true" : "false") + ", \"mask\": ";
        const json& rows = j["layers"][l]["mask"];
        if (rows.is_object()) {  // the dense or sparse form of a large mask
            out += rows.dump() + "}";
            continue;
        }
        out += "[";
        for (std::size_t i = 0; i < rows.size(); ++i) out += std::string(i ? ",\n      " : "\n      ") + rows[i].dump();
        out += "]}";
    }
    out += "\n  ]\n}\n";
    return out;
}

}  // namespace closecert::io
