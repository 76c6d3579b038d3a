#!/usr/bin/env bash
# End-to-end tests of closecert flow: the shipped example (invariants, components, an unreachable
# target, the exact drift of gradient descent, the experiment's plot), its certificate verified
# with the architecture, and bad input.
# Usage: flow_cli_tests.sh path/to/closecert source_root   (CLOSECERT_VERIFY: the checker)
set -uo pipefail
cc="$1"
root="$2"
d="$root/data/flow"
verify="${CLOSECERT_VERIFY:?the checker}"
. "$(dirname "$0")/lib.sh"

run 1 "$cc" flow "$d/abs_2hidden.json" --init "$d/init_obstructed.json" --target "$d/target_abs.json" --cert "$tmp/flow.cert.json"
expect_in "$tmp/out" "unit 1: c = -15/4 (2 in, 1 out): its quadric has two components; here outgoing parameter < 0"
expect_in "$tmp/out" "invariant set: 4 connected components (3 up to permuting interchangeable units)"
expect_in "$tmp/out" "target: unreachable by gradient flow: unit 1 lies in the other component of its quadric"
run 0 "$verify" "$tmp/flow.cert.json" "$d/abs_2hidden.json"
expect_in "$tmp/out" "verified: flow: abs_2hidden: 2 invariants, 4 components (3 up to symmetry); the target is unreachable (unit 1, side)"
checks=$((checks + 1))
cmp -s "$tmp/flow.cert.json" "$root/data/certificates/flow/abs_2hidden.json" || fail "flow certificate differs from the shipped one"
# From the good initialisation the target is in another invariant set (c_0 differs).
run 1 "$cc" flow "$d/abs_2hidden.json" --init "$d/init_good.json" --target "$d/target_abs.json" --json
[ "$(json_field "$tmp/out" 'd["target"]')" = "{'reachable': False, 'unit': 0, 'why': 'invariant'}" ] || fail "good init --json: $(cat "$tmp/out")"
checks=$((checks + 1))
run 0 "$cc" flow "$d/abs_2hidden.json" --init "$d/init_obstructed.json" --target "$d/init_obstructed.json"
expect_in "$tmp/out" "target: in the initialisation's component (reachability not excluded)"
# The exact drift of one gradient-descent step (Lemma D), and the experiment.
run 1 "$cc" flow "$d/abs_2hidden.json" --init "$d/init_obstructed.json" --data "$d/abs_data.json" --eta 1/10 --json
[ "$(json_field "$tmp/out" '[u["gd_drift"] for u in d["units"]]')" = "['0', '391/16384']" ] || fail "drift: $(cat "$tmp/out")"
checks=$((checks + 1))
run 1 "$cc" flow "$d/abs_2hidden.json" --init "$d/init_obstructed.json" --data "$d/abs_data.json" --train "$tmp/abs.svg" \
    --compare "$d/init_good.json" --steps 2000
expect_in "$tmp/out" "gradient descent from init_good: loss "
[ -s "$tmp/abs.csv" ] && [ -s "$tmp/abs.gp" ] || fail "no csv or gnuplot script"
checks=$((checks + 1))
if command -v gnuplot >/dev/null; then expect_in "$tmp/abs.svg" "<svg"; fi
# The obstructed run stays above 1e-3, the good one goes below 1e-6 (last line of the csv).
python3 - "$tmp/abs.csv" <<'PY' || fail "the experiment does not separate the two runs"
import sys
last = open(sys.argv[1]).read().strip().splitlines()[-1].split(",")
assert float(last[1]) > 1e-3 and float(last[4]) < 1e-6, last
PY
checks=$((checks + 1))

# The global minimisers of |x| on 8 points (Lemma G): none in the obstructed component, one in the good one.
run 1 "$cc" flow "$d/abs_2hidden.json" --init "$d/init_obstructed.json" --data "$d/abs_data.json" --cert "$tmp/mins.cert.json"
expect_in "$tmp/out" "global minimisers of the data (zero loss, attained): none lies in the initialisation's component"
run 0 "$verify" "$tmp/mins.cert.json" "$d/abs_2hidden.json"
expect_in "$tmp/out" "every global minimiser of the data is unreachable"
checks=$((checks + 1))
cmp -s "$tmp/mins.cert.json" "$root/data/certificates/flow/abs_2hidden_minimisers.json" || fail "minimisers certificate differs from the shipped one"
run 0 "$cc" flow "$d/abs_2hidden.json" --init "$d/init_good.json" --data "$d/abs_data.json" --cert "$tmp/good.cert.json"
expect_in "$tmp/out" "one lies in the initialisation's component"
run 0 "$verify" "$tmp/good.cert.json" "$d/abs_2hidden.json"
expect_in "$tmp/out" "a global minimiser of the data is in the component"

# Lockstep on random small instances (seeded): architectures with 1 or 2 inputs and 2 or 3 hidden
# units, random rational inits, data from a random network (so zero loss is attained) or random
# labels. Every definite answer's certificate verifies and states the engine's answer; a planted
# network whose split units keep the init's sides is never answered "unreachable".
seed="${CLOSECERT_SEED:-$RANDOM}"
echo "flow minimisers lockstep seed $seed (replay with CLOSECERT_SEED=$seed)"
python3 - "$tmp" "$seed" <<'PY'
import json, random, sys
tmp, seed = sys.argv[1], int(sys.argv[2])
rng = random.Random(seed)
def q(lo=-3, hi=3, den=(1, 2)):
    return f"{rng.randint(lo, hi)}/{rng.choice(den)}"
