"""closecert: is the function space of a sparse ReLU architecture closed?

Architectures, files and certificates are handled by closecert's C++ library in-process, so
files and certificates are exactly those of the ``closecert`` command; ``verify`` runs the
separate checker ``closecert-verify``. Documentation: docs/python.md.
"""

import json
import os
import shutil
import subprocess
import tempfile

from . import _closecert
from ._closecert import ArchitectureError, InputError, OutputError

__version__ = _closecert.__version__
__all__ = ["Architecture", "CheckResult", "load", "check", "verify", "from_torch", "from_onnx",
           "verify_path", "ArchitectureError", "InputError", "OutputError"]

_LAYOUT = "rows are output units and columns input units, as in nn.Linear.weight"


def _is_bit(x):
    # bool, 0/1 ints and 0.0/1.0 floats; NaN compares unequal to both and is rejected.
    return x == 0 or x == 1


def _bytes_of(mask, index):
    """(rows, cols, row-major 0/1 bytes) of one mask; raises ValueError naming masks[index]."""
    place = "masks[%d]" % index
    if hasattr(mask, "__array__") and not isinstance(mask, (list, tuple)):
        try:
            import numpy as np
        except ImportError as e:
            raise ImportError("closecert: masks given as arrays need numpy (%s)" % e) from None
        a = np.asarray(mask)
        if a.ndim != 2:
            raise ValueError("%s: expected a 2-D array (%s), got %d-D" % (place, _LAYOUT, a.ndim))
        if a.dtype != np.bool_:
            if a.dtype.kind not in "biuf":
                raise ValueError("%s: dtype %s is not bool, integer or float" % (place, a.dtype))
            bad = np.argwhere((a != 0) & (a != 1))
            if len(bad):
                i, j = bad[0]
                raise ValueError("%s: entry (%d, %d) is %r, expected 0 or 1 (or bool)" % (place, i, j, a[i, j].item()))
        return a.shape[0], a.shape[1], np.ascontiguousarray(a != 0, dtype=np.uint8).tobytes()
    if isinstance(mask, (str, bytes)) or not hasattr(mask, "__len__"):
        raise ValueError("%s: expected a 2-D array or a list of rows (%s), got %s" % (place, _LAYOUT, type(mask).__name__))
    rows = list(mask)
    data = bytearray()
    cols = None
    for i, row in enumerate(rows):
        if isinstance(row, str):  # "0110", the row form of architecture files
            row = [{"0": 0, "1": 1}.get(c, c) for c in row]
        if not hasattr(row, "__len__"):
            raise ValueError("%s: row %d is %r, not a list: a mask is 2-D (%s)" % (place, i, row, _LAYOUT))
        row = list(row)
        if cols is None:
            cols = len(row)
        elif len(row) != cols:
            raise ValueError("%s: row %d has %d entries, row 0 has %d" % (place, i, len(row), cols))
        for j, x in enumerate(row):
            if isinstance(x, str) or not _is_bit(x):
                raise ValueError("%s: entry (%d, %d) is %r, expected 0 or 1 (or bool)" % (place, i, j, x))
            data.append(1 if x else 0)
    return len(rows), cols or 0, bytes(data)


