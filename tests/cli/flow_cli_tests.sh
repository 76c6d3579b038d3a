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
run 0 "$cc" flow "$d/abs_2hidden.json" --init "$d/init_obstructed.json" --data "$d/abs_data.json" --eta 1/10 --json
[ "$(json_field "$tmp/out" '[u["gd_drift"] for u in d["units"]]')" = "['0', '391/16384']" ] || fail "drift: $(cat "$tmp/out")"
checks=$((checks + 1))
run 0 "$cc" flow "$d/abs_2hidden.json" --init "$d/init_obstructed.json" --data "$d/abs_data.json" --train "$tmp/abs.svg" \
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