for k in range(24):
    d, h = rng.choice([1, 1, 2]), rng.choice([2, 2, 3])
    bias2 = rng.random() < 0.5
    arch = {"format": "closecert-architecture", "version": 1, "name": f"r{k}", "input_dim": d,
            "layers": [{"mask": ["1" * d] * h, "bias": True}, {"mask": ["1" * h], "bias": bias2}]}
    init = {"format": "closecert-params", "version": 1, "layers": [
        {"weights": [[q() for _ in range(d)] for _ in range(h)], "bias": [q() for _ in range(h)]},
        {"weights": [[q(-4, 4) for _ in range(h)]], "bias": [q() if bias2 else "0"]}]}
    # Planted: the same signs of the outgoing weights as the init (so split units keep their side).
    planted = k % 2 == 0
    tw = [[q() for _ in range(d)] for _ in range(h)]
    tb = [q() for _ in range(h)]
    ta = []
    for a0 in init["layers"][1]["weights"][0]:
        s = 1 if not a0.startswith("-") else -1
        ta.append(str(s * rng.randint(1, 3)))
    n = rng.randint(3, 6)
    xs = [[f"{rng.randint(-4, 4)}/2" for _ in range(d)] for _ in range(n)]
    def f(x):
        from fractions import Fraction as F
        out = F(0)
        for i in range(h):
            z = F(tb[i]) + sum(F(tw[i][j]) * F(x[j]) for j in range(d))
            out += F(ta[i]) * max(z, F(0))
        return out
    ys = [[str(f(x))] if planted else [str(rng.randint(-2, 2))] for x in xs]
    json.dump(arch, open(f"{tmp}/r{k}.arch.json", "w"))
    json.dump(init, open(f"{tmp}/r{k}.init.json", "w"))
    json.dump({"format": "closecert-data", "version": 1, "x": xs, "y": ys}, open(f"{tmp}/r{k}.data.json", "w"))
    open(f"{tmp}/r{k}.planted", "w").write("1" if planted else "0")
PY
decided=0
for k in $(seq 0 23); do
    "$cc" flow "$tmp/r$k.arch.json" --init "$tmp/r$k.init.json" --data "$tmp/r$k.data.json" --json --cert "$tmp/r$k.cert.json" >"$tmp/out" 2>"$tmp/err"
    st=$?
    checks=$((checks + 1))
    [ "$st" = 0 ] || [ "$st" = 1 ] || { fail "r$k: exit $st: $(cat "$tmp/err")"; continue; }
    answer=$(json_field "$tmp/out" 'd["minimisers"]["answer"]')
    if [ "$(cat "$tmp/r$k.planted")" = 1 ] && [ "$answer" = unreachable ]; then
        # A planted fit lies in the component unless a split unit with c > 0 has its single input weight on the other side.
        json_field "$tmp/out" 'any(u["split"] and u["in"] == 1 for u in d["units"])' | grep -q True || fail "r$k: planted fit, answer $answer"
    fi
    [ "$answer" = unknown ] && continue
    decided=$((decided + 1))
    "$verify" --json "$tmp/r$k.cert.json" "$tmp/r$k.arch.json" >"$tmp/vout" 2>&1 || { fail "r$k: checker refused: $(head -c 300 "$tmp/vout")"; continue; }
    [ "$(json_field "$tmp/vout" 'd["facts"]["minimisers"]')" = "$answer" ] || fail "r$k: engine $answer, checker $(head -c 300 "$tmp/vout")"
done
echo "[flow-cli] $decided of 24 random instances decided and verified"
checks=$((checks + 1))
[ "$decided" -ge 12 ] || fail "only $decided of 24 random instances decided"

# Bad input: one line naming the file and the place, exit 2, no certificate.
printf '%s\n' '{"format": "closecert-params", "version": 1, "layers": [{"weights": [["1"], ["1"]]}, {"weights": [["1", "1"]], "bias": ["1"]}]}' >"$tmp/bias.json"
run 2 "$cc" flow "$d/abs_2hidden.json" --init "$tmp/bias.json" --cert "$tmp/bad.cert.json"
expect_error_line "$tmp/bias.json: layers: layer 2 has no bias, but bias 0 is not zero"
printf '%s\n' '{"format": "closecert-params", "version": 1, "layers": [{"weights": [["1"]]}, {"weights": [["1"]]}]}' >"$tmp/shape.json"
run 2 "$cc" flow "$d/abs_2hidden.json" --init "$tmp/shape.json"
expect_error_line "$tmp/shape.json: layers: layer 1 weights has 1 rows, the mask 2"
run 2 "$cc" flow "$root/data/patterns/butterfly8.json" --init "$tmp/shape.json"
expect_error_line "$root/data/patterns/butterfly8.json: layers: flow needs one hidden layer"
run 2 "$cc" flow "$d/abs_2hidden.json" --init "$d/init_good.json" --eta x
expect_error_line "--eta: 'x' is not a rational p/q"
[ ! -e "$tmp/bad.cert.json" ] || fail "a certificate was written for bad input"
checks=$((checks + 1))

echo "$checks checks, $failures failures"
[ "$failures" -eq 0 ]
