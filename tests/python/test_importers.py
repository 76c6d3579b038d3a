"""from_torch, from_onnx and `python3 -m closecert import` on one pruned model (suite 'python').

Exit 77 (meson: skipped) when torch cannot be imported; the ONNX tests skip when onnx cannot.
"""

import json
import os
import subprocess
import sys
import tempfile
import unittest

try:
    import torch
    from torch import nn
    import torch.nn.utils.prune as prune
except ImportError as e:
    print("skipping the importer tests: import torch failed: %s" % e)
    sys.exit(77)
try:
    import onnx
    from onnx import TensorProto, helper, numpy_helper
    ONNX_MISSING = None
except ImportError as e:
    ONNX_MISSING = "import onnx failed: %s" % e
    print("skipping the ONNX tests: " + ONNX_MISSING)

import numpy as np

import closecert

CLI = os.environ["CLOSECERT_CLI"]


def pruned_model(bias=True):
    # Seeded: 4 -> 6 -> 5 -> 3, half of every weight matrix pruned by magnitude (not closed).
    torch.manual_seed(3)
    m = nn.Sequential(nn.Linear(4, 6, bias=bias), nn.ReLU(), nn.Linear(6, 5, bias=bias), nn.ReLU(),
                      nn.Linear(5, 3, bias=bias))
    for layer in m:
        if isinstance(layer, nn.Linear):
            prune.l1_unstructured(layer, "weight", amount=0.5)
    return m.eval()


def torch_masks(m):
    return [layer.weight_mask.numpy().astype(np.uint8) for layer in m if isinstance(layer, nn.Linear)]


def run_import(*args):
    p = subprocess.run([sys.executable, "-m", "closecert", "import", *args], capture_output=True, text=True)
    return p.returncode, p.stdout, p.stderr


def same_masks(test, a, masks):
    test.assertEqual(len(a.masks), len(masks))
    for x, y in zip(a.masks, masks):
        test.assertTrue(np.array_equal(x, y), "%s != %s" % (x, y))


