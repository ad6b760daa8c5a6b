"""Branch adv13d's round on tensor printing (docs/autograd.md, "Issue 15's adversarial
tensor-printing programs"): a seeded random sweep of values, dtypes, shapes, views and print
options whose repr must be PyTorch's, and the class it found: a Python float (or a float64
array) stored into a float16 tensor is rounded through float32, as PyTorch's Half is built from
a float, so a value near a float16 halfway point lands where PyTorch puts it.

The sweep runs a fixed sample by default; GRADSH_PRINT_SWEEP_ALL=1 runs ten times as many."""

import math
import os
import random

import numpy as np
import pytest

import gradsh

torch = pytest.importorskip("torch", reason="PyTorch is the oracle for these reprs and values")

FLOATS = ["float16", "bfloat16", "float32", "float64"]
INTS = {"int8": (-128, 127), "uint8": (0, 255), "int16": (-32768, 32767),
        "int32": (-2 ** 31, 2 ** 31 - 1), "int64": (-2 ** 63, 2 ** 63 - 1)}
EDGES = [65504.0, 6.1e-5, 5.96e-8, 1e-45, 1e-40, 3e38, 1e-310, 1e300, 0.5, 0.1, 1 / 3]
CASES = 1500 if os.environ.get("GRADSH_PRINT_SWEEP_ALL") else 150


def _value(rng):
    k = rng.random()
    if k < 0.05:
        return rng.choice([math.nan, math.inf, -math.inf])
    if k < 0.1:
        return rng.choice([0.0, -0.0])
    if k < 0.3:
        return float(rng.randint(-1000, 1000)) * rng.choice([1, 1e3, 1e6, 1e-3])
    if k < 0.4:
        return rng.choice(EDGES) * rng.choice([1, -1])
    return rng.uniform(-10, 10) * 10.0 ** rng.choice([0, 1, 2, -1, -3, -5, 4, 5, 8, 9, -8, 20])


def _shape(rng):
    if rng.random() < 0.1:
        return tuple(rng.choice([0, 1, 2, 3]) for _ in range(rng.randint(1, 3)))
    dims = [rng.choice([1, 2, 3, 5, 7, 12]) for _ in range(rng.choice([0, 1, 1, 2, 2, 3, 4]))]
    if dims and rng.random() < 0.15:  # past the summarization threshold in one dim
        dims[rng.randrange(len(dims))] = rng.choice([30, 300, 1100])
    if math.prod(dims) > 20000:
        dims = [min(d, 5) for d in dims]
    return tuple(dims)


def _nested(shape, gen):
    return gen() if not shape else [_nested(shape[1:], gen) for _ in range(shape[0])]


def _options(rng):
    options = {}
    for key, choices, p in (("precision", [0, 1, 2, 3, 5, 8], 0.2),
                            ("threshold", [0, 5, 10, 100, 10 ** 9], 0.15),
                            ("edgeitems", [0, 1, 2, 4], 0.15),
                            ("linewidth", [1, 10, 30, 50, 120], 0.15),
                            ("sci_mode", [True, False], 0.15),
                            ("profile", ["default", "short", "full"], 0.08)):
        if rng.random() < p:
            options[key] = rng.choice(choices)
    return options


def _case(rng):
    kind = rng.random()
    if kind < 0.5:
        dt = rng.choice(FLOATS)
        gen = lambda: _value(rng)  # noqa: E731
    elif kind < 0.75:
        dt = rng.choice(list(INTS))
        lo, hi = INTS[dt]
        gen = lambda: rng.choice([rng.randint(lo, hi), rng.randint(max(lo, -10), 10)])  # noqa: E731
    elif kind < 0.85:
        dt = "bool"
        gen = lambda: rng.random() < 0.5  # noqa: E731
    else:
        dt = rng.choice(["complex64", "complex128"])
        gen = lambda: complex(_value(rng), _value(rng))  # noqa: E731
    shape = _shape(rng)
    grad = dt in FLOATS and rng.random() < 0.15
    return (dt, _nested(shape, gen), _options(rng), grad,
            rng.choice([None, None, "t", "step", "flip"]) if shape else None)


def _text(lib, dt, data, options, grad, view):
    lib.set_printoptions(profile="default")
    lib.set_printoptions(**options)
    try:
        t = lib.tensor(data, dtype=getattr(lib, dt), requires_grad=grad)
        if view == "t" and t.dim() >= 2:
            t = t.transpose(0, -1)
        elif view == "step":
            t = t[::2]
        elif view == "flip":
            t = t.flip(0)
        text = repr(t) + "|" + str(t * 1 if grad else t)
        if t.numel() < 50:
            text += "|" + repr(t.tolist())
        if t.dim() == 0:
            text += "|" + repr(t.item())
        return text
    finally:
        lib.set_printoptions(profile="default")
        lib.set_printoptions(sci_mode=None)


@pytest.mark.parametrize("seed", range(3))
def test_random_tensors_print_as_pytorch_prints_them(seed):
    rng = random.Random(1300 + seed)
    for _ in range(CASES // 3):
        case = _case(rng)
        assert _text(gradsh, *case) == _text(torch, *case), case


def _near_half_ties(n, seed):
    """Floats whose float16 rounding differs when taken through float32 (a double rounding)."""
    rng, found = random.Random(seed), []
    while len(found) < n:  # just off the midpoint of two float16 neighbours: float32 rounds onto it
        h = np.float16(rng.uniform(-10, 10) * 10.0 ** rng.randint(-4, 4))
        mid = (float(h) + float(np.nextafter(h, np.float16(np.inf)))) / 2
        v = mid * (1 + rng.choice([1, -1]) * 2.0 ** -40)
        if np.float16(v) != np.float16(np.float32(v)):
            found.append(v)
    return found


STORES = {
    "tensor": lambda L, v: L.tensor([v], dtype=L.float16),
    "tensor_0d": lambda L, v: L.tensor(v, dtype=L.float16),
    "as_tensor": lambda L, v: L.as_tensor([v, v], dtype=L.float16),
    "full": lambda L, v: L.full((2,), v, dtype=L.float16),
    "fill_": lambda L, v: L.zeros(2, dtype=L.float16).fill_(v),
    "setitem": lambda L, v: _set(L.zeros(2, dtype=L.float16), v),
    "to_from_float64": lambda L, v: L.tensor([v], dtype=L.float64).to(L.float16),
    "half_of_float64": lambda L, v: L.tensor([v, -v], dtype=L.float64).half(),
    "add_number": lambda L, v: L.zeros(1, dtype=L.float16) + v,
    "rsub_number": lambda L, v: v - L.zeros(1, dtype=L.float16),
    "rpow_number": lambda L, v: v ** L.ones(1, dtype=L.float16),
    "masked_fill": lambda L, v: L.zeros(2, dtype=L.float16).masked_fill(L.tensor([True, False]), v),
    "scatter_value": lambda L, v: L.zeros(2, dtype=L.float16).scatter(0, L.tensor([1]), v),
    "nan_to_num": lambda L, v: L.tensor([math.nan, math.inf], dtype=L.float16).nan_to_num(v, v),
}


def _set(t, v):
    t[0] = v
    return t


@pytest.mark.parametrize("store", sorted(STORES))
def test_float_into_float16_rounds_through_float32_as_pytorch(store):
    values = _near_half_ties(40, 7)
    got = [STORES[store](gradsh, v).tolist() for v in values]
    want = [STORES[store](torch, v).tolist() for v in values]
    assert got == want
