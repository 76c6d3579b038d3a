#include "engine/engine.hpp"

namespace closecert::engine {

// Temporary: replaced by the rule engine.
LinearResult decide_linear(const arch::Architecture&, const Options&) {
    LinearResult r;
    r.reason = "engine not implemented yet";
    return r;
}

}  // namespace closecert::engine
