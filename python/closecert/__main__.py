"""python3 -m closecert import MODEL [--out ARCH.json] [--name NAME]

Writes the architecture file of a trained model: .onnx (from_onnx) or .pt/.pth (torch.load of a
whole model or of a state_dict, also under a "state_dict" or "model_state_dict" key).
Exit 0 on success, 2 on bad input with one line on stderr: "closecert: error: MODEL: message"
(4 and "closecert: internal error: ..." for anything unexpected, a bug).
"""

import argparse
import os
import sys
import warnings

from . import OutputError, from_onnx, from_torch


class _Parser(argparse.ArgumentParser):
    def error(self, message):  # one line, exit 2, as the closecert command
        sys.stderr.write("closecert: error: %s (see python3 -m closecert import --help)\n" % message)
        sys.exit(2)


def _first_line(e):
    return str(e).splitlines()[0] if str(e) else type(e).__name__


def _load_torch(path):
    import torch
    try:
        obj = torch.load(path, map_location="cpu")
    except Exception as e:
        raise ValueError("torch.load failed: %s" % _first_line(e)) from None
    if isinstance(obj, dict):
        for key in ("state_dict", "model_state_dict"):
            if isinstance(obj.get(key), dict):
                return obj[key]
    return obj


def import_model(path, name=None):
    """The Architecture of a model file, chosen by its extension."""
    ext = os.path.splitext(path)[1].lower()
    if not os.path.isfile(path):
        raise ValueError("cannot open the file")
    name = name or os.path.splitext(os.path.basename(path))[0]
    if ext == ".onnx":
        return from_onnx(path, name=name)
    if ext in (".pt", ".pth"):
        from .torch_import import torch  # noqa: F401 (ImportError with the installation hint)
        return from_torch(_load_torch(path), name=name)
    raise ValueError("unknown model type %r (expected .onnx, .pt or .pth)" % ext)


def main(argv=None):
    parser = _Parser(prog="python3 -m closecert", description="closecert model importers (docs/python.md)")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)
    imp = sub.add_parser("import", help="write the architecture file of an ONNX or PyTorch model")
    imp.add_argument("model", metavar="MODEL", help=".onnx, .pt or .pth file")
    imp.add_argument("--out", metavar="ARCH.json", help="output file (default: stdout), written atomically")
    imp.add_argument("--name", help="architecture name (default: the model file's stem)")
    args = parser.parse_args(argv)
    warnings.simplefilter("ignore")  # library warnings would break the one-line error contract
    try:
        arch = import_model(args.model, args.name)
        if args.out and args.out != "-":
            arch.save(args.out)
        else:
            sys.stdout.write(arch.to_text())
    except OutputError as e:  # its text starts with the output file
        sys.stderr.write("closecert: error: %s\n" % " ".join(str(e).split()))
        return 2
    except (ValueError, TypeError, ImportError, OSError) as e:
        msg = " ".join(str(e).split())
        where = "" if msg.startswith(args.model + ":") else args.model + ": "
        sys.stderr.write("closecert: error: %s%s\n" % (where, msg))
        return 2
    except Exception as e:  # a bug, reported like the closecert command's status 4
        sys.stderr.write("closecert: internal error: %s: %s\n" % (type(e).__name__, " ".join(str(e).split())))
        return 4
    return 0


if __name__ == "__main__":
    sys.exit(main())
