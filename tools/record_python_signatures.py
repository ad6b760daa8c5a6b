"""Record PyTorch's parameter names for the names gradsh offers that signatures.txt does not
hold (PyTorch's Python functions, and C functions whose parser strings were not recorded) into
gradsh/core/python_signatures.txt (read by gradsh/core/keywords.py).

Run with PyTorch 2.13 installed:  python tools/record_python_signatures.py

A Python function's names come from inspect.signature (Python binds them: no numpy aliases,
marked `python`); a C function's from the signature lines opening its docstring
("addmv(input, mat, vec, *, beta=1, alpha=1, out=None) -> Tensor"; PyTorch's parser binds them,
numpy's aliases too, marked `parser`; docstrings are written by hand: the keyword sweep,
tests/core/test_keyword_sweep.py, checks the calls they describe against PyTorch).
A Python function of *args and **kwargs (torch.unique's dispatcher) gets its docstring's
names, which the function it dispatches to binds.
"""

import inspect
import pathlib
import sys

import torch

import keyword_sweep

ROOT = pathlib.Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
import gradsh  # noqa: E402
from gradsh.core import argcheck  # noqa: E402

OUT = ROOT / "gradsh" / "core" / "python_signatures.txt"


def _python_params(obj, surface):
    try:
        sig = inspect.signature(obj)
    except (TypeError, ValueError):
        return None
    params = list(sig.parameters.values())
    if surface == "Tensor":
        if not params or params[0].name != "self":
            return None
        params = params[1:]
    out, star = [], False
    for prm in params:
        if prm.kind in (prm.VAR_POSITIONAL, prm.VAR_KEYWORD) or prm.kind == prm.POSITIONAL_ONLY:
            return None
        if prm.kind == prm.KEYWORD_ONLY and not star:
            out.append("*")
            star = True
        out.append("PyObject " + prm.name + ("" if prm.default is prm.empty else "=None"))
    return out


def _doc_params(obj, name, surface):
    found = keyword_sweep._names(obj, name, None)
    docs = []
    for params in found:
        if surface == "Tensor" and params and params[0][0] in ("self", "input"):
            params = params[1:]
        out, star = [], False
        for pname, required, kwonly in params:
            if kwonly and not star:
                out.append("*")
                star = True
            out.append("PyObject " + pname + ("" if required else "=None"))
        docs.append(out)
    return docs


def main():
    assert torch.__version__.startswith("2.13."), torch.__version__
    offered = keyword_sweep.offered_names(gradsh)
    lines = []
    for surface in keyword_sweep.SURFACES:
        owner = keyword_sweep._owner(torch, surface)
        for name in sorted(offered[surface]):
            obj = getattr(owner, name, None)
            if obj is None or isinstance(obj, type) or not callable(obj) or \
                    argcheck.signatures(surface, name):
                continue
            if inspect.isfunction(obj):
                params = _python_params(obj, surface)
                if params is None:  # f(*args, **kwargs): the names its docstring gives
                    params = next(iter(_doc_params(obj, name, surface)), None)
                if params:
                    # Python names a function by its qualified name in its messages
                    lines.append("%s.%s\tpython\t%s(%s)" % (surface, name, obj.__qualname__,
                                                             ", ".join(params)))
            elif surface != "Tensor" or not inspect.isfunction(getattr(obj, "__func__", None)):
                for params in _doc_params(obj, name, surface)[:1]:
                    if params:
                        lines.append("%s.%s\tparser\t%s(%s)" % (surface, name, name,
                                                                ", ".join(params)))
    OUT.write_text("# PyTorch 2.13.0's parameter names of its Python functions (python) and of C "
                   "functions read from their docstrings (parser),\n# for the names gradsh offers "
                   "that signatures.txt lacks: recorded by tools/record_python_signatures.py\n"
                   + "\n".join(lines) + "\n")
    print("wrote %s: %d names" % (OUT, len(lines)))


if __name__ == "__main__":
    main()
