#!/usr/bin/env python3
"""Mutation suite for deep closed proofs (tools/verify/deep.cpp and one file per rule): each rule's
own checks, on the shipped example certificates of data/certificates. Every targeted mutation must
be rejected by the check it targets.
usage: mutations_deep.py CHECKER CERTIFICATE_DIR
"""
import copy, glob, json, os, sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from runner import Runner, mutated, setp  # noqa: E402

CHECKER, DATA = sys.argv[1], sys.argv[2]
R = Runner(CHECKER)
expect = R.expect
certs = {os.path.basename(p): json.load(open(p)) for p in sorted(glob.glob(os.path.join(DATA, "*.json")))}
lin = "linear"
NM = (lin, "nonmembership")


def arch_row(layer, row, mask_row):
    return setp(("architecture", "layers", layer, "mask", row), mask_row)


DEND, DCOMP, DRUN = certs["dense_ends_closed.json"], certs["deep_components_closed.json"], certs["dense_run_closed.json"]
FGEN, FMON, PRUNE = certs["fuse_generic_closed.json"], certs["fuse_monomial_closed.json"], certs["prune_closed.json"]
ZERO, KRON, ROUTED = certs["zero_closed.json"], certs["kronecker_chain_closed.json"], certs["deep_routed_not_closed.json"]
DP = (lin, "deep")
BOREL = certs["borel_closed.json"]  # U, L, U: cuts for the 4 corners, 7 placements (the 5th by weights)
BP = DP + ("placements",)
deep_targeted = [
    (BOREL, "borel: last mask not triangular", lambda d: (arch_row(2, 0, "01")(d), arch_row(2, 1, "10")(d)), {1}, "up-set"),
    (BOREL, "borel: first mask not triangular", arch_row(0, 0, "10"), {1}, "right-set"),
    (BOREL, "borel: wrong row orientation", setp(DP + ("rows",), "down"), {1}, None),
    (BOREL, "borel: a cut that a path avoids", setp(DP + ("cuts", 3, "units"), [[0, 0]]), {1}, "avoids the cut"),
    (BOREL, "borel: a corner without cut", lambda d: d[lin]["deep"]["cuts"].pop(), {1}, "has no cut"),
    (BOREL, "borel: a corner twice", setp(DP + ("cuts", 3), {"rows": 1, "cols": 1, "units": [[0, 0]]}), {1}, "twice"),
    (BOREL, "borel: a placement left out", lambda d: d[lin]["deep"]["placements"].pop(), {1}, "not realised"),
    (BOREL, "borel: a placement twice", lambda d: d[lin]["deep"]["placements"].__setitem__(0, copy.deepcopy(d[lin]["deep"]["placements"][1])), {1}, "twice"),
    (BOREL, "borel: paths sharing a unit", setp(BP + (6, "paths", 1), [0, 1, 1, 0]), {1}, None),
    (BOREL, "borel: a path off the masks", setp(BP + (1, "paths", 0), [0, 1, 0, 0]), {1}, None),
    (BOREL, "borel: weights in another orbit", setp(BP + (4, "weights", 1, "entries", 0, "value"), "0"), {1}, "corner rank"),
    (BOREL, "borel: weights off the mask", setp(BP + (4, "weights", 0, "entries", 0, "row"), 1), {1}, "mask"),
    (BOREL, "borel: stated ones not the orbit", setp(BP + (4, "ones"), [[0, 0], [1, 1]]), {1}, None),
    (DEND, "dense_ends with a sparse last layer", arch_row(2, 0, "10"), {1}, "not both full"),
    (DEND, "dense_ends on one layer", setp(("architecture", "layers"), DEND["architecture"]["layers"][:1]), {1}, None),
    (DEND, "unknown deep rule", setp(DP + ("rule",), "dense_everything"), {1}, "unknown rule"),
    (DEND, "two proof forms at once", setp((lin, "proof"), {"terms": [], "forgotten": [], "rule": "empty"}), {1}, "exactly one of"),
    (DCOMP, "a weight joining two parts", arch_row(1, 0, "1110"), {1}, "joins two parts"),
    (DCOMP, "a unit in two parts", setp(DP + ("parts", 1, "units", 1), [1, 2, 3]), {1}, "in two parts"),
    (DCOMP, "a unit in no part", setp(DP + ("parts", 1, "units", 1), [3]), {1}, "in no part"),
    (DCOMP, "parts out of order", lambda d: d[lin]["deep"]["parts"].reverse(), {1}, "not ordered"),
    (DCOMP, "units not increasing", setp(DP + ("parts", 0, "units", 0), [1, 0]), {1}, "strictly increasing"),
    (DCOMP, "too few unit lists", setp(DP + ("parts", 0, "units"), [[0, 1], [0, 1], [0, 1]]), {1}, "one unit list per layer"),
    (DRUN, "a sparse layer in the run", arch_row(2, 0, "10"), {1}, "not full"),
    (DRUN, "a run of one layer", setp(DP + ("last",), 2), {1}, "at least two layers"),
    (DRUN, "a bottleneck that is not the narrowest", setp(DP + ("width",), 3), {1}, "narrowest"),
    (DRUN, "run past the last layer", setp(DP + ("last",), 6), {1}, None),
    (FGEN, "matching through a missing weight", setp(DP + ("evidence", "matching", 1), [0, 1, 2]), {1}, None),
    (FGEN, "a cell matched twice", setp(DP + ("evidence", "matching", 1), [0, 0, 0]), {1}, None),
    (FGEN, "a cell left out", lambda d: d[lin]["deep"]["evidence"]["matching"].pop(), {1}, "not matched"),
    (FGEN, "unit used twice in a column", setp(DP + ("evidence", "matching", 4), [1, 2, 2]), {1}, None),
    (FGEN, "wrong orientation", setp(DP + ("evidence", "orientation"), "rows"), {1}, "twice in one row"),
    (FGEN, "unknown evidence", setp(DP + ("evidence", "kind"), "trust_me"), {1}, "unknown evidence"),
    (FGEN, "fusing past the last layer", setp(DP + ("layer",), 3), {1}, None),
    (FMON, "no partial permutation", arch_row(1, 0, "11"), {1}, "partial permutation"),
    (PRUNE, "pruning a live unit", setp(DP + ("units", 1), [0, 2]), {1}, "input-output path"),
    (PRUNE, "a unit index out of range", setp(DP + ("units", 1), [0, 1, 3]), {1}, None),
    (ZERO, "zero with a path", arch_row(1, 0, "10"), {1}, "reaches an output"),
    (KRON, "a mask off the Kronecker form", arch_row(0, 0, "10001001"), {1}, "differs at"),
    (KRON, "wrong tuple", setp(DP + ("factors", 1, "d"), 1), {1}, None),
    (KRON, "unknown theorem", setp(DP + ("theorem",), "all_butterflies_closed"), {1}, "unknown theorem"),
    (KRON, "empty citation", setp(DP + ("citation",), ""), {1}, "citation"),
    (KRON, "too few factors", lambda d: d[lin]["deep"]["factors"].pop(), {1}, "one factor per layer"),
    (ROUTED, "routed witness: cofactor changed", setp(NM + ("cofactors", 0, "poly", 0, 0), "7"), {1}, None),
    (ROUTED, "routed witness: a family entry off the mask", setp((lin, "family", 2, "entries", 0, "col"), 2), {1}, None),
]
# disjoint_paths (2-3-3-2, cols): [0,0,0,0], [0,1,1,1], [1,1,1,0], [1,2,2,1]; twin (4-2-2-4, split 2);
# free_layer (12-23-13-6, layer 2 free, the weights of layers 1 and 3).
DPATH, TWIN, FREE = certs["disjoint_paths_closed.json"], certs["twin_closed.json"], certs["free_layer_closed.json"]
FW = DP + ("weights",)


