#!/usr/bin/env python3
"""Mutation suite for closecert-verify.

Valid certificates in data/certificates must verify (exit 0). Targeted and systematic mutations of
them must be rejected (exit 1 with "rejected: <path>: <reason>", or exit 2 with
"closecert-verify: error: FILE: <reason>" for unreadable input or a wrong format/version), and no
input may crash the checker. Seeded byte flips: CLOSECERT_SEED replays a run,
CLOSECERT_TEST_SCALE multiplies their number.
usage: mutations.py CHECKER DATA_DIR
"""
import copy, glob, json, os, random, re, subprocess, sys, tempfile, time

CHECKER, DATA = sys.argv[1], sys.argv[2]
SCALE = max(1, int(os.environ.get("CLOSECERT_TEST_SCALE", "1")))
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from runner import Runner, delp, get, setp, walk  # noqa: E402

R = Runner(CHECKER)
run, expect, failures, counts, TMP = R.run, R.expect, R.failures, R.counts, R.tmp


def load(name):
    with open(os.path.join(DATA, name)) as f:
        return json.load(f)


def mutated(doc, fn):
    d = copy.deepcopy(doc)
    fn(d)
    return d


# 1. Valid certificates verify, alone and against their own architecture (string and "ones" forms).
GOLDEN = {
    "linear_layer_closed.json": "verified: linear closed, relu closed (2 steps checked, 0 trusted)\n",
    "deep_components_closed.json": "verified: linear closed, relu unknown (3 steps checked, 0 trusted)\n",
    "deep_routed_not_closed.json": "verified: linear not_closed, relu not_closed (7 steps checked, 0 trusted)\n",
    "dense_ends_closed.json": "verified: linear closed, relu unknown (1 steps checked, 0 trusted)\n",
    "dense_run_closed.json": "verified: linear closed, relu unknown (4 steps checked, 0 trusted)\n",
    "fuse_generic_closed.json": "verified: linear closed, relu unknown (3 steps checked, 0 trusted)\n",
    "fuse_monomial_closed.json": "verified: linear closed, relu unknown (3 steps checked, 0 trusted)\n",
    "prune_closed.json": "verified: linear closed, relu unknown (4 steps checked, 0 trusted)\n",
    "zero_closed.json": "verified: linear closed, relu unknown (1 steps checked, 0 trusted)\n",
    "borel_not_closed.json": "verified: linear not_closed, relu not_closed (7 steps checked, 0 trusted)\n",
    "borel_closed.json": "verified: linear closed, relu unknown (11 steps checked, 0 trusted)\n",
    "disjoint_paths_closed.json": "verified: linear closed, relu unknown (1 steps checked, 0 trusted)\n",
    "free_layer_closed.json": "verified: linear closed, relu unknown (1 steps checked, 0 trusted)\n",
    "twin_closed.json": "verified: linear closed, relu unknown (1 steps checked, 0 trusted)\n",
    "kronecker_chain_closed.json": "verified: linear closed, relu unknown (0 steps checked, 1 trusted)\n"
                                   "trusted: linear.deep: chainable_kronecker_closed: Le, Zheng, Riccietti, Gribonval, Butterfly"
                                   " factorization with error guarantees, arXiv:2411.04506: chainable Kronecker-sparse supports"
                                   " admit an optimum for every target (the set of products is closed)\n",
    "absorb_pinned_closed.json": "verified: linear closed, relu unknown (3 steps checked, 0 trusted)\n",
    "absorb_generic_closed.json": "verified: linear closed, relu unknown (2 steps checked, 0 trusted)\n",
    "absorb_tree_closed.json": "verified: linear closed, relu unknown (9 steps checked, 0 trusted)\n",
    "components_closed.json": "verified: linear closed, relu unknown (4 steps checked, 0 trusted)\n",
    "lu2_not_closed.json": "verified: linear not_closed, relu not_closed (7 steps checked, 0 trusted)\n",
    "lu2_not_closed_psatz.json": "verified: linear not_closed, relu unknown (4 steps checked, 0 trusted)\n",
    "lu2_plus_cell_closed.json": "verified: linear closed, relu unknown (4 steps checked, 0 trusted)\n",
    "proper_closed.json": "verified: linear closed, relu unknown (7 steps checked, 0 trusted)\n",
    "rotate_closed.json": "verified: linear closed, relu unknown (2 steps checked, 0 trusted)\n",
    "single_layer_closed.json": "verified: linear closed, relu unknown (1 steps checked, 0 trusted)\n",
    "scalar_output_closed.json": "verified: linear closed, relu closed (2 steps checked, 1 trusted)\n"
                                 "trusted: relu: scalar_output_shallow: Seed 002 (S002-b): a one-hidden-layer sparse ReLU network"
                                 " with output dimension one always has an optimum\n",
}
certs = {os.path.basename(p): load(os.path.basename(p)) for p in sorted(glob.glob(os.path.join(DATA, "*.json")))}
for name, doc in certs.items():
    rc, out, err = run(doc)
    if rc != 0 or (name in GOLDEN and out != GOLDEN[name]):
        failures.append(f"valid {name}: exit {rc}: {out!r} {err.strip()}")
    expect(f"valid {name} with ARCH", doc, {0}, arch=doc["architecture"])
    arch = copy.deepcopy(doc["architecture"])
    arch["name"] = "renamed"
    for layer in arch["layers"]:
        m = layer["mask"]
        layer["mask"] = {"shape": [len(m), len(m[0])], "ones": [[i, j] for i, r in enumerate(m) for j, c in enumerate(r) if c == "1"]}
    expect(f"valid {name} with sparse ARCH", doc, {0}, arch=arch)

