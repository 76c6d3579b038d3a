// --max-memory: allocations beyond the limit throw std::bad_alloc in every allocator the engine uses
// (operator new, GMP, FLINT) instead of aborting. Each case runs in a child process, whose address
// space limit cannot affect the other tests.
#include <doctest/doctest.h>

#include <flint/fmpz.h>
#include <flint/fmpq_mpoly.h>
#include <new>
#include <sys/wait.h>
#include <unistd.h>
#include <vector>

#include "engine/memory_limit.hpp"

using namespace closecert;

namespace {

// Exit codes of the child: 0 the allocation threw bad_alloc, 1 it succeeded, 2 no limit could be set.
template <class F>
int in_child(F allocate) {
    const pid_t pid = ::fork();
    if (pid == 0) {
        if (!engine::set_memory_limit(std::size_t{256} << 20)) ::_exit(2);
        try {
            allocate();
        } catch (const std::bad_alloc&) {
            ::_exit(0);
        }
        ::_exit(1);
    }
    int status = 0;
    ::waitpid(pid, &status, 0);
    REQUIRE_MESSAGE(WIFEXITED(status), "the child was killed by signal " << (WIFSIGNALED(status) ? WTERMSIG(status) : 0));
    return WEXITSTATUS(status);
}

}  // namespace

TEST_CASE("memory sizes parse with binary units and refuse garbage") {
    CHECK(engine::parse_memory_size("0") == std::size_t{0});
    CHECK(engine::parse_memory_size("512M") == std::size_t{512} << 20);
    CHECK(engine::parse_memory_size("4G") == std::size_t{4} << 30);
    CHECK(engine::parse_memory_size("16KiB") == std::size_t{16} << 10);
    CHECK(engine::parse_memory_size("1048576") == std::size_t{1} << 20);
    for (const char* bad : {"", "M", "-1", "1.5G", "12Q", "99999999999999999999", "9000000000T"})
        CHECK_MESSAGE(!engine::parse_memory_size(bad), bad);
    CHECK(engine::default_memory_limit() > (std::size_t{64} << 20));
}

TEST_CASE("beyond the memory limit, operator new, GMP and FLINT throw bad_alloc instead of aborting") {
    const int probe = in_child([] { std::vector<char> v(std::size_t{1} << 30, 1); });
    if (probe == 2) {
        MESSAGE("sanitizer build: no address-space limit is set, nothing to test");
        return;
    }
    CHECK(probe == 0);
    // 2^33 bits: a 1 GiB integer, through GMP's allocator (FLINT's fmpz is an mpz when large).
    CHECK(in_child([] {
              fmpz_t x;
              fmpz_init_set_ui(x, 1);
              fmpz_mul_2exp(x, x, std::size_t{1} << 33);
              fmpz_clear(x);
          }) == 0);
    // FLINT's own allocator: a polynomial with 2^26 terms of x^i (a few GiB of coefficient and exponent arrays).
    CHECK(in_child([] {
              const char* vars[] = {"x"};
              fmpq_mpoly_ctx_t ctx;
              fmpq_mpoly_ctx_init(ctx, 1, ORD_LEX);
              fmpq_mpoly_t p;
              fmpq_mpoly_init(p, ctx);
              fmpq_mpoly_fit_length(p, std::size_t{1} << 27, ctx);
              (void)vars;
              fmpq_mpoly_clear(p, ctx);
              fmpq_mpoly_ctx_clear(ctx);
          }) == 0);
    // Below the limit, allocation still works.
    CHECK(in_child([] { std::vector<char> v(std::size_t{32} << 20, 1); }) == 1);
}
