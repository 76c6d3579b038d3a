"""closecert's Python API against the closecert command and closecert-verify (suite 'python').

Environment (tests/python/meson.build): PYTHONPATH=build/python, CLOSECERT_VERIFY, CLOSECERT_CLI,
CLOSECERT_SOURCE_ROOT.
"""

import json
import os
import subprocess
import sys
import tempfile
import threading
import time
import unittest
from concurrent.futures import ThreadPoolExecutor

import numpy as np

import closecert

CLI = os.environ["CLOSECERT_CLI"]
PATTERNS = os.path.join(os.environ["CLOSECERT_SOURCE_ROOT"], "data", "patterns")
LU2 = [[[1, 1], [0, 1]], [[1, 0], [1, 1]]]  # data/patterns/lu2.json: U then L


def cli(*args):
    p = subprocess.run([CLI, *args], capture_output=True, text=True)
    return p.returncode, p.stdout, p.stderr


class ArchitectureTests(unittest.TestCase):
    def test_numpy_lists_bools_and_strings_agree(self):
        a = closecert.Architecture([np.array(m, dtype=np.uint8) for m in LU2], name="lu2")
        b = closecert.Architecture(LU2)
        c = closecert.Architecture([np.array(m, dtype=bool) for m in LU2])
        d = closecert.Architecture([[[bool(x) for x in r] for r in m] for m in LU2])
        e = closecert.Architecture([["11", "01"], ["10", "11"]])
        f = closecert.Architecture([np.array(m, dtype=np.float32) for m in LU2])
        for x in (b, c, d, e, f):
            self.assertEqual(a, x)
        self.assertEqual(a.widths, [2, 2, 2])
        self.assertEqual(a.depth, 2)
        self.assertEqual(a.nonzeros, 6)
        self.assertEqual(a.biases, [True, True])
        self.assertEqual(a.mask_lists, LU2)
        self.assertTrue(all(np.array_equal(m, np.array(l)) for m, l in zip(a.masks, LU2)))
        self.assertNotEqual(a, closecert.Architecture(LU2, bias=[True, False]))
        self.assertNotEqual(a, closecert.Architecture([LU2[1], LU2[0]]))

    def test_rectangular_orientation(self):
        # 3 inputs -> 2 hidden -> 1 output: mask l is (units of l) x (units of l-1).
        a = closecert.Architecture([np.ones((2, 3)), [[1, 0]]], bias=[False, True])
        self.assertEqual(a.widths, [3, 2, 1])
        j = a.to_json()
        self.assertEqual(j["input_dim"], 3)
        self.assertEqual(j["layers"], [{"mask": ["111", "111"], "bias": False}, {"mask": ["10"], "bias": True}])

    def test_errors_name_the_layer(self):
        with self.assertRaisesRegex(ValueError, r"masks\[1\] has shape 2 x 4: its 4 columns must equal the 2 rows "
                                                r"\(units\) of masks\[0\].*nn.Linear.weight \(is it transposed\?\)"):
            closecert.Architecture([np.ones((2, 3)), np.ones((2, 4))])
        with self.assertRaisesRegex(ValueError, r"masks\[2\] has shape 1 x 4: its 4 columns must equal the 2 rows"):
            closecert.Architecture([np.ones((3, 3)), np.ones((2, 3)), np.ones((1, 4))])
        with self.assertRaisesRegex(ValueError, r"masks\[0\]: entry \(1, 0\) is 2"):
            closecert.Architecture([[[1, 0], [2, 1]]])
        with self.assertRaisesRegex(ValueError, r"masks\[1\]: entry \(0, 1\) is nan"):
            closecert.Architecture([np.ones((2, 2)), np.array([[1.0, np.nan]])])
        with self.assertRaisesRegex(ValueError, r"masks\[0\]: expected a 2-D array"):
            closecert.Architecture([np.ones(3)])
        with self.assertRaisesRegex(ValueError, r"masks\[0\]: row 1 has 1 entries, row 0 has 2"):
            closecert.Architecture([[[1, 1], [1]]])
        with self.assertRaisesRegex(ValueError, r"layers\[0\]\.mask: has no rows"):
            closecert.Architecture([np.ones((0, 2))])
        with self.assertRaisesRegex(ValueError, "at least one layer"):
            closecert.Architecture([])
        with self.assertRaises(closecert.ArchitectureError):
            closecert.Architecture([np.ones((2, 0))])
        with self.assertRaisesRegex(ValueError, "bias: 1 values for 2 layers"):
            closecert.Architecture(LU2, bias=[True])

    def test_save_is_the_file_closecert_gen_writes(self):
        rc, text, _ = cli("gen", "lu", "--n", "4")
        self.assertEqual(rc, 0)
        n = 4
        u = [[int(j >= k) for j in range(n)] for k in range(n)]
        l = [[int(k <= i) for k in range(n)] for i in range(n)]
        a = closecert.Architecture([u, l], name="lu4")
        self.assertEqual(a.to_text(), text)
        with tempfile.TemporaryDirectory() as tmp:
            path = os.path.join(tmp, "lu4.json")
            a.save(path)
            with open(path) as f:
                self.assertEqual(f.read(), text)
            b = closecert.load(path)
            self.assertEqual(b, a)
            self.assertEqual(b.name, "lu4")
            self.assertEqual(b.to_json(), json.loads(text))
            self.assertEqual(closecert.Architecture.from_json(b.to_json()), a)
            rc, out, _ = cli("info", path)
            self.assertEqual(rc, 0)
            with self.assertRaises(closecert.OutputError):
                a.save(os.path.join(tmp, "missing", "x.json"))

    def test_load_shipped_pattern_and_errors(self):
        a = closecert.load(os.path.join(PATTERNS, "lu2.json"))
        self.assertEqual(a, closecert.Architecture(LU2))
        self.assertEqual(a.name, "lu2")
        with tempfile.TemporaryDirectory() as tmp:
            bad = os.path.join(tmp, "bad.json")
            with open(bad, "w") as f:
                f.write('{"format": "closecert-architecture", "version": 1, "input_dim": 2, '
                        '"layers": [{"mask": ["1x"]}]}')
            with self.assertRaisesRegex(closecert.InputError, r"bad\.json: layers\[0\]\.mask\[0\]: character 'x'"):
                closecert.load(bad)
            with self.assertRaises(ValueError):
                closecert.load(os.path.join(tmp, "absent.json"))
        with self.assertRaisesRegex(closecert.InputError, r"<json>: .*input_dim.*(duplicate|repeat)"):
            closecert.Architecture.from_json('{"format": "closecert-architecture", "version": 1, "input_dim": 1, '
                                             '"input_dim": 2, "layers": [{"mask": ["1"]}]}')
        with self.assertRaisesRegex(closecert.InputError, "unknown key"):
            closecert.Architecture.from_json({"format": "closecert-architecture", "version": 1, "input_dim": 1,
                                              "layers": [{"mask": ["1"], "bais": True}]})


