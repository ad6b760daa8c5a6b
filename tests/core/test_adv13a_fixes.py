"""Fixes found by the blind adversarial programs of branch adv13a (tests/data/learner_programs/
adv13a_*.grad, issue 15: programs written after PyTorch's autograd notes, torch.func tutorials
and recipes): one test per class of difference, each against PyTorch 2.13 run here (skipped
when it is not installed)."""

import numpy as np
import pytest

import gradsh


def _torch():
    return pytest.importorskip("torch", reason="PyTorch is the oracle of this test")


def _inputs(lib, shapes):
    """Tensors requiring grad, told apart by their first value (1.1, 2.1, 3.1...)."""
    out = []
    for k, shape in enumerate(shapes):
        n = 1
        for s in shape:
            n *= s
        t = lib.arange(1.0, n + 1, dtype=lib.float64).reshape(shape) * 0.1 + k + 1
        out.append(t.requires_grad_())
    return out


def _tag(t):
    return (tuple(t.shape), round(float(t.reshape(-1)[0]), 6))


# the ops whose saved inputs PyTorch packs in another order than their parameters: op ->
# (its input shapes, how it is called)
PACK_ORDER = {
    "mm": ([(2, 3), (3, 2)], lambda L, a, b: L.mm(a, b)),
    "bmm": ([(1, 2, 3), (1, 3, 2)], lambda L, a, b: L.bmm(a, b)),
    "matmul_3d_2d": ([(2, 2, 3), (3, 2)], lambda L, a, b: L.matmul(a, b)),
    "mv": ([(2, 3), (3,)], lambda L, a, b: L.mv(a, b)),
    "mul": ([(2,), (2,)], lambda L, a, b: a * b),
    "div": ([(2,), (2,)], lambda L, a, b: a / b),
    "pow": ([(2,), (2,)], lambda L, a, b: a ** b),
    "float_power": ([(2,), (2,)], lambda L, a, b: L.float_power(a, b)),
    "atan2": ([(2,), (2,)], lambda L, a, b: L.atan2(a, b)),
    "maximum": ([(2,), (2,)], lambda L, a, b: L.maximum(a, b)),
    "minimum": ([(2,), (2,)], lambda L, a, b: L.minimum(a, b)),
    "fmax": ([(2,), (2,)], lambda L, a, b: L.fmax(a, b)),
    "fmin": ([(2,), (2,)], lambda L, a, b: L.fmin(a, b)),
    "hypot": ([(2,), (2,)], lambda L, a, b: L.hypot(a, b)),
    "xlogy": ([(2,), (2,)], lambda L, a, b: L.xlogy(a, b)),
    "logaddexp": ([(2,), (2,)], lambda L, a, b: L.logaddexp(a, b)),
    "logaddexp2": ([(2,), (2,)], lambda L, a, b: L.logaddexp2(a, b)),
    "remainder": ([(2,), (2,)], lambda L, a, b: L.remainder(a, b)),
    "fmod": ([(2,), (2,)], lambda L, a, b: L.fmod(a, b)),
    "dist": ([(3,), (3,)], lambda L, a, b: L.dist(a, b)),
    "lerp": ([(2,), (2,), (2,)], lambda L, a, b, c: L.lerp(a, b, c)),
    "clamp": ([(3,), (3,), (3,)], lambda L, a, b, c: a.clamp(min=b, max=c)),
    "clamp_max": ([(3,), (3,)], lambda L, a, c: a.clamp(max=c)),
    "gather": ([(3,)], lambda L, a: a.gather(0, L.tensor([0, 2]))),
}


def _hooked_run(lib, name):
    shapes, call = PACK_ORDER[name]
    packed, unpacked = [], []

    def pack(t):
        packed.append(_tag(t))
        return t

    def unpack(t):
        unpacked.append(_tag(t))
        return t

    with lib.autograd.graph.saved_tensors_hooks(pack, unpack):
        out = call(lib, *_inputs(lib, shapes))
    out.sum().backward()
    return packed, unpacked


@pytest.mark.parametrize("name", sorted(PACK_ORDER))
def test_saved_tensor_hooks_pack_and_unpack_in_pytorchs_order(name):
    torch = _torch()
    assert _hooked_run(gradsh, name) == _hooked_run(torch, name)


def _freed_and_bad_hooks(lib):
    x = lib.tensor([3.0], requires_grad=True)
    z = x.exp()
    raw = z.grad_fn._raw_saved_result
    seen = []
    for args in [(1, lambda t: t), (lambda t: t,), ("a", "b")]:
        try:
            raw.register_hooks(*args)
        except TypeError as e:
            seen.append(("TypeError", str(e).splitlines()[:2]))
    z.backward()
    try:
        raw.register_hooks(lambda t: t, lambda t: t)
    except RuntimeError as e:
        seen.append(("RuntimeError", str(e)))
    return seen


def test_saved_tensor_register_hooks_checks_callables_then_freed():
    torch = _torch()
    assert _freed_and_bad_hooks(gradsh) == _freed_and_bad_hooks(torch)


