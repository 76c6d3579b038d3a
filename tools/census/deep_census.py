#!/usr/bin/env python3
"""Census of deep architectures (three or more layers), up to symmetry.

Enumerates every architecture with the given depth and widths (all masks, empty entries allowed),
one representative per class under permutations of the units of every layer and transposition
(reversed layers, transposed masks); decides each with `closecert check --cert`, re-verifies every
decided certificate with `closecert-verify CERT ARCH` (the certificate tied to its pattern), and
optionally cross-checks the verdict against z3 (nlqsat) on the closedness sentence of THEORY.md.
Resumable: classes already in the output file are skipped.

usage: deep_census.py --closecert BIN --verify BIN --depth L --widths 2,2,2,2 [--max-width W]
                      [--out FILE.jsonl] [--timeout S] [--z3 BIN --z3-timeout S] [--sample N --seed S]
"""
import argparse, itertools, json, os, random, subprocess, sys, tempfile, time


def width_tuples(depth, max_width):
    """Width tuples up to reversal (transposition), the lexicographically smaller one kept."""
    out = []
    for w in itertools.product(range(1, max_width + 1), repeat=depth + 1):
        if w <= tuple(reversed(w)):
            out.append(w)
    return out


def masks_of(bits, widths):
    """Bit string -> list of masks (rows of '0'/'1'), layer l of shape widths[l] x widths[l-1]."""
    masks, k = [], 0
    for l in range(1, len(widths)):
        r, c = widths[l], widths[l - 1]
        masks.append(tuple("".join(bits[k + i * c + j] for j in range(c)) for i in range(r)))
        k += r * c
    return tuple(masks)


def permuted(masks, perms):
    """Relabel units: perms[l] is a permutation of layer l's units (0 = inputs)."""
    out = []
    for l, m in enumerate(masks, start=1):
        pr, pc = perms[l], perms[l - 1]
        out.append(tuple("".join(m[pr[i]][pc[j]] for j in range(len(pc))) for i in range(len(pr))))
    return tuple(out)


def transposed(masks):
    return tuple(tuple("".join(m[i][j] for i in range(len(m))) for j in range(len(m[0]))) for m in reversed(masks))


def canonical(masks, widths):
    forms = [masks]
    if tuple(widths) == tuple(reversed(widths)):
        forms.append(transposed(masks))
    best = None
    for f in forms:
        for perms in itertools.product(*[list(itertools.permutations(range(w))) for w in widths]):
            key = permuted(f, perms)
            if best is None or key < best:
                best = key
    return best


def classes(widths):
    n = sum(widths[l] * widths[l - 1] for l in range(1, len(widths)))
    seen = set()
    for bits in itertools.product("01", repeat=n):
        c = canonical(masks_of(bits, widths), widths)
        if c not in seen:
            seen.add(c)
    return sorted(seen)


def arch_json(masks, widths, name):
    return {"format": "closecert-architecture", "version": 1, "name": name, "input_dim": widths[0],
            "layers": [{"bias": True, "mask": list(m)} for m in masks]}