class CheckTests(unittest.TestCase):
    def compare_with_cli(self, name, linear_only=False):
        path = os.path.join(PATTERNS, name + ".json")
        flags = ["--linear"] if linear_only else []
        r = closecert.check(closecert.load(path), timeout=60.0, linear_only=linear_only)
        with tempfile.TemporaryDirectory() as tmp:
            cert = os.path.join(tmp, "c.json")
            rc, out, err = cli("check", path, "--json", "--cert", cert, *flags)
            self.assertIn(rc, (0, 1, 3), err)
            j = json.loads(out)
            with open(cert) as f:
                cert_text = f.read()
        # Same verdicts, rules and reasons as the command; seconds differ between runs.
        for part in ("linear", "relu"):
            mine = {k: v for k, v in getattr(r, part).items() if k != "seconds"}
            theirs = {k: v for k, v in j[part].items() if k != "seconds"}
            self.assertEqual(mine, theirs, part)
        self.assertEqual(r.architecture, j["architecture"])
        self.assertEqual(rc, {"closed": 0, "not_closed": 1, "unknown": 3}[r.verdict])
        # The certificate is the very document `check --cert` writes.
        self.assertEqual(r.certificate_text, cert_text)
        self.assertEqual(json.dumps(r.certificate, indent=1, ensure_ascii=False) + "\n", cert_text)
        return r

    def test_not_closed_pattern(self):
        r = self.compare_with_cli("lu2")
        self.assertEqual((r.linear_verdict, r.relu_verdict), ("not_closed", "not_closed"))
        self.assertEqual(r.linear["rule"], "limit_outside")
        self.assertEqual(r.linear["window"], {"rows": [0, 1], "cols": [0, 1]})
        self.assertEqual(r.linear["limit"], [{"row": 0, "col": 1, "value": "1"}, {"row": 1, "col": 0, "value": "1"}])
        self.assertEqual(r.relu["rule"], "transfer")
        self.assertEqual(r.certificate["claim"], {"linear": "not_closed", "relu": "not_closed"})
        self.assertGreaterEqual(r.seconds, 0.0)

    def test_closed_patterns(self):
        r = self.compare_with_cli("scalar_output")
        self.assertEqual((r.linear_verdict, r.relu_verdict), ("closed", "closed"))
        self.assertEqual(r.relu["rule"], "cited")
        r = self.compare_with_cli("lu2_plus_cell")
        self.assertEqual((r.linear_verdict, r.relu_verdict), ("closed", "unknown"))
        self.assertIn("does not transfer", r.relu["reason"])

    def test_deep_and_linear_only(self):
        r = self.compare_with_cli("llu3", linear_only=True)
        self.assertEqual(r.verdict, "not_closed")
        self.assertEqual(r.relu, {"verdict": "unknown", "rule": "", "reason": "not asked (--linear)"})
        self.assertNotIn("relu", r.certificate)
        r = self.compare_with_cli("ulu3")
        self.assertEqual(r.linear_verdict, "closed")

    def test_unknown_pattern(self):
        r = self.compare_with_cli("nm_2_4_w8")
        self.assertEqual((r.linear_verdict, r.relu_verdict), ("unknown", "unknown"))
        self.assertIn("stuck", r.linear)
        self.assertEqual(r.certificate["claim"], {"linear": "unknown", "relu": "unknown"})

    def test_threads_give_the_same_answers(self):
        # The engine is thread-safe (the census runs it in worker threads); with the GIL released
        # concurrent checks must not disturb each other.
        names = ["lu2", "scalar_output", "llu3", "case_tree3", "nm_2_4_w8", "ulu3"] * 2
        archs = [closecert.load(os.path.join(PATTERNS, n + ".json")) for n in names]
        alone = [closecert.check(a).certificate_text for a in archs]
        with ThreadPoolExecutor(max_workers=4) as pool:
            together = list(pool.map(lambda a: closecert.check(a).certificate_text, archs))
        self.assertEqual(together, alone)

    def test_to_dict_and_paths(self):
        r = closecert.check(os.path.join(PATTERNS, "lu2.json"))
        d = r.to_dict()
        self.assertEqual(set(d), {"architecture", "linear", "relu", "certificate"})
        self.assertEqual(d["certificate"]["format"], "closecert-certificate")
        self.assertEqual(closecert.check(LU2).linear_verdict, "not_closed")

    def test_bad_timeout(self):
        for t in (0, -1.0, float("nan")):
            with self.assertRaisesRegex(ValueError, "timeout must be > 0"):
                closecert.check(closecert.Architecture(LU2), timeout=t)

    def test_gil_is_released(self):
        # A 784-300-10 MLP pruned to 10% (seeded), which the engine works on far beyond the time
        # limit; the main thread must keep running meanwhile (with the GIL held it could not).
        rng = np.random.default_rng(5)
        masks = [(rng.random((300, 784)) < 0.1).astype(int), (rng.random((10, 300)) < 0.1).astype(int)]
        a = closecert.Architecture(masks, name="slow")
        results = []
        t = threading.Thread(target=lambda: results.append(closecert.check(a, timeout=0.5)))
        start = time.monotonic()
        t.start()
        ticks = 0
        while t.is_alive():
            ticks += 1
            time.sleep(0.001)
        t.join()
        elapsed = time.monotonic() - start
        print("GIL test: %d ticks of the main thread during %.3f s of check()" % (ticks, elapsed), file=sys.stderr)
        self.assertEqual(results[0].linear_verdict, "unknown")
        self.assertIn("time limit", results[0].linear["reason"])
        self.assertGreaterEqual(elapsed, 0.45)
        self.assertGreater(ticks, 50)


