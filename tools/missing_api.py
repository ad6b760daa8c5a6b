"""List the public names of PyTorch's namespaces that gradsh does not have.

Run with PyTorch 2.13 installed:  python tools/missing_api.py [namespace ...]
Namespaces: torch, Tensor, F (torch.nn.functional), nn, optim, lr_scheduler, init, linalg,
special. The ranked list of what learners' programs meet first, and why the rest is not there,
is in docs/nn.md ("Names not there yet").
"""

import importlib
import sys

import torch

NAMESPACES = {  # name: (PyTorch's module or class, gradsh's path)
    "torch": (torch, "gradsh"),
    "Tensor": (torch.Tensor, "gradsh.Tensor"),
    "F": (torch.nn.functional, "gradsh.nn.functional"),
    "nn": (torch.nn, "gradsh.nn"),
    "optim": (torch.optim, "gradsh.optim"),
    "lr_scheduler": (torch.optim.lr_scheduler, "gradsh.optim.lr_scheduler"),
    "init": (torch.nn.init, "gradsh.nn.init"),
    "linalg": (torch.linalg, "gradsh.linalg"),
    "special": (torch.special, "gradsh.special"),
}


def _ours(path):
    module, _, attr = path.rpartition(".") if path.endswith("Tensor") else (path, "", "")
    try:
        found = importlib.import_module(module)
    except ImportError:
        return set()
    return set(dir(getattr(found, attr) if attr else found))


def missing(name):
    theirs, path = NAMESPACES[name]
    public = {n for n in dir(theirs) if not n.startswith("_")}
    return sorted(public - _ours(path))


def main(names):
    for name in names or NAMESPACES:
        gone = missing(name)
        print(f"{name}: {len(gone)} missing\n  " + " ".join(gone))


if __name__ == "__main__":
    main(sys.argv[1:])
