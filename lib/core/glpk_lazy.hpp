// GLPK, loaded on first use. Only the Positivstellensatz search needs it, and linking it would cost
// every closecert process about a millisecond of start-up (libglpk and the five libraries it pulls
// in: about a fifth of the floor, docs/cli.md "For developers").
#pragma once

#include <glpk.h>

namespace closecert::core {

struct Glpk {
    decltype(&glp_term_out) term_out;
    decltype(&glp_create_prob) create_prob;
    decltype(&glp_delete_prob) delete_prob;
    decltype(&glp_free_env) free_env;
    decltype(&glp_add_rows) add_rows;
    decltype(&glp_add_cols) add_cols;
    decltype(&glp_set_row_bnds) set_row_bnds;
    decltype(&glp_set_col_bnds) set_col_bnds;
    decltype(&glp_load_matrix) load_matrix;
    decltype(&glp_init_smcp) init_smcp;
    decltype(&glp_adv_basis) adv_basis;
    decltype(&glp_simplex) simplex;
    decltype(&glp_exact) exact;
    decltype(&glp_get_status) get_status;
    decltype(&glp_get_col_stat) get_col_stat;
    decltype(&glp_get_row_stat) get_row_stat;
};

// The library's entry points; throws std::runtime_error if libglpk cannot be loaded.
const Glpk& glpk();

}  // namespace closecert::core
