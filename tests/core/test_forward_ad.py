"""torch.autograd.forward_ad: dual tensors and JVP rules, against PyTorch and finite
differences."""

import importlib

import numpy as np
import pytest

import gradsh
from gradsh.core.tensor import Tensor


def cases(torch):
    F = torch.nn.functional
    p = torch.tensor([1., 2., 3.])
    W = torch.tensor([[1., 2., 3.], [0.5, -1., 2.]])
    return [
        ("sin*x sum", lambda d: (d.sin() * d).sum()), ("affine", lambda d: d * 2 + 1),
        ("dot", lambda d: d @ d), ("exp mean", lambda d: d.exp().mean()),
        ("mse", lambda d: F.mse_loss(d, torch.zeros(3))),
        ("layer", lambda d: torch.tanh(W @ d + 1)),
        ("softmax", lambda d: torch.softmax(W @ d / 10, 0)),
        ("log_softmax", lambda d: F.log_softmax(d, dim=0)),
        ("pow", lambda d: d ** 2), ("rpow", lambda d: 2 ** d), ("rdiv", lambda d: 1 / d),
        ("div", lambda d: d / (d + 1)), ("sqrt", lambda d: d.sqrt()),
        ("log", lambda d: torch.log(d)), ("sigmoid", lambda d: torch.sigmoid(d)),
        ("relu", lambda d: F.relu(d - 2)), ("view t", lambda d: d.view(3, 1).t()),
        ("slice", lambda d: d[1:]), ("cat", lambda d: torch.cat([d, p])),
        ("stack", lambda d: torch.stack([d, d * 2])),
        ("expand sum", lambda d: d.view(3, 1).expand(3, 2).sum(1)), ("max", lambda d: d.max()),
        ("max dim", lambda d: d.view(1, 3).max(1)[0]),
        ("sort", lambda d: d.sort(descending=True)[0]),
        ("where", lambda d: torch.where(d > 1.5, d, p * 0)), ("abs", lambda d: (-d).abs()),
        ("rsub", lambda d: 3 - d), ("unbind", lambda d: d.unbind()[2]),
        ("double", lambda d: d.double()), ("argmax", lambda d: d.argmax()),
        ("compare", lambda d: d > 2), ("sign", lambda d: d.sign()), ("floor", lambda d: d.floor()),
        ("topk", lambda d: d.topk(2)[0]), ("pow tensor", lambda d: d ** d),
        ("iterate", lambda d: list(d)[1]), ("tanh cos", lambda d: d.tanh().cos() * d.exp()),
        ("matmul", lambda d: (d.view(3, 1) @ d.view(1, 3)).sum(0)),
    ]


def run(torch):
    fwAD = torch.autograd.forward_ad
    seen = []
    p = torch.tensor([1., 2., 3.])
    t = torch.tensor([1., 0., 0.5])
    try:
        fwAD.make_dual(p, t)
    except RuntimeError as e:
        seen.append(str(e))
    with fwAD.dual_level() as level:
        d = fwAD.make_dual(p, t)
        seen += [level, repr(d), str(d), d.requires_grad, d._base is p, d is p]
        for name, f in cases(torch):
            u = fwAD.unpack_dual(f(d))
            seen.append((name, repr(u), type(u).__name__, repr(u.primal), repr(u.tangent)))
        seen.append(repr(fwAD.unpack_dual(p)))
        seen.append(fwAD.unpack_dual(d.detach()).tangent)
        for bad in (lambda: fwAD.make_dual(p, torch.ones(2)), fwAD.dual_level().__enter__):
            try:
                bad()
            except RuntimeError as e:
                seen.append(str(e))
        out = d.exp()
    seen += [repr(out), repr(fwAD.unpack_dual(out)), repr(d)]
    return seen


def test_forward_ad_matches_pytorch():
    real = pytest.importorskip("torch", reason="PyTorch not installed: differential test skipped")
    importlib.import_module("torch.autograd.forward_ad")
    ours, theirs = run(gradsh), run(real)
    assert len(ours) == len(theirs)
    for a, b in zip(ours, theirs):
        assert a == b


