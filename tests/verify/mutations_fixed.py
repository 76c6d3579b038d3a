#!/usr/bin/env python3
"""Mutation suite for certificates of kind "fixed" (docs/fixed.md).

The shipped certificates in data/certificates/fixed verify, alone and against their network file in
data/networks (also written with floats and decimals); targeted and systematic mutations are
rejected (exit 1) or refused as unreadable (exit 2), never accepted, never a crash.
usage: mutations_fixed.py CHECKER SOURCE_ROOT
"""
import copy, fractions, glob, json, os, random, sys, time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from runner import Runner, get, mutated, setp, systematic  # noqa: E402

CHECKER, ROOT = sys.argv[1], sys.argv[2]
R = Runner(CHECKER)
CERTS = os.path.join(ROOT, "data", "certificates", "fixed")
NETS = os.path.join(ROOT, "data", "networks")
certs = {os.path.basename(p): json.load(open(p)) for p in sorted(glob.glob(os.path.join(CERTS, "*.json")))}
assert certs, "no fixed-point certificates in " + CERTS

GOLDEN = {
    "tent3.json": "verified: fixed: tent3: 8 fixed points, 0 intervals of fixed points: 0, 2/9, 2/7, 4/9, 4/7, 2/3, 6/7, 8/9"
                  " (10 steps checked, 0 trusted)\n",
    "hardtanh_2x.json": "verified: fixed: hardtanh_2x: 3 fixed points, 0 intervals of fixed points: -1, 0, 1 (3 steps checked, 0 trusted)\n",
    "tanh_3x.json": "verified: fixed: tanh_3x: 3 fixed points, 0 intervals of fixed points: -0.994901528, 0, 0.994901528"
                    " (61 steps checked, 0 trusted)\n",
    "relu_identity.json": "verified: fixed: relu_identity: 0 fixed points, 1 interval of fixed points: [0, +inf) (2 steps checked, 0 trusted)\n",
}


def as_floats(net):
    """The network file as an exporter would write it: dyadic values as JSON floats, others as decimals or p/q."""
    n = copy.deepcopy(net)
    for layer in n["layers"]:
        def conv(s):
            q = fractions.Fraction(s)
            if q.denominator & (q.denominator - 1) == 0:
                return float(q) if q.denominator > 1 else int(q)
            return s
        layer["weights"] = [[conv(x) for x in row] for row in layer["weights"]]
        layer["bias"] = [conv(x) for x in layer["bias"]]
    return n


# 1. Valid: alone, against the shipped network file, against the same network in float form.
for name, doc in certs.items():
    rc, out, err = R.run(doc)
    if rc != 0 or (name in GOLDEN and out != GOLDEN[name]):
        R.failures.append(f"valid {name}: exit {rc}: {out!r} {err.strip()}")
    net_file = os.path.join(NETS, doc["network"]["name"] + ".json")
    R.expect(f"valid {name} with its network file", doc, {0}, arch=json.load(open(net_file)))
    R.expect(f"valid {name} with the float form", doc, {0}, arch=as_floats(doc["network"]))

# 2. Targeted: each mutation is caught by the check it targets.
TENT, HT, RELU = certs["tent3.json"], certs["hardtanh_2x.json"], certs["relu_identity.json"]
TANH, MIXED = certs["tanh_3x.json"], certs["mixed_w2.json"]
CELLS = ("proof", "cells")
U = [k for k, c in enumerate(TANH["proof"]["cells"]) if c[2] == "newton_unique"]  # the three isolating cells
E = [k for k, c in enumerate(TANH["proof"]["cells"]) if c[2] == "newton_empty"]
Z = [k for k, c in enumerate(TANH["proof"]["cells"]) if c[2] == "no_zero"]
assert len(U) == 3 and E and Z
FP = ("claim", "fixed_points")


def pop(path, i):
    def fn(d):
        x = d
        for k in path:
            x = x[k]
        x.pop(i)
    return fn


