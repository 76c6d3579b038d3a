// Three-valued answers: closed, not closed, unknown. Never a guess.
#pragma once

#include <string>
#include <string_view>

namespace closecert::engine {

enum class Verdict { closed, not_closed, unknown };

inline std::string_view to_string(Verdict v) {
    switch (v) {
        case Verdict::closed: return "closed";
        case Verdict::not_closed: return "not_closed";
        case Verdict::unknown: return "unknown";
    }
    return "unknown";
}

}  // namespace closecert::engine