def smt_negated_closedness(masks, widths):
    """sat iff L is not closed: exists A with A in closure(L) and A not in L (THEORY.md section 2)."""
    L = len(masks)
    def entry(i, j, pre):
        # Sum over paths j -> i of products of the variables pre<l>_<a>_<b>.
        terms = []
        def walk(l, u, acc):
            if l == L:
                if u == i:
                    terms.append(acc)
                return
            for v in range(widths[l + 1]):
                if masks[l][v][u] == "1":
                    walk(l + 1, v, acc + [f"{pre}{l + 1}_{v}_{u}"])
        walk(0, j, [])
        if not terms:
            return None
        return "(+ 0.0 " + " ".join("(* " + " ".join(t) + ")" if len(t) > 1 else t[0] for t in terms) + ")"
    cells = [(i, j) for i in range(widths[-1]) for j in range(widths[0]) if entry(i, j, "u") is not None]
    if not cells:
        return None
    def vars_(pre):
        return [f"{pre}{l}_{a}_{b}" for l in range(1, L + 1) for a in range(widths[l]) for b in range(widths[l - 1]) if masks[l - 1][a][b] == "1"]
    decl = lambda vs: " ".join(f"({v} Real)" for v in vs)
    out = [f"(declare-const a{i}_{j} Real)" for (i, j) in cells]
    dist = "(+ 0.0 " + " ".join(f"(* (- {entry(i, j, 'p')} a{i}_{j}) (- {entry(i, j, 'p')} a{i}_{j}))" for (i, j) in cells) + ")"
    eq = "(and true " + " ".join(f"(= {entry(i, j, 'u')} a{i}_{j})" for (i, j) in cells) + ")"
    body = f"(and (=> (> e 0.0) (< {dist} e)) (not {eq}))"
    body = f"(exists ({decl(vars_('p'))}) {body})"
    out.append(f"(assert (forall ((e Real) {decl(vars_('u'))}) {body}))")
    out.append("(check-sat-using nlqsat)")
    return "\n".join(out) + "\n"


def smt_membership(masks, widths, limit):
    """sat iff the matrix `limit` ({(i, j): "p/q"}) is a product W_L ... W_1 with the masks."""
    L = len(masks)
    vs = [f"u{l}_{a}_{b}" for l in range(1, L + 1) for a in range(widths[l]) for b in range(widths[l - 1]) if masks[l - 1][a][b] == "1"]
    out = [f"(declare-const {v} Real)" for v in vs]
    for i in range(widths[-1]):
        for j in range(widths[0]):
            terms = []
            def walk(l, u, acc):
                if l == L:
                    if u == i:
                        terms.append(acc)
                    return
                for v in range(widths[l + 1]):
                    if masks[l][v][u] == "1":
                        walk(l + 1, v, acc + [f"u{l + 1}_{v}_{u}"])
            walk(0, j, [])
            e = "(+ 0.0 " + " ".join("(* " + " ".join(t) + ")" for t in terms) + ")"
            q = limit.get((i, j), "0")
            num, _, den = q.partition("/")
            val = f"(/ {num}.0 {den}.0)" if den else f"{num}.0"
            if val.startswith("-"):
                val = f"(- {val[1:]})"
            out.append(f"(assert (= {e} {val}))")
    out.append("(check-sat-using qfnra-nlsat)")
    return "\n".join(out) + "\n"


def z3_limit(z3, masks, widths, cert_path, timeout, tmp):
    """For a not-closed certificate: z3's answer on the membership of its limit (expected: outside)."""
    cert = json.load(open(cert_path))
    limit = {(e["row"], e["col"]): e["value"] for e in cert["linear"]["limit"]}
    spath = os.path.join(tmp, "m.smt2")
    open(spath, "w").write(smt_membership(masks, widths, limit))
    rc, so, se = run([z3, f"-T:{int(timeout)}", spath], timeout + 10)
    ans = so.strip().splitlines()[-1] if so.strip() else "timeout"
    return {"unsat": "outside", "sat": "inside"}.get(ans, "timeout")