LU, PS = certs["lu2_not_closed.json"], certs["lu2_not_closed_psatz.json"]
CELL, PROPER = certs["lu2_plus_cell_closed.json"], certs["proper_closed.json"]
COMP, SCALAR = certs["components_closed.json"], certs["scalar_output_closed.json"]
ONE = certs["single_layer_closed.json"]
GEN = certs["absorb_generic_closed.json"]
PIN = certs["absorb_pinned_closed.json"]  # child: group [1, 2], column 0 pinned to term 1, R = {0, 1}
# Root absorb_tree, group [0, 1, 2] on all of 3 x 3: split a_0_0; zero: split a_2_0; zero.zero: split a_1_0.
TREE = certs["absorb_tree_closed.json"]
ROT = certs["rotate_closed.json"]  # class [0] = {1,2}x{0,1,2} rotated by rows onto row 1; term 1 = {0,1,2}x{1,2}
lin, relu = "linear", "relu"
RP = (lin, "proof")
PC = (lin, "proof", "child")
TT = (lin, "proof", "tree")
TZN = TT + ("zero", "nonzero", "realise")  # N = [a_2_0], Z = [a_0_0]; one "cells" entry, for (0, 0)


def tree_under(hostile):
    """Split on the zero polynomial: `hostile` in the nonzero branch (every leaf there is empty as N_0 = 0 there),
    the certificate's tree in the zero branch with a cofactor 0 for Z_0 = 0 added to every identity."""
    def pad(t):
        if isinstance(t, dict):
            if "cofactors" in t:
                t["cofactors"].insert(0, [])
            for v in t.values():
                pad(v)
        elif isinstance(t, list):
            for v in t:
                pad(v)
    def fn(d):
        pad(get(d, TT))
        setp(TT, {"split": [], "nonzero": hostile, "zero": get(d, TT)})(d)
    return fn


def tree_of_empties(depth, full, n=1, z=0):
    """Splits on 1, nonzero branch `depth` deep; zero branches as deep if `full`, else leaves."""
    leaf = lambda n, z: {"empty": {"scale": "1", "powers": [1] + [0] * (n - 1), "cofactors": [[]] * z}}
    if depth == 0:
        return leaf(n, z)
    return {"split": [["1", {}]], "nonzero": tree_of_empties(depth - 1, full, n + 1, z),
            "zero": tree_of_empties(depth - 1, full, n, z + 1) if full else leaf(n, z + 1)}


def arch_row(layer, row, mask_row):
    return setp(("architecture", "layers", layer, "mask", row), mask_row)


NM = (lin, "nonmembership")
LAY1 = (lin, "family", 0, "entries")
NET = (relu, "networks")
GM = (lin, "proof", "matching")  # [[0,0,1], [0,1,2], [0,2,2], [1,0,0], [1,1,0], [1,2,1]], group [0, 1, 2]
# A second absorb_generic step for the child (terms [3], seeing (0,3) and (1,3)): valid by rows.
GEN_CHILD = {"terms": [3], "forgotten": [[0, 2], [1, 2]], "rule": "absorb_generic", "orientation": "rows", "group": [3],
             "matching": [[0, 3, 3], [1, 3, 3]], "child": {"terms": [], "forgotten": [], "rule": "empty"}}