def off_mask_weight(d):
    m = d["architecture"]["layers"][0]["mask"]
    i, j = next((i, j) for i, r in enumerate(m) for j, c in enumerate(r) if c == "0")
    d[lin]["deep"]["weights"][0]["entries"][0] = [i, j, 1]


def unhashed(fn):
    """An architecture mutation with the (optional) hash left out, so that the rule's own check meets it."""
    def g(d):
        fn(d)
        d.pop("architecture_sha256", None)
    return g


def zero_layer(q):
    def fn(d):
        for e in d[lin]["deep"]["weights"][q]["entries"]:
            e[2] = 0
    return fn


deep_targeted += [
    (DPATH, "paths: a step off the masks", setp(DP + ("paths", 0), [0, 2, 0, 0]), {1}, "no allowed weight"),
    (DPATH, "paths: a cell without a path", lambda d: d[lin]["deep"]["paths"].pop(), {1}, "has no path"),
    (DPATH, "paths: a cell with two paths", setp(DP + ("paths", 1), [0, 0, 0, 0]), {1}, "has two paths"),
    (DPATH, "paths: two paths of one input share a unit", setp(DP + ("paths", 1), [0, 0, 2, 1]), {1}, "on two paths of input 0"),
    (DPATH, "paths: too short", setp(DP + ("paths", 0), [0, 0, 0]), {1}, "expected 4 units"),
    (DPATH, "paths: unknown orientation", setp(DP + ("orientation",), "diagonal"), {1}, None),
    (DPATH, "paths: a weight of a path removed from the mask", unhashed(arch_row(0, 1, "01")), {1}, "no allowed weight"),
    (TWIN, "twin: split 1 (hidden layer 1 backward)", setp(DP + ("split",), 1), {1}, "not the same in-support"),
    (TWIN, "twin: split 3 (hidden layer 2 forward)", setp(DP + ("split",), 3), {1}, "not the same out-support"),
    (TWIN, "twin: split out of range", setp(DP + ("split",), 4), {1}, None),
    (TWIN, "twin: overlapping in-supports", unhashed(arch_row(0, 0, "1110")), {1}, "meet but differ"),
    (FREE, "free: not a prime", setp(DP + ("prime",), 2147483646), {1}, "not prime"),
    (FREE, "free: prime too large", setp(DP + ("prime",), 2147483659), {1}, None),
    (FREE, "free: the other layer's weights all zero", zero_layer(1), {1}, "rank below"),
    (FREE, "free: a weight off the mask", off_mask_weight, {1}, "mask"),
    (FREE, "free: a position twice", lambda d: d[lin]["deep"]["weights"][0]["entries"].__setitem__(1, copy.deepcopy(d[lin]["deep"]["weights"][0]["entries"][0])), {1}, "twice"),
    (FREE, "free: layers out of order", lambda d: d[lin]["deep"]["weights"].reverse(), {1}, "expected layer 1"),
    (FREE, "free: a layer's weights missing", lambda d: d[lin]["deep"]["weights"].pop(), {1}, "every layer but"),
    (FREE, "free: another free layer", setp(DP + ("layer",), 1), {1}, "expected layer 2"),
    (FREE, "free: a weight beyond 2^31", setp(FW + (0, "entries", 0, 2), 2147483648), {1}, None),
]
for doc, label, fn, codes, why in deep_targeted:
    expect("deep: " + label, mutated(doc, fn), codes, why=why)
# Non-chainable tuples with the right masks cannot exist for butterfly 8, so check the divisibility
# conditions on a hand-made chain: (1,2,2,4) then (4,1,2,1) has a | a' but not a' | a c? 4 | 2 fails.
bad_chain = mutated(KRON, setp(DP + ("factors",), [{"a": 1, "b": 2, "c": 2, "d": 4}, {"a": 4, "b": 2, "c": 2, "d": 1}, {"a": 2, "b": 2, "c": 2, "d": 2}]))
expect("deep: factors not in chain order", bad_chain, {1})

print(f"[mutations-deep] targeted {len(deep_targeted) + 1}; runs {R.counts['runs']}")
for f in R.failures:
    print("FAIL", f)
sys.exit(1 if R.failures else 0)
