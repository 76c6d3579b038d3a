#include "io/json_reader.hpp"

#include <algorithm>
#include <set>
#include <vector>

#include "io/errors.hpp"

namespace closecert::io {

using nlohmann::json;

namespace {

// Builds the document like nlohmann's DOM parser and refuses what that parser would silently resolve.
class StrictBuilder {
public:
    explicit StrictBuilder(json& root) : root_(root) {}

    bool null() { return value(nullptr); }
    bool boolean(bool v) { return value(v); }
    bool number_integer(json::number_integer_t v) { return value(v); }
    bool number_unsigned(json::number_unsigned_t v) { return value(v); }
    bool number_float(json::number_float_t v, const std::string&) { return value(v); }
    bool string(std::string& v) { return value(std::move(v)); }
    bool binary(json::binary_t&) { return refuse("binary values are not JSON"); }

    bool start_object(std::size_t) { return open(json::object(), true); }
    bool start_array(std::size_t) { return open(json::array(), false); }
    bool end_object() { return close(); }
    bool end_array() { return close(); }

    bool key(std::string& k) {
        Frame& f = frames_.back();
        f.key = k;  // path() now ends at this key
        if (!f.keys.insert(k).second) return refuse("duplicate key \"" + k + "\"");
        return true;
    }

    bool parse_error(std::size_t byte, const std::string&, const nlohmann::detail::exception& e) {
        byte_ = byte;
        std::string what = e.what();
        if (auto p = what.find("] "); p != std::string::npos) what = what.substr(p + 2);
        if (e.id == 406) {  // out_of_range: "number overflow parsing '...'"
            message_ = "number out of the range of a double";
            place_ = path();
        } else {
            if (auto p = what.find("parse error"); p != std::string::npos)
                if (auto c = what.find(": ", p); c != std::string::npos) what = what.substr(c + 2);
            message_ = "malformed JSON (" + what + ")";
        }
        return false;
    }

    const std::string& message() const { return message_; }
    const std::string& place() const { return place_; }
    std::size_t byte() const { return byte_; }

private:
    struct Frame {
        json* node;
        bool object;
        std::set<std::string> keys;
        std::string key;
    };

    json& root_;
    std::vector<Frame> frames_;
    std::string message_, place_;
    std::size_t byte_ = 0;

    // Path of the slot the next value goes into.
    std::string path() const {
        std::string p;
        for (std::size_t k = 0; k < frames_.size(); ++k) {
            const Frame& f = frames_[k];
            // An inner array's current element is its last one; the innermost gets the next one.
            const std::size_t index = f.node->size() - (k + 1 < frames_.size() ? 1 : 0);
            if (f.object) p += (p.empty() ? "" : ".") + f.key;
            else p += "[" + std::to_string(index) + "]";
        }
        return p;
    }
    bool refuse(std::string msg, std::string place = {}) {
        message_ = std::move(msg);
        place_ = place.empty() ? path() : std::move(place);
        return false;
    }
    json* slot() {
        if (frames_.empty()) return &root_;
        Frame& f = frames_.back();
        if (f.object) return &(*f.node)[f.key];
        f.node->push_back(nullptr);
        return &f.node->back();
    }
    template <class V>
    bool value(V&& v) {
        *slot() = json(std::forward<V>(v));
        return true;
    }
    bool open(json v, bool object) {
        if (frames_.size() >= kMaxJsonDepth)
            return refuse("JSON nested deeper than " + std::to_string(kMaxJsonDepth) + " levels");
        json* s = slot();
        *s = std::move(v);
        frames_.push_back(Frame{s, object, {}, {}});
        return true;
    }
    bool close() {
        frames_.pop_back();
        return true;
    }
};

std::pair<std::size_t, std::size_t> line_column(const std::string& text, std::size_t byte) {
    std::size_t line = 1, col = 1;
    const std::size_t end = std::min(byte == 0 ? 0 : byte - 1, text.size());
    for (std::size_t i = 0; i < end; ++i) {
        if (text[i] == '\n') { ++line; col = 1; }
        else ++col;
    }
    return {line, col};
}

}  // namespace

json parse_json_strict(const std::string& text, const std::string& file) {
    json root;
    StrictBuilder b(root);
    if (json::sax_parse(text, &b)) return root;
    std::string place = b.place();
    if (place.empty()) {
        auto [line, col] = line_column(text, b.byte());
        place = "line " + std::to_string(line) + " column " + std::to_string(col);
    }
    throw InputError(file, place, b.message());
}

}  // namespace closecert::io