targeted = [
    # linear not closed: numbers, supports, window, identity
    (LU, "cofactor coefficient", setp(NM + ("cofactors", 0, "poly", 0, 0), "2"), {1}),
    (LU, "cofactor variable", setp(NM + ("cofactors", 0, "poly", 0, 1), {"w2_0_0": 1, "w1_0_1": 1}), {1}),
    (LU, "cofactor unknown variable", setp(NM + ("cofactors", 0, "poly", 0, 1), {"w1_1_0": 1}), {1}),
    (LU, "cofactor variable with leading zero", setp(NM + ("cofactors", 0, "poly", 0, 1), {"w2_01_0": 1, "w1_0_1": 1}), {1}),
    (LU, "cofactor exponent 2", setp(NM + ("cofactors", 0, "poly", 0, 1, "w2_1_0"), 2), {1}),
    (LU, "cofactor exponent 0", setp(NM + ("cofactors", 0, "poly", 0, 1, "w2_1_0"), 0), {1}),
    (LU, "cofactor dropped", lambda d: d[lin]["nonmembership"]["cofactors"].pop(), {1}),
    (LU, "cofactor cell twice", setp(NM + ("cofactors", 1, "col"), 0), {1}),
    (LU, "cofactor cell outside window", setp(NM + ("cofactors", 2, "row"), 2), {1}),
    (LU, "kind positivstellensatz without squares", setp(NM + ("kind",), "positivstellensatz"), {1}),
    (LU, "kind unknown", setp(NM + ("kind",), "grobner"), {1}),
    (LU, "family value", setp(LAY1 + (0, "value"), [["1", 0]]), {1}),
    (LU, "family exponent", setp((lin, "family", 1, "entries", 1, "value", 0, 1), -2), {1}),
    (LU, "family coefficient", setp((lin, "family", 1, "entries", 2, "value", 0, 0), "-2"), {1}),
    (LU, "family support index", setp(LAY1 + (2, "col"), 0), {1}),
    (LU, "family position twice", setp(LAY1 + (1, "col"), 0), {1}),
    (LU, "family layer twice", setp((lin, "family", 1, "layer"), 1), {1}),
    (LU, "family layer missing", lambda d: d[lin]["family"].pop(), {1}),
    (LU, "family exponent 65", setp(LAY1 + (0, "value", 0, 1), 65), {1}),
    (LU, "family exponent float", setp(LAY1 + (0, "value", 0, 1), 1.0), {1}),
    (LU, "limit value", setp((lin, "limit", 0, "value"), "2"), {1}),
    (LU, "limit extra entry", lambda d: d[lin]["limit"].append({"row": 0, "col": 0, "value": "1"}), {1}),
    (LU, "limit entry dropped", lambda d: d[lin]["limit"].pop(), {1}),
    (LU, "limit entry twice", lambda d: d[lin]["limit"].append(dict(d[lin]["limit"][0])), {1}),
    (LU, "window row dropped", setp((lin, "window", "rows"), [0]), {1}),
    (LU, "window rows reversed", setp((lin, "window", "rows"), [1, 0]), {1}),
    (LU, "window column out of range", setp((lin, "window", "cols"), [0, 1, 2]), {1}),
    (LU, "window as string", setp((lin, "window", "rows"), "0,1"), {1}),
    (LU, "rule renamed", setp((lin, "rule"), "limit"), {1}),
    (LU, "rational 1.0", setp((lin, "limit", 0, "value"), "1.0"), {1}),
    (LU, "rational 1/0", setp((lin, "limit", 0, "value"), "1/0"), {1}),
    (LU, "rational +1", setp((lin, "limit", 0, "value"), "+1"), {1}),
    (LU, "rational empty", setp((lin, "limit", 0, "value"), ""), {1}),
    (LU, "rational as number", setp((lin, "limit", 0, "value"), 1), {1}),
    (LU, "rational too long", setp((lin, "limit", 0, "value"), "1" * 5000), {1}),
    (LU, "non-reduced rational 2/2 (valid)", setp((lin, "limit", 0, "value"), "2/2"), {0}),
    # claims and their consistency with the proofs
    (LU, "claim linear closed", setp(("claim", lin), "closed"), {1}),
    (LU, "claim linear unknown with proof", setp(("claim", lin), "unknown"), {1}),
    (LU, "claim relu unknown with proof", setp(("claim", relu), "unknown"), {1}),
    (LU, "claim relu unknown, proof removed (valid)", lambda d: (d["claim"].update(relu="unknown"), d.pop(relu)), {0}),
    (LU, "claim linear misspelt", setp(("claim", lin), "not closed"), {1}),
    (LU, "claim missing", delp(("claim",)), {1}),
    (LU, "linear proof missing", delp((lin,)), {1}),
    (LU, "verdict differs", setp((lin, "verdict"), "closed"), {1}),
    # relu transfer
    (LU, "relu weights differ", setp(NET + (0, "weights", 0, "value"), [["2", 1]]), {1}),
    (LU, "relu weight dropped", lambda d: d[relu]["networks"][1]["weights"].pop(), {1}),
    (LU, "relu hidden bias missing", lambda d: d[relu]["networks"][0]["bias"].pop(), {1}),
    (LU, "relu hidden bias too small", setp(NET + (0, "bias", 1, "value"), [["1", 0]]), {1}),
    (LU, "relu hidden bias negative", setp(NET + (0, "bias", 1, "value"), [["-2", 0]]), {1}),
    (LU, "relu hidden bias two monomials", setp(NET + (0, "bias", 1, "value"), [["1", 0], ["1", -1]]), {1}),
    (LU, "relu hidden bias too slow", setp(NET + (0, "bias", 0, "value"), [["3", 1]]), {1}),
    (LU, "relu output bias", setp(NET + (1, "bias", 1, "value"), [["-1", 0]]), {1}),
    (LU, "relu output bias missing", lambda d: d[relu]["networks"][1]["bias"].pop(), {1}),
    (LU, "relu hidden bias larger (valid if output bias follows)", lambda d: (
        d[relu]["networks"][0]["bias"][0].update(value=[["4", 0]]),
        d[relu]["networks"][1]["bias"][0].update(value=[["-4", 0]]),
        d[relu]["networks"][1]["bias"][1].update(value=[["-2", -1]])), {0}),
    (LU, "relu hidden bias larger, output bias stale", setp(NET + (0, "bias", 0, "value"), [["4", 0]]), {1}),
    (LU, "relu error bound too small", setp((relu, "error_bound"), "99/100"), {1}),
    (LU, "relu error bound larger (valid)", setp((relu, "error_bound"), "2"), {0}),
    (LU, "relu t_max", setp((relu, "t_max"), "2"), {1}),
    (LU, "relu domain", setp((relu, "domain"), "ball"), {1}),
    (LU, "relu network layer missing", lambda d: d[relu]["networks"].pop(), {1}),
    (LU, "relu rule cited", setp((relu, "rule"), "cited"), {1}),
    (LU, "relu without bias in layer 1", setp(("architecture", "layers", 0, "bias"), False), {1}),
    (LU, "relu without bias in layer 2", setp(("architecture", "layers", 1, "bias"), False), {1}),
    (LU, "relu transfer with linear unknown", lambda d: (d["claim"].update(linear="unknown"), d.pop(lin)), {1}),
    # architecture changes that break the proof
    (LU, "mask: hidden 1 also sees input 0", arch_row(0, 1, "11"), {1}),
    (LU, "mask: output 0 sees hidden 1", arch_row(1, 0, "11"), {1}),
    (LU, "mask: bad character", arch_row(1, 0, "1x"), {1}),
    (LU, "mask: short row", arch_row(1, 0, "1"), {1}),
    (LU, "architecture input_dim", setp(("architecture", "input_dim"), 3), {1}),
    (LU, "architecture version", setp(("architecture", "version"), 2), {2}),
    (LU, "architecture format", setp(("architecture", "format"), "closecert-arch"), {2}),
    (LU, "certificate version 2", setp(("version",), 2), {2}),
    (LU, "certificate version string", setp(("version",), "1"), {2}),
    (LU, "certificate format", setp(("format",), "closecert-certificate-v1"), {2}),
    (LU, "certificate format missing", delp(("format",)), {2}),
    (PS, "square weight negative", setp(NM + ("squares", 0, "weight"), "-1/2"), {1}),
    (PS, "square weight zero", setp(NM + ("squares", 0, "weight"), "0"), {1}),
    (PS, "square poly", setp(NM + ("squares", 0, "poly", 1, 0), "1"), {1}),
    (PS, "square dropped", lambda d: d[lin]["nonmembership"]["squares"].pop(), {1}),
    (PS, "kind nullstellensatz", setp(NM + ("kind",), "nullstellensatz"), {1}),
    (PS, "family layers reordered (valid)", lambda d: d[lin]["family"].reverse(), {0}),
    # closed proof trees
    (CELL, "node terms", setp((lin, "proof", "child", "terms"), [0]), {1}),
    (CELL, "node forgotten missing a cell", setp((lin, "proof", "child", "child", "forgotten"), [[0, 0]]), {1}),
    (CELL, "forgotten not normalised (cell outside the node's rectangles)",
     setp((lin, "proof", "child", "child", "child", "forgotten"), [[0, 0]]), {1}),
    (SCALAR, "forgotten not normalised (cell of an absorbed term kept)",
     setp((lin, "proof", "child", "forgotten"), [[0, 0], [0, 1]]), {1}),
    (ONE, "single_layer on two layers", lambda d: d["architecture"]["layers"].append({"mask": ["11"], "bias": True}), {1}),
    (ONE, "single_layer misspelt", setp((lin, "rule"), "one_layer"), {1}),
    (CELL, "single_layer rule with a proof tree", setp((lin, "rule"), "single_layer"), {1}),
    (CELL, "node forgotten unsorted", setp((lin, "proof", "child", "child", "forgotten"), [[1, 1], [0, 0]]), {1}),
    (CELL, "root forgets a cell", setp((lin, "proof", "forgotten"), [[0, 0]]), {1}),
    (CELL, "absorb a rank-one 2x2 term first", setp((lin, "proof", "class"), [0]), {1}),
    (CELL, "absorb two different rectangles", setp((lin, "proof", "class"), [1, 2]), {1}),
    (CELL, "absorb step dropped", setp((lin, "proof"), {"terms": [0, 1, 2], "forgotten": [], "rule": "absorb", "class": [2],
        "child": {"terms": [0, 1], "forgotten": [[0, 0]], "rule": "empty"}}), {1}),
    (CELL, "empty too early", setp((lin, "proof", "child", "child", "rule"), "empty"), {1}),
    (CELL, "unknown rule", setp((lin, "proof", "rule"), "magic"), {1}),
    (CELL, "mask: third term moved to (0,1)", arch_row(0, 2, "01"), {1}),
    (CELL, "mask: third term removed (this is LU)", arch_row(0, 2, "00"), {1}),
    (CELL, "closed proof for three layers", lambda d: d["architecture"]["layers"].append({"mask": ["11"], "bias": True}), {1}),
    (PROPER, "refutation drop step removed", lambda d: d[lin]["proof"]["refutation"]["drop"].pop(), {1}),
    (PROPER, "refutation drop of a row that is not current", setp((lin, "proof", "refutation", "drop", 1, "row"), 2), {1}),
    (PROPER, "refutation drop with row and col", setp((lin, "proof", "refutation", "drop", 1, "col"), 0), {1}),
    (PROPER, "refutation split on a rank-two class", setp((lin, "proof", "refutation", "then", "split", "class"), 0), {1}),
    (PROPER, "refutation split branch missing", delp((lin, "proof", "refutation", "then", "if_col")), {1}),
    (PROPER, "refutation done too early", setp((lin, "proof", "refutation", "then"), {"done": True}), {1}),
    (PROPER, "refutation done false", setp((lin, "proof", "refutation", "then", "if_row", "then", "done"), False), {1}),
    (PROPER, "refutation with drop and done", setp((lin, "proof", "refutation", "done"), True), {1}),
    (PROPER, "refutation unknown class", setp((lin, "proof", "refutation", "drop", 0, "class"), 1), {1}),
    (PROPER, "mask: classes 2 and 3 share (2,2)", arch_row(1, 2, "0011"), {1}),
    (PROPER, "mask: class 0's visible cells not a rectangle", arch_row(1, 2, "1010"), {1}),
    (COMP, "parts reordered", lambda d: d[lin]["proof"]["parts"].reverse(), {1}),
    (COMP, "parts merged", lambda d: d[lin]["proof"].update(parts=[
        {"terms": [0, 1, 2, 3], "forgotten": [], "rule": "class"}, d[lin]["proof"]["parts"][2]]), {1}),
    (COMP, "part missing", lambda d: d[lin]["proof"]["parts"].pop(), {1}),
    (COMP, "part forgotten", setp((lin, "proof", "parts", 0, "forgotten"), [[0, 0]]), {1}),
    (COMP, "class rule on a chain", setp((lin, "proof", "parts", 1, "rule"), "class"), {1}),
    (COMP, "chain orientation cols", setp((lin, "proof", "parts", 1, "orientation"), "cols"), {1}),
    (COMP, "chain orientation bad", setp((lin, "proof", "parts", 1, "orientation"), "diagonal"), {1}),
    (COMP, "mask: chain not nested", lambda d: (arch_row(0, 2, "000110")(d), arch_row(0, 3, "000011")(d)), {1}),
    (COMP, "mask: class 0 split into two rectangles", arch_row(0, 1, "110000"), {1}),
    (COMP, "mask: term 4 overlaps term 0", arch_row(1, 1, "11001"), {1}),
    # absorb_generic
    (GEN, "generic: matched term does not see the cell", setp(GM + (0, 2), 2), {1}),
    (GEN, "generic: matched term not in the group", setp(GM + (2, 2), 3), {1}),
    (GEN, "generic: term twice in a column", setp(GM + (3, 2), 1), {1}),
    (GEN, "generic: cell missing from the matching", lambda d: d[lin]["proof"]["matching"].pop(), {1}),
    (GEN, "generic: cell listed twice", setp(GM + (5,), [0, 0, 0]), {1}),
    (GEN, "generic: cell outside the group's visible cells", setp(GM + (5,), [1, 3, 3]), {1}),
    (GEN, "generic: matching entry too short", setp(GM + (5,), [1, 2]), {1}),
    (GEN, "generic: orientation rows (term 2 twice in row 0)", setp((lin, "proof", "orientation"), "rows"), {1}),
    (GEN, "generic: group without term 2", setp((lin, "proof", "group"), [0, 1]), {1}),
    (GEN, "generic: group with term 3 (column 3 unmatched)", setp((lin, "proof", "group"), [0, 1, 2, 3]), {1}),
    (GEN, "generic: empty group", setp((lin, "proof", "group"), []), {1}),
    (GEN, "generic: group not increasing", setp((lin, "proof", "group"), [1, 0, 2]), {1}),
    (GEN, "generic: child forgets a group cell less", setp((lin, "proof", "child", "forgotten"), [[0, 2]]), {1}),
    (GEN, "generic: child keeps an absorbed term", setp((lin, "proof", "child", "terms"), [2, 3]), {1}),
    (GEN, "generic: matching reordered (valid)", lambda d: d[lin]["proof"]["matching"].reverse(), {0}),
    (GEN, "generic: child absorbed by rows too (valid)", setp((lin, "proof", "child"), GEN_CHILD), {0}),
    (GEN, "generic: group term not in the node",
     setp((lin, "proof", "child"), dict(GEN_CHILD, group=[2, 3])), {1}),
    (GEN, "generic: child by cols (term 3 twice in column 3)",
     setp((lin, "proof", "child"), dict(GEN_CHILD, orientation="cols")), {1}),
    (GEN, "mask: term 0 loses column 1", arch_row(0, 0, "1000"), {1}),
    (GEN, "mask: term 3 also on column 1", arch_row(0, 3, "0111"), {1}),
    # absorb_pinned (Lemma G2)
    (PIN, "pinned: pinned row 1 not served in column 1", lambda d: d[lin]["proof"]["child"]["matchings"].pop(1), {1}),
    (PIN, "pinned: pinned term does not see the line", setp(PC + ("pin",), [0, 2]), {1}),
    (PIN, "pinned: pinned line is matched", setp(PC + ("pin",), [1, 1]), {1}),
    (PIN, "pinned: pin without term", setp(PC + ("pin",), [0]), {1}),
    (PIN, "pinned: term twice in a matching", setp(PC + ("matchings", 0), [[0, 1, 1], [1, 1, 1]]), {1}),
    (PIN, "pinned: matching misses a cell", setp(PC + ("matchings", 0), [[0, 1, 1]]), {1}),
    (PIN, "pinned: matching on two lines", setp(PC + ("matchings", 0), [[0, 1, 1], [1, 2, 2]]), {1}),
    (PIN, "pinned: matched term does not see the cell", setp(PC + ("matchings", 2), [[0, 2, 1]]), {1}),
    (PIN, "pinned: empty matching", setp(PC + ("matchings", 2), []), {1}),
    (PIN, "pinned: orientation rows", setp(PC + ("orientation",), "rows"), {1}),
    (PIN, "pinned: group of one term", setp(PC + ("group",), [1]), {1}),
    (PIN, "pinned: child keeps a term", setp(PC + ("child", "terms"), [2]), {1}),
    (PIN, "pinned: matchings reordered (valid)", lambda d: d[lin]["proof"]["child"]["matchings"].reverse(), {0}),
    # absorb_tree (Lemma T)
    (TREE, "tree: wrong cofactor coefficient", setp(TZN + ("cells", 0, "cofactors", 0, 0, 0), "-2"), {1}, "identity does not hold"),
    (TREE, "tree: cofactor list too long", lambda d: get(d, TZN + ("cells", 0, "cofactors")).append([]), {1}, "expected 1 cofactors"),
    (TREE, "tree: scale 0", setp(TZN + ("cells", 0, "scale"), "0"), {1}, "zero scale"),
    (TREE, "tree: powers of wrong length", setp(TZN + ("cells", 0, "powers"), []), {1}, "expected 1 exponents"),
    (TREE, "tree: variable outside the group's cells", setp(TT + ("split", 0, 1), {"a_0_3": 1}), {1}, "is not a visible cell"),
    (TREE, "tree: variable not canonical", setp(TT + ("split", 0, 1), {"a_00_0": 1}), {1}, "not a target variable"),
    (TREE, "tree: factor of a term not in the group", setp(TZN + ("factors", 2, "term"), 3), {1}, "term 3 is not in the group"),
    (TREE, "tree: term listed twice", setp(TZN + ("factors", 1, "term"), 0), {1}, "listed twice"),
    (TREE, "tree: split polynomial changed", setp(TT + ("split", 0, 1), {"a_0_1": 1}), {1}, "not realised identically"),
    (TREE, "tree: nonzero and zero swapped",
     lambda d: get(d, TT).update(nonzero=get(d, TT)["zero"], zero=get(d, TT)["nonzero"]), {1}, "one per"),
    (TREE, "tree: den of wrong length", setp(TT + ("nonzero", "realise", "factors", 0, "y", 0, "den"), [1, 0]), {1}, "expected 1 exponents"),
    (TREE, "tree: x of wrong length", lambda d: get(d, TZN + ("factors", 0, "x")).pop(), {1}, "one per line of the term"),
    (TREE, "tree: cells entry with a non-zero F removed", setp(TZN + ("cells",), []), {1}, "cell (0, 0) is not realised"),
    (TREE, "tree: cells entry outside the group's cells", setp(TZN + ("cells", 0, "cell"), [0, 3]), {1}, "not a visible cell"),
    (TREE, "tree: cells entry twice", lambda d: get(d, TZN + ("cells",)).append(get(d, TZN + ("cells", 0))), {1}, "cell listed twice"),
    (TREE, "tree: node with split and realise", setp(TT + ("realise",), {"factors": [], "cells": []}), {1}, "exactly one of"),
    (TREE, "tree: group without term 2 (the tree uses its cell (1, 0))", setp(RP + ("group",), [0, 1]), {1}, "not a visible cell"),
    (TREE, "tree: child keeps a term", setp(RP + ("child", "terms"), [2]), {1}, "terms differ"),
    (TREE, "tree: empty leaf reached by some target", tree_under({"empty": {"scale": "1", "powers": [0], "cofactors": []}}), {1},
     "identity does not hold"),
    (TREE, "tree: depth 64 (valid)", tree_under(tree_of_empties(62, False)), {0}),
    (TREE, "tree: depth 65", tree_under(tree_of_empties(63, False)), {1}, "deeper than"),
    (TREE, "tree: 2055 nodes (valid)", tree_under(tree_of_empties(10, True)), {0}),
    (TREE, "tree: 8199 nodes", tree_under(tree_of_empties(12, True)), {1}, "more nodes"),
    (TREE, "tree: factors reordered (valid)", lambda d: get(d, TZN + ("factors",)).reverse(), {0}),
    (TREE, "tree: cells scaled by 2 (valid)",
     lambda d: (setp(TZN + ("cells", 0, "scale"), "2")(d), setp(TZN + ("cells", 0, "cofactors", 0, 0, 0), "-2")(d)), {0}),
    # rotate (Lemma K)
    (ROT, "rotate: other term cuts the rows", arch_row(1, 2, "10"), {1}),
    (ROT, "rotate: orientation cols (term 1 cuts the columns)", setp(RP + ("orientation",), "cols"), {1}),
    (ROT, "rotate: block of two lines for one term", setp(RP + ("block",), [1, 2]), {1}),
    (ROT, "rotate: block line outside the class", setp(RP + ("block",), [0]), {1}),
    (ROT, "rotate: block line listed twice", lambda d: (setp(RP + ("block",), [1, 1])(d), setp(RP + ("class",), [0, 0])(d)), {1}),
    (ROT, "rotate: empty class", setp(RP + ("class",), []), {1}),
    (ROT, "rotate: class term not in the node", setp(RP + ("class",), [2]), {1}),
    (ROT, "rotate: child forgets nothing", setp(RP + ("child", "forgotten"), []), {1}),
    (ROT, "rotate: child keeps the rotated term", setp(RP + ("child", "terms"), [0, 1]), {1}),
    (ROT, "rotate: block missing", delp(RP + ("block",)), {1}),
    (ROT, "rotate: onto row 2 instead (valid)",
     lambda d: (setp(RP + ("block",), [2])(d), setp(RP + ("child", "forgotten"), [[2, 1], [2, 2]])(d)), {0}),
    (ROT, "class: blocks not rectangles", setp(RP + ("child", "forgotten"), [[1, 1]]), {1}),
    (SCALAR, "citation empty", setp((relu, "citation"), ""), {1}),
    (SCALAR, "citation with newline", setp((relu, "citation"), "a\nverified: fake"), {1}),
    (SCALAR, "theorem unknown", setp((relu, "theorem"), "deep_output"), {1}),
    (SCALAR, "cited without bias", setp(("architecture", "layers", 0, "bias"), False), {1}),
    (SCALAR, "cited for not_closed", lambda d: (d["claim"].update(relu="not_closed"), d[relu].update(verdict="not_closed")), {1}),
    (SCALAR, "cited with two outputs", lambda d: (arch_row(1, 0, "11")(d), d["architecture"]["layers"][1]["mask"].append("00")), {1}),
]
for doc, label, fn, codes, *why in targeted:
    expect(label, mutated(doc, fn), codes, why=why[0] if why else None)
