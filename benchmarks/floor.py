"""The numpy floor: each workload in plain numpy with its gradient written by hand.

These are what an engine could cost at best on numpy: the same arithmetic, no graph, no tensors.
Each returns (step, check) like workloads.py.
"""

import numpy as np


def make_w1():
    x = np.ones((2, 2), np.float32)
    state = {}

    def step():
        y = x + 2
        z = y * y * 3
        out = z.mean()
        g_z = np.full(z.shape, 1 / z.size, np.float32)
        g_y = g_z * 3 * y * 2
        state["grad"] = g_y
        return out

    def check():
        step()
        return float(state["grad"].sum())

    return step, check


def make_w1c20():
    x = np.ones((2, 2), np.float32)
    state = {}

    def step():
        h = x
        tanhs = []
        for _ in range(5):
            h = h + 1
            h = h * np.float32(0.5)
            h = np.tanh(h)
            tanhs.append(h)
            h = h - np.float32(0.1)
        h.sum()
        g = np.ones_like(h)
        for t in reversed(tanhs):
            g = g * (1 - t * t) * np.float32(0.5)
        state["grad"] = g

    def check():
        step()
        return float(state["grad"].sum())

    return step, check


def _w2_data():
    """W2's batch, targets and parameters: the workloads' data (PyTorch's seed-0 stream)."""
    from gradsh.core import random as R
    gen = R.Generator().manual_seed(0)
    X = gen.normal((256, 16), np.float32)
    Y = gen.normal((256, 1), np.float32)
    W1 = gen.normal((16, 64), np.float32) * np.float32(0.25)
    b1 = np.zeros(64, np.float32)
    W2 = gen.normal((64, 1), np.float32) * np.float32(0.125)
    b2 = np.zeros(1, np.float32)
    return X, Y, [W1, b1, W2, b2]


def make_w2(mean=np.mean, column_sum=lambda a: a.sum(0)):
    """W2 in numpy; `mean` and `column_sum` are the loss's mean and the bias gradients' sums
    (numpy's own here; PyTorch's order in make_w2_faithful)."""
    X, Y, params = _w2_data()
    W1, b1, W2, b2 = params
    state = {}

    def step():
        h = np.tanh(X @ W1 + b1)
        pred = h @ W2 + b2
        d = pred - Y
        loss = mean(d * d)
        g_pred = d * np.float32(2 / d.size)
        gW2 = h.T @ g_pred
        gb2 = column_sum(g_pred)
        g_h = g_pred @ W2.T
        g_pre = g_h * (1 - h * h)
        gW1 = X.T @ g_pre
        gb1 = column_sum(g_pre)
        for p, gp in zip(params, (gW1, gb1, gW2, gb2)):
            p -= np.float32(0.01) * gp
        state["loss"] = loss

    def check():
        step()
        return float(state["loss"])

    return step, check


def make_w3():
    from gradsh.core import random as R
    gen = R.Generator().manual_seed(0)
    x = gen.uniform((10 ** 6,), np.float32) * np.float32(0.5)
    state = {}

    def step():
        a = x * x
        e = np.exp(a)
        t = np.tanh(e)
        out = (t * 3 + x).sum()
        g_t = np.float32(3)
        g_e = g_t * (1 - t * t)
        g_a = g_e * e
        g_x = g_a * 2 * x + 1
        state["grad"] = g_x
        return out

    def check():
        step()
        return float(state["grad"].sum())

    return step, check


def make_w3_tuned():
    """W3's floor written for speed: the same arithmetic as make_w3 into three buffers made
    once (numpy's out=), so no pass allocates and the working set stays at three arrays."""
    from gradsh.core import random as R
    gen = R.Generator().manual_seed(0)
    x = gen.uniform((10 ** 6,), np.float32) * np.float32(0.5)
    e, t, w = np.empty_like(x), np.empty_like(x), np.empty_like(x)
    one, two, three = np.float32(1), np.float32(2), np.float32(3)
    state = {}

    def step():
        np.exp(np.multiply(x, x, out=e), out=e)
        np.tanh(e, out=t)
        out = np.add(np.multiply(t, three, out=w), x, out=w).sum()
        np.multiply(t, t, out=w)  # g_e = 3 * (1 - t * t)
        np.multiply(np.subtract(one, w, out=w), three, out=w)
        np.multiply(w, e, out=w)  # g_a
        np.add(np.multiply(np.multiply(w, two, out=w), x, out=w), one, out=w)  # g_x
        state["grad"] = w
        return out

    def check():
        step()
        return float(state["grad"].sum())

    return step, check


def make_w4():
    from gradsh.core import random as R
    gen = R.Generator().manual_seed(0)
    a = gen.normal((512, 512), np.float32) * np.float32(0.05)
    b = gen.normal((512, 512), np.float32) * np.float32(0.05)
    c = gen.normal((512, 512), np.float32) * np.float32(0.05)
    state = {}

    def step():
        p = a @ b
        t = np.tanh(p)
        q = t @ c
        q.sum()
        g_q = np.ones_like(q)
        g_t = g_q @ c.T
        g_c = t.T @ g_q
        g_p = g_t * (1 - t * t)
        g_a = g_p @ b.T
        g_b = a.T @ g_p
        state["grad"] = g_a
        return g_a, g_b, g_c

    def check():
        step()
        return float(state["grad"].sum())

    return step, check


