"""The engine's rules, as PyTorch's: retain_graph, accumulation into .grad, create_graph and higher
derivatives, grad mode, autograd.grad's options, backward(inputs=...), a 100,000-op chain, and a
training loop whose memory does not grow (saved tensors are freed)."""

import gc
import math
import tracemalloc
import warnings

import numpy as np
import pytest

import gradsh
from gradsh.core import errors

FREED = errors.FREED_MESSAGE


def _live_torch():
    return pytest.importorskip("torch", reason="PyTorch not installed: differential test skipped")


# ----- retain_graph ---------------------------------------------------------------------------
def test_backward_twice_without_retain_graph_raises_the_freed_error():
    x = gradsh.ones(2, 2, requires_grad=True)
    y = (x * x).sum()
    y.backward()
    with pytest.raises(RuntimeError) as e:
        y.backward()
    assert str(e.value) == FREED
    assert "retain_graph=True" in str(e.value)


def test_nodes_that_saved_nothing_run_again_and_accumulate_again():
    x = gradsh.ones(2, 2, requires_grad=True)
    y = (x + 2).sum()
    y.backward()
    y.backward()
    assert x.grad.tolist() == [[2.0, 2.0], [2.0, 2.0]]


def test_retain_graph_keeps_saved_values_for_a_second_backward():
    x = gradsh.tensor([1.0, 2.0], requires_grad=True)
    y = (x * x).sum()
    y.backward(retain_graph=True)
    y.backward(retain_graph=True)
    y.backward()
    assert x.grad.tolist() == [6.0, 12.0]
    with pytest.raises(RuntimeError, match="second time"):
        y.backward()


def test_tutorial_retain_graph_then_backward_with_a_gradient():
    x = gradsh.ones(2, 2, requires_grad=True)
    y = x + 2
    y.backward(gradsh.ones(2, 2), retain_graph=True)
    g = gradsh.tensor([[0.5, -1.0], [2.0, 0.0]])
    y.backward(g)
    assert x.grad.tolist() == [[1.5, 0.0], [3.0, 1.0]]


# What each op saves decides whether a second backward may run (PyTorch frees saved tensors,
# index arrays and masks included; a node that saved nothing runs again).
TWICE = ["x*2", "x+2", "x.exp()", "x/2", "2/x", "x.sum()", "x.mean()", "x.view(4)", "x[0]",
         "x**2", "x.relu()", "x.t()", "x.max()", "x.abs()", "x@w", "torch.cat([x, w])", "2-x",
         "x-w", "x*w", "x.expand(2,2,2)", "x.clamp(0,1)", "x.tanh()", "x.softmax(0)", "x.norm()",
         "x.std()", "x.prod()", "torch.where(x>0.5, x, w)", "x.sum(0)", "x.max(0)[0]", "x.T",
         "torch.stack([x,w])", "x[[0,1]]", "x[x>0.5]", "x.pow(w)", "2**x", "x.cumsum(0)",
         "x.masked_fill(x>0.5, 0.)", "x.gather(0, torch.tensor([[0,1],[1,0]]))",
         "x.index_select(0, torch.tensor([1, 0]))", "x[:, [1]]", "x.split(1)[0]",
         "torch.einsum('ij,jk->ik', x, w)", "x.double()", "x.clone()"]


def _backward_twice(mod, expr):
    x = mod.tensor([[0.3, 0.6], [0.9, 0.2]], requires_grad=True)
    w = mod.tensor([[0.5, 0.7], [0.1, 0.4]], requires_grad=True)
    r = eval(expr, {"torch": mod, "x": x, "w": w})
    outcome = []
    for _ in range(2):
        try:
            r.sum().backward()
            outcome.append("ran")
        except RuntimeError as e:
            outcome.append(str(e))
    return outcome, np.round(x.grad.numpy(), 5).tolist()