def test_tangents_are_directional_derivatives():
    fwAD = gradsh.autograd.forward_ad
    rng = np.random.default_rng(0)
    x = rng.standard_normal(4)
    v = rng.standard_normal(4)
    W = gradsh.tensor(rng.standard_normal((3, 4)))

    def f(z):
        return (gradsh.tanh(W @ z) ** 2).sum() + z.sin().mean() * z[0]

    with fwAD.dual_level():
        got = fwAD.unpack_dual(f(fwAD.make_dual(gradsh.tensor(x), gradsh.tensor(v)))).tangent
    h = 1e-6
    fd = (f(gradsh.tensor(x + h * v)).item() - f(gradsh.tensor(x - h * v)).item()) / (2 * h)
    assert abs(got.item() - fd) < 1e-7


def in_place_run(torch):
    """In-place ops meeting dual tensors, as PyTorch treats them: self's tangent follows the
    write (a dual self, a plain self written with a dual value, a view of a plain base, the
    views of a written tensor, dims permuted in place, fills and random fills)."""
    fwAD = torch.autograd.forward_ad
    seen = []

    def show(*ts):
        seen.append(tuple(None if t is None else fwAD.unpack_dual(t).tangent.tolist()
                          for t in ts))

    with fwAD.dual_level():
        x = torch.tensor([1., 2., 3.], dtype=torch.float64)
        d = fwAD.make_dual(x, torch.tensor([1., 0., 0.5], dtype=torch.float64))
        d.mul_(3)
        show(d)
        assert fwAD.unpack_dual(x).tangent is None        # make_dual's base keeps none
        b = torch.zeros(2, 3, dtype=torch.float64)
        v = b[1]
        v.copy_(d)
        show(b, v)
        c = torch.ones(3, dtype=torch.float64)
        c[1:] = d[:2] * 2
        show(c)
        e = d.clone()
        f = e[0:2]
        e.add_(d)
        show(e, f)
        g = fwAD.make_dual(torch.ones(2, 3, dtype=torch.float64),
                           torch.arange(6.).reshape(2, 3).double())
        g.t_()
        show(g)
        for fill in ("uniform_", "zero_", "requires_grad_"):
            k = d.clone()
            getattr(k, fill)()
            show(k)
        k = d.clone()
        k += d * d
        k.clamp_(max=20.0)
        k.sin_()
        show(k)
        k = torch.zeros(3, dtype=torch.float64)
        k.index_add_(0, torch.tensor([0, 0, 2]), d)
        show(k)
        k = torch.zeros(3, dtype=torch.float64)
        k.masked_fill_(torch.tensor([True, False, True]), d[2])
        show(k)
        k = torch.zeros(3, dtype=torch.float64)
        k[torch.tensor([2, 0])] = d[:2]
        show(k)
    return seen


def test_in_place_ops_on_dual_tensors_follow_pytorch():
    torch = pytest.importorskip("torch", reason="PyTorch not installed: differential test skipped")
    assert in_place_run(gradsh) == in_place_run(torch)


def test_in_place_tangents_by_hand():
    # the tangent of the written value, from the derivative of each write
    seen = in_place_run(gradsh)
    t = [3., 0., 1.5]                                  # d.mul_(3): 3 * [1, 0, 0.5]
    assert seen[0] == (t,)
    assert seen[1] == ([[0.] * 3, t], t)               # b[1].copy_(d): the base's row 1
    assert seen[2] == ([0., 6., 0.],)                  # c[1:] = 2 * d[:2]
    assert seen[3] == ([6., 0., 3.], [6., 0.])         # e += d, seen through its view f
    assert seen[4] == ([[0., 3.], [1., 4.], [2., 5.]],)
    assert seen[5:8] == [([0.] * 3,), ([0.] * 3,), (t,)]


