// Wall-clock budget shared by the engine's searches; exceeding it ends in `unknown`.
#pragma once

#include <chrono>
#include <stdexcept>

namespace closecert::engine {

struct TimeoutError : std::runtime_error {
    TimeoutError() : std::runtime_error("time limit reached") {}
};

class Deadline {
public:
    using Clock = std::chrono::steady_clock;
    Deadline() : at_(Clock::time_point::max()) {}
    explicit Deadline(double seconds)
        : at_(seconds > 0 && seconds < 1e9
                  ? Clock::now() + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(seconds))
                  : Clock::time_point::max()) {}
    bool expired() const { return Clock::now() > at_; }
    void check() const {
        if (expired()) throw TimeoutError();
    }
    Clock::time_point at() const { return at_; }
private:
    Clock::time_point at_;
};

}  // namespace closecert::engine
