"""Fixes found by the adversarial autograd-engine programs of branch adv4a
(tests/data/learner_programs/adv4a_*.grad, issue 15): one test per class of difference.
Expected values are PyTorch 2.13's (run here when it is installed, or quoted from running it)
or mathematics."""

import importlib
import math

import numpy as np
import pytest

import gradsh
import gradsh.autograd.forward_ad as fwAD


def _torch():
    return pytest.importorskip("torch", reason="PyTorch is the oracle of this test")


# ----- make_dual's checks -----------------------------------------------------------------------
@pytest.mark.parametrize("primal, tangent, kw, kind, message", [
    ("float32", "int64", {}, ValueError,
     "Expected tangent to be floating point or complex, but got: torch.int64"),
    ("float32", "bool", {}, ValueError,
     "Expected tangent to be floating point or complex, but got: torch.bool"),
    # the primal is checked before the tangent, and both before the size (PyTorch 2.13:
    # make_dual(int64[2], int64[3]) names the primal)
    ("int64", "int64", {"size": 3}, ValueError,
     "Expected primal to be floating point or complex, but got: torch.int64"),
    ("float32", "float32", {"level": 1}, RuntimeError, "Invalid level given to _make_dual"),
    ("float32", "float32", {"level": -1}, RuntimeError,
     "Trying to create a dual Tensor for forward AD but no level exists, make sure to "
     "enter_dual_level() first."),
])
def test_make_dual_checks_dtypes_then_the_level(primal, tangent, kw, kind, message):
    size = kw.pop("size", 2)
    with fwAD.dual_level():
        with pytest.raises(kind) as e:
            fwAD.make_dual(gradsh.ones(2, dtype=getattr(gradsh, primal)),
                           gradsh.ones(size, dtype=getattr(gradsh, tangent)), **kw)
    assert str(e.value) == message


def test_make_dual_at_the_current_level_is_accepted():
    with fwAD.dual_level() as level:
        d = fwAD.make_dual(gradsh.ones(2), gradsh.tensor([1.0, 2.0]), level=level)
        assert fwAD.unpack_dual(d).tangent.tolist() == [1.0, 2.0]


# ----- forward-AD tangents where an op cuts them off: +0, not -0 ---------------------------------
CUT_OFF = {
    "relu": lambda m, t: m.relu(t),
    "clamp": lambda m, t: t.clamp(-0.6, 1.0),
    "clamp_max": lambda m, t: t.clamp(max=0.0),
    "sign": lambda m, t: t.sign(),
    "floor": lambda m, t: t.floor(),
    "round": lambda m, t: t.round(),
}


@pytest.mark.parametrize("name", sorted(CUT_OFF))
def test_forward_tangent_signs_of_zero_match_pytorch(name):
    torch = _torch()
    import torch.autograd.forward_ad as tfw
    xs = [-2.0, -0.5, 0.0, 0.5, 2.0, math.nan]

    def tangent(m, fw):
        with fw.dual_level():
            x = m.tensor(xs, dtype=m.float64)
            y = CUT_OFF[name](m, fw.make_dual(x, -m.ones(6, dtype=m.float64)))
            return np.array(fw.unpack_dual(y).tangent.tolist())

    want, got = tangent(torch, tfw), tangent(gradsh, fwAD)
    np.testing.assert_array_equal(got, want)
    assert np.signbit(got).tolist() == np.signbit(want).tolist()


# ----- node hooks ------------------------------------------------------------------------------
def test_a_node_prehook_cannot_give_a_gradient_where_there_was_none():
    x = gradsh.ones(3, requires_grad=True)
    u = x.unbind()
    u[0].grad_fn.register_prehook(lambda go: tuple(gradsh.ones(()) for _ in go))
    with pytest.raises(RuntimeError) as e:
        (u[0] * 2).backward()
    assert str(e.value) == "can't replace a None gradient with a non-None value"


def test_a_node_hook_cannot_give_a_gradient_to_an_input_without_one():
    x = gradsh.tensor([1.0, 2.0], requires_grad=True)
    y = x * 2                       # MulBackward0: (x's gradient, None for the number)
    y.grad_fn.register_hook(lambda gi, go: (gi[0], gi[0]))
    with pytest.raises(RuntimeError) as e:
        y.sum().backward()
    assert str(e.value) == "can't replace a None gradient with a non-None value"


