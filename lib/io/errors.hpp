// The one exception type for unreadable or invalid input files.
#pragma once

#include <cstdio>
#include <stdexcept>
#include <string>

namespace closecert::io {

// The text with control characters written as escapes, so that a message quoting input stays one line.
inline std::string escape_control(const std::string& s) {
    std::string out;
    out.reserve(s.size());
    for (unsigned char c : s) {
        if (c == '\n') out += "\\n";
        else if (c == '\r') out += "\\r";
        else if (c == '\t') out += "\\t";
        else if (c < 0x20 || c == 0x7f) {
            char buf[8];
            std::snprintf(buf, sizeof buf, "\\x%02x", c);
            out += buf;
        } else out += static_cast<char>(c);
    }
    return out;
}

// what() is one line: "FILE: PLACE: message" (or "FILE: message" when no place applies).
class InputError : public std::runtime_error {
public:
    InputError(std::string file, std::string place, std::string message)
        : std::runtime_error(compose(file, place, message)),
          file_(std::move(file)), place_(std::move(place)), message_(std::move(message)) {}
    const std::string& file() const { return file_; }
    const std::string& place() const { return place_; }
    const std::string& message() const { return message_; }

private:
    static std::string compose(const std::string& f, const std::string& p, const std::string& m) {
        return escape_control(p.empty() ? f + ": " + m : f + ": " + p + ": " + m);
    }
    std::string file_, place_, message_;
};

// Writing failed (directory missing, disk full, ...); what() is "FILE: message".
class OutputError : public std::runtime_error {
public:
    explicit OutputError(const std::string& what) : std::runtime_error(escape_control(what)) {}
};

}  // namespace closecert::io
