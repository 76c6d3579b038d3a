"""Runs closecert-verify on documents and checks the shape of its answer (shared by the mutation suites)."""
import json, os, re, subprocess, tempfile

ANSWER = {
    0: re.compile(r"verified: (linear \w+, relu \w+|\w+: .+) \(\d+ steps checked, \d+ trusted\)\n"),
    1: re.compile(r"rejected: \S+: .+\n"),
}
ERROR = re.compile(r"closecert-verify: error: \S+: .+\n")


class Runner:
    def __init__(self, checker):
        self.checker = checker
        self.tmp = tempfile.mkdtemp(prefix="verify-mut-")
        self.failures = []
        self.counts = {"runs": 0, "rejected": 0, "error": 0, "verified": 0}

    def run(self, doc, arch=None, name="cert.json"):
        """Writes doc (object, str or bytes) and arch, runs the checker: (exit, stdout, stderr)."""
        path = os.path.join(self.tmp, name)
        data = doc if isinstance(doc, bytes) else (doc if isinstance(doc, str) else json.dumps(doc)).encode()
        with open(path, "wb") as f:
            f.write(data)
        args = [self.checker, path]
        if arch is not None:
            apath = os.path.join(self.tmp, "arch.json")
            with open(apath, "wb") as f:
                f.write(arch if isinstance(arch, bytes) else json.dumps(arch).encode())
            args.append(apath)
        try:
            p = subprocess.run(args, capture_output=True, timeout=60)
        except subprocess.TimeoutExpired:
            return -999, "", "timeout"
        out, err = p.stdout.decode(errors="replace"), p.stderr.decode(errors="replace")
        self.counts["runs"] += 1
        self.counts[{0: "verified", 1: "rejected", 2: "error"}.get(p.returncode, "runs")] += 1
        # A verified answer may be followed by "trusted: ..." lines; the others are exactly one line.
        ok = (p.returncode == 0 and ANSWER[0].match(out)) or (p.returncode == 1 and ANSWER[1].fullmatch(out)) or \
             (p.returncode == 2 and ERROR.fullmatch(err))
        if not ok:
            return -998, out, err + f" (bad answer, exit {p.returncode})"
        return p.returncode, out, err

    def expect(self, label, doc, codes, arch=None, why=None):
        """`why`: a text the rejection must contain, so that a mutation is caught by the check it targets."""
        rc, out, err = self.run(doc, arch)
        if rc not in codes or (why is not None and why not in out):
            self.failures.append(f"{label}: exit {rc}, expected {codes}{' with ' + repr(why) if why else ''}: {out.strip()} {err.strip()}")
        return rc


# Mutators of JSON documents (a path is a tuple of keys and indices).
def get(d, path):
    for k in path:
        d = d[k]
    return d


def mutated(doc, fn):
    import copy
    d = copy.deepcopy(doc)
    fn(d)
    return d


def setp(path, value):
    """Mutator setting doc[path...] = value."""
    def fn(d):
        get(d, path[:-1])[path[-1]] = value
    return fn


def delp(path):
    def fn(d):
        del get(d, path[:-1])[path[-1]]
    return fn


def walk(d, path=(), sample_long=False):
    """Every path in d; with sample_long, a list longer than 6 stands in by its first three and last elements."""
    yield path
    if isinstance(d, dict):
        for k in d:
            yield from walk(d[k], path + (k,), sample_long)
    elif isinstance(d, list):
        keep = sorted({0, 1, 2, len(d) - 1}) if sample_long and len(d) > 6 else range(len(d))
        for i in keep:
            yield from walk(d[i], path + (i,), sample_long)


def systematic(doc, optional=(), sample_long=False):
    """(label, mutated document) for deleting every field and element not in `optional` (last keys)
    and giving every value a wrong type."""
    for path in list(walk(doc, (), sample_long))[1:]:
        value = get(doc, path)
        if path[-1] not in optional:
            yield "delete " + "/".join(map(str, path)), mutated(doc, delp(path))
        yield "retype " + "/".join(map(str, path)), mutated(doc, setp(path, "x" if not isinstance(value, str) else 7))