# ----- in-place view changes (t_, transpose_, squeeze_, unsqueeze_) of views -------------------
def _restride_cases(m):
    def squeeze_view():
        x = m.tensor([1.0, 2.0, 3.0, 4.0], requires_grad=True)
        b = x * 1
        d = b.unsqueeze(1)
        d.squeeze_(1)
        (d * m.tensor([1.0, 2, 3, 4])).sum().backward()
        return d.grad_fn.name(), d._base is b, tuple(d.shape), x.grad.tolist()

    def t_view():
        x = m.tensor([[1.0, 2.0], [3.0, 4.0]], requires_grad=True)
        v = (x * 1)[0:2]
        v.t_()
        (v * m.tensor([[1.0, 2], [3, 4]])).sum().backward()
        return v.grad_fn.name(), v.tolist(), x.grad.tolist()

    def transpose_then_write():
        x = m.tensor([[1.0, 2.0], [3.0, 4.0]], requires_grad=True)
        b = x * 1
        v = b[0:2]
        v.transpose_(0, 1)
        v[0, 1] = 100.0
        (b * m.tensor([[1.0, 2], [3, 4]])).sum().backward()
        return b.tolist(), v.grad_fn.name(), b.grad_fn.name(), x.grad.tolist()

    def unsqueeze_then_base_changes():
        x = m.tensor([[1.0, 2.0], [3.0, 4.0]], requires_grad=True)
        b = x * 1
        v = b.view(4)
        v.unsqueeze_(0)
        b.mul_(2)
        (v * m.arange(4.0)).sum().backward()
        return v.grad_fn.name(), tuple(v.shape), x.grad.tolist()

    def leaf_error_first():
        x = m.ones(3, requires_grad=True)
        x.unsqueeze(0)              # x has a view
        try:
            x.unsqueeze_(0)
        except RuntimeError as e:
            return str(e)

    return [squeeze_view, t_view, transpose_then_write, unsqueeze_then_base_changes,
            leaf_error_first]


@pytest.mark.parametrize("i", range(5))
def test_in_place_view_changes_of_a_view_match_pytorch(i):
    torch = _torch()
    assert _restride_cases(gradsh)[i]() == _restride_cases(torch)[i]()


def test_in_place_view_change_of_a_tensor_with_views_is_still_refused():
    b = gradsh.ones(2, 2, requires_grad=True) * 1
    b.view(4)
    with pytest.raises(NotImplementedError, match="has no views; use t"):
        b.t_()


# ----- torch.func: output trees, argnums=() and non-tensor outputs ----------------------------
def _tree_cases(m):
    F = importlib.import_module(m.__name__ + ".func")
    x = m.tensor([0.0, 1.0])
    tree = lambda a: {"s": a.exp(), "l": [a * 2, (a.sum(),)]}   # noqa: E731

    def flat(v):
        if isinstance(v, dict):
            return {k: flat(w) for k, w in v.items()}
        if isinstance(v, (list, tuple)):
            return (type(v).__name__, [flat(w) for w in v])
        return v.tolist()
    return [
        lambda: flat(F.jacrev(tree)(x)),
        lambda: flat(F.jacfwd(tree)(x)),
        lambda: flat(F.jacrev(lambda a: [a.exp()])(x)),
        lambda: flat(F.jacfwd(lambda a: ({"s": a.exp()}, [a]), has_aux=True)(x)),
        lambda: flat(F.vjp(tree, x)[1]({"s": m.ones(2), "l": [m.ones(2), (m.tensor(1.0),)]})),
        lambda: flat(F.jvp(tree, (x,), (m.ones(2),))),
        lambda: flat(F.jvp(lambda a: [a.exp()], (x,), (m.ones(2),))),
        # input trees: the Jacobian with respect to each leaf, in its place
        lambda: flat(F.jacfwd(lambda d: d["a"] * d["b"][0])({"a": x, "b": [x + 1]})),
        lambda: flat(F.jacrev(lambda d, y: (d["a"] * y).sum(), argnums=(0, 1))({"a": x}, x)),
        lambda: flat(F.hessian(lambda d: (d["a"] ** 3).sum())({"a": x})),
    ]


@pytest.mark.parametrize("i", range(10))
def test_func_transforms_keep_the_output_tree(i):
    torch = _torch()
    assert _tree_cases(gradsh)[i]() == _tree_cases(torch)[i]()


@pytest.mark.parametrize("call, message", [
    (lambda F, x: F.jacrev(lambda a: a, argnums=())(x), "argnums must be non-empty"),
    (lambda F, x: F.grad(lambda a: a.sum(), argnums=())(x), "argnums must be non-empty"),
    (lambda F, x: F.jacrev(lambda a: 3)(x),
     "vjp(f, *primals): expected f(*primals) to return only tensors, got unsupported type "
     "<class 'int'>"),
    (lambda F, x: F.jacfwd(lambda a: (a, "s"))(x),
     "jvp(f, primals, tangents): expected f(*primals) to return only tensors, got unsupported "
     "type <class 'str'>"),
])
def test_func_transforms_errors(call, message):
    with pytest.raises(RuntimeError) as e:
        call(gradsh.func, gradsh.tensor([0.0, 1.0]))
    assert str(e.value) == message