n_targeted = len(targeted)

# 2. ARCH argument: a different architecture is rejected, unreadable ones are errors.
expect("ARCH differs", LU, {1}, arch=CELL["architecture"])
expect("ARCH with other bias", LU, {1}, arch=mutated(LU["architecture"], setp(("layers", 0, "bias"), False)))
expect("ARCH npy", LU, {2}, arch={"format": "closecert-architecture", "version": 1, "input_dim": 2,
                                  "layers": [{"mask": {"npy": "m.npy"}}, {"mask": {"npy": "n.npy"}}]})
expect("ARCH ones out of range", LU, {2}, arch={"format": "closecert-architecture", "version": 1, "input_dim": 2,
                                                "layers": [{"mask": {"shape": [2, 2], "ones": [[0, 2]]}}]})
lists = copy.deepcopy(LU["architecture"])
for layer in lists["layers"]:
    layer["mask"] = [[int(c) for c in row] for row in layer["mask"]]
expect("ARCH as 0/1 lists", LU, {0}, arch=lists)
bad_lists = copy.deepcopy(lists)
bad_lists["layers"][0]["mask"][0][0] = 2
expect("ARCH list entry 2", LU, {2}, arch=bad_lists)
expect("ARCH malformed", LU, {2}, arch=b'{"format": ')
expect("ARCH wrong format", LU, {2}, arch={"format": "closecert-certificate", "version": 1})
n_targeted += 8


