#!/usr/bin/env python3
"""Mutation suite for certificates of kind "classf" (docs/fixed.md, "Class F on a box").

The shipped certificates in data/certificates/classf verify; targeted mutations are rejected by
the check they target, systematic and byte-level ones are rejected (exit 1) or refused as
unreadable (exit 2), never accepted.
usage: mutations_classf.py CHECKER SOURCE_ROOT
"""
import glob, json, os, sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from runner import Runner, mutated, setp, delp, systematic  # noqa: E402

CHECKER, ROOT = sys.argv[1], sys.argv[2]
R = Runner(CHECKER)
CERTS = os.path.join(ROOT, "data", "certificates", "classf")
certs = {os.path.basename(p): json.load(open(p)) for p in sorted(glob.glob(os.path.join(CERTS, "*.json")))}
assert set(certs) >= {"tanh.json", "silu.json", "silu_small_box.json", "leaky_relu.json"}, "missing classf certificates"

for name, doc in certs.items():
    R.expect("valid " + name, doc, {0})

TANH, SILU, SMALL, LEAKY = certs["tanh.json"], certs["silu.json"], certs["silu_small_box.json"], certs["leaky_relu.json"]
cells = SMALL["proof"]["cells"]
mid = len(cells) // 2
targeted = [
    # A member claim for silu beyond its Schwarzian's sign change (about 3.49): some cell fails.
    (SMALL, "silu's box widened", setp(("box", 1), "4"), "the last point is not the box's upper end"),
    (SMALL, "silu's last cell stretched", lambda d: (d["box"].__setitem__(1, "4"), d["proof"]["cells"].__setitem__(-1, "4")),
     "S f is not shown <= 0"),
    (SMALL, "silu's box extended to negative slopes", lambda d: (d["box"].__setitem__(0, "-2"), d["proof"]["cells"].__setitem__(0, "-2")),
     "f' is not shown positive"),
    (SMALL, "cells out of order", lambda d: d["proof"]["cells"].__setitem__(mid, cells[mid + 1]), "not increasing"),
    (SMALL, "first point off the box", setp(("proof", "cells", 0), "-2"), "is not the box's lower end"),
    (SMALL, "a point beyond the box", lambda d: d["proof"]["cells"].append("100"), "beyond the box"),
    (SMALL, "one cell only", setp(("proof", "cells"), ["-1"]), "between 2 and 2^20"),
    (TANH, "another function", setp(("function", "name"), "silu"), None),
    (TANH, "an unknown function", setp(("function", "name"), "gelu"), "unknown function"),
    (TANH, "a slope for tanh", setp(("function", "slope"), "1/2"), "only leaky_relu has a slope"),
    (TANH, "a box beyond the limit", lambda d: (d["box"].__setitem__(1, "65"), d["proof"]["cells"].__setitem__(-1, "65")),
     "beyond the checker's limit"),
    (TANH, "an empty box", setp(("box",), ["1", "1"]), "lo is not below hi"),
    (TANH, "member claimed with a chi point", setp(("proof",), {"rule": "chi_point", "x": "0", "y": "1"}), "needs rule \"schwarzian_cells\""),
    (TANH, "tanh claimed not a member", lambda d: (d.__setitem__("claim", "not_member"), d.__setitem__("proof", {"rule": "chi_point", "x": "0", "y": "1"})),
     "chi_f(x, y) > 1 is not shown"),
    (TANH, "an unknown claim", setp(("claim",), "maybe"), "expected \"member\" or \"not_member\""),
    (SILU, "silu's chi point moved where chi < 1", setp(("proof", "x"), "0"), "chi_f(x, y) > 1 is not shown"),
    (SILU, "x beyond y", lambda d: (d["proof"].__setitem__("x", "24"), d["proof"].__setitem__("y", "2")), "needs lo <= x < y <= hi"),
    (SILU, "y outside the box", setp(("box", 1), "23"), "needs lo <= x < y <= hi"),
    (SILU, "silu claimed a member", setp(("claim",), "member"), "needs rule \"schwarzian_cells\""),
    (LEAKY, "the slope set to 1 (the identity)", setp(("function", "slope"), "1"), "chi_f(x, y) > 1 is not shown"),
    (LEAKY, "a zero slope", setp(("function", "slope"), "0"), "must be > 0"),
    (LEAKY, "x on the kink", setp(("proof", "x"), "0"), "avoid the kink"),
    (LEAKY, "leaky_relu claimed a member", lambda d: (d.__setitem__("claim", "member"), d.__setitem__("proof", {"rule": "schwarzian_cells", "cells": ["-8", "8"]})),
     "not C^1"),
    (LEAKY, "slope deleted", delp(("function", "slope")), None),
]
for doc, label, fn, why in targeted:
    R.expect("targeted: " + label, mutated(doc, fn), {1, 2} if why is None else {1}, why=why)

n = 0
for doc in (TANH, SILU, LEAKY):
    for label, m in systematic(doc, optional=(), sample_long=True):
        n += 1
        # Deleting an inner partition point merges two cells: a coarser partition may still be a
        # proof of the same claim, so it may verify.
        inner = label.startswith("delete proof/cells/") and label.split("/")[-1] not in ("0", str(len(doc["proof"].get("cells", [])) - 1))
        R.expect(label, m, {0, 1, 2} if inner else {1, 2})
    raw = json.dumps(doc).encode()
    for cut in range(0, len(raw), 23):
        R.expect(f"truncated at {cut}", raw[:cut], {2})
print(f"[mutations_classf] {R.counts['runs']} runs ({len(targeted)} targeted, {n} systematic): {R.counts['verified']} verified, "
      f"{R.counts['rejected']} rejected, {R.counts['error']} unreadable")
for f in R.failures:
    print("FAIL:", f)
sys.exit(1 if R.failures else 0)