@pytest.mark.parametrize("expr", TWICE)
def test_second_backward_runs_or_is_refused_as_in_pytorch(expr):
    torch = _live_torch()
    assert _backward_twice(gradsh, expr) == _backward_twice(torch, expr)


def test_autograd_grad_frees_the_graph_unless_retained():
    x = gradsh.ones(2, requires_grad=True)
    y = x.exp().sum()
    (g1,) = gradsh.autograd.grad(y, x, retain_graph=True)
    (g2,) = gradsh.autograd.grad(y, x)
    assert g1.tolist() == g2.tolist() == pytest.approx([math.e, math.e])
    with pytest.raises(RuntimeError, match="second time"):
        gradsh.autograd.grad(y, x)


def test_shared_subgraph_is_freed_by_the_first_backward():
    x = gradsh.ones(2, requires_grad=True)
    y = x.exp()
    a, b = y.sum(), y.mean()
    a.backward()
    with pytest.raises(RuntimeError, match="second time"):
        b.backward()


def test_retain_graph_defaults_to_create_graph():
    x = gradsh.tensor(2.0, requires_grad=True)
    y = x ** 3
    gradsh.autograd.grad(y, x, create_graph=True)
    (g,) = gradsh.autograd.grad(y, x)  # the graph was retained
    assert g.item() == 12.0


# ----- accumulation ---------------------------------------------------------------------------
def test_leaf_grad_is_a_new_tensor_first_then_updated_in_place():
    x = gradsh.ones(2, requires_grad=True)
    g = gradsh.tensor([1.0, 2.0])
    (x * 1).backward(g)
    assert x.grad is not g
    g.mul_(100)  # the gradient given is not aliased by .grad
    assert x.grad.tolist() == [1.0, 2.0]
    first = x.grad
    (x * 1).backward(gradsh.tensor([1.0, 2.0]))
    assert x.grad is first and first.tolist() == [2.0, 4.0]
    x.grad.zero_()
    (x * 3).sum().backward()
    assert x.grad is first and first.tolist() == [3.0, 3.0]


def test_backward_on_a_leaf_copies_the_given_gradient():
    x = gradsh.ones(2, requires_grad=True)
    g = gradsh.tensor([1.0, 2.0])
    x.backward(g)
    assert x.grad is not g and x.grad.tolist() == [1.0, 2.0]


def test_gradient_of_a_value_used_twice_is_added_not_overwritten():
    x = gradsh.tensor(3.0, requires_grad=True)
    y = x * x + x * 2 + x
    y.backward()
    assert x.grad.item() == 2 * 3.0 + 2 + 1


def test_broadcast_gradients_are_reduced_to_each_input_shape():
    a = gradsh.ones(3, 1, requires_grad=True)
    b = gradsh.ones(1, 4, requires_grad=True)
    c = gradsh.ones(4, requires_grad=True)
    s = gradsh.tensor(2.0, requires_grad=True)
    ((a + b) * c * s).sum().backward()
    assert a.grad.shape == (3, 1) and a.grad.tolist() == [[8.0]] * 3
    assert b.grad.shape == (1, 4) and b.grad.tolist() == [[6.0] * 4]
    assert c.grad.shape == (4,) and c.grad.tolist() == [12.0] * 4
    assert s.grad.shape == () and s.grad.item() == 24.0


def test_grads_have_their_leafs_dtype():
    x64 = gradsh.ones(2, dtype=gradsh.float64, requires_grad=True)
    x32 = gradsh.ones(2, requires_grad=True)
    y = x64 * x32
    assert y.dtype == gradsh.float64
    y.sum().backward()
    assert x64.grad.dtype == gradsh.float64 and x32.grad.dtype == gradsh.float32
    z = x32 * 2
    z.backward(gradsh.ones(2, dtype=gradsh.float64))
    assert x32.grad.dtype == gradsh.float32
    assert (x32.double() * 3).grad_fn.name() == "MulBackward0"