# ----- views made before their base required grad ------------------------------------------------
def _late_view_cases(m):
    def flags_and_dropped_gradient():
        p = m.ones(3)
        pv = p[:2]
        p.requires_grad_()
        flags = (pv.requires_grad, pv.is_leaf, pv.grad_fn is None)
        (pv * 2).sum().backward()
        return flags, p.grad, pv.grad

    def in_place_on_it():
        q = m.ones(2)
        qv = q[:1]
        q.requires_grad = True
        try:
            qv.add_(1)
        except RuntimeError as e:
            return str(e)

    def base_back_to_no_grad():
        q = m.ones(2)
        qv = q[:1]
        q.requires_grad_()
        q.requires_grad_(False)
        return qv.requires_grad

    def explicit_leaf_view_keeps_its_gradient():
        w = m.ones(2)
        wv = w.view(2, 1)
        wv.requires_grad_()
        (wv * 3).sum().backward()
        return wv.requires_grad, w.requires_grad, wv.grad.tolist()

    return [flags_and_dropped_gradient, in_place_on_it, base_back_to_no_grad,
            explicit_leaf_view_keeps_its_gradient]


@pytest.mark.parametrize("i", range(4))
def test_views_follow_their_base_requires_grad_as_pytorch(i):
    torch = _torch()
    assert _late_view_cases(gradsh)[i]() == _late_view_cases(torch)[i]()


# ----- global module hooks (torch.nn.modules.module) ---------------------------------------------
def _global_hook_log(m):
    M = importlib.import_module(m.__name__ + ".nn.modules.module")
    nn = m.nn
    m.manual_seed(0)
    net = nn.Sequential(nn.Linear(2, 2), nn.Tanh())
    log = []
    handles = [
        M.register_module_forward_pre_hook(lambda mod, a: log.append(("pre", type(mod).__name__))),
        M.register_module_forward_hook(
            lambda mod, a, k, o: log.append(("fwd", type(mod).__name__)), with_kwargs=True),
        M.register_module_full_backward_pre_hook(
            lambda mod, go: log.append(("bpre", type(mod).__name__))),
        M.register_module_full_backward_hook(
            lambda mod, gi, go: log.append(("bwd", type(mod).__name__))),
    ]
    net[0].register_forward_hook(lambda mod, a, o: log.append(("own fwd",)))
    net[0].register_full_backward_hook(lambda mod, gi, go: log.append(("own bwd",)))
    try:
        net(m.ones(1, 2, requires_grad=True)).sum().backward()
    finally:
        for h in handles:
            h.remove()
    net(m.ones(1, 2)).sum()
    return log, M.Module is nn.Module, m.nn.modules.Linear is nn.Linear


def test_global_module_hooks_run_before_each_modules_own_as_pytorch():
    torch = _torch()
    assert _global_hook_log(gradsh) == _global_hook_log(torch)


# ----- forward AD of clamp with tensor bounds, and of maximum/minimum/fmax/fmin/max(a, b) --------
def _bound_cases(m, fw):
    x = m.tensor([-2.0, 0.0, 2.0, 1.0, 0.5, math.nan], dtype=m.float64)
    lo = m.tensor([0.0, 0.0, 0.0, 0.0, 0.7, 0.0], dtype=m.float64)
    hi = m.ones(6, dtype=m.float64)
    n = -m.ones(6, dtype=m.float64)

    def X():
        return fw.make_dual(x, n)

    def L():
        return fw.make_dual(lo, n * 3)

    def H():
        return fw.make_dual(hi, n * 5)
    return [
        lambda: m.clamp(X(), lo, hi), lambda: m.clamp(X(), None, hi), lambda: m.clamp(X(), lo),
        lambda: m.clamp(x, L(), hi), lambda: m.clamp(x, lo, H()), lambda: m.clamp(X(), L(), H()),
        lambda: m.clamp(x, L()), lambda: m.clamp(x, max=H()), lambda: X().clamp_min(lo),
        lambda: X().clip(lo[:1], hi[:1]), lambda: m.clamp(X(), 0.0, 1.0),
        lambda: X().clamp(max=0.5), lambda: m.max(X(), lo), lambda: X().min(other=hi),
        lambda: m.maximum(lo, X()), lambda: m.minimum(X(), H()), lambda: m.fmax(X(), lo),
        lambda: m.fmin(lo, X()),
    ]