class TorchTests(unittest.TestCase):
    def setUp(self):
        self.model = pruned_model()
        self.masks = torch_masks(self.model)
        self.tmp = tempfile.TemporaryDirectory()

    def tearDown(self):
        self.tmp.cleanup()

    def path(self, name):
        return os.path.join(self.tmp.name, name)

    def test_module_state_dict_and_zeros(self):
        a = closecert.from_torch(self.model)
        self.assertEqual(a.widths, [4, 6, 5, 3])
        self.assertEqual(a.biases, [True, True, True])
        self.assertEqual(a.name, "sequential")
        same_masks(self, a, self.masks)
        self.assertEqual([int(m.sum()) for m in a.masks], [12, 15, 7])  # prune removes round(amount * n) entries
        self.assertEqual(closecert.from_torch(self.model.state_dict()), a)
        # Without the prune buffers the exact zeros of the weights are the mask.
        for layer in self.model:
            if isinstance(layer, nn.Linear):
                prune.remove(layer, "weight")
        self.assertFalse(any(k.endswith("_mask") for k in self.model.state_dict()))
        self.assertEqual(closecert.from_torch(self.model), a)
        self.assertEqual(closecert.from_torch(self.model.state_dict()), a)

    def test_verdict(self):
        r = closecert.check(closecert.from_torch(self.model), timeout=30)
        self.assertEqual((r.linear_verdict, r.relu_verdict), ("not_closed", "not_closed"))
        ok, msg = closecert.verify(r, arch=closecert.from_torch(self.model))
        self.assertTrue(ok, msg)

    def test_layers_hook_and_forward_order(self):
        class TwoStep(nn.Module):
            def __init__(self):
                super().__init__()
                self.second = nn.Linear(3, 2)  # registered first, called second
                self.first = nn.Linear(4, 3, bias=False)
                with torch.no_grad():
                    self.first.weight[0, 1] = 0.0
                    self.second.weight[1, 2] = 0.0

            def forward(self, x):
                return self.second(torch.relu(self.first(x)))

        class Branchy(TwoStep):
            def forward(self, x):
                if x.sum() > 0:  # data-dependent: torch.fx cannot trace it
                    x = x * 2
                return self.second(torch.relu(self.first(x)))

        expected = [[[1, 0, 1, 1], [1, 1, 1, 1], [1, 1, 1, 1]], [[1, 1, 1], [1, 1, 0]]]
        m = TwoStep()
        for a in (closecert.from_torch(m), closecert.from_torch(m, layers=["first", "second"]),
                  closecert.from_torch(m, layers=lambda mod: [mod.first, mod.second])):
            self.assertEqual(a.mask_lists, expected)
            self.assertEqual(a.biases, [False, True])
        with self.assertRaisesRegex(ValueError, r"torch\.fx.*pass layers="):
            closecert.from_torch(Branchy())
        self.assertEqual(closecert.from_torch(Branchy(), layers=["first", "second"]).mask_lists, expected)
        sd = m.state_dict()
        self.assertEqual(closecert.from_torch(sd, layers=["first", "second"]).mask_lists, expected)
        # Registration order of the state_dict is not the forward order: shapes do not chain.
        with self.assertRaisesRegex(ValueError, r"masks\[1\] has shape 3 x 4"):
            closecert.from_torch(sd)

    def test_unsupported_models(self):
        with self.assertRaisesRegex(ValueError, r"1: BatchNorm1d has parameters but is not nn.Linear"):
            closecert.from_torch(nn.Sequential(nn.Linear(2, 3), nn.BatchNorm1d(3), nn.Linear(3, 1)))
        sd = nn.Sequential(nn.Linear(2, 3), nn.BatchNorm1d(3)).state_dict()
        with self.assertRaisesRegex(ValueError, r"state_dict key '1.running_mean'"):
            closecert.from_torch(sd)
        m = nn.Sequential(nn.Linear(2, 3))
        prune.l1_unstructured(m[0], "bias", amount=1)
        with self.assertRaisesRegex(ValueError, r"0: bias is partly pruned \(2 of 3 entries\)"):
            closecert.from_torch(m)
        with self.assertRaisesRegex(TypeError, "expected an nn.Module or a state_dict"):
            closecert.from_torch(42)
        with self.assertRaisesRegex(ValueError, "no linear layers"):
            closecert.from_torch(nn.Sequential(nn.ReLU()))

    @unittest.skipIf(ONNX_MISSING, ONNX_MISSING)
    def test_onnx_export_agrees(self):
        onnx_path = self.path("model.onnx")
        torch.onnx.export(self.model, torch.zeros(1, 4), onnx_path)
        ops = [n.op_type for n in onnx.load(onnx_path).graph.node]
        self.assertEqual(ops.count("Gemm"), 3, ops)
        a = closecert.from_torch(self.model)
        b = closecert.from_onnx(onnx_path)
        self.assertEqual(b.name, "model")
        self.assertEqual(b, a)
        same_masks(self, b, self.masks)

        # The command-line importer on the ONNX file, a state_dict and a whole pickled model.
        torch.save(self.model.state_dict(), self.path("state.pt"))
        torch.save({"state_dict": self.model.state_dict(), "epoch": 3}, self.path("checkpoint.pth"))
        torch.save(self.model, self.path("whole.pt"))
        texts = []
        for src in ("model.onnx", "state.pt", "checkpoint.pth", "whole.pt"):
            out = self.path(src + ".json")
            rc, stdout, err = run_import(self.path(src), "--out", out, "--name", "pruned")
            self.assertEqual((rc, stdout, err), (0, "", ""))
            with open(out) as f:
                texts.append(f.read())
            self.assertEqual(closecert.load(out), a)
        self.assertEqual(len(set(texts)), 1, "the four imports differ")
        rc, stdout, _ = run_import(self.path("model.onnx"), "--name", "pruned")
        self.assertEqual((rc, stdout), (0, texts[0]))

        # Verdicts: from_torch, from_onnx, the imported file and the closecert command agree.
        imported = self.path("model.onnx.json")
        results = [closecert.check(x, timeout=30) for x in (a, b, imported)]
        p = subprocess.run([CLI, "check", imported, "--json"], capture_output=True, text=True)
        cli = json.loads(p.stdout)
        for r in results:
            self.assertEqual((r.linear_verdict, r.relu_verdict), ("not_closed", "not_closed"))
            self.assertEqual(r.linear["rule"], cli["linear"]["rule"])
            self.assertEqual(r.relu["rule"], cli["relu"]["rule"])
        self.assertEqual((cli["linear"]["verdict"], cli["relu"]["verdict"], p.returncode), ("not_closed", "not_closed", 1))
        ok, msg = closecert.verify(results[1], arch=imported)
        self.assertTrue(ok, msg)

    @unittest.skipIf(ONNX_MISSING, ONNX_MISSING)
    def test_onnx_without_bias_is_matmul(self):
        m = pruned_model(bias=False)
        path = self.path("nobias.onnx")
        torch.onnx.export(m, torch.zeros(1, 4), path)
        self.assertEqual([n.op_type for n in onnx.load(path).graph.node].count("MatMul"), 3)
        a = closecert.from_onnx(path)
        self.assertEqual(a.biases, [False, False, False])
        same_masks(self, a, torch_masks(m))
        self.assertEqual(closecert.from_torch(m), a)
        # Not folded (weight_orig * weight_mask in the graph): the same masks.
        path = self.path("unfolded.onnx")
        torch.onnx.export(m, torch.zeros(1, 4), path, do_constant_folding=False)
        self.assertEqual(closecert.from_onnx(path), a)

    @unittest.skipIf(ONNX_MISSING, ONNX_MISSING)
    def test_onnx_layouts(self):
        # Gemm with transB = 0 (B is in x out) and MatMul X W (W is in x out) plus an Add bias.
        b = np.array([[1, 0], [0, 0], [2, 3]], dtype=np.float32)        # 3 inputs -> 2 units
        w = np.array([[0, 1, 1, 0], [1, 0, 0, 5]], dtype=np.float32)    # 2 -> 4 units
        graph = helper.make_graph(
            [helper.make_node("Gemm", ["x", "B", "C"], ["h"], transB=0),
             helper.make_node("Relu", ["h"], ["r"]),
             helper.make_node("MatMul", ["r", "W"], ["y0"]),
             helper.make_node("Add", ["y0", "c2"], ["y"])],
            "layouts",
            [helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, 3])],
            [helper.make_tensor_value_info("y", TensorProto.FLOAT, [1, 4])],
            [numpy_helper.from_array(b, "B"), numpy_helper.from_array(np.ones(2, np.float32), "C"),
             numpy_helper.from_array(w, "W"), numpy_helper.from_array(np.ones(4, np.float32), "c2")])
        model = helper.make_model(graph)
        onnx.checker.check_model(model)
        path = self.path("layouts.onnx")
        onnx.save(model, path)
        a = closecert.from_onnx(path)
        self.assertEqual(a.mask_lists, [[[1, 0, 1], [0, 0, 1]], [[0, 1], [1, 0], [1, 0], [0, 1]]])
        self.assertEqual(a.biases, [True, True])
        self.assertEqual(a.widths, [3, 2, 4])

    def test_import_errors(self):
        garbage = self.path("garbage.onnx")
        with open(garbage, "wb") as f:
            f.write(b"\x00not a model\xff" * 10)
        bad_pt = self.path("bad.pt")
        with open(bad_pt, "wb") as f:
            f.write(b"nothing")
        cases = [([self.path("absent.onnx")], "absent.onnx: cannot open the file"),
                 ([bad_pt], "bad.pt: torch.load failed"),
                 ([self.path("x.txt")], None),
                 ([bad_pt, "--bogus"], "unrecognized arguments: --bogus"),
                 ([], "the following arguments are required")]
        if not ONNX_MISSING:
            cases.append(([garbage], "garbage.onnx: not a readable ONNX model"))
        with open(self.path("x.txt"), "w") as f:
            f.write("x")
        for args, needle in cases:
            rc, out, err = run_import(*args)
            self.assertEqual(rc, 2, err)
            self.assertEqual(out, "")
            self.assertEqual(len(err.splitlines()), 1, err)
            self.assertTrue(err.startswith("closecert: error: "), err)
            self.assertIn(needle or "unknown model type '.txt'", err)
        # An unwritable output file.
        torch.save(self.model.state_dict(), self.path("ok.pt"))
        rc, out, err = run_import(self.path("ok.pt"), "--out", self.path("missing/dir.json"))
        self.assertEqual((rc, out, len(err.splitlines())), (2, "", 1), err)

    def test_missing_packages_are_named(self):
        for mod, call, needle in (("torch", "closecert.from_torch({})", "closecert.from_torch needs PyTorch"),
                                  ("onnx", "closecert.from_onnx('x.onnx')", "closecert.from_onnx needs the onnx package")):
            code = "import sys; sys.modules[%r] = None\nimport closecert\ntry:\n    %s\n" \
                   "except ImportError as e:\n    print(e)\n" % (mod, call)
            p = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
            self.assertEqual(p.returncode, 0, p.stderr)
            self.assertIn(needle, p.stdout)


if __name__ == "__main__":
    unittest.main()
