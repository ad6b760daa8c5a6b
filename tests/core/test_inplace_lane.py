"""The in-place arithmetic's fast lane (ops/inplace.py, write_by_ufunc: numpy's ufunc writing
into self's array where nothing needs grad) does what the general path does (compute out of
place, copy in, bump the version): the same bits, dtype, version, errors and graph, on a sweep of
dtypes, layouts, operands and grad modes."""

import itertools

import numpy as np
import pytest

import gradsh
from gradsh.core.ops import inplace

DTYPES = ["float32", "float64", "float16", "int64", "bool"]
SHAPES = [(), (3,), (2, 3)]
OPERANDS = ["0.1", "3", "2 ** 40", "float('nan')", "-0.0", "True", "same", "same64", "row",
            "self", "flip", "grad_tensor", "zero_d"]
OPS = ["x.add_(o)", "x.sub_(o)", "x.mul_(o)", "x += o", "x -= o", "x *= o",
       "x.add_(o, alpha=2)", "x.t_().sub_(o)"]
MODES = ["grad", "no_grad", "leaf_no_grad", "view", "view_no_grad"]


def _setup(dtype, shape, operand, mode):
    rng = np.random.default_rng(7)
    values = rng.uniform(-3, 3, shape)
    x = gradsh.tensor(values).to(getattr(gradsh, dtype))
    if mode in ("view", "view_no_grad"):
        x = (gradsh.tensor(rng.uniform(-3, 3, (2,) + shape)).to(x.dtype))[1]
    if mode == "leaf_no_grad" and x.is_floating_point():
        x.requires_grad_()
    env = {"x": x, "gradsh": gradsh}
    o = {
        "same": lambda: gradsh.tensor(rng.uniform(-2, 2, shape)).to(x.dtype),
        "same64": lambda: gradsh.tensor(rng.uniform(-2, 2, shape)),
        "row": lambda: gradsh.tensor(rng.uniform(-2, 2, shape[-1:])).to(x.dtype),
        "self": lambda: x,
        "flip": lambda: x.flip(0) if shape else x,
        "grad_tensor": lambda: gradsh.tensor(rng.uniform(-2, 2, shape), requires_grad=True),
        "zero_d": lambda: gradsh.tensor(1.5).to(x.dtype),
    }.get(operand)
    env["o"] = o() if o is not None else eval(operand)
    return env


def _run(op, dtype, shape, operand, mode, fast):
    env = _setup(dtype, shape, operand, mode)
    before = inplace.FAST_INPLACE
    inplace.FAST_INPLACE = fast
    try:
        with gradsh.no_grad() if mode in ("no_grad", "leaf_no_grad", "view_no_grad") else (
                gradsh.enable_grad()):
            exec(op, env)
    except Exception as e:  # noqa: BLE001 - the two lanes must raise alike
        return ("raised", type(e).__name__, str(e))
    finally:
        inplace.FAST_INPLACE = before
    x = env["x"]
    data = x.detach().numpy()
    return (data.dtype, data.shape, data.tobytes(), x._version, x.requires_grad,
            type(x.grad_fn).__name__)


CASES = list(itertools.product(OPS, DTYPES, SHAPES, OPERANDS, MODES))


@pytest.mark.parametrize("op", OPS)
def test_the_fast_inplace_lane_gives_what_the_general_path_gives(op):
    for _, dtype, shape, operand, mode in [c for c in CASES if c[0] == op]:
        if op.startswith("x.t_()") and len(shape) < 2:
            continue
        fast = _run(op, dtype, shape, operand, mode, True)
        slow = _run(op, dtype, shape, operand, mode, False)
        assert fast == slow, (op, dtype, shape, operand, mode)


def test_the_lane_takes_the_optimiser_step_and_the_tutorials_update():
    # (what benchmarks W2 and W11 do; the general path is not run for them)
    calls = []
    real = inplace.apply_inplace
    inplace.apply_inplace = lambda *a, **k: calls.append(a) or real(*a, **k)
    try:
        p = gradsh.randn(16, 64, requires_grad=True)
        g = gradsh.randn(16, 64)
        with gradsh.no_grad():
            p -= 0.01 * g
        a = gradsh.randn(())
        a -= 1e-6 * gradsh.randn(())
    finally:
        inplace.apply_inplace = real
    assert calls == []
    assert p._version == 1 and a._version == 1
