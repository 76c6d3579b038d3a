#!/usr/bin/env python3
"""Deep census, tested: the class counts of tools/census/deep_census.py equal an independent count by
Burnside's lemma, and a seeded random sample of 3-layer classes is decided, every certificate verified
with its architecture and, when z3 is installed, compared with z3 on the closedness sentence (no
disagreement allowed). CLOSECERT_SEED replays the sample.
usage: test_deep_census.py CLOSECERT CLOSECERT_VERIFY SOURCE_ROOT"""
import itertools, os, shutil, subprocess, sys, time

cc, verify, root = sys.argv[1:4]
sys.path.insert(0, os.path.join(root, "tools", "census"))
import deep_census as dc  # noqa: E402

failures = []


def burnside(widths):
    """Orbits of all mask tuples under unit permutations (and transposition for palindromic widths)."""
    L = len(widths) - 1
    n = sum(widths[l] * widths[l - 1] for l in range(1, L + 1))
    perms = list(itertools.product(*[list(itertools.permutations(range(w))) for w in widths]))
    flips = [False, True] if tuple(widths) == tuple(reversed(widths)) else [False]
    group = [(p, f) for p in perms for f in flips]
    fixed = 0
    for bits in itertools.product("01", repeat=n):
        m = dc.masks_of(bits, widths)
        for p, f in group:
            if dc.permuted(dc.transposed(m) if f else m, p) == m:
                fixed += 1
    assert fixed % len(group) == 0
    return fixed // len(group)


for w in dc.width_tuples(3, 2):
    got, want = len(dc.classes(w)), burnside(w)
    if got != want:
        failures.append(f"widths {w}: {got} classes, Burnside says {want}")
total = sum(len(dc.classes(w)) for w in dc.width_tuples(3, 2))
if total != 725:
    failures.append(f"3-layer classes with widths <= 2: {total}, the committed census has 725")

seed = int(os.environ.get("CLOSECERT_SEED") or time.time_ns() % 2**32)
print(f"[deep-census] seed {seed} (replay with CLOSECERT_SEED={seed})")
args = [sys.executable, os.path.join(root, "tools", "census", "deep_census.py"), "--closecert", cc, "--verify", verify,
        "--depth", "3", "--max-width", "2", "--sample", "30", "--seed", str(seed), "--timeout", "20"]
z3 = shutil.which("z3")
if z3:
    args += ["--z3", z3, "--z3-timeout", "3"]
p = subprocess.run(args, capture_output=True, text=True, timeout=900)
lines = p.stdout.splitlines()
if p.returncode != 0 or len(lines) != 30:
    failures.append(f"sample run: exit {p.returncode}, {len(lines)} records: {p.stderr[-600:]}")
decided = sum('"verdict": "unknown"' not in l for l in lines)
print(f"[deep-census] sample: {decided} of {len(lines)} decided and verified{', z3 compared' if z3 else ', z3 not installed'}")
for f in failures:
    print("FAIL", f)
sys.exit(1 if failures else 0)
