// smooth_fixed_points, class_f and jet_at for `closecert`: they load closecert-arb.so on first use
// (arb_module.hpp says why) from $CLOSECERT_ARB_MODULE, the build tree or the install directory.
#include <dlfcn.h>

#include <cstdlib>
#include <mutex>
#include <stdexcept>
#include <string>

#include "fixed/arb_module.hpp"

namespace closecert::fixed {

namespace {

const ArbModule& module() {
    static const ArbModule* m = nullptr;
    static std::once_flag once;
    std::call_once(once, [] {
        std::string tried, why;
        const char* env = std::getenv("CLOSECERT_ARB_MODULE");
        for (const char* path : {env, CLOSECERT_ARB_MODULE_BUILD, CLOSECERT_ARB_MODULE_INSTALL}) {
            if (!path || !*path) continue;
            tried += std::string(tried.empty() ? "" : ", ") + path;
            void* h = dlopen(path, RTLD_NOW | RTLD_LOCAL);
            if (!h) {
                if (const char* e = dlerror()) why = e;
                continue;
            }
            using Entry = const ArbModule* (*)();
            const auto entry = reinterpret_cast<Entry>(dlsym(h, "closecert_arb_module"));
            if (entry && entry()->version == kArbModuleVersion) {
                m = entry();
                return;
            }
            why = std::string(path) + " is not a closecert-arb module of this version";
        }
        throw std::runtime_error("the interval-arithmetic module closecert-arb.so could not be loaded (tried " + tried + "): " + why);
    });
    if (!m) throw std::runtime_error("the interval-arithmetic module closecert-arb.so is not loaded");
    return *m;
}

}  // namespace

FixedResult smooth_fixed_points(const Network& n, const FixedLimits& limits) { return module().smooth_fixed_points(n, limits); }
ClassFResult class_f(const ClassFQuery& q) { return module().class_f(q); }
PointJet jet_at(Function f, const core::Rational& x) { return module().jet_at(f, x); }

}  // namespace closecert::fixed
