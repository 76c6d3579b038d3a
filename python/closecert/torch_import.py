"""Architectures of PyTorch models: the masks of their linear layers (docs/python.md).

A layer's mask is its ``weight_mask`` buffer (left by torch.nn.utils.prune) when present, else
the nonzero pattern of its weight; it has a bias iff the layer has one. Activations are not
read: closecert decides the ReLU architecture with these masks.
"""

try:
    import torch
    from torch import nn
except ImportError as e:  # pragma: no cover - depends on the installation
    raise ImportError("closecert.from_torch needs PyTorch (import torch failed: %s); "
                      "on Debian: apt-get install python3-torch, and run /usr/bin/python3" % e) from None

from . import Architecture

_LEAVES = ("weight", "weight_orig", "weight_mask", "bias", "bias_orig", "bias_mask")
_HINT = "pass layers=[...] (modules, names or a callable) to choose the linear layers"


def _bits(t):
    return (t.detach().cpu() != 0).numpy()


def _bias_of(bias, bias_mask, label):
    """A layer has a bias iff it has a bias vector that is not pruned away entirely."""
    if bias is None:
        return False
    if bias_mask is None:
        return True
    m = _bits(bias_mask)
    if m.all() or not m.any():
        return bool(m.all())
    # The model has one free bias vector per layer or none; a partly pruned one fits neither.
    raise ValueError("%s: bias is partly pruned (%d of %d entries), which closecert cannot represent"
                     % (label, int(m.sum()), m.size))


def _layer(label, weight, weight_mask, bias, bias_mask):
    w = weight_mask if weight_mask is not None else weight
    if w is None:
        raise ValueError("%s: no weight" % label)
    if w.dim() != 2:
        raise ValueError("%s: weight has %d dimensions, expected a 2-D (out, in) linear weight; %s"
                         % (label, w.dim(), _HINT))
    return _bits(w), _bias_of(bias, bias_mask, label)


def _module_layer(label, m):
    mask = getattr(m, "weight_mask", None)
    weight = getattr(m, "weight", None)
    if mask is None and weight is None:
        weight = getattr(m, "weight_orig", None)
    if mask is None and not isinstance(weight, torch.Tensor):
        raise ValueError("%s: %s has no weight tensor; %s" % (label, type(m).__name__, _HINT))
    return _layer(label, weight, mask, getattr(m, "bias", None), getattr(m, "bias_mask", None))


def _has_parameters(m):
    return any(True for _ in m.parameters(recurse=False))


def _sequential_layers(seq, prefix, out):
    for name, child in seq.named_children():
        label = prefix + name
        if isinstance(child, nn.Linear):
            out.append((label, child))
        elif isinstance(child, nn.Sequential):
            _sequential_layers(child, label + ".", out)
        elif any(True for _ in child.parameters()):
            raise ValueError("%s: %s has parameters but is not nn.Linear: only linear layers can be read; %s"
                             % (label, type(child).__name__, _HINT))
    return out


def _traced_layers(model):
    """Linear layers in the order forward() calls them (torch.fx), for modules other than Sequential."""
    try:
        import torch.fx
        graph = torch.fx.symbolic_trace(model).graph
    except Exception as e:
        raise ValueError("cannot find the forward order of %s (torch.fx: %s); %s"
                         % (type(model).__name__, str(e).splitlines()[0] if str(e) else type(e).__name__, _HINT)) from None
    out, seen = [], set()
    for node in graph.nodes:
        if node.op == "call_module":
            m = model.get_submodule(node.target)
            if isinstance(m, nn.Linear):
                if node.target in seen:
                    raise ValueError("%s is called twice in forward(); %s" % (node.target, _HINT))
                seen.add(node.target)
                out.append((node.target, m))
            elif any(True for _ in m.parameters()):
                raise ValueError("%s: %s has parameters but is not nn.Linear; %s" % (node.target, type(m).__name__, _HINT))
        elif node.op == "get_attr":
            raise ValueError("forward() uses the tensor %s directly; %s" % (node.target, _HINT))
    return out


def _state_dict_layers(sd, chosen):
    groups = {}
    for key, value in sd.items():
        prefix, _, leaf = key.rpartition(".")
        if chosen is not None and prefix not in chosen:
            continue
        if leaf not in _LEAVES or not isinstance(value, torch.Tensor):
            raise ValueError("state_dict key %r: only linear layers (weight, weight_mask, bias) can be read; "
                             "pass layers=[prefixes] to choose them" % key)
        groups.setdefault(prefix, {})[leaf] = value
    order = list(groups) if chosen is None else list(chosen)
    out = []
    for prefix in order:
        if prefix not in groups:
            raise ValueError("layers: no state_dict keys %r.weight*" % prefix)
        g = groups[prefix]
        weight = g.get("weight", g.get("weight_orig"))
        bias = g.get("bias", g.get("bias_orig"))
        out.append(_layer("state_dict[%r]" % prefix, weight, g.get("weight_mask"), bias, g.get("bias_mask")))
    return out


def from_torch(model, layers=None, name=None):
    """Architecture of an nn.Module or a state_dict, linear layers in forward order.

    - nn.Sequential (nested ones too): its nn.Linear children in order; parameterless modules
      (activations, dropout, flatten) are skipped, other modules with parameters are an error.
    - another nn.Module: its nn.Linear modules in the order forward() calls them (torch.fx).
    - a state_dict (a mapping of names to tensors): the layers ``P.weight`` / ``P.weight_orig`` /
      ``P.weight_mask`` / ``P.bias`` in the order their prefixes P first appear.
    - layers=: the hook for any other graph: a list of modules (anything with a 2-D ``weight``,
      optionally ``weight_mask`` and ``bias``) or of submodule names, or a callable
      ``layers(model)`` returning such a list; for a state_dict, a list of prefixes.
    """
    if isinstance(model, nn.Module):
        if layers is not None:
            picked = layers(model) if callable(layers) else layers
            mods = [(x, model.get_submodule(x)) if isinstance(x, str) else ("layers[%d]" % i, x)
                    for i, x in enumerate(picked)]
        elif isinstance(model, nn.Sequential):
            mods = _sequential_layers(model, "", [])
        else:
            mods = _traced_layers(model)
        specs = [_module_layer(label, m) for label, m in mods]
        default_name = type(model).__name__.lower()
    elif hasattr(model, "items"):
        chosen = layers(model) if callable(layers) else layers
        specs = _state_dict_layers(model, None if chosen is None else [str(p) for p in chosen])
        default_name = "state_dict"
    else:
        raise TypeError("from_torch: expected an nn.Module or a state_dict, got %s" % type(model).__name__)
    if not specs:
        raise ValueError("from_torch: no linear layers found; %s" % _HINT)
    return Architecture([m for m, _ in specs], bias=[b for _, b in specs], name=name or default_name)