def test_accumulation_matches_live_pytorch():
    torch = _live_torch()
    out = []
    for mod in (gradsh, torch):
        x = mod.tensor([1.0, -2.0, 3.0], requires_grad=True)
        for k in range(3):
            ((x * x).sum() * (k + 1)).backward()
        x.grad.zero_()
        (x.exp() * x).sum().backward()
        out.append(x.grad.tolist())
    np.testing.assert_allclose(out[0], out[1], rtol=1e-6)


# ----- create_graph and higher derivatives ----------------------------------------------------
def test_second_and_third_derivatives_of_x_cubed():
    x = gradsh.tensor(2.0, requires_grad=True)
    y = x ** 3
    (d1,) = gradsh.autograd.grad(y, x, create_graph=True)
    (d2,) = gradsh.autograd.grad(d1, x, create_graph=True)
    (d3,) = gradsh.autograd.grad(d2, x, create_graph=True)
    assert (d1.item(), d2.item(), d3.item()) == (12.0, 12.0, 6.0)
    assert d1.grad_fn is not None and d2.grad_fn is not None
    (d4,) = gradsh.autograd.grad(d3, x, allow_unused=True)
    assert d4 is None or d4.item() == 0.0


def test_higher_derivatives_of_composed_functions():
    x = gradsh.tensor([0.3, 1.2], dtype=gradsh.float64, requires_grad=True)
    y = (x.sin() * x.exp()).sum()
    (g,) = gradsh.autograd.grad(y, x, create_graph=True)
    (h,) = gradsh.autograd.grad(g.sum(), x)
    xs = np.array([0.3, 1.2])
    # d2/dx2 [sin(x) e^x] = 2 cos(x) e^x
    np.testing.assert_allclose(h.numpy(), 2 * np.cos(xs) * np.exp(xs), rtol=1e-12)


def test_backward_with_create_graph_builds_a_differentiable_grad():
    x = gradsh.tensor(2.0, requires_grad=True)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        (x ** 3).backward(create_graph=True)
    assert [w.category for w in caught] == [UserWarning]
    assert x.grad.item() == 12.0 and x.grad.grad_fn is not None
    assert x.grad.grad_fn.name() == "torch::autograd::CopyBackwards"  # PyTorch 2.13
    (d2,) = gradsh.autograd.grad(x.grad, x)
    assert d2.item() == 12.0


def test_create_graph_matches_live_pytorch_for_gradient_penalty():
    torch = _live_torch()
    out = []
    for mod in (gradsh, torch):
        w = mod.tensor([[0.5, -1.0], [2.0, 0.25]], dtype=mod.float64, requires_grad=True)
        x = mod.tensor([[1.0, 2.0], [-1.0, 0.5]], dtype=mod.float64, requires_grad=True)
        y = (x @ w).tanh().sum()
        (gx,) = mod.autograd.grad(y, x, create_graph=True)
        (gx.pow(2).sum()).backward()
        out.append((w.grad.tolist(), x.grad.tolist()))
    np.testing.assert_allclose(out[0][0], out[1][0], rtol=1e-12)
    np.testing.assert_allclose(out[0][1], out[1][1], rtol=1e-12)


# ----- grad mode ------------------------------------------------------------------------------
def test_no_grad_enable_grad_and_set_grad_enabled_nest():
    x = gradsh.ones(2, requires_grad=True)
    assert gradsh.is_grad_enabled()
    with gradsh.no_grad():
        assert not gradsh.is_grad_enabled()
        assert not (x * 2).requires_grad and (x * 2).grad_fn is None
        with gradsh.enable_grad():
            assert gradsh.is_grad_enabled() and (x * 2).requires_grad
            with gradsh.set_grad_enabled(False):
                assert not (x * 2).requires_grad
            assert gradsh.is_grad_enabled()
        assert not gradsh.is_grad_enabled()
    assert gradsh.is_grad_enabled()


