"""The keyword sweep's setup and how it describes an outcome, shared by its recorder
(tools/keyword_sweep.py, tools/record_keyword_sweep.py) and its test
(tests/core/test_keyword_sweep.py): the same code reads PyTorch's outcome and gradsh's."""

import linecache
import math
import warnings

SETUP = """\
x = torch.tensor([[0.5, -1.25, 2.0], [3.0, -0.75, 1.5]])
y = torch.tensor([[1.5, 0.25, -2.0], [0.5, 1.75, -1.0]])
v = torch.tensor([1.0, -2.0, 3.0])
w = torch.tensor([0.5, 0.25, -1.5])
m = torch.tensor([[4.0, 1.0, 0.5], [1.0, 3.0, 0.25], [0.5, 0.25, 2.0]])
k = torch.tensor([[1, 0, 2], [2, 1, 0]])
n = torch.tensor([[3, -4, 5], [-6, 7, 8]])
b = torch.tensor([[True, False, True], [False, True, True]])
p = torch.tensor([[0.25, 0.5, 0.75], [0.125, 0.625, 0.875]])
"""


def namespace(module):
    """The setup's tensors, made by `module` (torch or gradsh)."""
    ns = {"torch": module}
    exec(SETUP, ns)  # noqa: S102 - the sweep's own setup
    return ns


def outcome(expr, ns):
    """What evaluating expr gives: a plain description of a value, or of its exception. The
    expression is given a source (linecache), as a program's line has: gradsh reads a failed
    call back from its source to give PyTorch's argument error (core/library_errors.py)."""
    filename = "<keyword sweep %d>" % (hash(expr) & 0xFFFFFFFF)
    linecache.cache[filename] = (len(expr) + 1, None, [expr + "\n"], filename)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            value = eval(compile(expr, filename, "eval"), ns)  # noqa: S307 - the sweep's
        except Exception as e:  # noqa: BLE001 - the exception is the outcome
            return {"raises": type(e).__name__, "message": str(e).split("\n")[0]}
    return {"value": describe(value)}


def describe(value):
    if hasattr(value, "dtype") and hasattr(value, "shape") and hasattr(value, "tolist"):
        data = value.detach().tolist() if hasattr(value, "detach") else value.tolist()
        return {"dtype": str(value.dtype), "shape": list(value.shape), "data": _plain(data)}
    if isinstance(value, (tuple, list)):
        return [describe(e) for e in value]
    if isinstance(value, float):
        return _plain(value)
    if isinstance(value, (bool, int, str)) or value is None:
        return value
    return type(value).__name__


def _plain(data):
    """Numbers rounded to 5 significant digits (PyTorch's kernels and numpy's may differ in the
    last bits) and tiny ones to 0, nan and inf as strings (JSON has neither)."""
    if isinstance(data, list):
        return [_plain(e) for e in data]
    if isinstance(data, float):
        if math.isnan(data) or math.isinf(data):
            return str(data)
        # below 1e-9: a rounding error's residue where the exact value is 0 (solve(m, m))
        return 0.0 if abs(data) < 1e-9 else float("%.5g" % data)
    if isinstance(data, complex):
        return [_plain(data.real), _plain(data.imag)]
    return data