# 3. Systematic: delete every field and array element, give every value a wrong type.
ALLOWED = {("name",), ("bias",), ("architecture_sha256",)}  # optional: the name is free, a missing bias means true, the hash may be left out


n_systematic = n_other_arch = 0
for name, doc in certs.items():
    for path in list(walk(doc))[1:]:
        value = get(doc, path)
        wrong = "x" if not isinstance(value, str) else 7
        for kind, fn in (("delete", delp(path)), ("retype", setp(path, wrong))):
            if kind == "delete" and path[-1:] in ALLOWED:
                continue
            n_systematic += 1
            label = f"{name}: {kind} {'/'.join(map(str, path))}"
            m = mutated(doc, fn)
            # Orbit representatives (borel "weights") may lose an entry and stay in the same orbit.
            if expect(label, m, {0, 1, 2}) == 0 and "weights" not in path:
                # Still a valid certificate (e.g. one output row fewer): then it must speak of another architecture.
                n_other_arch += 1
                expect(label + " against the original ARCH", m, {1, 2}, arch=doc["architecture"])

# 4. Unreadable input: truncations must be exit 2; byte flips must never crash.
seed = int(os.environ.get("CLOSECERT_SEED") or time.time_ns() % 2**32)
print(f"[mutations] seed {seed} (replay with CLOSECERT_SEED={seed})")
rng = random.Random(seed)
n_trunc = 0
for name in certs:
    raw = open(os.path.join(DATA, name), "rb").read().rstrip()
    for cut in range(0, len(raw), 23):
        n_trunc += 1
        expect(f"{name} truncated at {cut}", raw[:cut], {2})