def test_grad_mode_is_restored_when_the_block_raises():
    with pytest.raises(ValueError):
        with gradsh.no_grad():
            raise ValueError
    assert gradsh.is_grad_enabled()


def test_grad_modes_as_decorators():
    @gradsh.no_grad()
    def off():
        return gradsh.is_grad_enabled()

    @gradsh.enable_grad()
    def on():
        return gradsh.is_grad_enabled()

    @gradsh.set_grad_enabled(False)
    def off2():
        return gradsh.is_grad_enabled()

    assert off() is False and gradsh.is_grad_enabled()
    with gradsh.no_grad():
        assert on() is True
        assert not gradsh.is_grad_enabled()
    assert off2() is False and gradsh.is_grad_enabled()
    assert off.__name__ == "off"


def test_set_grad_enabled_as_a_call_switches_until_switched_back():
    try:
        gradsh.set_grad_enabled(False)
        assert not gradsh.is_grad_enabled()
        assert not (gradsh.ones(1, requires_grad=True) * 2).requires_grad
    finally:
        gradsh.set_grad_enabled(True)
    assert gradsh.is_grad_enabled()


def test_leaves_created_in_no_grad_still_require_grad():
    with gradsh.no_grad():
        t = gradsh.ones(2, requires_grad=True)
        u = t * 2
    assert t.requires_grad and t.is_leaf
    assert not u.requires_grad and u.grad_fn is None and u.is_leaf


def test_inference_mode_disables_recording():
    x = gradsh.ones(2, requires_grad=True)
    with gradsh.inference_mode():
        assert not gradsh.is_grad_enabled() and not (x * 2).requires_grad
    with gradsh.inference_mode(False):
        assert gradsh.is_grad_enabled()


def test_grad_mode_objects_print_as_pytorchs():
    assert repr(gradsh.set_grad_enabled(True)) == "torch.autograd.grad_mode.set_grad_enabled(mode=True)"
    assert repr(gradsh.no_grad()).startswith("<torch.autograd.grad_mode.no_grad object at 0x")


def test_set_grad_enabled_refuses_a_non_bool():
    with pytest.raises(TypeError, match="must be bool, not str"):
        gradsh.set_grad_enabled("yes")


# ----- autograd.grad options and backward(inputs=...) -----------------------------------------
def test_autograd_grad_returns_gradients_without_touching_grad():
    x = gradsh.tensor([1.0, 2.0], requires_grad=True)
    y = gradsh.tensor([3.0, 4.0], requires_grad=True)
    gx, gy = gradsh.autograd.grad((x * y).sum(), (x, y))
    assert gx.tolist() == [3.0, 4.0] and gy.tolist() == [1.0, 2.0]
    assert x.grad is None and y.grad is None
    assert isinstance(gradsh.autograd.grad((x * y).sum(), x), tuple)


def test_autograd_grad_with_grad_outputs_weights_the_outputs():
    x = gradsh.tensor([1.0, 2.0], requires_grad=True)
    y = x * x
    (g,) = gradsh.autograd.grad(y, x, grad_outputs=gradsh.tensor([1.0, 10.0]))
    assert g.tolist() == [2.0, 40.0]
    (g,) = gradsh.autograd.grad([(x * 2).sum(), (x * 3).sum()], [x])
    assert g.tolist() == [5.0, 5.0]
    a = x * 2
    b = x * 3
    (g,) = gradsh.autograd.grad([a, b], x, grad_outputs=[gradsh.ones(2), None and 0 or gradsh.ones(2)])
    assert g.tolist() == [5.0, 5.0]


