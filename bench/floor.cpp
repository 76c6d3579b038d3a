// The start-up floor: a process that only loads FLINT (and GMP), which closecert cannot avoid.
#include <flint/flint.h>
#include <gmp.h>
#include <cstdio>

int main() {
    mpz_t x;
    mpz_init_set_ui(x, 1);
    std::printf("%d\n", static_cast<int>(flint_get_num_threads()) + static_cast<int>(mpz_get_ui(x)) - 1);
    mpz_clear(x);
}