def test_nothing_stays_wrapped_after_the_level():
    before = dict(vars(Tensor))
    op = gradsh.exp
    while getattr(op, "pytorch_keywords", False):  # the op under the keyword adapter
        op = op.__wrapped__
    code, adapter_code = op.__code__, gradsh.exp.__code__
    fwAD = gradsh.autograd.forward_ad
    with fwAD.dual_level():
        fwAD.make_dual(gradsh.ones(2), gradsh.ones(2)).exp()
        assert op.__code__ is not code   # ops are the same objects, dispatching
    assert dict(vars(Tensor)) == before
    assert gradsh.exp is gradsh._api.exp and op.__code__ is code
    assert gradsh.exp.__code__ is adapter_code


def custom_function_run(torch):
    """PyTorch's "Extending torch.autograd" forward-mode pattern: jvp with save_for_forward,
    forward + setup_context, a Function without jvp, and jvp's two errors."""
    fwAD = torch.autograd.forward_ad
    seen = []

    class Fn(torch.autograd.Function):
        @staticmethod
        def forward(ctx, x, y, k):
            seen.append((fwAD.unpack_dual(x).tangent, x.requires_grad))
            ctx.save_for_forward(x, y)
            ctx.k = k
            return x * y * k, x + 1

        @staticmethod
        def jvp(ctx, gx, gy, gk):
            seen.append(repr((gx, gy, gk, ctx.saved_tensors)))
            x, y = ctx.saved_tensors
            return gx * y * ctx.k + gy * x * ctx.k, gx

    class Setup(torch.autograd.Function):
        @staticmethod
        def forward(x):
            return x.exp()

        @staticmethod
        def setup_context(ctx, inputs, output):
            ctx.save_for_forward(output)

        @staticmethod
        def jvp(ctx, g):
            r, = ctx.saved_tensors
            return g * r

    class NoJvp(torch.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            return x * 2

    class TwoForOne(torch.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            return x * 2

        @staticmethod
        def jvp(ctx, g):
            return g, g

    class Short(TwoForOne):
        @staticmethod
        def jvp(ctx, g):
            return g[:1]

    with fwAD.dual_level():
        x = fwAD.make_dual(torch.tensor([1., 2.]), torch.tensor([1., 0.5]))
        y = torch.tensor([3., 4.])
        seen += [repr(fwAD.unpack_dual(o)) for o in Fn.apply(x, y, 2.0)]
        seen.append(repr(fwAD.unpack_dual(Setup.apply(x))))
        seen.append(repr(NoJvp.apply(y)))
        for f in (NoJvp, TwoForOne, Short):
            try:
                f.apply(x)
            except (NotImplementedError, RuntimeError) as e:
                seen.append(f"{type(e).__name__}: {e}")
    return seen


def test_custom_function_jvp_matches_pytorch():
    real = pytest.importorskip("torch", reason="PyTorch not installed: differential test skipped")
    importlib.import_module("torch.autograd.forward_ad")
    assert custom_function_run(gradsh) == custom_function_run(real)


def test_primal_of_a_dual_that_requires_grad_prints_as_pytorch():
    real = pytest.importorskip("torch", reason="PyTorch not installed: differential test skipped")
    importlib.import_module("torch.autograd.forward_ad")

    def primals(torch):
        fwAD = torch.autograd.forward_ad
        x = torch.tensor([1., 2.], requires_grad=True)
        with fwAD.dual_level():
            d = fwAD.make_dual(x, torch.tensor([1., 0.5]))
            return [repr(fwAD.unpack_dual(y).primal) for y in (d, d * 2, d.exp())]

    assert primals(gradsh) == primals(real)


def test_jacfwd_refuses_random_ops_as_pytorch_vmap_does():
    x = gradsh.rand(4)
    with pytest.raises(RuntimeError, match="^vmap: called random operation while in randomness "
                                           "error mode"):
        gradsh.func.jacfwd(lambda a: gradsh.nn.functional.dropout(a))(x)
