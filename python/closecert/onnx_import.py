"""Architectures of ONNX models: the masks of their Gemm and MatMul nodes (docs/python.md).

Nodes are read in graph order (ONNX requires a topological order); a weight is a constant
(initializer or Constant node, also through Identity, Transpose, Cast or a Mul of constants,
which unfolded exports of pruned models contain) and its zeros are the pruned entries.
"""

import os
import warnings

try:
    import numpy as np
    import onnx
    from onnx import numpy_helper
except ImportError as e:  # pragma: no cover - depends on the installation
    raise ImportError("closecert.from_onnx needs the onnx package (import failed: %s); "
                      "on Debian: apt-get install python3-onnx, and run /usr/bin/python3" % e) from None

from . import Architecture

# Weighted operators closecert cannot read as a masked linear layer.
_UNSUPPORTED = {"Conv", "ConvTranspose", "ConvInteger", "QLinearConv", "QLinearMatMul", "MatMulInteger",
                "Einsum", "RNN", "LSTM", "GRU", "Attention"}


def _attr(node, name, default):
    for a in node.attribute:
        if a.name == name:
            return onnx.helper.get_attribute_value(a)
    return default


def _constants(graph):
    """Name -> numpy array of every constant value the graph computes from constants only."""
    c = {t.name: numpy_helper.to_array(t) for t in graph.initializer}
    for node in graph.node:
        ins = [i for i in node.input if i]
        if node.op_type == "Constant" and _attr(node, "value", None) is not None:
            c[node.output[0]] = numpy_helper.to_array(_attr(node, "value", None))
        elif not ins or not all(i in c for i in ins):
            continue
        elif node.op_type == "Identity":
            c[node.output[0]] = c[ins[0]]
        elif node.op_type == "Transpose":
            c[node.output[0]] = np.transpose(c[ins[0]], _attr(node, "perm", None))
        elif node.op_type == "Cast":
            c[node.output[0]] = c[ins[0]]  # zeros stay zeros whatever the type
        elif node.op_type == "Mul" and len(ins) == 2:
            c[node.output[0]] = c[ins[0]] * c[ins[1]]
    return c


def _bits(w, label):
    if w.ndim != 2:
        raise ValueError("%s: weight has %d dimensions, expected 2" % (label, w.ndim))
    if np.issubdtype(w.dtype, np.floating) and np.isnan(w).any():
        raise ValueError("%s: weight has NaN entries" % label)
    return w != 0


def from_onnx(path, name=None):
    """Architecture of the ONNX model file at path: one layer per Gemm or MatMul node.

    Gemm Y = alpha op(A) op(B) + beta C with the weight B constant: the mask is B when transB = 1
    (the (out, in) layout of nn.Linear), else B transposed; the layer has a bias iff C is given
    and beta != 0. MatMul X W with W constant of shape (in, out): the mask is W transposed; it has
    a bias iff an Add node adds a constant to its output.
    """
    path = os.fspath(path)
    try:
        with warnings.catch_warnings():  # protobuf warns before it fails on a damaged file
            warnings.simplefilter("ignore")
            model = onnx.load(path)
    except Exception as e:
        raise ValueError("%s: not a readable ONNX model (%s)" % (path, str(e).splitlines()[0] if str(e) else type(e).__name__)) from None
    graph = model.graph
    consts = _constants(graph)
    consumers = {}
    for node in graph.node:
        for i in node.input:
            consumers.setdefault(i, []).append(node)
    masks, biases = [], []
    for k, node in enumerate(graph.node):
        label = "node %d (%s %r)" % (k, node.op_type, node.name)
        if node.op_type in _UNSUPPORTED:
            raise ValueError("%s: %s layers are not supported (only Gemm and MatMul)" % (label, node.op_type))
        if node.op_type not in ("Gemm", "MatMul") or node.output[0] in consts:
            continue
        a, b = node.input[0], node.input[1]
        if b not in consts:
            raise ValueError("%s: the weight (input B %r) is not a constant of the graph" % (label, b))
        w = consts[b]
        if node.op_type == "Gemm":
            if _attr(node, "transA", 0):
                raise ValueError("%s: transA = 1 is not supported (the data must be rows of inputs)" % label)
            mask = _bits(w, label) if _attr(node, "transB", 0) else _bits(w, label).T
            if _attr(node, "alpha", 1.0) == 0:
                mask = np.zeros_like(mask)
            bias = len(node.input) > 2 and node.input[2] != "" and _attr(node, "beta", 1.0) != 0
        else:
            mask = _bits(w, label).T
            bias = any(n.op_type == "Add" and any(i in consts for i in n.input if i != node.output[0])
                       for n in consumers.get(node.output[0], []))
        masks.append(mask)
        biases.append(bool(bias))
    if not masks:
        raise ValueError("%s: no Gemm or MatMul node with a constant weight" % path)
    stem = os.path.splitext(os.path.basename(path))[0] or "onnx"
    return Architecture(masks, bias=biases, name=name or stem)