@pytest.mark.parametrize("i", range(18))
def test_forward_tangents_of_bounded_ops_match_pytorch(i):
    torch = _torch()
    import torch.autograd.forward_ad as tfw

    def tangent(m, fw):
        with fw.dual_level():
            t = fw.unpack_dual(_bound_cases(m, fw)[i]()).tangent
            return np.array(t.tolist())
    want, got = tangent(torch, tfw), tangent(gradsh, fwAD)
    np.testing.assert_array_equal(got, want)
    assert np.signbit(got).tolist() == np.signbit(want).tolist()


# ----- hooks on outputs of multi-output nodes that get no gradient -------------------------------
def _multi_output_hook_cases(m):
    def split_piece():
        seen = []
        x = m.arange(6.0, requires_grad=True)
        p = x.split(3)
        p[1].register_hook(lambda g: seen.append(g))
        p[0].sum().backward()
        return seen, x.grad.tolist()

    def unbind_retained():
        seen = []
        x = m.arange(3.0, requires_grad=True)
        u = x.unbind()
        u[2].retain_grad()
        u[2].register_hook(lambda g: seen.append(g))
        u[0].backward()
        return seen, u[2].grad, x.grad.tolist()

    def replacing_none():
        x = m.arange(6.0, requires_grad=True)
        p = x.chunk(2)
        p[1].register_hook(lambda g: m.ones(3))
        try:
            p[0].sum().backward()
        except RuntimeError as e:
            return str(e)
    return [split_piece, unbind_retained, replacing_none]


@pytest.mark.parametrize("i", range(3))
def test_hooks_of_an_output_without_gradient_see_none_as_pytorch(i):
    torch = _torch()
    assert _multi_output_hook_cases(gradsh)[i]() == _multi_output_hook_cases(torch)[i]()


# ----- vmap: randomness modes, custom Functions without a vmap rule ------------------------------
def test_vmap_refuses_random_ops_by_default_and_checks_the_mode():
    F = gradsh.func
    with pytest.raises(RuntimeError) as e:
        F.vmap(lambda r: r + gradsh.rand(2))(gradsh.ones(3, 2))
    assert str(e.value).startswith("vmap: called random operation while in randomness error mode")
    with pytest.raises(RuntimeError) as e:
        F.vmap(lambda r: r, randomness="bogus")
    assert str(e.value) == ("Only allowed values for randomness are 'error', 'different', or "
                            "'same'. Got bogus")
    gradsh.manual_seed(0)
    same = F.vmap(lambda r: r + gradsh.rand(()), randomness="same")(gradsh.zeros(3))
    assert len(set(same.tolist())) == 1
    different = F.vmap(lambda r: r + gradsh.rand(()), randomness="different")(gradsh.zeros(3))
    assert len(set(different.tolist())) == 3


def test_vmap_of_a_custom_function_needs_a_vmap_rule():
    class NoRule(gradsh.autograd.Function):
        @staticmethod
        def forward(x):
            return x * 2

        @staticmethod
        def setup_context(ctx, inputs, output):
            pass

        @staticmethod
        def backward(ctx, g):
            return g * 2

    class Generated(NoRule):
        generate_vmap_rule = True

    with pytest.raises(RuntimeError) as e:
        gradsh.func.vmap(NoRule.apply)(gradsh.ones(2))
    assert str(e.value).startswith("You tried to vmap over NoRule, but it does not have vmap "
                                   "support.")
    assert gradsh.func.vmap(Generated.apply)(gradsh.ones(2)).tolist() == [2.0, 2.0]


# ----- embedding's double backward ---------------------------------------------------------------
@pytest.mark.parametrize("kw", [{}, {"padding_idx": 2}, {"scale_grad_by_freq": True},
                                {"padding_idx": 0, "scale_grad_by_freq": True}])
def test_embedding_double_backward_matches_pytorch(kw):
    torch = _torch()

    def run(m):
        emb = m.tensor([[1.0, -2.0], [0.5, 3.0], [2.0, 1.0], [-1.0, 0.25]], dtype=m.float64,
                       requires_grad=True)
        e = m.nn.functional.embedding(m.tensor([[0, 2], [0, 3]]), emb, **kw)
        g, = m.autograd.grad((e ** 3).sum(), emb, create_graph=True)
        h, = m.autograd.grad((g ** 2).sum(), emb, create_graph=True)
        return g.grad_fn.name(), h.grad_fn.name(), h.tolist(), \
            m.autograd.grad(h.sum(), emb)[0].tolist()
    got, want = run(gradsh), run(torch)
    assert got[:2] == want[:2]
    np.testing.assert_allclose(got[2:], want[2:], rtol=1e-12)