def run(cmd, timeout):
    try:
        p = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)
        return p.returncode, p.stdout, p.stderr
    except subprocess.TimeoutExpired:
        return None, "", "timeout"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--closecert", required=True)
    ap.add_argument("--verify", required=True)
    ap.add_argument("--depth", type=int, required=True)
    ap.add_argument("--max-width", type=int, default=2)
    ap.add_argument("--widths", help="one width tuple, e.g. 2,2,2,2 (default: all up to --max-width)")
    ap.add_argument("--out")
    ap.add_argument("--timeout", type=float, default=20)
    ap.add_argument("--z3")
    ap.add_argument("--z3-timeout", type=float, default=5)
    ap.add_argument("--sample", type=int, default=0, help="decide only N random classes (tests)")
    ap.add_argument("--seed", type=int, default=int(time.time()))
    args = ap.parse_args()
    tuples = [tuple(int(x) for x in args.widths.split(","))] if args.widths else width_tuples(args.depth, args.max_width)
    done = set()
    if args.out and os.path.exists(args.out):
        for line in open(args.out):
            r = json.loads(line)
            done.add((tuple(r["widths"]), tuple(tuple(m) for m in r["masks"])))
    out = open(args.out, "a") if args.out else sys.stdout
    tmp = tempfile.mkdtemp(prefix="deep-census-")
    todo = [(w, c) for w in tuples for c in classes(w)]
    print(f"[deep-census] depth {args.depth}: {len(todo)} classes over {len(tuples)} width tuples", file=sys.stderr)
    if args.sample:
        rng = random.Random(args.seed)
        print(f"[deep-census] sample {args.sample}, seed {args.seed}", file=sys.stderr)
        todo = rng.sample(todo, min(args.sample, len(todo)))
    failures = disagreements = 0
    t0 = time.time()
    for k, (w, masks) in enumerate(todo):
        if (w, masks) in done:
            continue
        name = "deep_" + "-".join(map(str, w)) + "_" + "_".join("".join(m) for m in masks)
        apath, cpath = os.path.join(tmp, "arch.json"), os.path.join(tmp, "cert.json")
        json.dump(arch_json(masks, w, name), open(apath, "w"))
        if os.path.exists(cpath):
            os.remove(cpath)
        t = time.time()
        rc, so, se = run([args.closecert, "check", apath, "--cert", cpath, "--timeout", str(args.timeout), "--linear"],
                         args.timeout + 30)
        secs = time.time() - t
        first = so.splitlines()[0] if so else se.strip()
        verdict = "unknown"
        for v in ("not_closed", "closed", "unknown"):
            if f"linear: {v}" in first:
                verdict = v
                break
        rule = first.split("(rule ")[1].split(",")[0] if "(rule " in first else ""
        rec = {"widths": list(w), "masks": [list(m) for m in masks], "verdict": verdict, "rule": rule, "seconds": round(secs, 3)}
        if verdict == "unknown":
            rec["reason"] = first.split("(", 1)[1][:200] if "(" in first else first[:200]
        else:
            vrc, vso, vse = run([args.verify, cpath, apath], 120)
            rec["verified"] = vrc == 0
            if vrc != 0:
                failures += 1
                print(f"*** VERIFICATION FAILURE {name}: {vso.strip()} {vse.strip()}", file=sys.stderr)
        if args.z3:
            smt = smt_negated_closedness(masks, w)
            if smt is None:
                rec["z3"] = "closed"
            else:
                spath = os.path.join(tmp, "q.smt2")
                open(spath, "w").write(smt)
                zrc, zso, zse = run([args.z3, f"-T:{int(args.z3_timeout)}", spath], args.z3_timeout + 10)
                ans = zso.strip().splitlines()[-1] if zso.strip() else "timeout"
                rec["z3"] = {"sat": "not_closed", "unsat": "closed"}.get(ans, "timeout")
            if verdict == "not_closed":
                rec["z3_limit"] = z3_limit(args.z3, masks, w, cpath, args.z3_timeout, tmp)
                if rec["z3_limit"] == "inside":
                    disagreements += 1
                    print(f"*** DISAGREEMENT {name}: z3 finds a factorisation of the limit", file=sys.stderr)
            if rec["z3"] != "timeout" and verdict != "unknown" and rec["z3"] != verdict:
                disagreements += 1
                print(f"*** DISAGREEMENT {name}: closecert {verdict}, z3 {rec['z3']}", file=sys.stderr)
        out.write(json.dumps(rec) + "\n")
        out.flush()
        if sys.stderr.isatty() or (k + 1) % 100 == 0:
            print(f"[deep-census] {k + 1}/{len(todo)} ({time.time() - t0:.0f} s)", file=sys.stderr)
    print(f"[deep-census] done in {time.time() - t0:.0f} s; verification failures {failures}, z3 disagreements {disagreements}",
          file=sys.stderr)
    sys.exit(1 if failures or disagreements else 0)


if __name__ == "__main__":
    main()