class VerifyTests(unittest.TestCase):
    def test_accepts_and_rejects(self):
        r = closecert.check(os.path.join(PATTERNS, "lu2.json"))
        ok, msg = closecert.verify(r)
        self.assertTrue(ok, msg)
        self.assertTrue(msg.startswith("verified: linear not_closed, relu not_closed"), msg)
        ok, msg = closecert.verify(r.certificate, arch=closecert.load(os.path.join(PATTERNS, "lu2.json")))
        self.assertTrue(ok, msg)
        ok, msg = closecert.verify(r, arch=os.path.join(PATTERNS, "lu2.json"))
        self.assertTrue(ok, msg)

        # A certificate about another architecture.
        ok, msg = closecert.verify(r, arch=closecert.Architecture(LU2, bias=[True, False]))
        self.assertFalse(ok)
        self.assertIn("rejected: architecture", msg)
        # Tampered claim.
        bad = json.loads(r.certificate_text)
        bad["claim"]["linear"] = "closed"
        ok, msg = closecert.verify(bad)
        self.assertFalse(ok)
        self.assertTrue(msg.startswith("rejected:"), msg)
        # Tampered mask: the witness no longer fits the architecture.
        bad = json.loads(r.certificate_text)
        bad["architecture"]["layers"][0]["mask"] = ["11", "11"]
        ok, msg = closecert.verify(bad)
        self.assertFalse(ok)
        self.assertTrue(msg.startswith("rejected:"), msg)
        # Not a certificate at all: the checker's error line, with no temporary path in it.
        ok, msg = closecert.verify({"format": "something else"})
        self.assertFalse(ok)
        self.assertEqual(msg, 'closecert-verify: error: certificate.json: format is not "closecert-certificate"')

    def test_closed_certificate_and_files(self):
        r = closecert.check(os.path.join(PATTERNS, "lu2_plus_cell.json"))
        with tempfile.TemporaryDirectory() as tmp:
            path = os.path.join(tmp, "c.cert")
            r.write_certificate(path)
            ok, msg = closecert.verify(path)
            self.assertTrue(ok, msg)
            self.assertTrue(msg.startswith("verified: linear closed, relu unknown"), msg)

    def test_configured_checker_without_env(self):
        env = dict(os.environ)
        configured = env.pop("CLOSECERT_VERIFY")
        code = ("import closecert, json, sys; r = closecert.check(%r); ok, msg = closecert.verify(r); "
                "print(json.dumps([closecert.verify_path(), ok, msg]))" % os.path.join(PATTERNS, "lu2.json"))
        p = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True)
        self.assertEqual(p.returncode, 0, p.stderr)
        path, ok, msg = json.loads(p.stdout)
        self.assertTrue(ok, msg)
        self.assertEqual(os.path.realpath(path), os.path.realpath(configured))
        env["CLOSECERT_VERIFY"] = "/nonexistent/closecert-verify"
        code = "import closecert; closecert.verify({})"
        p = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True)
        self.assertNotEqual(p.returncode, 0)
        self.assertIn("closecert-verify not found at '/nonexistent/closecert-verify'", p.stderr)


if __name__ == "__main__":
    unittest.main()
