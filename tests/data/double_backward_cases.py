"""Cases for tools/record_double_backward.py (PyTorch) and tests/core/test_double_backward.py
(gradsh): each is (function of (library, x), list of input lists)."""

import math

W3 = [1.0, 2.0, 3.0]


def run(lib, fn, vals):
    """[g values, g.requires_grad, g's grad_fn name, grad of g.sum() (or None)], as text-safe
    data (nan and inf as strings)."""
    x = lib.tensor(vals, requires_grad=True)
    y = fn(lib, x)
    g, = lib.autograd.grad(y.sum(), x, create_graph=True)
    name = g.grad_fn.name() if g.grad_fn is not None else None
    gg = None
    if g.requires_grad:
        gg, = lib.autograd.grad(g.sum(), x, allow_unused=True)
        gg = None if gg is None else _clean(gg.tolist())
    return [_clean(g.tolist()), g.requires_grad, name, gg]


def _clean(v):
    if isinstance(v, list):
        return [_clean(a) for a in v]
    if math.isnan(v) or math.isinf(v):
        return repr(v)
    return v


def _w(lib, n):
    return lib.tensor(W3[:n])


CASES = {
    "prod": (lambda L, x: x.prod(), [[0.0, 2.0, 0.0], [0.0, 2.0, 3.0], [1.0, 2.0, 3.0]]),
    "prod_dim": (lambda L, x: x.prod(1),
                 [[[0.0, 2.0], [3.0, 0.0]], [[0.0, 0.0], [1.0, 2.0]], [[1.0, 2.0], [3.0, 4.0]]]),
    "prod_dim_keepdim": (lambda L, x: x.prod(0, keepdim=True), [[[0.0, 2.0], [3.0, 0.0]]]),
    "cumprod": (lambda L, x: x.cumprod(0), [[0.0, 2.0, 0.0], [2.0, 0.0, 3.0, 4.0], [1.0, 2.0, 3.0]]),
    "pow_tensor": (lambda L, x: x ** x, [[0.0, 1.0, 2.0]]),
    "pow_tensor_exp0": (lambda L, x: x ** (x * 0), [[0.0, -1.0, 2.0]]),
    "atan2_y0": (lambda L, x: L.atan2(x, x * 0), [[0.0, 1.0, -1.0]]),
    "atan2_x0": (lambda L, x: L.atan2(x * 0, x), [[0.0, 1.0, -1.0]]),
    "elu": (lambda L, x: L.nn.functional.elu(x), [[0.0, -1.0, 1.0]]),
    "elu_alpha": (lambda L, x: L.nn.functional.elu(x, alpha=0.5) * _w(L, 3), [[0.0, -2.0, 1.5]]),
    "relu": (lambda L, x: L.relu(x), [[0.0, -1.0, 1.0]]),
    "relu_weighted": (lambda L, x: L.relu(x) * _w(L, 3), [[0.0, -1.0, 1.0]]),
    "hardtanh": (lambda L, x: L.nn.functional.hardtanh(x), [[0.0, -1.0, 1.0, 2.0]]),
    "leaky_relu": (lambda L, x: L.nn.functional.leaky_relu(x) * _w(L, 3), [[0.0, -1.0, 1.0]]),
    "tanh": (lambda L, x: L.tanh(x), [[0.0, -1.0, 1.0]]),
    "sigmoid": (lambda L, x: L.sigmoid(x), [[0.0, -1.0, 1.0]]),
    "softmax": (lambda L, x: L.softmax(x, 0) * _w(L, 3), [[0.0, -1.0, 1.0]]),
    "log_softmax": (lambda L, x: L.log_softmax(x, 0) * _w(L, 3), [[0.0, -1.0, 1.0]]),
    "mse_loss": (lambda L, x: L.nn.functional.mse_loss(x, _w(L, 3)), [[0.0, -1.0, 1.0]]),
    "sqrt": (lambda L, x: x.sqrt(), [[1.0, 4.0]]),
    "exp": (lambda L, x: x.exp(), [[0.0, -1.0, 1.0]]),
    "sin": (lambda L, x: x.sin(), [[0.0, -1.0, 1.0]]),
    "mul_self": (lambda L, x: x * x, [[0.0, -1.0, 1.0]]),
}
