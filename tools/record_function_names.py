"""Record PyTorch's `__name__` of each public function gradsh offers under another name into
gradsh/core/function_names.txt (read by gradsh/core/function_names.py).

Run with PyTorch 2.13 installed:  python tools/record_function_names.py

A program printing `fn.__name__` of the functions it loops over sees PyTorch's names:
`torch.arccos.__name__` is 'arccos' (gradsh's alias is acos's function), `torch.special.expit`
is 'special_expit', `torch.fft.fft` 'fft_fft', `torch.linalg.norm` 'linalg_norm',
`F.logsigmoid` 'log_sigmoid'. Only the names gradsh gets wrong are written (one line each:
surface, attribute, PyTorch's name); tests/core/test_function_names.py checks every public
function against PyTorch.
"""

import pathlib
import sys

import torch
import torch.nn.functional

ROOT = pathlib.Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from gradsh.core import function_names  # noqa: E402
function_names._names = {}   # gradsh's own names: the table is recorded, not applied
import gradsh  # noqa: E402
import gradsh.nn.functional  # noqa: E402

OUT = ROOT / "gradsh" / "core" / "function_names.txt"

SURFACES = [("torch", torch, gradsh), ("special", torch.special, gradsh.special),
            ("linalg", torch.linalg, gradsh.linalg), ("fft", torch.fft, gradsh.fft),
            ("F", torch.nn.functional, gradsh.nn.functional),
            ("init", torch.nn.init, gradsh.nn.init), ("Tensor", torch.Tensor, gradsh.Tensor)]


def pairs():
    """(surface, attribute, PyTorch's function, gradsh's) for each public function of both."""
    for surface, theirs, ours in SURFACES:
        for attr in sorted(dir(theirs)):
            if attr.startswith("_"):
                continue
            t, g = getattr(theirs, attr, None), getattr(ours, attr, None)
            if t is None or g is None or isinstance(t, type) or not callable(t):
                continue
            name = getattr(t, "__name__", None)
            if isinstance(name, str):
                yield surface, attr, name, g


def main():
    lines = ["# PyTorch 2.13's __name__ of the public functions gradsh names otherwise",
             "# (tools/record_function_names.py): surface<TAB>attribute<TAB>name"]
    for surface, attr, name, g in pairs():
        if getattr(g, "__name__", None) != name:
            lines.append("%s\t%s\t%s" % (surface, attr, name))
    OUT.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print("%d names written to %s" % (len(lines) - 2, OUT))


if __name__ == "__main__":
    main()
