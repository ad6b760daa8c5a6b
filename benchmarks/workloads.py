"""The benchmark workloads, written once against a torch-like module `T` (gradsh or torch).

Each `make_*` takes the module and returns a zero-argument step function (one iteration) and a
check function that returns a number computed from the step's result, for the smoke test.
"""


def make_w1(T):
    """The tutorial's graph on 2x2: y = x + 2; z = y * y * 3; out = z.mean(); backward."""
    x = T.ones(2, 2, requires_grad=True)
    state = {}

    def step():
        y = x + 2
        z = y * y * 3
        out = z.mean()
        out.backward()
        state["grad"] = x.grad
        x.grad = None

    def check():
        step()
        return float(state["grad"].sum())  # 4 * 4.5 = 18

    return step, check


def make_w1c20(T):
    """2x2, 20 chained elementwise ops (+, *, tanh, -), sum, backward."""
    x = T.ones(2, 2, requires_grad=True)
    state = {}

    def step():
        h = x
        for _ in range(5):
            h = h + 1
            h = h * 0.5
            h = h.tanh()
            h = h - 0.1
        h.sum().backward()
        state["grad"] = x.grad
        x.grad = None

    def check():
        step()
        return float(state["grad"].sum())

    return step, check


def make_w2(T, steps=1):
    """MLP 16-64-1 with tanh, MSE, batch 256, one SGD step by hand under no_grad."""
    g = T.manual_seed(0)
    del g
    X = T.randn(256, 16)
    Y = T.randn(256, 1)
    W1 = (T.randn(16, 64) * 0.25).requires_grad_()
    b1 = T.zeros(64, requires_grad=True)
    W2 = (T.randn(64, 1) * 0.125).requires_grad_()
    b2 = T.zeros(1, requires_grad=True)
    params = [W1, b1, W2, b2]
    state = {}

    def step():
        h = (X @ W1 + b1).tanh()
        pred = h @ W2 + b2
        loss = ((pred - Y) ** 2).mean()
        loss.backward()
        with T.no_grad():
            for p in params:
                p -= 0.01 * p.grad
                p.grad = None
        state["loss"] = loss

    def check():
        step()
        return float(state["loss"].item())

    return step, check


def make_w3(T):
    """1e6 float32: ((x * x).exp().tanh() * 3 + x).sum().backward()."""
    T.manual_seed(0)
    x = (T.rand(10 ** 6) * 0.5).requires_grad_()
    state = {}

    def step():
        ((x * x).exp().tanh() * 3 + x).sum().backward()
        state["grad"] = x.grad
        x.grad = None

    def check():
        step()
        return float(state["grad"].sum())

    return step, check


def make_w4(T):
    """512x512 float32: ((a @ b).tanh() @ c).sum().backward()."""
    T.manual_seed(0)
    a = (T.randn(512, 512) * 0.05).requires_grad_()
    b = (T.randn(512, 512) * 0.05).requires_grad_()
    c = (T.randn(512, 512) * 0.05).requires_grad_()
    state = {}

    def step():
        ((a @ b).tanh() @ c).sum().backward()
        state["grad"] = a.grad
        a.grad = b.grad = c.grad = None

    def check():
        step()
        return float(state["grad"].sum())

    return step, check


def make_w10(T):
    """nn.Sequential(Linear(16, 64), Tanh(), Linear(64, 1)), MSELoss, optim.Adam, batch 256:
    one training step (zero_grad, forward, backward, step)."""
    T.manual_seed(0)
    X = T.randn(256, 16)
    Y = T.randn(256, 1)
    model = T.nn.Sequential(T.nn.Linear(16, 64), T.nn.Tanh(), T.nn.Linear(64, 1))
    loss_fn = T.nn.MSELoss()
    opt = T.optim.Adam(model.parameters(), lr=1e-3)
    state = {}

    def step():
        opt.zero_grad()
        loss = loss_fn(model(X), Y)
        loss.backward()
        opt.step()
        state["loss"] = loss

    def check():
        step()
        return float(state["loss"].item())

    return step, check


def make_w11(T):
    """PyTorch's "PyTorch: Tensors" tutorial: a cubic fitted to sin on 2000 float32 points with
    hand-written gradients and SGD (lr 1e-6); one of its 2000 steps (the loss read with .item()
    as the tutorial does, printed every 100 steps there, not here)."""
    import math
    T.manual_seed(0)
    x = T.linspace(-math.pi, math.pi, 2000, dtype=T.float)
    y = T.sin(x)
    coefficients = [T.randn((), dtype=T.float) for _ in range(4)]  # a, b, c, d
    learning_rate = 1e-6
    state = {}

    def step():
        a, b, c, d = coefficients
        y_pred = a + b * x + c * x ** 2 + d * x ** 3
        state["loss"] = (y_pred - y).pow(2).sum().item()
        grad_y_pred = 2.0 * (y_pred - y)
        grads = (grad_y_pred.sum(), (grad_y_pred * x).sum(), (grad_y_pred * x ** 2).sum(),
                 (grad_y_pred * x ** 3).sum())
        for coefficient, grad in zip(coefficients, grads):
            coefficient -= learning_rate * grad  # in place, as the tutorial's `a -= ...`

    def check():
        step()
        return state["loss"]

    return step, check


WORKLOADS = {
    "W1": make_w1,
    "W1c20": make_w1c20,
    "W2": make_w2,
    "W3": make_w3,
    "W4": make_w4,
    "W10": make_w10,
    "W11": make_w11,
}
