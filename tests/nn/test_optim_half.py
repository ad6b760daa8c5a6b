"""float16 and bfloat16 parameters stepped by every optimiser, with foreach and fused, against
PyTorch bit for bit (PyTorch is the oracle; skipped without it).

PyTorch computes each half kernel in float32 and rounds its result to half; a Python number is a
float32 multiplier but a half addend, addcmul/addcdiv/lerp round once, and the fused kernels
round only what they store (docs/nn.md, "float16 and bfloat16 parameters"). The gradients are
made in numpy from the parameters' values, so the test sees the optimisers' arithmetic alone.
A sample runs by default; GRADSH_OPTIM_HALF_ALL=1 runs the whole grid."""

import os

import numpy as np
import pytest

import gradsh
from gradsh.core.optim import fused

torch = pytest.importorskip("torch", reason="PyTorch is the oracle for half optimiser steps")
ml_dtypes = pytest.importorskip("ml_dtypes", reason="bfloat16 arrays")

OPTIMISERS = [
    ("SGD", dict(lr=0.05)),
    ("SGD", dict(lr=0.05, momentum=0.9, weight_decay=0.01)),
    ("SGD", dict(lr=0.05, momentum=0.9, nesterov=True, weight_decay=0.1)),
    ("SGD", dict(lr=0.05, momentum=0.5, dampening=0.3, maximize=True)),
    ("Adam", dict(lr=0.01)),
    ("Adam", dict(lr=0.01, weight_decay=0.05, amsgrad=True)),
    ("AdamW", dict(lr=0.01)),
    ("AdamW", dict(lr=0.01, amsgrad=True, maximize=True)),
    ("Adagrad", dict(lr=0.1)),
    ("Adagrad", dict(lr=0.1, lr_decay=0.01, weight_decay=0.01, initial_accumulator_value=0.1)),
    ("Adadelta", dict()),
    ("Adadelta", dict(lr=0.5, rho=0.8, weight_decay=0.01)),
    ("Adamax", dict(lr=0.01)),
    ("Adamax", dict(lr=0.01, weight_decay=0.05)),
    ("NAdam", dict(lr=0.01)),
    ("NAdam", dict(lr=0.01, weight_decay=0.1, decoupled_weight_decay=True)),
    ("RAdam", dict(lr=0.01)),
    ("RAdam", dict(lr=0.01, weight_decay=0.1, decoupled_weight_decay=True)),
    ("RMSprop", dict(lr=0.01)),
    ("RMSprop", dict(lr=0.01, momentum=0.9, centered=True, weight_decay=0.01)),
    ("ASGD", dict(lr=0.01)),
    ("ASGD", dict(lr=0.05, t0=0, weight_decay=0.01)),
    ("Rprop", dict(lr=0.01)),
    ("Rprop", dict(lr=0.05, maximize=True)),
]
# PyTorch's fused CPU kernels; fused SGD is left out: PyTorch 2.13's kernel leaves a half
# parameter's whole vectors unchanged (only the elements of its scalar tail move), which gradsh
# does not copy (docs/nn.md)
FUSED = {"Adam", "AdamW", "Adagrad"}
FLAGS = [{}, {"foreach": True}, {"fused": True}]
DTYPES = {"float16": np.float16, "bfloat16": ml_dtypes.bfloat16}

GRID = [(name, dict(kw, **flag), dt)
        for name, kw in OPTIMISERS for flag in FLAGS if "fused" not in flag or name in FUSED
        for dt in DTYPES]
# the sample: each optimiser's cases alternate their flags and dtypes
CASES = GRID if os.environ.get("GRADSH_OPTIM_HALF_ALL") else GRID[::5]


def _steps(mod, name, kwargs, dtype, steps=5):
    """Five steps on a (5, 7) and a (7,) parameter (35 elements: whole vectors and a scalar
    tail; 7: a tail alone); returns the parameters and state tensors as float lists."""
    rng = np.random.default_rng(0)
    half = DTYPES[dtype]
    starts = [rng.standard_normal(s).astype(np.float32).astype(half).astype(np.float32)
              for s in ((5, 7), (7,))]
    dt = getattr(mod, dtype)
    params = [mod.tensor(a.tolist(), dtype=dt).requires_grad_() for a in starts]
    opt = getattr(mod.optim, name)(params, **kwargs)
    for _ in range(steps):
        opt.zero_grad()
        for i, p in enumerate(params):
            v = np.array(p.detach().float().tolist(), np.float64)
            g = (3 * np.cos(3 * v) + 2 * (i + 1) * v).astype(np.float32).astype(half)
            p.grad = mod.tensor(g.astype(np.float32).tolist(), dtype=dt)
        opt.step()
    out = [p.detach().float().tolist() for p in params]
    for p in params:
        for key, value in sorted(opt.state[p].items()):
            if hasattr(value, "dtype"):
                out.append((key, str(value.dtype), value.detach().float().tolist()))
    return out


@pytest.mark.parametrize("name,kwargs,dtype", CASES,
                         ids=[f"{n}-{k}-{d}" for n, k, d in CASES])
def test_half_parameters_step_as_pytorch_bit_for_bit(name, kwargs, dtype):
    assert _steps(gradsh, name, kwargs, dtype) == _steps(torch, name, kwargs, dtype)


KERNELS = {
    "mul": (lambda a, b, c, t: a * t(0.0123), lambda a, b, c: a.mul(0.0123)),
    "div": (lambda a, b, c, t: a / t(0.37), lambda a, b, c: a.div(0.37)),
    "add": (lambda a, b, c, t: a + t(0.0123), lambda a, b, c: a.add(0.0123)),
    "add_alpha": (lambda a, b, c, t: fused.fma(t(-0.0123), b, a),
                  lambda a, b, c: a.add(b, alpha=-0.0123)),
    "addcmul": (lambda a, b, c, t: fused.addcmul(a, b, c, 0.3),
                lambda a, b, c: a.addcmul(b, c, value=0.3)),
    "addcdiv": (lambda a, b, c, t: fused.addcdiv(a, b, c, -0.37),
                lambda a, b, c: a.addcdiv(b, c, value=-0.37)),
    "lerp_low": (lambda a, b, c, t: fused.lerp(a, b, 0.1), lambda a, b, c: a.lerp(b, 0.1)),
    "lerp_high": (lambda a, b, c, t: fused.lerp(a, b, 0.9), lambda a, b, c: a.lerp(b, 0.9)),
}


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("kernel", KERNELS)
def test_each_half_kernel_rounds_as_pytorchs(kernel, dtype):
    """The optimisers' kernels on half arrays (1003 elements: whole vectors and a scalar tail)
    against PyTorch's, with the numbers the optimisers pass them."""
    half = DTYPES[dtype]
    rng = np.random.default_rng(1)
    a, b = (rng.standard_normal(1003).astype(half) for _ in range(2))
    c = (np.abs(rng.standard_normal(1003)) + 0.5).astype(half)
    ours, theirs = KERNELS[kernel]
    got = np.asarray(ours(a, b, c, fused.scalar_type(np.dtype(half))))
    ta, tb, tc = (torch.tensor(v.astype(np.float32)).to(getattr(torch, dtype)) for v in (a, b, c))
    want = theirs(ta, tb, tc).float().numpy()
    assert got.dtype == half
    assert np.array_equal(got.astype(np.float32), want)
    # and numpy's own arithmetic on the half arrays would not have been
    if kernel != "add":
        plain = {"mul": lambda: a * half(0.0123), "div": lambda: a / half(0.37)}.get(
            kernel, lambda: None)()
        if plain is not None:
            assert not np.array_equal(plain.astype(np.float32), want)