expect("empty file", b"", {2})
expect("not JSON", b"closecert", {2})
expect("JSON array", b"[]", {2})
expect("nested too deep", b"[" * 100000, {2})
expect("invalid UTF-8", b'{"format": "\xff"}', {2})
# Ambiguity and range: a duplicate key (another reader may keep the other value) or a number beyond
# a double is an input error (exit 2, one line), in the certificate and in the ARCH argument.
lu_text = json.dumps(LU)
dup_claim = lu_text.replace('"claim": {', '"claim": {"linear": "not_closed", ', 1)
assert dup_claim != lu_text
expect("duplicate key in claim", dup_claim.encode(), {2})
rc, out, err = run(dup_claim.encode())
if "appears twice" not in err:
    failures.append(f"duplicate key: message does not name it: {err.strip()}")
expect("duplicate top-level key", ('{"version": 1, ' + lu_text[1:]).encode(), {2})
for big in ("1e309", "-1e400", "9" * 400):
    expect(f"number {big[:8]} out of range", lu_text.replace('"version": 1', '"version": ' + big, 1).encode(), {2})
    expect(f"ARCH number {big[:8]} out of range", LU, {2},
           arch=json.dumps(LU["architecture"]).replace('"version": 1', '"version": ' + big, 1).encode())
dup_arch = json.dumps(LU["architecture"]).replace('"layers": [', '"input_dim": 2, "layers": [', 1)
expect("ARCH duplicate key", LU, {2}, arch=dup_arch.encode())
ctl = run(lu_text.replace('"format"', '"for\nm\u000bat"', 1).encode())
if ctl[0] not in (1, 2) or (ctl[1] + ctl[2]).count("\n") != 1:
    failures.append(f"control characters: exit {ctl[0]}, output not one line: {ctl[1]!r} {ctl[2]!r}")
