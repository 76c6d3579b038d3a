#include "fixed/arb_module.hpp"

extern "C" const closecert::fixed::ArbModule* closecert_arb_module() {
    using namespace closecert::fixed;
    static const ArbModule m{kArbModuleVersion, &smooth_fixed_points, &class_f, &jet_at};
    return &m;
}
