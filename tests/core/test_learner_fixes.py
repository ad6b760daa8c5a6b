"""Differences the fourth round of learner programs found (tests/data/learner_programs), each
class checked against PyTorch on more than the program's one case: sequences as indices and the
0-d index messages, ..."""

import pytest

import gradsh


def outcome(f):
    try:
        return ("ok", repr(f()))
    except Exception as e:   # noqa: BLE001 - the type is part of what is compared
        return (type(e).__name__, str(e))


def same_as_pytorch(attempts):
    real = pytest.importorskip("torch", reason="PyTorch not installed: differential test skipped")
    assert [outcome(f) for f in attempts(gradsh)] == [outcome(f) for f in attempts(real)]


def index_attempts(torch):
    s = torch.tensor(3.5)
    x = torch.arange(12.).reshape(3, 4)

    def assigned(key):
        y = x.clone()
        y[key] = -1.0
        return y
    keys = [range(2), (range(2), 0), ((0, 1), 0), (0, range(1, 3)), range(0),
            (slice(None), (1, 2)), (range(3), range(3, 0, -1))]
    return ([lambda: s[0], lambda: s[0:1], lambda: s[0, 0], lambda: s[torch.tensor(0)],
             lambda: s[[0]], lambda: s[True], lambda: s[None, 0]]
            + [lambda k=k: x[k] for k in keys] + [lambda k=k: assigned(k) for k in keys])


def test_sequences_index_as_lists_and_0d_index_errors_are_pytorchs():
    same_as_pytorch(index_attempts)


def gradcheck_calls(torch):
    """What a custom Function sees of gradcheck and gradgradcheck (the order of its forward and
    backward calls), their results and messages, and the default generator after
    gradgradcheck drew its grad_outputs."""
    log = []

    class TwoOut(torch.autograd.Function):
        @staticmethod
        def forward(ctx, x, w):
            log.append("f")
            ctx.save_for_backward(x, w)
            return x.mm(w.t()), x.sum() * 0 + 1

        @staticmethod
        def backward(ctx, g, h):
            log.append("b%g" % g.abs().sum().item())
            x, w = ctx.saved_tensors
            return g.mm(w), g.t().mm(x)

    def wrong(c, x):
        return x.exp() + c

    torch.manual_seed(0)
    x = torch.randn(3, 2, dtype=torch.double, requires_grad=True)
    w = torch.randn(4, 2, dtype=torch.double, requires_grad=True)
    wrong_exp = type("WrongExp", (torch.autograd.Function,), {
        "forward": staticmethod(lambda ctx, t: t.exp()),
        "backward": staticmethod(lambda ctx, g: g * 2)})
    runs = [lambda: torch.autograd.gradcheck(TwoOut.apply, (x, w)),
            lambda: torch.autograd.gradcheck(TwoOut.apply, (x, w), check_undefined_grad=False),
            lambda: torch.autograd.gradgradcheck(lambda t: t ** 3, (x,)),
            lambda: torch.randn(3),
            lambda: torch.autograd.gradcheck(lambda t: t * 2, (x.detach(),)),
            lambda: torch.autograd.gradcheck(lambda t: t.detach() * 2, (x,)),
            lambda: torch.autograd.gradcheck(wrong, (torch.ones(1, dtype=torch.double),
                                                      wrong_exp.apply(x)[:1].detach()
                                                      .requires_grad_())),
            lambda: torch.autograd.gradcheck(wrong_exp.apply, (x,), raise_exception=False),
            lambda: torch.autograd.gradcheck(lambda t, u: wrong_exp.apply(t) * u,
                                             (torch.tensor(1.0, dtype=torch.double), x))]
    results = []
    for run in runs:
        results.append(outcome(run))
        results.append("".join(log))
        log.clear()
    return results


def test_gradcheck_calls_the_function_as_pytorch_does():
    same_as_pytorch(gradcheck_calls)


def func_constant_attempts(torch):
    """torch.func transforms of functions whose output does not depend on the input (also an
    inner transform's result, in hessian and jacrev of jacrev): zeros, not an error."""
    from importlib import import_module
    func = import_module(torch.__name__ + ".func")
    x, y = torch.tensor([1., 2.]), torch.tensor([0.5, -1.])
    return [lambda: func.grad(lambda t: torch.tensor(1.0))(x),
            lambda: func.jacrev(lambda t: torch.ones(3))(x),
            lambda: func.vjp(lambda t: torch.ones(2), x)[1](torch.ones(2)),
            lambda: func.hessian(lambda t: t.sum())(x),
            lambda: func.jacrev(func.jacrev(lambda t: (t * 3).sum()))(x),
            lambda: func.hessian(lambda a, b: (a * b + a ** 2 * b).sum(), argnums=1)(x, y),
            lambda: func.grad(func.grad(lambda a, b: (a * b).sum(), argnums=1))(x, y),
            lambda: func.jacfwd(lambda t: torch.ones(2))(x)]