def test_autograd_grad_allow_unused():
    x = gradsh.ones(2, requires_grad=True)
    z = gradsh.ones(2, requires_grad=True)
    y = (x * 2).sum()
    with pytest.raises(RuntimeError, match="appears to not have been used in the graph"):
        gradsh.autograd.grad(y, [x, z], retain_graph=True)
    gx, gz = gradsh.autograd.grad(y, [x, z], allow_unused=True, retain_graph=True)
    assert gx.tolist() == [2.0, 2.0] and gz is None
    gx, gz = gradsh.autograd.grad(y, [x, z], materialize_grads=True)
    assert gz.tolist() == [0.0, 0.0]


def test_autograd_grad_with_respect_to_an_intermediate():
    x = gradsh.tensor([1.0, 2.0], requires_grad=True)
    h = x * 3
    y = (h * h).sum()
    (gh,) = gradsh.autograd.grad(y, h)
    assert gh.tolist() == [6.0, 12.0] and x.grad is None


def test_backward_inputs_accumulates_only_into_the_given_tensors():
    a = gradsh.ones(2, requires_grad=True)
    b = gradsh.ones(2, requires_grad=True)
    (a * b * 3).sum().backward(inputs=[a])
    assert a.grad.tolist() == [3.0, 3.0] and b.grad is None
    y = a * 2
    (y * y).sum().backward(inputs=[y])
    assert y.retains_grad and y.grad.tolist() == [4.0, 4.0]
    assert a.grad.tolist() == [3.0, 3.0]
    with pytest.raises(RuntimeError, match="cannot be empty"):
        (a * 2).sum().backward(inputs=[])


def test_backward_of_several_outputs_with_autograd_backward():
    x = gradsh.tensor([1.0, 2.0], requires_grad=True)
    gradsh.autograd.backward([x.sum(), (x * x).sum()])
    assert x.grad.tolist() == [3.0, 5.0]
    gradsh.autograd.backward([x * 1], grad_tensors=[gradsh.tensor([1.0, 0.0])])
    assert x.grad.tolist() == [4.0, 5.0]


def test_engine_rules_match_live_pytorch_on_a_diamond_graph():
    torch = _live_torch()
    out = []
    for mod in (gradsh, torch):
        x = mod.tensor([0.5, -1.5, 2.0], requires_grad=True)
        a = x.sigmoid()
        b = a * x
        c = a.exp() + b.tanh()
        d = (c * b).sum() + a.max()
        gx, ga = mod.autograd.grad(d, [x, a], retain_graph=True)
        d.backward()
        out.append((gx.tolist(), ga.tolist(), x.grad.tolist()))
    for p, q in zip(*out):
        np.testing.assert_allclose(p, q, rtol=1e-6)


# ----- scale: a long chain and a training loop ------------------------------------------------
def test_a_100000_op_chain_backpropagates():
    x = gradsh.tensor([1.0], dtype=gradsh.float64, requires_grad=True)
    h = x
    for _ in range(100_000):
        h = h * 1.00001
    h.sum().backward()
    assert x.grad.item() == pytest.approx(1.00001 ** 100_000, rel=1e-9)
    del h  # freeing a 100,000-deep graph must not overflow the stack either
    gc.collect()


def test_a_long_chain_that_uses_its_leaf_at_every_step():
    # 100,000 ops, 50,001 edges into the leaf's one AccumulateGrad node.
    x = gradsh.tensor(1.0, dtype=gradsh.float64, requires_grad=True)
    h = x
    for _ in range(50_000):
        h = h + x * 0.5
    h.backward()
    assert x.grad.item() == 1.0 + 50_000 * 0.5
    del h


def _mlp_step(params, x, t, lr=0.05):
    w1, b1, w2, b2 = params
    h = (x @ w1 + b1).relu()
    loss = ((h @ w2 + b2 - t) ** 2).mean()
    loss.backward()
    with gradsh.no_grad():
        for p in params:
            p -= lr * p.grad
            p.grad = None
    return loss.item()