def make_w10():
    import gradsh  # the same data and initial weights as the workload (seed 0)
    gradsh.manual_seed(0)
    X = gradsh.randn(256, 16).numpy()
    Y = gradsh.randn(256, 1).numpy()
    model = gradsh.nn.Sequential(gradsh.nn.Linear(16, 64), gradsh.nn.Tanh(),
                                 gradsh.nn.Linear(64, 1))
    W1, b1, W2, b2 = (p.detach().numpy().copy() for p in model.parameters())
    params = [W1, b1, W2, b2]
    m = [np.zeros_like(p) for p in params]
    v = [np.zeros_like(p) for p in params]
    lr, b1c, b2c, eps = 1e-3, 0.9, 0.999, 1e-8
    state = {"t": 0}

    def step():
        h = np.tanh(X @ W1.T + b1)
        pred = h @ W2.T + b2
        d = pred - Y
        loss = (d * d).mean()
        g_pred = d * np.float32(2 / d.size)
        gW2 = g_pred.T @ h
        gb2 = g_pred.sum(0)
        g_pre = (g_pred @ W2) * (1 - h * h)
        gW1 = g_pre.T @ X
        gb1 = g_pre.sum(0)
        state["t"] += 1
        t = state["t"]
        for p, g, mi, vi in zip(params, (gW1, gb1, gW2, gb2), m, v):
            mi += (g - mi) * np.float32(1 - b1c)
            vi *= np.float32(b2c)
            vi += np.float32(1 - b2c) * g * g
            denom = np.sqrt(vi) / np.float32((1 - b2c ** t) ** 0.5) + np.float32(eps)
            p -= np.float32(lr / (1 - b1c ** t)) * mi / denom
        state["loss"] = loss

    def check():
        step()
        return float(state["loss"])

    return step, check


def _w11_data():
    """W11's points, targets and initial coefficients: the workload's (seed 0)."""
    import math
    import gradsh
    gradsh.manual_seed(0)
    x = gradsh.linspace(-math.pi, math.pi, 2000).numpy()
    return x, np.sin(x), [gradsh.randn(()).numpy() for _ in range(4)]


def make_w11():
    x, y, coef = _w11_data()
    lr = np.float32(1e-6)
    state = {}

    def step():
        a, b, c, d = coef
        x2 = x * x
        x3 = x2 * x
        y_pred = a + b * x + c * x2 + d * x3
        diff = y_pred - y
        state["loss"] = float(np.dot(diff, diff))
        g = 2 * diff
        coef[:] = [a - lr * g.sum(), b - lr * np.dot(g, x), c - lr * np.dot(g, x2),
                   d - lr * np.dot(g, x3)]

    def check():
        step()
        return state["loss"]

    return step, check


def make_w3_kernels():
    """Only W3's two transcendental kernels, numpy's float32 exp and tanh over 10**6 elements
    into buffers made once: a part of every numpy version of W3, so no numpy engine runs W3 in
    less time than this."""
    from gradsh.core import random as R
    gen = R.Generator().manual_seed(0)
    x = gen.uniform((10 ** 6,), np.float32) * np.float32(0.5)
    e, t = np.empty_like(x), np.empty_like(x)

    def step():
        np.exp(x, out=e)
        np.tanh(e, out=t)

    def check():
        step()
        return float(t.sum())

    return step, check


def make_w2_faithful():
    """W2's floor with PyTorch's float32 results: the same numpy code, but the loss's mean and
    the bias gradients summed in PyTorch's order (gradsh's summation module), as gradsh must to
    print PyTorch's digits."""
    from gradsh.core.ops.summation import ordered_sum
    return make_w2(mean=lambda a: ordered_sum(a) / np.float32(a.size),
                   column_sum=lambda a: ordered_sum(a, (0,)))


def make_w11_faithful():
    """W11's floor with PyTorch's float32 results: the loss and the four gradients summed in
    PyTorch's order (gradsh's summation module) instead of numpy's dot products."""
    from gradsh.core.ops.summation import flat_sum
    x, y, coef = _w11_data()
    lr = np.float32(1e-6)
    state = {}

    def step():
        a, b, c, d = coef
        x2 = x * x
        x3 = x2 * x
        y_pred = a + b * x + c * x2 + d * x3
        diff = y_pred - y
        state["loss"] = float(flat_sum(diff * diff))
        g = np.float32(2) * diff
        coef[:] = [a - lr * flat_sum(g), b - lr * flat_sum(g * x), c - lr * flat_sum(g * x2),
                   d - lr * flat_sum(g * x3)]

    def check():
        step()
        return state["loss"]

    return step, check


# Floors beside the plain numpy above, each printed on its own line by run.py:
# tuned: buffers reused; kernels: W3's exp and tanh alone; faithful: PyTorch's digits, i.e. the
# float32 sums in PyTorch's order, which a numpy engine that prints PyTorch's numbers must pay.
TUNED = {"W3": make_w3_tuned}
KERNELS = {"W3": make_w3_kernels}
FAITHFUL = {"W2": make_w2_faithful, "W11": make_w11_faithful}

FLOORS = {"W1": make_w1, "W1c20": make_w1c20, "W2": make_w2, "W3": make_w3, "W4": make_w4,
          "W10": make_w10, "W11": make_w11}
