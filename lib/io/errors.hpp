// The one exception type for unreadable or invalid input files.
#pragma once

#include <stdexcept>
#include <string>

namespace closecert::io {

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
        return p.empty() ? f + ": " + m : f + ": " + p + ": " + m;
    }
    std::string file_, place_, message_;
};

// Writing failed (directory missing, disk full, ...); what() is "FILE: message".
class OutputError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

}  // namespace closecert::io