fifo = os.path.join(TMP, "fifo.json")
os.mkfifo(fifo)
t0 = time.time()
fp = subprocess.run([CHECKER, fifo], capture_output=True, timeout=20)
if fp.returncode != 2 or b"not a regular file" not in fp.stderr or time.time() - t0 > 5:
    failures.append(f"FIFO: exit {fp.returncode} after {time.time() - t0:.1f} s: {fp.stderr!r}")
# Command line: --help, --version, --json (the same verdict as the text answer), usage errors.
for args, code, text in ((["--help"], 0, "Exit status"), (["--version"], 0, "closecert-verify "), ([], 2, "usage"),
                         (["--frob", "x"], 2, "unknown option"), (["a", "b", "c"], 2, "usage")):
    p = subprocess.run([CHECKER] + args, capture_output=True, timeout=60)
    if p.returncode != code or text not in (p.stdout + p.stderr).decode():
        failures.append(f"closecert-verify {args}: exit {p.returncode}, expected {code} with {text!r}")
lu_path = os.path.join(DATA, "lu2_not_closed.json")
pj = subprocess.run([CHECKER, "--json", lu_path], capture_output=True, timeout=60)
pt = subprocess.run([CHECKER, lu_path], capture_output=True, timeout=60)
j = json.loads(pj.stdout)
if pj.returncode != 0 or j["result"] != "verified" or j["linear"] != "not_closed" or \
        f"{j['steps_checked']} steps checked" not in pt.stdout.decode():
    failures.append(f"--json on a valid certificate: {pj.stdout!r}")
