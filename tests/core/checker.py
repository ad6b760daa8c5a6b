"""The one shared checker every op test goes through (tinygrad's helper_test_op, HIPS's
test_systematic): forward against PyTorch (when installed) and an optional numpy reference,
gradients against central finite differences in float64 (gradsh.autograd.gradcheck), gradients
and grad_fn names against PyTorch, and optionally second derivatives (gradgradcheck).

An op is written once as `fn(torch_module, *inputs)`, so the same code runs with gradsh and with
PyTorch: `check_op(lambda t, x, y: x * y, (2, 3), (3,))`.

Inputs:
- a tuple of ints: a random float64 tensor of that shape that requires grad (values in `domain`);
- a numpy array: a tensor holding it (requires grad if floating, unless wrapped in `nograd`);
- `nograd(shape_or_array)`: a tensor that does not require grad (a mask, an index, a constant);
- anything else (Python numbers, lists, slices): passed to fn unchanged.
"""

import pathlib
import sys

import numpy as np

import gradsh

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent.parent / "data"))
from op_sweep_cases import graph  # noqa: E402 - the one graph walk, shared with the sweep

try:  # PyTorch is an oracle only; without it the differential parts are skipped.
    import torch as _torch
except ImportError:  # pragma: no cover - exercised on machines without torch
    _torch = None

TORCH = _torch


class nograd:
    """An input tensor that does not require grad (value: a shape tuple or an array)."""

    def __init__(self, value, dtype=None):
        self.value = value
        self.dtype = dtype


def _values(shape, rng, domain, dtype):
    lo, hi = domain
    return rng.uniform(lo, hi, size=shape).astype(dtype)


def _materialize(args, rng, domain, dtype):
    """Turn the abstract inputs into (kind, numpy array or value, requires_grad) triples."""
    out = []
    for a in args:
        if isinstance(a, tuple) and all(isinstance(s, int) for s in a):
            out.append(("t", _values(a, rng, domain, dtype), True))
        elif isinstance(a, nograd):
            v = a.value
            if isinstance(v, tuple) and all(isinstance(s, int) for s in v):
                v = _values(v, rng, domain, dtype)
            v = np.asarray(v)
            if a.dtype is not None:
                v = v.astype(a.dtype)
            out.append(("t", v, False))
        elif isinstance(a, np.ndarray):
            out.append(("t", a, a.dtype.kind == "f"))
        else:
            out.append(("v", a, False))
    return out


def _build(mod, spec):
    """The inputs as tensors of `mod` (gradsh or torch), from the same arrays."""
    ins = []
    for kind, v, rg in spec:
        if kind == "t":
            if mod is gradsh:
                t = gradsh.tensor(np.array(v, copy=True))
            else:
                t = mod.from_numpy(np.array(v, copy=True))
            if rg:
                t.requires_grad_(True)
            ins.append(t)
        else:
            ins.append(v)
    return ins


def as_list(out):
    """An op's result as a list of tensors (tuples such as max's (values, indices) flattened)."""
    if isinstance(out, (tuple, list)):
        res = []
        for o in out:
            res.extend(as_list(o))
        return res
    return [out]


def node_name(t):
    fn = getattr(t, "grad_fn", None)
    return None if fn is None else type(fn).__name__


def graph_names(t):
    """The names of every node behind t, breadth first along next_functions (the whole chain a
    composite op such as matmul builds, not only its last node): class names."""
    return graph(t, lambda n: type(n).__name__)


def _np(t):
    if isinstance(t, gradsh.Tensor):
        return t.detach().numpy()
    if _torch is not None and isinstance(t, _torch.Tensor):
        return t.detach().numpy()
    return np.asarray(t)


def _dtype_name(t):
    return str(t.dtype)


def _close(a, b, atol, rtol, what):
    a, b = _np(a), _np(b)
    assert a.shape == b.shape, f"{what}: shape {a.shape} != expected {b.shape}"
    if a.dtype.kind in "biu" or b.dtype.kind in "biu":
        assert np.array_equal(a, b), f"{what}: {a} != expected {b}"
    else:
        np.testing.assert_allclose(a, b, atol=atol, rtol=rtol, equal_nan=True, err_msg=what)


def _grad_outputs(outs, rng):
    """Seeded upstream gradients for the float outputs that require grad."""
    gos = []
    for o in outs:
        if isinstance(o, gradsh.Tensor) and o.requires_grad:
            gos.append(rng.standard_normal(tuple(o.shape)).astype(o.dtype.np))
        else:
            gos.append(None)
    return gos


