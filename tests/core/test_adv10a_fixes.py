"""Fixes found by the programs of learners after the autograd tutorial (branch adv10a,
tests/data/learner_programs/adv10a_*.grad: makemore / "becoming a backprop ninja" and d2l.ai's
chapters): one test per class of difference. Expected values are mathematics or PyTorch 2.13's
(run here when it is installed)."""

from fractions import Fraction

import numpy as np
import pytest

import gradsh
from gradsh.core.fma import one_minus_square


def _torch():
    return pytest.importorskip("torch", reason="PyTorch is the oracle of this test")


def _exact_one_minus_square(r, dtype):
    """1 - r*r of each value computed exactly, rounded once to dtype (what an FMA gives)."""
    return np.array([float(1 - Fraction(float(v)) ** 2) for v in r.ravel()],
                    np.float64).astype(dtype).reshape(r.shape)


# ----- tanh's gradient: g * (1 - y*y) with the bracket rounded once ----------------------------
# (the ninja exercise compares (1 - h**2) * dh with h.grad: PyTorch's kernel fuses the bracket)
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_one_minus_square_is_rounded_once(dtype):
    rng = np.random.default_rng(0)
    r = np.tanh(rng.standard_normal(2000) * 3).astype(dtype)
    r = np.concatenate([r, np.array([0.0, -0.0, 1.0, -1.0, 0.9999999, 1e-30], dtype)])
    got = one_minus_square(r)
    assert got.dtype == dtype
    assert np.array_equal(got, _exact_one_minus_square(r, dtype))
    assert not np.array_equal(got, (1 - r * r).astype(dtype))  # the plain formula loses bits


@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("n", [5, 300, 70000])  # a scalar tail, a small array, the spare lane
def test_tanh_gradient_uses_the_fused_bracket(dtype, n):
    rng = np.random.default_rng(n)
    x = gradsh.tensor(rng.standard_normal(n) * 2, dtype=getattr(gradsh, dtype), requires_grad=True)
    g = rng.standard_normal(n).astype(dtype)
    y = gradsh.tanh(x)
    y.backward(gradsh.tensor(g))
    r = y.detach().numpy()
    assert np.array_equal(x.grad.numpy(), g * _exact_one_minus_square(r, np.dtype(dtype)))


def test_tanh_gradient_matches_pytorch_where_the_forward_does():
    torch = _torch()
    for dtype in ("float32", "float64"):
        gen = torch.Generator().manual_seed(1)
        y0 = torch.tanh(torch.randn(4000, dtype=getattr(torch, dtype), generator=gen) * 3)
        g0 = torch.randn(4000, dtype=getattr(torch, dtype), generator=gen)
        # tanh's gradient from its output (the backward of a tensor whose forward is tanh):
        # torch.ops.aten.tanh_backward is the kernel itself, so no forward rounding intervenes
        want = torch.ops.aten.tanh_backward(g0, y0).numpy()
        got = gradsh.core.ops.pointwise.tanh_backward(
            gradsh.tensor(g0.numpy()), gradsh.tensor(y0.numpy())).numpy()
        assert np.array_equal(got, want), dtype


def test_ninja_hand_written_tanh_backward_is_not_exact_as_in_pytorch():
    """The exercise's point: (1 - h**2) * dh differs from autograd's in the last bits."""
    x = gradsh.tensor([[2.5, -1.3, 0.7, 4.0]], dtype=gradsh.float64, requires_grad=True)
    h = gradsh.tanh(x)
    g = gradsh.tensor([[0.3, -0.7, 1.1, 0.9]], dtype=gradsh.float64)
    h.backward(g)
    manual = (1.0 - h.detach() ** 2) * g
    exact = g.numpy() * _exact_one_minus_square(h.detach().numpy(), np.float64)
    assert np.array_equal(x.grad.numpy(), exact)
    assert not gradsh.equal(manual, x.grad)


# ----- batch_norm's checks of the per-channel tensors, in PyTorch's order ---------------------
BN_SIZES = [None, 3, 4]


def _bn_outcome(mod, m, v, w, b, training):
    x = mod.ones(2, 4, 2, 2)
    args = [None if s is None else mod.ones(s) for s in (m, v, w, b)]
    try:
        mod.nn.functional.batch_norm(x, *args, training=training)
        return "ok"
    except Exception as e:  # noqa: BLE001 (the class and message are what is compared)
        return f"{type(e).__name__}: {e}"


