// The Arb half of lib/fixed (smooth.cpp, classf.cpp) is built twice: linked in (closecert_fixed,
// for the tests and harnesses) and as the module closecert-arb.so that `closecert` loads only when
// a command needs it (loader.cpp). libflint-arb is linked BIND_NOW, and its 2,000 relocations
// would otherwise cost every start-up of closecert about a third of its time.
#pragma once

#include "fixed/classf.hpp"
#include "fixed/smooth.hpp"

namespace closecert::fixed {

struct ArbModule {
    int version;  // kArbModuleVersion: the module and the program come from one build
    FixedResult (*smooth_fixed_points)(const Network&, const FixedLimits&);
    ClassFResult (*class_f)(const ClassFQuery&);
    PointJet (*jet_at)(Function, const core::Rational&);
};
inline constexpr int kArbModuleVersion = 1;

}  // namespace closecert::fixed

// The module's one exported entry point.
extern "C" const closecert::fixed::ArbModule* closecert_arb_module();