def test_training_loop_of_2000_steps_does_not_grow_in_memory():
    rng = np.random.default_rng(0)
    x = gradsh.tensor(rng.standard_normal((16, 4)).astype(np.float32))
    t = gradsh.tensor(rng.standard_normal((16, 1)).astype(np.float32))
    params = [gradsh.tensor(rng.standard_normal(s).astype(np.float32) * 0.5, requires_grad=True)
              for s in ((4, 32), (32,), (32, 1), (1,))]
    first = _mlp_step(params, x, t)
    for _ in range(199):  # warm up caches (node classes, engine bookkeeping)
        _mlp_step(params, x, t)
    gc.collect()
    objects_at_200 = len(gc.get_objects())
    for _ in range(1500):
        _mlp_step(params, x, t)
    # The last 300 steps under tracemalloc (it slows every allocation down).
    gc.collect()
    tracemalloc.start()
    try:
        base = tracemalloc.get_traced_memory()[0]
        for _ in range(300):
            last = _mlp_step(params, x, t)
        gc.collect()
        grown = tracemalloc.get_traced_memory()[0] - base
    finally:
        tracemalloc.stop()
    objects_at_2000 = len(gc.get_objects())
    assert last < first  # it trained
    # A step's graph is a few kB: keeping them would show as megabytes and thousands of objects.
    assert grown < 16 * 1024, f"memory grew by {grown} bytes over 300 steps"
    assert objects_at_2000 - objects_at_200 < 100


def test_saved_tensors_are_released_after_backward_while_the_graph_lives():
    x = gradsh.ones(256, 256, requires_grad=True)
    gc.collect()
    tracemalloc.start()
    try:
        y = x.exp().exp().exp()  # each exp saves its 256 kB result
        loss = y.sum()
        del y
        before = tracemalloc.get_traced_memory()[0]
        loss.backward()
        gc.collect()
        after = tracemalloc.get_traced_memory()[0]
    finally:
        tracemalloc.stop()
    assert loss.grad_fn is not None  # the graph is still referenced
    # the three saved 256 kB results are gone (x.grad, 256 kB, was allocated)
    assert before - after > 2 * 256 * 256 * 4 - 64 * 1024


# ----- gradcheck ------------------------------------------------------------------------------
def test_gradcheck_accepts_correct_gradients_and_second_derivatives():
    x = gradsh.tensor([0.3, -1.2, 2.0], dtype=gradsh.float64, requires_grad=True)
    y = gradsh.tensor([[0.5, 1.5, -0.5]], dtype=gradsh.float64, requires_grad=True)
    assert gradsh.autograd.gradcheck(lambda a, b: (a * b).tanh().sum(0), (x, y))
    assert gradsh.autograd.gradgradcheck(lambda a: (a ** 3).sum(), (x,))