def test_func_transforms_of_constant_outputs_give_zeros():
    same_as_pytorch(func_constant_attempts)


def module_backward_hooks(torch):
    """Full backward hooks and pre-hooks of modules: when they run, what they see, what
    replacing grad_input / grad_output does, the node the output carries, the misuse errors."""
    nn = torch.nn
    torch.manual_seed(0)
    log = []
    m = nn.Sequential(nn.Linear(2, 3), nn.Tanh(), nn.Linear(3, 1))

    def rows(gs):
        return [None if g is None else [round(v, 4) for v in g.flatten().tolist()] for g in gs]

    def named(name):
        return lambda mod, gi, go: log.append((name, rows(gi), rows(go)))

    def doubled(mod, go):
        log.append(("pre", rows(go)))
        return (go[0] * 2,)

    handles = [mod.register_full_backward_hook(named(str(i))) for i, mod in enumerate(m)]
    m[2].register_full_backward_pre_hook(doubled)
    x = torch.tensor([[1.0, -1.0]])
    out = m(x)
    log.append(out.grad_fn.name())
    out.sum().backward()
    log.append(rows([m[0].weight.grad]))
    xr = x.clone().requires_grad_()
    m[1].register_full_backward_hook(lambda mod, gi, go: tuple(g * 2 for g in gi))
    handles[0].remove()
    m(xr).sum().backward()
    log.append(rows([xr.grad]))
    for mod, inp in ((nn.Tanh(), torch.ones(1, requires_grad=True) * 1),
                     (nn.Linear(1, 1), torch.ones(1))):
        mod.register_full_backward_hook(lambda mod, gi, go: (torch.ones(1), torch.ones(1)))
        log.append(outcome(lambda: mod(inp).sum().backward()))
    return log


def test_module_full_backward_hooks_run_as_pytorchs():
    same_as_pytorch(module_backward_hooks)


def matmul_dtype_attempts(torch):
    """Mixed dtypes through each product: mm/matmul's, addmm's (self and mat2, then mat1 and
    mat2; nn.Linear with a bias goes there), mv's and dot's messages."""
    F = torch.nn.functional
    a64, a32 = torch.ones(2, 2, dtype=torch.float64), torch.ones(2, 2)
    v32, v64 = torch.ones(2), torch.ones(2, dtype=torch.float64)
    i = torch.ones(2, 2, dtype=torch.long)
    return [lambda: torch.mm(a64, a32), lambda: a64 @ a32, lambda: F.linear(a64, a32),
            lambda: F.linear(a64, a32, v32), lambda: F.linear(a64, a64, v32),
            lambda: F.linear(v64, a32, v32), lambda: torch.nn.Linear(2, 2)(a64),
            lambda: torch.nn.Linear(2, 2)(torch.ones(3, 2, 2, dtype=torch.float64)),
            lambda: torch.addmm(v32, a64, a64), lambda: torch.addmm(v64, a32, a32),
            lambda: torch.addmm(v32, a64, i), lambda: torch.mv(a32, v64),
            lambda: torch.dot(v32, v64), lambda: torch.nn.Linear(2, 2)(i)]


def test_mixed_dtype_products_are_refused_with_pytorchs_messages():
    same_as_pytorch(matmul_dtype_attempts)


def small_exp_tanh(torch):
    """float32 exp and tanh of a learner's small tensors (rounded from float64 up to
    vml.SMALL elements): PyTorch's values where numpy's float32 functions are an ulp off."""
    x = torch.tensor([1.0, 2.0, -1.0, 0.5, 3.0, -0.25])
    y = x.clone()
    y.exp_()
    return [x.exp().tolist(), x.tanh().tolist(), y.tolist(), torch.tanh(x[1:3]).tolist(),
            torch.nn.Tanh()(x).tolist(), torch.exp(torch.tensor(1.0)).item()]


def test_float32_exp_and_tanh_of_small_tensors_are_pytorchs():
    same_as_pytorch(small_exp_tanh)