def test_batch_norm_checks_running_stats_first_and_in_evaluation():
    assert _bn_outcome(gradsh, 3, 3, 3, None, True) == \
        "RuntimeError: running_mean should contain 4 elements not 3"
    assert _bn_outcome(gradsh, None, None, None, None, False) == \
        "RuntimeError: running_mean must be defined in evaluation mode"
    assert _bn_outcome(gradsh, 4, None, None, None, False) == \
        "RuntimeError: running_var must be defined in evaluation mode"
    assert _bn_outcome(gradsh, 4, None, None, None, True) == \
        ("ValueError: running_mean and running_var must either both be None or neither be None")


def test_batch_norm_checks_match_pytorch():
    torch = _torch()
    for m in BN_SIZES:
        for v in BN_SIZES:
            for w in BN_SIZES:
                for b in (None, 3):
                    for training in (True, False):
                        case = (m, v, w, b, training)
                        assert _bn_outcome(gradsh, *case) == _bn_outcome(torch, *case), case


# ----- binary ops' broadcast errors: PyTorch's message, self named first -----------------------
BINARY = ["maximum", "minimum", "max", "min", "logaddexp", "logaddexp2", "logical_and",
          "logical_or", "logical_xor", "bitwise_left_shift", "bitwise_right_shift", "bitwise_and",
          "polar", "complex"]
SHAPES = [((2,), (3,)), ((2, 3), (4, 1)), ((5, 1), (2, 3))]


def _binary_outcome(mod, name, sa, sb):
    a, b = mod.ones(sa), mod.ones(sb)
    if name.startswith("bitwise_left") or name.startswith("bitwise_right"):
        a, b = a.long(), b.long()
    try:
        getattr(mod, name)(a, b)
        return "ok"
    except Exception as e:  # noqa: BLE001
        return f"{type(e).__name__}: {e}"


def test_maximum_names_self_first_in_its_broadcast_error():
    assert _binary_outcome(gradsh, "maximum", (2,), (3,)) == (
        "RuntimeError: The size of tensor a (2) must match the size of tensor b (3) at "
        "non-singleton dimension 0")
    x = gradsh.tensor([-0.0, 1.0])  # (the tie still gives self's value: -0. against 0.)
    assert str(gradsh.maximum(x, gradsh.tensor([0.0, 0.0]))) == "tensor([-0., 1.])"


@pytest.mark.parametrize("name", BINARY)
def test_binary_broadcast_errors_match_pytorch(name):
    torch = _torch()
    for sa, sb in SHAPES:
        assert _binary_outcome(gradsh, name, sa, sb) == _binary_outcome(torch, name, sa, sb)


# ----- torch.default_generator: the global stream as a torch.Generator --------------------------
def test_default_generator_is_what_manual_seed_returns_and_drives_the_global_stream():
    g = gradsh.manual_seed(0)
    assert g is gradsh.default_generator is gradsh.random.default_generator
    assert type(g) is gradsh.Generator
    a = gradsh.randn(3, generator=gradsh.default_generator)
    gradsh.manual_seed(0)
    assert gradsh.equal(a, gradsh.randn(3))
    assert gradsh.default_generator.initial_seed() == 0
    state = gradsh.default_generator.get_state()
    assert state.dtype == gradsh.uint8
    x = gradsh.rand(2)
    gradsh.default_generator.set_state(state)
    assert gradsh.equal(x, gradsh.rand(2))


def test_default_generator_draws_pytorchs_numbers():
    torch = _torch()
    torch.manual_seed(7)
    gradsh.manual_seed(7)
    want = torch.randn(4, generator=torch.default_generator).numpy()
    assert np.array_equal(gradsh.randn(4, generator=gradsh.default_generator).numpy(), want)


def _masked_fill_outcome(mod, inplace, sa, sm):
    x, mask = mod.ones(sa), mod.ones(sm) > 0
    try:
        (x.masked_fill_ if inplace else x.masked_fill)(mask, 2.0)
        return "ok"
    except Exception as e:  # noqa: BLE001
        return f"{type(e).__name__}: {e}"


def test_masked_fill_names_the_mask_first_out_of_place_and_self_first_in_place():
    assert _masked_fill_outcome(gradsh, False, (2,), (3,)).endswith(
        "tensor a (3) must match the size of tensor b (2) at non-singleton dimension 0")
    assert _masked_fill_outcome(gradsh, True, (2,), (3,)).endswith(
        "tensor a (2) must match the size of tensor b (3) at non-singleton dimension 0")


def test_masked_fill_broadcast_errors_match_pytorch():
    torch = _torch()
    for inplace in (False, True):
        for sa, sm in SHAPES + [((3,), (2, 3)), ((2, 3), (3,))]:
            assert _masked_fill_outcome(gradsh, inplace, sa, sm) == \
                _masked_fill_outcome(torch, inplace, sa, sm), (inplace, sa, sm)
