#include "core/glpk_lazy.hpp"

#include <dlfcn.h>

#include <mutex>
#include <stdexcept>
#include <string>

namespace closecert::core {

namespace {

template <typename F>
void bind(void* lib, const char* name, F& f) {
    f = reinterpret_cast<F>(dlsym(lib, name));
    if (!f) throw std::runtime_error(std::string("libglpk has no symbol ") + name);
}

}  // namespace

const Glpk& glpk() {
    static Glpk g;
    static std::once_flag once;
    std::call_once(once, [] {
        // The runtime package's soname (Debian 12: libglpk40), then the development symlink.
        void* lib = nullptr;
        for (const char* name : {"libglpk.so.40", "libglpk.so"})
            if ((lib = dlopen(name, RTLD_NOW | RTLD_LOCAL))) break;
        if (!lib) throw std::runtime_error(std::string("GLPK could not be loaded: ") + dlerror());
        bind(lib, "glp_term_out", g.term_out);
        bind(lib, "glp_create_prob", g.create_prob);
        bind(lib, "glp_delete_prob", g.delete_prob);
        bind(lib, "glp_free_env", g.free_env);
        bind(lib, "glp_add_rows", g.add_rows);
        bind(lib, "glp_add_cols", g.add_cols);
        bind(lib, "glp_set_row_bnds", g.set_row_bnds);
        bind(lib, "glp_set_col_bnds", g.set_col_bnds);
        bind(lib, "glp_load_matrix", g.load_matrix);
        bind(lib, "glp_init_smcp", g.init_smcp);
        bind(lib, "glp_adv_basis", g.adv_basis);
        bind(lib, "glp_simplex", g.simplex);
        bind(lib, "glp_exact", g.exact);
        bind(lib, "glp_get_status", g.get_status);
        bind(lib, "glp_get_col_stat", g.get_col_stat);
        bind(lib, "glp_get_row_stat", g.get_row_stat);
    });
    return g;
}

}  // namespace closecert::core
