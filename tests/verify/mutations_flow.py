#!/usr/bin/env python3
"""Mutation suite for certificates of kind "flow" (docs/flow.md): the shipped certificate verifies
alone and against its architecture file; targeted and systematic mutations are rejected (exit 1)
or unreadable (exit 2), never accepted, never a crash.
usage: mutations_flow.py CHECKER SOURCE_ROOT
"""
import copy, json, os, sys  # noqa: F401

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from runner import Runner, delp, mutated, setp, systematic  # noqa: E402

CHECKER, ROOT = sys.argv[1], sys.argv[2]
R = Runner(CHECKER)
CERT = json.load(open(os.path.join(ROOT, "data", "certificates", "flow", "abs_2hidden.json")))
ARCH = json.load(open(os.path.join(ROOT, "data", "flow", "abs_2hidden.json")))


rc, out, err = R.run(CERT)
if rc != 0 or not out.startswith("verified: flow: abs_2hidden: 2 invariants, 4 components (3 up to symmetry); the target is unreachable (unit 1, side)"):
    R.failures.append(f"valid certificate: exit {rc}: {out!r} {err}")
R.expect("valid with its architecture file", CERT, {0}, arch=ARCH)
other = copy.deepcopy(ARCH)
other["layers"][1]["mask"] = ["10"]
R.expect("against another architecture", CERT, {1}, arch=other, why="is not the architecture of")

INIT_A1 = ("init", "layers", 1, "weights", 0, 1)  # the outgoing weight of unit 1 (-2)
targeted = [
    ("an invariant changed", setp(("claim", "invariants", 0), "-3"), "is -15/4"),
    ("the init's outgoing weight flipped", setp(INIT_A1, "2"), "the split units are"),
    ("the init's weight scaled", setp(("init", "layers", 0, "weights", 1, 0), "-1"), "is -3"),
    ("components doubled", setp(("claim", "components"), "8"), "is 4"),
    ("components up to symmetry", setp(("claim", "components_up_to_symmetry"), "4"), "is 3"),
    ("target claimed reachable", setp(("claim", "target"), {"reachable": "not excluded"}), "\"unit\":1"),
    ("target on the init's side", setp(("target", "layers", 1, "weights", 0, 1), "-2"), "not excluded"),
    ("a weight outside the mask", setp(("init", "layers", 1, "weights", 0), ["2", "-2", "1"]), "shape differs"),
    ("a bias where the layer has none", setp(("init", "layers", 1, "bias", 0), "1"), "layer without bias"),
    ("an unknown rule", setp(("proof", "rule"), "trust_me"), "conserved_quadrics"),
    ("three layers", setp(("architecture", "layers"), CERT["architecture"]["layers"] + [{"mask": ["1"]}]), None),
]
# Without the (zero) biases of layer 1 the claims still hold, but for another architecture.
nobias = mutated(CERT, setp(("architecture", "layers", 0, "bias"), False))
R.expect("layer 1 without bias, alone", nobias, {0})
R.expect("layer 1 without bias, against the architecture file", nobias, {1}, arch=ARCH, why="is not the architecture of")
for label, fn, why in targeted:
    R.expect("targeted: " + label, mutated(CERT, fn), {1, 2} if why is None else {1}, why=why)


n = 0
for label, m in systematic(CERT, optional=("name", "bias")):
    n += 1
    R.expect(label, m, {1, 2})
raw = json.dumps(CERT).encode()
for cut in range(0, len(raw), 29):
    R.expect(f"truncated at {cut}", raw[:cut], {2})
# The global-minimiser certificate (Lemma G).
MINS = json.load(open(os.path.join(ROOT, "data", "certificates", "flow", "abs_2hidden_minimisers.json")))
R.expect("valid minimisers", MINS, {0})
R.expect("valid minimisers with the architecture file", MINS, {0}, arch=ARCH)
pats = MINS["proof"]["minimisers"]["patterns"][0]
excluded = [k for k, e in enumerate(pats) if "mu" in e]
mt = [
    ("a label changed", setp(("data", "y", 0), ["5"]), "does not fit sample 0"),
    ("a sample moved", setp(("data", "x", 1), ["-5"]), None),
    ("claimed in the component", setp(("claim", "minimisers"), "in_component"), "is \"unreachable\""),
    ("a Farkas multiplier changed", setp(("proof", "minimisers", "combinations", 7, "mu", 0), "9"), "lambda E + mu B is not zero"),
    ("a Farkas lambda negated", setp(("proof", "minimisers", "combinations", 7, "lambda"),
                                     ["-" + v if not v.startswith("-") else v[1:] for v in MINS["proof"]["minimisers"]["combinations"][7]["lambda"]]), None),
    ("a combination dropped", lambda d: d["proof"]["minimisers"]["combinations"].pop(3), "combinations of kept patterns"),
    ("an exclusion's nu scaled", setp(("proof", "minimisers", "patterns", 0, excluded[0], "nu"),
                                      [v + "0" if v != "0" else v for v in pats[excluded[0]]["nu"]]), None),
    ("patterns out of order", lambda d: d["proof"]["minimisers"]["patterns"][0].reverse(), "expected sigma"),
    ("the fit's unit renamed", setp(("proof", "minimisers", "fit", "units", 0, "unit"), 1), "expected unit 0"),
    ("an output bias in a layer without one", setp(("proof", "minimisers", "fit", "beta"), "1"), "has no bias"),
    ("the data deleted, the claim kept", delp(("data",)), "there is no data"),
]
for label, fn, why in mt:
    R.expect("minimisers: " + label, mutated(MINS, fn), {1, 2} if why is None else {1}, why=why)
for label, m in systematic(MINS, optional=("name", "bias"), sample_long=True):
    R.expect("minimisers: " + label, m, {1, 2})

print(f"[mutations_flow] {R.counts['runs']} runs ({len(targeted)} targeted, {n} systematic): {R.counts['verified']} verified, "
      f"{R.counts['rejected']} rejected, {R.counts['error']} unreadable")
for f in R.failures:
    print("FAIL:", f)
sys.exit(1 if R.failures else 0)