class _WrongSquare(gradsh.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return x ** 2

    @staticmethod
    def backward(ctx, g):
        (x,) = ctx.saved_tensors
        return g * x  # the derivative is 2x


def test_gradcheck_finds_a_wrong_gradient():
    x = gradsh.tensor([1.0, -2.0], dtype=gradsh.float64, requires_grad=True)
    with pytest.raises(gradsh.autograd.GradcheckError) as e:
        gradsh.autograd.gradcheck(_WrongSquare.apply, (x,))
    text = str(e.value)
    assert text.startswith("Jacobian mismatch for output 0 with respect to input 0,\nnumerical:")
    assert "tensor([[ 2.0000,  0.0000],\n        [ 0.0000, -4.0000]], dtype=torch.float64)" in text
    assert gradsh.autograd.gradcheck(_WrongSquare.apply, (x,), raise_exception=False) is False


def test_gradcheck_warns_for_single_precision_inputs():
    x = gradsh.tensor([1.0, 2.0], requires_grad=True)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        gradsh.autograd.gradcheck(lambda a: a * 2, (x,), raise_exception=False)
    assert [str(w.message).split(" requires")[0] for w in caught] == ["Input #0"]


def test_gradcheck_matches_live_pytorch_verdicts():
    torch = _live_torch()
    for mod in (gradsh, torch):
        x = mod.tensor([0.4, 1.3], dtype=mod.float64, requires_grad=True)
        assert mod.autograd.gradcheck(lambda a: (a.exp() * a.sin()).sum(), (x,))
        assert mod.autograd.gradcheck(lambda a: a.relu() * 1, (x,), eps=1e-6, atol=1e-5)


# ----- the engine's own buffers: summed in place, taken by .grad, broadcast views -------------
BIG = 70_000  # above the size where sum/mean back-propagate a broadcast view


def _run_logging_order(out):
    """Backward from out; the names of the nodes in the order they ran, and the leaves' grads."""
    log, leaves = [], []
    seen, stack = set(), [out.grad_fn]
    while stack:
        n = stack.pop()
        if n is None or n in seen:
            continue
        seen.add(n)
        if not n.next_functions:
            leaves.append(n.variable)  # an AccumulateGrad
        n.register_prehook(lambda go, n=n: log.append(n.name()))
        stack.extend(m for m, _ in n.next_functions)
    out.backward()
    return log, [t.grad.tolist() for t in leaves]


@pytest.mark.parametrize("build", [
    lambda T: (lambda x: ((x * 2).tanh() * (x + 1).exp() - x.sin()).sum())(
        T.tensor([0.5, -1.0], requires_grad=True)),
    lambda T: (lambda x, w: ((x @ w).tanh().sum(0) @ w[0] + (x * x).mean(1).sum() + w.sum()))(
        T.tensor([[1.0, 2.0], [3.0, -1.0]], requires_grad=True),
        T.tensor([[0.5, -0.5], [0.25, 1.0]], requires_grad=True)),
], ids=["branches", "matmul-and-reductions"])
def test_nodes_run_in_pytorchs_order_on_branching_graphs(build):
    torch = _live_torch()
    order, grads = _run_logging_order(build(gradsh))
    torch_order, torch_grads = _run_logging_order(build(torch))
    assert order == torch_order
    for g, tg in zip(grads, torch_grads):
        np.testing.assert_allclose(g, tg, rtol=1e-6)  # (float32 exp and tanh differ in last bits)


def test_a_gradient_summed_from_several_uses_is_right_and_owned_by_grad():
    x = gradsh.linspace(-1, 1, BIG, requires_grad=True)
    ((x * x).exp().tanh() * 3 + x).sum().backward()
    xd = x.detach().numpy().astype(np.float64)
    t = np.tanh(np.exp(xd * xd))
    expect = 3 * (1 - t * t) * np.exp(xd * xd) * 2 * xd + 1
    np.testing.assert_allclose(x.grad.numpy(), expect, rtol=2e-5, atol=2e-5)
    assert x.grad.numpy().flags.writeable and x.grad.numpy().flags.c_contiguous
    first = x.grad.clone()
    ((x * x).exp().tanh() * 3 + x).sum().backward()  # accumulates in place into .grad
    np.testing.assert_allclose(x.grad.numpy(), 2 * first.numpy(), rtol=1e-6)


def test_a_gradient_a_hook_kept_is_not_the_grad_that_later_backwards_update():
    x = gradsh.linspace(-1, 1, BIG, requires_grad=True)
    kept = []
    x.register_hook(lambda g: kept.append(g))
    for _ in range(2):
        (x * x + x).sum().backward()
    assert len(kept) == 2
    np.testing.assert_array_equal(kept[0].numpy(), kept[1].numpy())
    np.testing.assert_array_equal(x.grad.numpy(), 2 * kept[0].numpy())


def test_a_gradient_passed_to_two_inputs_is_not_summed_into_twice():
    # AddBackward0 hands the same gradient to both of its inputs; each must see it unchanged.
    a = gradsh.ones(BIG, requires_grad=True)
    b = gradsh.ones(BIG, requires_grad=True)
    y = a * 1.0
    ((y + b) + (y + b) + y).sum().backward()
    assert a.grad.numpy().min() == a.grad.numpy().max() == 3.0
    assert b.grad.numpy().min() == b.grad.numpy().max() == 2.0


@pytest.mark.parametrize("n", [3, BIG])
def test_the_gradient_of_a_sum_is_the_same_small_or_large(n):
    x = gradsh.ones(n, requires_grad=True)
    y = x * 2
    seen = []
    y.register_hook(lambda g: seen.append((g.shape, float(g.sum()))))
    y.mean().backward()
    assert seen == [((n,), pytest.approx(1.0))]
    np.testing.assert_allclose(x.grad.numpy(), np.full(n, 2.0 / n, np.float32))
    x.grad.add_(1)  # the leaf's .grad is its own writable array, not a broadcast view
    np.testing.assert_allclose(x.grad.numpy(), np.full(n, 1 + 2.0 / n, np.float32), rtol=1e-6)


def test_tanh_backward_for_large_tensors_rounds_the_bracket_once_in_both_precisions():
    """The large-tensor lanes compute g * (1 - y * y) with the bracket rounded once, as
    PyTorch's kernel does (core/fma.py): checked exactly, float32 through float64 (where 1 - y*y
    of a float32 y is exact) and float64 with fractions on a sample."""
    from fractions import Fraction
    for dt in (gradsh.float32, gradsh.float64):
        x = gradsh.linspace(-3, 3, BIG, dtype=dt, requires_grad=True)
        w = gradsh.linspace(0.5, 2, BIG, dtype=dt)
        (x.tanh() * w).sum().backward()
        r = x.detach().tanh().numpy()
        if dt is gradsh.float32:
            bracket = (1 - r.astype(np.float64) ** 2).astype(np.float32)
            np.testing.assert_array_equal(x.grad.numpy(), w.numpy() * bracket)
        else:
            at = np.arange(0, BIG, 97)
            bracket = np.array([float(1 - Fraction(float(v)) ** 2) for v in r[at]])
            np.testing.assert_array_equal(x.grad.numpy()[at], w.numpy()[at] * bracket)
        assert x.grad.dtype == dt


@pytest.mark.parametrize("n", [1, 3, BIG])
def test_a_hook_writing_into_a_sums_gradient_in_place_is_refused_as_in_pytorch(n):
    torch = _live_torch()

    def outcome(T):
        x = T.ones(n, requires_grad=True)
        y = x * 2
        y.register_hook(lambda g: g.mul_(2))
        try:
            y.sum().backward()
        except RuntimeError as e:
            return str(e)
        return x.grad[0].item()
    assert outcome(gradsh) == outcome(torch)


def test_x_times_x_gradients_are_separate_for_a_node_hook_that_writes_into_one():
    torch = _live_torch()

    def run(T):
        x = T.tensor([1.0, -2.0, 3.0], requires_grad=True)
        y = x * x
        y.grad_fn.register_hook(lambda gi, go: [gi[0].mul_(10), None][1])
        y.sum().backward()
        return x.grad.tolist()
    assert run(gradsh) == run(torch)


def test_a_root_that_is_an_ancestor_of_another_root():
    # PyTorch 2.13: autograd.grad([a, a * 2], [x]) with a = x * 2 gives 2 + 4 = 6 per element
    # (a root reached from another root was walked twice: its input never became ready)
    x = gradsh.tensor([1.0, 2.0], requires_grad=True)
    a = x * 2
    g, = gradsh.autograd.grad([a, a * 2], [x], [gradsh.ones(2), gradsh.ones(2)])
    assert g.tolist() == [6.0, 6.0]
    y = gradsh.tensor([1.0, 2.0], requires_grad=True)
    b = y * 2
    gradsh.autograd.backward([b, b * 2], [gradsh.ones(2), gradsh.ones(2)])
    assert y.grad.tolist() == [6.0, 6.0]