def _dirty_without_history(lib):
    class AddOne(lib.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            x.add_(1)
            ctx.mark_dirty(x)
            return x

        @staticmethod
        def backward(ctx, g):
            return g

    d = lib.ones(2)
    out = [AddOne.apply(d) is d, d._version]
    r = lib.ones(2, requires_grad=True)
    with lib.no_grad():
        w = r * 1
        out += [AddOne.apply(w) is w, w._version, AddOne.apply(r) is r, r._version]
    return out


def test_mark_dirty_output_without_history_is_the_input_itself():
    torch = _torch()
    assert _dirty_without_history(gradsh) == _dirty_without_history(torch)


VMAP_IN_DIMS = [((0,), None), ((0,), 0.5), ((0,), [0]), ((0,), "x"), ((0,), (0.5,)),
                ((0,), (None,)), ((0,), ([0],)), ((0,), ({"a": 0},)),
                ("pair", (0, {"k": 0})), ("none", 0)]


def _vmap_error(lib, args_kind, in_dims):
    a = lib.ones(3, 2)
    args = {(0,): (a,), "pair": ([a, a], {"k": a, "j": [a]}), "none": ()}[args_kind]
    try:
        lib.func.vmap(lambda *x: x[0], in_dims=in_dims)(*args)
    except (ValueError, TypeError) as e:
        return type(e).__name__, str(e)
    return None


@pytest.mark.parametrize("args_kind, in_dims", VMAP_IN_DIMS)
def test_vmap_refuses_in_dims_as_pytorch(args_kind, in_dims):
    torch = _torch()
    assert _vmap_error(gradsh, args_kind, in_dims) == _vmap_error(torch, args_kind, in_dims)


def _cublas_flags(lib):
    m = lib.backends.cuda.matmul
    seen = [m.allow_tf32, m.allow_fp16_reduced_precision_reduction,
            m.allow_bf16_reduced_precision_reduction]
    lib.set_float32_matmul_precision("medium")
    seen.append(m.allow_tf32)
    lib.set_float32_matmul_precision("highest")
    seen.append(m.allow_tf32)
    m.allow_tf32 = True
    seen.append(lib.get_float32_matmul_precision())
    m.allow_tf32 = False
    seen.append(lib.get_float32_matmul_precision())
    for name, value in [("allow_tf32", 1), ("allow_fp16_reduced_precision_reduction", "x"),
                        ("nope", True)]:
        try:
            setattr(m, name, value)
        except (RuntimeError, TypeError, AttributeError) as e:
            seen.append((type(e).__name__, str(e)))
    m.allow_fp16_reduced_precision_reduction = False
    seen.append(m.allow_fp16_reduced_precision_reduction)
    m.allow_fp16_reduced_precision_reduction = True
    lib.set_float32_matmul_precision("highest")
    return seen


def test_cuda_matmul_flags_read_and_set_as_in_a_cpu_build():
    torch = _torch()
    assert _cublas_flags(gradsh) == _cublas_flags(torch)


def _multi_grad_hooks(lib):
    a = lib.tensor([1.0, 2.0], requires_grad=True)
    b = lib.tensor([3.0], requires_grad=True)
    c = lib.tensor([5.0], requires_grad=True)
    seen = []
    h = lib.autograd.graph.register_multi_grad_hook(
        (a, b, c), lambda gs: seen.append([None if g is None else g.tolist() for g in gs]))
    (a.sum() * b).sum().backward()
    (a * 2).sum().backward()
    h.remove()
    (a * 2).sum().backward()
    h = lib.autograd.graph.register_multi_grad_hook((a, b), lambda g: seen.append(g.tolist()),
                                                    mode="any")
    (a.sum() * b).sum().backward()
    (b * 4).sum().backward()
    h.remove()
    try:
        lib.autograd.graph.register_multi_grad_hook((a,), print, mode="some")
    except ValueError as e:
        seen.append(str(e))
    return seen


def test_register_multi_grad_hook_all_and_any():
    torch = _torch()
    assert _multi_grad_hooks(gradsh) == _multi_grad_hooks(torch)


def _gradient_edges(lib):
    x = lib.tensor([1.0, 2.0], dtype=lib.float64, requires_grad=True)
    y = x * 3
    z = y.exp() * y
    edge = lib.autograd.graph.get_gradient_edge(y)
    (g,) = lib.autograd.grad(z.sum(), edge, retain_graph=True)
    (gx,) = lib.autograd.grad(z.sum(), lib.autograd.graph.get_gradient_edge(x))
    seen = [type(edge.node).__name__, edge.output_nr, g.tolist(), gx.tolist()]
    try:
        lib.autograd.graph.get_gradient_edge(lib.ones(2))
    except RuntimeError as e:
        seen.append(str(e))
    return seen


def test_gradient_edges_as_inputs_of_grad():
    torch = _torch()
    assert _gradient_edges(gradsh) == _gradient_edges(torch)


def _mutation_allowed(lib):
    x = lib.tensor([1.0, 2.0, 3.0], dtype=lib.float64, requires_grad=True)
    seen = []
    with lib.autograd.graph.allow_mutation_on_saved_tensors() as ctx:
        seen.append(type(ctx).__name__)
        y = x.clone()
        z = y.sin() * y.exp()
        y.mul_(10)
        z.sum().backward()
        seen.append(x.grad.tolist())
        try:
            with lib.autograd.graph.allow_mutation_on_saved_tensors():
                pass
        except RuntimeError as e:
            seen.append(str(e))
        w = x.pow(3)
    try:
        w.sum().backward()
    except AssertionError as e:
        seen.append(str(e))
    return seen


def test_allow_mutation_on_saved_tensors_uses_the_saved_values():
    torch = _torch()
    assert _mutation_allowed(gradsh) == _mutation_allowed(torch)


def _weights_requiring_grad(lib):
    F = lib.nn.functional
    x = lib.full((2, 3), 0.3, dtype=lib.float64, requires_grad=True)
    probs = lib.full((2, 3), 0.5, dtype=lib.float64)
    w = lib.ones(3, dtype=lib.float64, requires_grad=True)
    calls = [
        lambda: F.binary_cross_entropy(lib.sigmoid(x), probs, weight=w),
        lambda: F.binary_cross_entropy_with_logits(x, probs, weight=w),
        lambda: F.binary_cross_entropy_with_logits(x, probs, pos_weight=w),
        lambda: F.nll_loss(x, lib.tensor([0, 2]), weight=w),
        lambda: F.cross_entropy(x.detach(), lib.tensor([0, 2]), weight=w),
        lambda: F.nll_loss(lib.ones(2, 3, 2, requires_grad=True), lib.zeros(2, 2, dtype=lib.long),
                           weight=lib.ones(3, requires_grad=True)),
        lambda: F.nll_loss(x, lib.tensor([0, 2]), weight=lib.ones(4, requires_grad=True)),
        lambda: F.cross_entropy(x, probs, weight=w),  # class probabilities: differentiable
    ]
    seen = []
    for call in calls:
        try:
            seen.append(type(call().grad_fn).__name__)
        except RuntimeError as e:
            seen.append(str(e))
    with lib.no_grad():
        seen.append(float(F.nll_loss(x, lib.tensor([0, 2]), weight=w)))
    return seen


def test_loss_weights_requiring_grad_are_refused_as_pytorch():
    torch = _torch()
    assert _weights_requiring_grad(gradsh) == _weights_requiring_grad(torch)


def _batch_norm_patched(lib):
    lib.manual_seed(0)
    net = lib.nn.Sequential(lib.nn.Linear(2, 2), lib.nn.BatchNorm1d(2),
                            lib.nn.Sequential(lib.nn.BatchNorm2d(3)))
    same = lib.func.replace_all_batch_norm_modules_(net) is net
    bn = net[1]
    x = lib.tensor([[1.0, 2.0], [3.0, 5.0]], dtype=lib.float64)
    bn.double().eval()
    return [same, bn.running_mean, bn.running_var, bn.num_batches_tracked,
            bn.track_running_stats, net[2][0].track_running_stats, sorted(net.state_dict()),
            bn(x).tolist()]


def test_replace_all_batch_norm_modules_patches_in_place():
    torch = _torch()
    assert _batch_norm_patched(gradsh) == _batch_norm_patched(torch)


def _multithreading(lib):
    A = lib.autograd
    seen = [A.is_multithreading_enabled()]
    with A.set_multithreading_enabled(False):
        seen.append(A.is_multithreading_enabled())
    seen.append(A.is_multithreading_enabled())
    try:
        A.set_multithreading_enabled("x")
    except TypeError as e:
        seen.append(str(e))
    return seen


def test_set_multithreading_enabled_as_a_context():
    torch = _torch()
    assert _multithreading(gradsh) == _multithreading(torch)


def _hvp_of_parameter_dict(lib):
    lib.manual_seed(0)
    net = lib.nn.Sequential(lib.nn.Linear(2, 3), lib.nn.Tanh(), lib.nn.Linear(3, 1)).double()
    x = lib.tensor([[0.5, -1.0], [1.5, 0.25]], dtype=lib.float64)
    y = lib.tensor([[1.0], [0.0]], dtype=lib.float64)
    params = {k: v.detach() for k, v in net.named_parameters()}
    v = {k: lib.ones_like(p) for k, p in params.items()}

    def loss(p):
        return ((lib.func.functional_call(net, p, (x,)) - y) ** 2).mean()
    _, hv = lib.func.jvp(lib.func.grad(loss), (params,), (v,))
    return {k: t.tolist() for k, t in hv.items()}


def test_jvp_of_grad_over_a_parameter_dict():
    torch = _torch()
    ours, theirs = _hvp_of_parameter_dict(gradsh), _hvp_of_parameter_dict(torch)
    assert ours.keys() == theirs.keys()
    for k in ours:
        assert np.allclose(ours[k], theirs[k], rtol=1e-12, atol=1e-14), k