bad = os.path.join(TMP, "bad.json")
with open(bad, "w") as f:
    json.dump(mutated(LU, setp(("claim", "linear"), "closed")), f)
pj = subprocess.run([CHECKER, "--json", bad], capture_output=True, timeout=60)
if pj.returncode != 1 or json.loads(pj.stdout)["result"] != "rejected":
    failures.append(f"--json on a tampered certificate: exit {pj.returncode}: {pj.stdout!r}")
pj = subprocess.run([CHECKER, "--json", os.path.join(TMP, "none.json")], capture_output=True, timeout=60)
if pj.returncode != 2 or json.loads(pj.stdout)["result"] != "error":
    failures.append(f"--json on a missing file: exit {pj.returncode}: {pj.stdout!r}")
# rule linear_layer: accepted for one layer (data/certificates/linear_layer_closed.json), refused deeper.
LL = certs["linear_layer_closed.json"]
expect("linear_layer verifies", LL, {0})
expect("linear_layer on two layers", mutated(LU, lambda d: (d["claim"].update(relu="closed"),
       d.update(relu={"verdict": "closed", "rule": "linear_layer"}))), {1}, why="no hidden layer")
missing = subprocess.run([CHECKER, os.path.join(TMP, "none.json")], capture_output=True, timeout=60)
if missing.returncode != 2 or b"closecert-verify: error: " not in missing.stderr:
    failures.append(f"missing file: exit {missing.returncode}")
n_flips = 150 * SCALE
flip_results = {}
names = sorted(certs)
for k in range(n_flips):
    name = rng.choice(names)
    raw = bytearray(open(os.path.join(DATA, name), "rb").read())
    pos = rng.randrange(len(raw))
    raw[pos] = rng.randrange(256)
    rc, out, err = run(bytes(raw))
    flip_results[rc] = flip_results.get(rc, 0) + 1
    if rc not in (0, 1, 2):
        failures.append(f"byte flip {k} ({name} at {pos}): {err.strip()}")

# 5. Hostile sizes: limits must reject quickly.
def deep_dense(depth, width):
    return {"format": "closecert-architecture", "version": 1, "input_dim": width,
            "layers": [{"mask": ["1" * width] * width, "bias": True} for _ in range(depth)]}
hostile = copy.deepcopy(LU)
hostile["architecture"] = deep_dense(40, 8)
hostile["claim"] = {"linear": "not_closed", "relu": "unknown"}
hostile.pop(relu)
hostile[lin]["family"] = [{"layer": l, "entries": []} for l in range(1, 41)]
hostile[lin]["limit"] = []
hostile[lin]["window"] = {"rows": [0], "cols": [0]}
hostile[lin]["nonmembership"] = {"kind": "nullstellensatz", "cofactors": []}
t0 = time.time()
expect("path explosion in the window system", hostile, {1})
big = mutated(LU, setp(NM + ("cofactors", 2, "poly"), [[str(k + 1), {"w2_1_0": 1 + k % 64, "w1_0_0": 1 + k // 64 % 64, "w2_0_0": 1 + k // 4096}] for k in range(250000)]))
expect("polynomial with too many terms", big, {1})
sq = mutated(PS, setp(NM + ("squares", 0, "poly"), [["1", {"w2_1_0": 1 + k % 64, "w1_0_0": 1 + k // 64 % 64, "w2_0_0": 1 + k // 4096}] for k in range(150000)]))
expect("square of a large polynomial", sq, {1})
elapsed = time.time() - t0
if elapsed > 120:
    failures.append(f"hostile inputs took {elapsed:.0f} s")

print(f"[mutations] targeted {n_targeted}, systematic {n_systematic}, truncations {n_trunc}, byte flips {n_flips} "
      f"(exit codes {dict(sorted(flip_results.items()))}), hostile 3 in {elapsed:.1f} s; runs {counts['runs']}")
print(f"[mutations] systematic mutations that still verify (then rejected against the original ARCH): {n_other_arch}")
for f in failures:
    print("FAIL", f)
sys.exit(1 if failures else 0)