def _grads(mod, outs, ins, spec, gos):
    """d(sum(outs * gos))/d(inputs) with `mod`'s autograd.grad: one entry per diff input."""
    diff = [t for t, (_, _, rg) in zip(ins, spec) if rg]
    pairs = [(o, g) for o, g in zip(outs, gos) if g is not None]
    if not diff or not pairs:
        return [None] * len(diff)
    gts = [mod.tensor(g) if mod is gradsh else mod.from_numpy(g.copy()) for _, g in pairs]
    return list(mod.autograd.grad([o for o, _ in pairs], diff, gts, allow_unused=True))


def check_op(fn, *args, domain=(-2.0, 2.0), dtype=np.float64, ref=None, grad=True,
             gradgrad=False, torch_compare=True, atol=1e-6, rtol=1e-5, names=True, graph=True,
             seed=0, strides=True):
    """Check op `fn(mod, *inputs)` as described in the module docstring; returns gradsh's result.

    `ref(*arrays)`: a numpy reference for the forward values (optional).
    `grad`: check gradients (finite differences; against PyTorch too).
    `gradgrad`: also check second derivatives by finite differences of the first.
    `names`: compare the grad_fn names of the outputs with PyTorch's; `graph`: and the names
    of every node behind them. `strides`: compare the outputs' strides and is_contiguous().
    """
    rng = np.random.default_rng(seed)
    spec = _materialize(args, rng, domain, dtype)
    g_ins = _build(gradsh, spec)
    g_out = fn(gradsh, *g_ins)
    g_outs = as_list(g_out)
    gos = _grad_outputs(g_outs, np.random.default_rng(seed + 1))

    if ref is not None:
        want = as_list(ref(*[v for _, v, _ in spec]))
        assert len(want) == len(g_outs)
        for k, (o, w) in enumerate(zip(g_outs, want)):
            _close(o, w, atol, rtol, f"output {k} vs numpy")

    if torch_compare and _torch is not None:
        t_ins = _build(_torch, spec)
        t_outs = as_list(fn(_torch, *t_ins))
        assert len(g_outs) == len(t_outs), "number of outputs differs from PyTorch"
        for k, (o, t) in enumerate(zip(g_outs, t_outs)):
            if not isinstance(t, _torch.Tensor):
                assert not isinstance(o, gradsh.Tensor) and o == t, f"output {k}: {o!r} != {t!r}"
                continue
            assert isinstance(o, gradsh.Tensor), f"output {k} is not a tensor: {o!r}"
            assert _dtype_name(o) == _dtype_name(t), f"output {k} dtype {o.dtype} != {t.dtype}"
            _close(o, t, atol, rtol, f"output {k} vs PyTorch")
            if strides:
                assert o.is_contiguous() == t.is_contiguous(), f"output {k}: is_contiguous()"
                # (an empty tensor's strides depend on how PyTorch made it: docs/autograd.md)
                assert t.numel() == 0 or o.stride() == t.stride(), \
                    f"output {k} strides {o.stride()} != PyTorch's {t.stride()}"
            assert o.requires_grad == t.requires_grad, f"output {k} requires_grad differs"
            if names:
                assert node_name(o) == node_name(t), \
                    f"output {k} grad_fn {node_name(o)} != PyTorch's {node_name(t)}"
                assert not graph or graph_names(o) == graph_names(t), \
                    f"output {k}'s graph {graph_names(o)} != PyTorch's {graph_names(t)}"
        if grad:
            g_grads = _grads(gradsh, g_outs, g_ins, spec, gos)
            t_grads = _grads(_torch, t_outs, t_ins, spec, gos)
            for k, (a, b) in enumerate(zip(g_grads, t_grads)):
                assert (a is None) == (b is None), f"grad {k}: {a} vs PyTorch's {b}"
                if a is not None:
                    assert _dtype_name(a) == _dtype_name(b), f"grad {k} dtype {a.dtype} != {b.dtype}"
                    _close(a, b, atol, rtol, f"grad of input {k} vs PyTorch")

    if grad:
        diff_pos = [i for i, (_, _, rg) in enumerate(spec) if rg]
        if diff_pos:
            def f(*diff):
                full = list(g_ins)
                for i, d in zip(diff_pos, diff):
                    full[i] = d
                return tuple(o for o in as_list(fn(gradsh, *full))
                             if isinstance(o, gradsh.Tensor) and o.dtype.is_floating_point)
            diff_ins = tuple(g_ins[i] for i in diff_pos)
            if all(t.dtype == gradsh.float64 for t in diff_ins):
                assert gradsh.autograd.gradcheck(f, diff_ins)
                if gradgrad:
                    assert gradsh.autograd.gradgradcheck(f, diff_ins)
    return g_out