class Architecture:
    """A sparse ReLU architecture: one 0/1 mask per layer, first layer (applied to the input) first.

    Mask l has one row per unit of layer l and one column per unit of layer l-1 (or input): the
    layout of nn.Linear.weight and of the architecture file. ``bias`` is one bool for every layer
    or a list with one per layer. Equality compares masks and biases, not names.
    """

    def __init__(self, masks, bias=True, name="architecture"):
        if isinstance(masks, _closecert.Arch):  # internal: wrap a library object
            self._a = masks
            return
        masks = list(masks)
        if not masks:
            raise ValueError("masks: an architecture needs at least one layer")
        biases = [bool(bias)] * len(masks) if isinstance(bias, bool) else [bool(b) for b in bias]
        if len(biases) != len(masks):
            raise ValueError("bias: %d values for %d layers" % (len(biases), len(masks)))
        layers = []
        for l, m in enumerate(masks):
            rows, cols, data = _bytes_of(m, l)
            if l and cols != layers[-1][0]:
                prev = layers[-1][0]
                hint = " (is it transposed?)" if rows == prev else ""
                raise ValueError("masks[%d] has shape %d x %d: its %d columns must equal the %d rows (units) of "
                                 "masks[%d]; %s%s" % (l, rows, cols, cols, prev, l - 1, _LAYOUT, hint))
            layers.append((rows, cols, data, biases[l]))
        self._a = _closecert.Arch(str(name), layers)

    # --- what it is
    @property
    def name(self):
        return self._a.name

    @property
    def input_dim(self):
        return self._a.input_dim

    @property
    def depth(self):
        return self._a.depth

    @property
    def widths(self):
        """[N_0 (inputs), N_1, ..., N_L (outputs)]."""
        return list(self._a.widths)

    @property
    def biases(self):
        return [self._a.bias(l) for l in range(self.depth)]

    @property
    def nonzeros(self):
        return self._a.nonzeros

    @property
    def mask_lists(self):
        """The masks as nested lists of 0/1 ints (no numpy needed)."""
        out = []
        for l in range(self.depth):
            cols, b = self.widths[l], self._a.mask_bytes(l)
            out.append([list(b[i:i + cols]) for i in range(0, len(b), cols)])
        return out

    @property
    def masks(self):
        """The masks as numpy uint8 arrays (rows = output units)."""
        import numpy as np
        w = self.widths
        return [np.frombuffer(self._a.mask_bytes(l), dtype=np.uint8).reshape(w[l + 1], w[l]).copy()
                for l in range(self.depth)]

    def renamed(self, name):
        return Architecture(self._a.renamed(str(name)))

    # --- files (lib/io: the same reader and writer as the closecert command)
    def to_json(self):
        """The architecture file's JSON object as a dict (masks as strings)."""
        return json.loads(self._a.to_json_text())

    def to_text(self):
        """The text ``closecert gen`` writes: one mask row per line."""
        return self._a.to_text()

    def save(self, path):
        """Writes the architecture file atomically (OutputError on failure)."""
        self._a.save(os.fspath(path))

    @classmethod
    def from_json(cls, doc, source_name="<json>"):
        """From an architecture file's JSON object (a dict) or its text."""
        text = doc if isinstance(doc, str) else json.dumps(doc)
        return cls(_closecert.architecture_from_json_text(text, source_name))

    def __eq__(self, other):
        return isinstance(other, Architecture) and self._a.same_layers(other._a)

    def __hash__(self):
        return hash(tuple(self._a.mask_bytes(l) for l in range(self.depth)) + tuple(self.biases))

    def __repr__(self):
        return "Architecture(name=%r, widths=%s, nonzeros=%d)" % (self.name, "-".join(map(str, self.widths)), self.nonzeros)


def load(path):
    """Reads an architecture file (any form the closecert command reads; InputError if invalid)."""
    return Architecture(_closecert.read_architecture(os.fspath(path)))


