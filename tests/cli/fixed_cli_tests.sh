#!/usr/bin/env bash
# End-to-end tests of closecert fixed: the shipped networks, their certificates verified with the
# network file, unknown for smooth activations, bad input, and engine and checker in lockstep on
# random networks (seeded).
# Usage: fixed_cli_tests.sh path/to/closecert source_root   (CLOSECERT_VERIFY: the checker)
set -uo pipefail
cc="$1"
root="$2"
net="$root/data/networks"
verify="${CLOSECERT_VERIFY:?the checker}"
. "$(dirname "$0")/lib.sh"

run 0 "$cc" fixed "$net/tent3.json" --cert "$tmp/tent3.cert.json"
expect_in "$tmp/out" "tent3: 8 fixed points: 0, 2/9, 2/7, 4/9, 4/7, 2/3, 6/7, 8/9"
run 0 "$verify" "$tmp/tent3.cert.json" "$net/tent3.json"
expect_in "$tmp/out" "verified: fixed: tent3: 8 fixed points"
checks=$((checks + 1))
cmp -s "$tmp/tent3.cert.json" "$root/data/certificates/fixed/tent3.json" || fail "tent3 certificate differs from the shipped one"
run 0 "$cc" fixed "$net/hardtanh_2x.json"
expect_in "$tmp/out" "hardtanh_2x: 3 fixed points: -1, 0, 1"
run 0 "$cc" fixed "$net/relu_identity.json" --json
[ "$(json_field "$tmp/out" 'd["fixed_points"]')" = "[{'interval': ['0', None]}]" ] || fail "relu_identity --json: $(cat "$tmp/out")"
checks=$((checks + 1))
run 0 "$cc" fixed "$net/leaky_chain3.json"
expect_in "$tmp/out" "leaky_chain3: 1 fixed point: -1/26"
# Smooth activations: each fixed point isolated by interval Newton, the certificate re-checked.
for n in tanh_3x arctan_2x logistic_chain3 mixed_w2; do
    run 0 "$cc" fixed "$net/$n.json" --cert "$tmp/$n.cert.json"
    expect_in "$tmp/out" "$n: 3 fixed points: "
    run 0 "$verify" "$tmp/$n.cert.json" "$net/$n.json"
    expect_in "$tmp/out" "verified: fixed: $n: 3 fixed points"
done
expect_in "$tmp/out" "0, 0.538330396, 0.927351422"
run 0 "$cc" fixed "$net/tanh_3x.json"
expect_in "$tmp/out" "tanh_3x: 3 fixed points: -0.994901528453 (in \["
# tanh(x): the fixed point 0 has f'(0) = 1, which interval Newton cannot isolate: unknown, no certificate.
run 3 "$cc" fixed "$net/tanh_1x.json" --cert "$tmp/tanh.cert.json"
expect_in "$tmp/out" "tanh_1x: unknown (cannot isolate the fixed points near x = "
[ ! -e "$tmp/tanh.cert.json" ] || fail "a certificate was written for an unknown answer"
checks=$((checks + 1))
printf '%s\n' '{"format": "closecert-network", "version": 1, "layers": [{"weights": [[2]], "activation": "softplus"}]}' >"$tmp/sp.json"
run 3 "$cc" fixed "$tmp/sp.json"
expect_in "$tmp/out" "no layer has a bounded activation"
run 0 "$cc" fixed - <"$net/hardtanh_2x.json"
expect_in "$tmp/out" "hardtanh_2x: 3 fixed points"

# Bad input: status 2, one line naming the file and the place, no certificate.
bad() {  # bad NAME JSON EXPECTED_MESSAGE_PREFIX
    printf '%s\n' "$2" >"$tmp/$1.json"
    run 2 "$cc" fixed "$tmp/$1.json" --cert "$tmp/$1.cert.json"
    expect_error_line "$tmp/$1.json: $3"
    [ ! -e "$tmp/$1.cert.json" ] || fail "$1: a certificate was written for bad input"
}
head='"format": "closecert-network", "version": 1'
bad two_outputs "{$head, \"layers\": [{\"weights\": [[1], [2]], \"activation\": \"relu\"}]}" \
    "layers: the last layer has 2 units"