targeted = [
    (TENT, "a fixed point left out", pop(FP, 7), "lists 7 components"),
    (TENT, "a fixed point moved", setp(FP + (3,), {"point": "1/2"}), "the component is the point 4/9"),
    (TENT, "a point claimed as an interval", setp(FP + (0,), {"interval": ["0", "0"]}), "the component is the point 0"),
    (RELU, "an interval cut short", setp(FP + (0,), {"interval": ["0", "5"]}), "the component is the interval [0, +inf)"),
    (RELU, "an interval claimed as a point", setp(FP + (0,), {"point": "0"}), "the component is the interval"),
    (TENT, "a partition point left out", pop(("proof", "partition"), 3), "changes piece inside the cell"),
    (HT, "no partition", setp(("proof", "partition"), []), "changes piece inside the cell"),
    (TENT, "partition not increasing", setp(("proof", "partition", 1), "-5"), "not increasing"),
    (TENT, "a bias changed", setp(("network", "layers", 1, "bias", 1), "-1/3"), None),
    (HT, "a smooth activation", setp(("network", "layers", 0, "activation"), "tanh"), "not piecewise linear"),
    (HT, "an unknown rule", setp(("proof", "rule"), "trust_me"), "expected \"pwl_partition\" or \"interval_newton\""),
    (HT, "two outputs", setp(("network", "layers", 0, "weights"), [["2"], ["1"]]), "one bias per unit"),
    (HT, "a leading zero (octal to some readers)", setp(("proof", "partition", 1), "01/2"), "leading zero"),
    # interval_newton
    (TANH, "a fixed point left out", pop(FP, 1), "lists 2 components"),
    (TANH, "an isolating cell declared empty", setp(CELLS + (U[1], 2), "newton_empty"), "the Newton image meets the cell"),
    (TANH, "an isolating cell declared without zero", setp(CELLS + (U[1], 2), "no_zero"), "f(x) - x may vanish"),
    (TANH, "an empty cell declared isolating", setp(CELLS + (E[0], 2), "newton_unique"), "not inside the cell"),
    (TANH, "a cell left out", pop(CELLS, Z[0]), "without gaps"),
    (TANH, "the domain cut", setp(("proof", "domain", 1), TANH["proof"]["cells"][-1][0]), "does not hold the range"),
    (TANH, "the bounded layer is not bounded", setp(("network", "layers", 0, "activation"), "softplus"), "not bounded"),
    (TANH, "a steeper tanh", setp(("network", "layers", 0, "weights"), [["4"]]), None),
    (TANH, "an enclosure claimed narrower", setp(FP + (2, "isolated", 0), "1"), "isolated in"),
    (TANH, "an unknown verdict", setp(CELLS + (0, 2), "trust_me"), "unknown verdict"),
    (TANH, "a pwl proof for tanh", setp(("proof",), {"rule": "pwl_partition", "partition": []}), "not piecewise linear"),
    (MIXED, "the relu output made identity", setp(("network", "layers", 2, "activation"), "identity"), None),
    (HT, "a float in the certificate", setp(("network", "layers", 0, "weights"), [[2.0]]), "expected a string"),
]
for doc, label, fn, why in targeted:
    R.expect("targeted: " + label, mutated(doc, fn), {1}, why=why)
# The certificate is bound to its network: another network file is refused.
R.expect("tent3 against hardtanh_2x's network", TENT, {1}, arch=HT["network"], why="is not the network of")
R.expect("network file with a changed weight", HT, {1},
         arch=mutated(HT["network"], setp(("layers", 0, "weights"), [["3"]])), why="is not the network of")
R.expect("network file with a bad number", HT, {2}, arch=mutated(HT["network"], setp(("layers", 0, "weights"), [["2.x"]])))


# 3. Systematic: delete every field and element, retype every value. The slowest certificates to
# check (mixed_w2: about 1 s) keep their valid and targeted runs only.
HEAVY = {"mixed_w2.json", "logistic_chain3.json"}
n_systematic = 0
for name, doc in certs.items():
    if name in HEAVY:
        continue
    for label, m in systematic(doc, optional=("name",), sample_long=True):
        n_systematic += 1
        R.expect(f"{name}: {label}", m, {1, 2})

# 4. Truncations are unreadable (exit 2); seeded byte flips never crash.
seed = int(os.environ.get("CLOSECERT_SEED") or time.time_ns() % 2**32)
print(f"[mutations_fixed] seed {seed} (replay with CLOSECERT_SEED={seed})")
rng = random.Random(seed)
for name in certs:
    raw = open(os.path.join(CERTS, name), "rb").read().rstrip()
    for cut in range(0, len(raw), max(17, len(raw) // 60)):
        R.expect(f"{name} truncated at {cut}", raw[:cut], {2})
    for _ in range(0 if name in HEAVY else 40):
        b = bytearray(raw)
        b[rng.randrange(len(b))] = rng.randrange(256)
        R.expect(f"{name} byte flip", bytes(b), {0, 1, 2})

print(f"[mutations_fixed] {R.counts['runs']} runs ({len(targeted)} targeted, {n_systematic} systematic): "
      f"{R.counts['verified']} verified, {R.counts['rejected']} rejected, {R.counts['error']} unreadable")
for f in R.failures:
    print("FAIL:", f)
sys.exit(1 if R.failures else 0)