class CheckResult:
    """The answer of check(): the ``closecert check --json`` object and the certificate.

    ``linear`` = {"verdict", "rule", "reason", "seconds"[, "stuck"]}, ``relu`` = {"verdict", "rule",
    "reason"}; verdicts are "closed", "not_closed", "unknown". ``certificate`` is the certificate
    as a dict, ``certificate_text`` the exact bytes ``closecert check --cert`` writes.
    """

    def __init__(self, summary, certificate_text, linear_only):
        self.architecture = summary["architecture"]
        self.linear = summary["linear"]
        self.relu = summary["relu"]
        self.linear_only = linear_only
        self.certificate_text = certificate_text
        self.certificate = json.loads(certificate_text)

    @property
    def linear_verdict(self):
        return self.linear["verdict"]

    @property
    def relu_verdict(self):
        return self.relu["verdict"]

    @property
    def verdict(self):
        """The verdict the CLI's exit status follows: ReLU, or linear with linear_only."""
        return self.linear_verdict if self.linear_only else self.relu_verdict

    @property
    def seconds(self):
        return self.linear["seconds"]

    def to_dict(self):
        """The ``check --json`` object, with the certificate dict under "certificate"."""
        return {"architecture": self.architecture, "linear": dict(self.linear), "relu": dict(self.relu),
                "certificate": self.certificate}

    def write_certificate(self, path):
        _closecert.write_text_atomically(os.fspath(path), self.certificate_text)

    def __repr__(self):
        return "CheckResult(%r: linear %s, relu %s)" % (self.architecture, self.linear_verdict, self.relu_verdict)


def _as_architecture(arch):
    if isinstance(arch, Architecture):
        return arch
    if isinstance(arch, (str, os.PathLike)):
        return load(arch)
    return Architecture(arch)


def check(arch, timeout=60.0, linear_only=False):
    """Decides closedness like ``closecert check`` (an Architecture, a file path or a list of masks).

    timeout is the linear engine's wall-clock limit in seconds (> 0; inf for none). The engine
    runs without the GIL; Ctrl-C is seen only when it returns.
    """
    a = _as_architecture(arch)
    summary, cert = _closecert.check(a._a, float(timeout), bool(linear_only))
    return CheckResult(json.loads(summary), cert, bool(linear_only))


def verify_path():
    """The closecert-verify binary: $CLOSECERT_VERIFY, else the one configured at build time."""
    env = os.environ.get("CLOSECERT_VERIFY")
    if env:
        return env
    try:
        from . import _paths
        candidates = [_paths.BUILD_VERIFY, _paths.INSTALLED_VERIFY]
    except ImportError:
        candidates = []
    for c in candidates:
        if os.path.isfile(c) and os.access(c, os.X_OK):
            return c
    return shutil.which("closecert-verify") or (candidates[0] if candidates else "closecert-verify")


def verify(cert, arch=None, timeout=None):
    """Runs closecert-verify on a certificate; returns (ok, message).

    cert: a CheckResult, a certificate dict, or the path of a certificate file. arch (optional):
    an Architecture or an architecture file path; the checker then also requires the certificate
    to be about that architecture. message is the checker's output ("verified: ..." or
    "rejected: ..." or its error line).
    """
    exe = verify_path()
    with tempfile.TemporaryDirectory(prefix="closecert-") as tmp:
        args = [exe]
        if isinstance(cert, (str, os.PathLike)):
            args.append(os.fspath(cert))
        else:
            text = cert.certificate_text if isinstance(cert, CheckResult) else json.dumps(cert, indent=1) + "\n"
            args.append(os.path.join(tmp, "certificate.json"))
            with open(args[-1], "w", encoding="utf-8") as f:
                f.write(text)
        if arch is not None:
            if isinstance(arch, (str, os.PathLike)):
                args.append(os.fspath(arch))
            else:
                args.append(os.path.join(tmp, "architecture.json"))
                _as_architecture(arch).save(args[-1])
        try:
            p = subprocess.run(args, capture_output=True, text=True, timeout=timeout)
        except FileNotFoundError:
            raise FileNotFoundError("closecert-verify not found at %r (build it, or set CLOSECERT_VERIFY)" % exe) from None
        message = (p.stdout + p.stderr).strip().replace(tmp + os.sep, "")
    return p.returncode == 0, message


def from_torch(model, layers=None, name=None):
    """Architecture of a PyTorch model or state_dict (see closecert.torch_import)."""
    from .torch_import import from_torch as f
    return f(model, layers=layers, name=name)


def from_onnx(path, name=None):
    """Architecture of an ONNX model file (see closecert.onnx_import)."""
    from .onnx_import import from_onnx as f
    return f(path, name=name)