bad bad_number "{$head, \"layers\": [{\"weights\": [[\"1/0\"]], \"activation\": \"relu\"}]}" \
    "layers[0].weights[0][0]: '1/0' is not a rational"
bad bad_decimal "{$head, \"layers\": [{\"weights\": [[\"1.2.3\"]], \"activation\": \"relu\"}]}" \
    "layers[0].weights[0][0]: '1.2.3' is not a decimal number"
bad bad_activation "{$head, \"layers\": [{\"weights\": [[1]], \"activation\": \"gelu\"}]}" \
    "layers[0].activation: expected one of"
bad bad_shape "{$head, \"layers\": [{\"weights\": [[1, 2]], \"activation\": \"relu\"}]}" \
    "layers: layer 1: a weight row has 2 entries"
bad stray_slope "{$head, \"layers\": [{\"weights\": [[1]], \"activation\": \"relu\", \"slope\": 0.5}]}" \
    "layers[0].slope: only leaky_relu has a slope"
bad no_format "{\"layers\": []}" "format: expected \"closecert-network\""
bad duplicate "{$head, \"layers\": [], \"layers\": []}" "layers: duplicate key \"layers\""

# Lockstep on random networks: every engine answer is a certificate the checker accepts with the
# network file (floats and decimals in it), and the checker's list equals the engine's.
seed="${CLOSECERT_SEED:-$(date +%s%N | cut -c1-9)}"
echo "[fixed-cli] seed $seed (replay with CLOSECERT_SEED=$seed)"
python3 - "$seed" "$tmp" <<'PY'
import json, random, sys
rng = random.Random(int(sys.argv[1]))
pwl = ["identity", "relu", "leaky_relu", "hardtanh"]
smooth = ["tanh", "logistic", "arctan", "softplus", "relu", "identity"]
for k in range(40):
    acts = pwl if k % 2 == 0 else smooth  # odd networks are smooth: interval Newton
    layers, prev = [], 1
    depth = rng.randint(1, 5)
    for l in range(depth):
        w = 1 if l == depth - 1 else rng.randint(1, 3)
        num = lambda: rng.choice([rng.randint(-4, 4), rng.randint(-8, 8) / 4, "%d/3" % rng.randint(-6, 6), "0.%d" % rng.randint(0, 9)])
        L = {"weights": [[num() for _ in range(prev)] for _ in range(w)], "bias": [num() for _ in range(w)], "activation": rng.choice(acts)}
        if L["activation"] == "leaky_relu":
            L["slope"] = rng.choice(["1/10", 0.25, "1/100"])
        layers.append(L)
        prev = w
    json.dump({"format": "closecert-network", "version": 1, "name": "random%d" % k, "layers": layers}, open("%s/random%d.json" % (sys.argv[2], k), "w"))
PY
decided=0
for k in $(seq 0 39); do
    # A smooth network may be unknown (no bounded layer, a tangency): then nothing to check.
    run "0 3" "$cc" fixed "$tmp/random$k.json" --json --cert "$tmp/random$k.cert.json"
    [ "$status" = 0 ] || continue
    decided=$((decided + 1))
    engine=$(json_field "$tmp/out" 'd["fixed_points"]')
    run 0 "$verify" --json "$tmp/random$k.cert.json" "$tmp/random$k.json"
    checks=$((checks + 1))
    [ "$(json_field "$tmp/out" 'd["facts"]["fixed_points"]')" = "$engine" ] || fail "random$k: checker $(cat "$tmp/out"), engine $engine"
done

echo "[fixed-cli] $decided of 40 random networks decided and verified"
checks=$((checks + 1))
[ "$decided" -ge 25 ] || fail "only $decided of 40 random networks decided"
echo "$checks checks, $failures failures"
[ "$failures" -eq 0 ]
