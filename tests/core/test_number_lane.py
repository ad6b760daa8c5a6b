"""add, sub and mul of a float32/float64 tensor with a Python number take a lane of their own
(ops/pointwise.py, _NUMBERS): checked here against PyTorch, value bits, dtype, strides, grad_fn,
its saved values and the gradient, over layouts (contiguous, transposed, 0-d, empty, large
enough for the spare buffers), numbers (0, -0.0, nan, inf, ints past 2**24 and past float32's
range) and grad modes; and against the general path (a Parameter, alpha given) bit for bit."""

import itertools
import math

import numpy as np
import pytest

import gradsh

torch = pytest.importorskip("torch", reason="PyTorch not installed: differential test skipped")

NUMBERS = [1, 0.5, -0.1, 0, -0.0, 3, 2 ** 25 + 1, -(2 ** 40), 1e39, float("nan"), float("inf"),
           -7.25]
DTYPES = ["float32", "float64"]
LAYOUTS = ["plain", "transposed", "0-d", "empty", "large", "sliced"]
OPS = ["add", "sub", "mul"]


def _array(layout, dtype):
    rng = np.random.default_rng(7)
    if layout == "0-d":
        return np.array(1.75, dtype)
    if layout == "empty":
        return np.zeros((0, 3), dtype)
    if layout == "large":
        return rng.standard_normal((300, 300)).astype(dtype)
    a = rng.standard_normal((3, 4)).astype(dtype)
    return a


def _view(t, layout):
    if layout == "transposed":
        return t.t()
    if layout == "sliced":
        return t[:, ::2]
    return t


def _apply(op, t, n):
    return {"add": lambda: t + n, "sub": lambda: t - n, "mul": lambda: t * n}[op]()


def _bits(a):
    return np.ascontiguousarray(a).view(np.uint8).tobytes()


@pytest.mark.parametrize("op,dtype,layout", list(itertools.product(OPS, DTYPES, LAYOUTS)))
def test_the_number_lane_is_pytorchs(op, dtype, layout):
    base = _array(layout, dtype)
    for n, grad in itertools.product(NUMBERS, (False, True)):
        g0 = gradsh.tensor(base, requires_grad=grad)
        t0 = torch.tensor(base, requires_grad=grad)
        g, t = _view(g0 * 1 if grad else g0, layout), _view(t0 * 1 if grad else t0, layout)
        gr, tr = _apply(op, g, n), _apply(op, t, n)
        where = f"{op} {dtype} {layout} {n!r} grad={grad}"
        assert str(gr.dtype) == str(tr.dtype), where
        assert gr.shape == tuple(tr.shape), where
        assert gr.stride() == tr.stride(), where
        assert _bits(gr.detach().numpy()) == _bits(tr.detach().numpy()), where
        if not grad:
            assert gr.grad_fn is None and not gr.requires_grad, where
            continue
        assert gr.grad_fn.name() == tr.grad_fn.name(), where
        assert [type(f).__name__ if f is not None else None
                for f, _ in gr.grad_fn.next_functions] == \
            [type(f).__name__ if f is not None else None for f, _ in tr.grad_fn.next_functions]
        for name in ("_saved_alpha", "_saved_other"):
            if hasattr(tr.grad_fn, name):
                a, b = getattr(gr.grad_fn, name), getattr(tr.grad_fn, name)
                assert repr(a) == repr(b), where
        if math.isfinite(n) and gr.numel():
            gr.sum().backward()
            tr.sum().backward()
            if layout == "sliced":
                # (values only: a strided slice's backward gives +0.0 where PyTorch's gives -0.0
                # to the elements the slice took, with or without this lane; a known gap)
                assert np.array_equal(g0.grad.numpy(), t0.grad.numpy()), where
            else:
                assert _bits(g0.grad.numpy()) == _bits(t0.grad.numpy()), where


@pytest.mark.parametrize("op,dtype", list(itertools.product(OPS, DTYPES)))
def test_the_number_lane_matches_the_general_path(op, dtype):
    """A Parameter (not a plain Tensor) and an explicit alpha of 1.0 take the general path."""
    base = _array("plain", dtype)
    for n in NUMBERS:
        lane = _apply(op, gradsh.tensor(base), n)
        general = _apply(op, gradsh.nn.Parameter(gradsh.tensor(base)), n)
        assert _bits(lane.detach().numpy()) == _bits(general.detach().numpy())
        assert lane.stride() == general.stride() and lane.dtype == general.dtype
        if op != "mul":
            fn = getattr(gradsh, op)
            explicit = fn(gradsh.tensor(base), n, alpha=1.0)
            assert _bits(lane.numpy()) == _bits(explicit.numpy())


# (a temporary left operand writing its result into its own array, in the lane too:
# tests/core/test_spare_buffers.py, `(x * 2) + 1`, `- 1`, `* 2`)
