"""Fixes found by the adversarial learner programs (tests/data/learner_programs/adv_*.grad,
issue 15): one test per class of difference. Expected values are PyTorch 2.13's (recorded by
running it; quoted here) or mathematics."""

import io

import numpy as np
import pytest

import gradsh as torch
from gradsh.lang import Session


def run(source):
    out = io.StringIO()
    Session(stdout=out, stderr=io.StringIO()).run(source, "t.grad")
    return out.getvalue()


# ----- indexing --------------------------------------------------------------------------
def test_ellipsis_is_a_name_in_grad_programs():
    assert run("import torch\nx = torch.arange(6).reshape(2, 3)\nprint(x[Ellipsis, 1])\n") == \
        "tensor([1, 4])\n"


@pytest.mark.parametrize("key, shape", [((Ellipsis, 0, Ellipsis), (2,)), ((0, Ellipsis, Ellipsis), (3,)),
                                        ((Ellipsis, Ellipsis), (2, 3)),
                                        ((None, Ellipsis, None, Ellipsis), (1, 2, 3, 1))])
def test_every_ellipsis_stands_for_the_dims_left_over(key, shape):
    # PyTorch 2.13: each `...` moves past the dims the other indices leave over, so a second
    # one moves past the end, where nothing more may follow (below)
    assert tuple(torch.arange(6).reshape(2, 3)[key].shape) == shape


def test_an_index_past_a_second_ellipsis_is_pytorchs_error():
    with pytest.raises(IndexError, match=r"^Dimension out of range \(expected to be in range of "
                                         r"\[-4, 3\], but got 5\)$"):
        torch.arange(6).reshape(2, 3)[None, ..., ..., None]


@pytest.mark.parametrize("key", ["a", b"a", (0, "ab")])
def test_a_string_index_is_pytorchs_type_error(key):
    with pytest.raises(TypeError, match=r"^new\(\): invalid data type '(str|bytes)'$"):
        torch.arange(6).reshape(2, 3)[key]


@pytest.mark.parametrize("key, node, written", [(Ellipsis, "FillBackward3", 3),
                                                (slice(None), "FillBackward3", 3),
                                                (None, "CopySlices", 3), (0, "CopySlices", 1)])
def test_setitem_of_a_0d_tensor_is_a_fill(key, node, written):
    b = torch.zeros(3, requires_grad=True) * 1
    v = torch.tensor(2., requires_grad=True)
    b[key] = v * 3
    assert type(b.grad_fn).__name__ == node
    b.sum().backward()
    assert v.grad.item() == 3.0 * written


def test_setitem_of_a_1d_tensor_over_everything_is_a_copy():
    b = torch.zeros(3, requires_grad=True) * 1
    b[...] = torch.ones(3, requires_grad=True)
    assert type(b.grad_fn).__name__ == "CopyBackwards"


@pytest.mark.parametrize("index", [torch.tensor([[0]]), torch.tensor([[[1]]])])
def test_index_select_refuses_an_index_of_more_than_one_dim(index):
    with pytest.raises(IndexError, match=r"^index_select\(\): Index is supposed to be a vector$"):
        torch.arange(6.).reshape(2, 3).index_select(1, index)
    assert torch.arange(6.).reshape(2, 3).index_select(1, torch.tensor(1)).tolist() == [[1.], [4.]]


# ----- views and versions -----------------------------------------------------------------
def test_is_view_follows_base():
    x = torch.arange(6.)
    assert x.view(2, 3)._is_view() and x[1:]._is_view()
    assert not x.clone()._is_view() and not x.detach()._is_view() and not x[[0]]._is_view()
    assert run("import torch\nx = torch.ones(4)\nprint(x[1:]._is_view(), x._is_view())\n") == \
        "True False\n"


def test_resize_counts_as_a_change_only_when_the_shape_changes():
    x = torch.zeros(4)
    x.resize_(4)
    assert x._version == 0
    x.resize_(6)
    x.resize_(2, 3)
    assert x._version == 2


# ----- accumulation types -----------------------------------------------------------------
def test_float32_cumsum_and_cumprod_accumulate_in_double():
    # PyTorch's CPU kernel: acc_type<float> is double, each running value rounded to float32
    x = np.random.RandomState(0).rand(3000).astype(np.float32)
    t = torch.tensor(x)
    assert torch.full((1000,), 0.1).cumsum(0)[-1].item() == 100.0  # float32 adds: 99.99904...
    assert np.array_equal(t.cumsum(0).numpy(), np.cumsum(x, dtype=np.float64).astype(np.float32))
    assert np.array_equal((t + 0.5).cumprod(0).numpy(),
                          np.cumprod(x + np.float32(0.5), dtype=np.float64).astype(np.float32))
    assert t.cumsum(0)[-1].item() == 1512.7196044921875  # PyTorch 2.13


def test_float16_cumsum_accumulates_in_float32():
    h = torch.full((1000,), 0.1, dtype=torch.float16)
    assert h.cumsum(0)[-1].item() == 100.0  # PyTorch 2.13; float16 adds give 105.1875
    assert torch.full((100,), 1.01, dtype=torch.float16).cumprod(0)[-1].item() == 2.642578125


def test_float16_mean_is_computed_in_float32():
    x = torch.tensor([0.1, 0.2, 0.3, 1000.5, 65504., 1e-5], dtype=torch.float16)
    assert x.sum().item() == float("inf")
    assert x.mean().item() == 11088.0  # PyTorch 2.13: cast to float32, sum, divide, cast back
    assert x.view(2, 3).mean(1).dtype == torch.float16


# ----- reductions -------------------------------------------------------------------------
def test_minus_infinity_norm_is_the_smallest_magnitude():
    x = torch.tensor([1., 2., -3.], requires_grad=True)
    n = x.norm(-float("inf"))
    n.backward()
    assert n.item() == 1.0 and x.grad.tolist() == [1.0, 0.0, 0.0]
    assert torch.linalg.vector_norm(torch.zeros(3), -float("inf")).item() == 0.0
    assert torch.zeros(3, 2).norm(-float("inf"), dim=1).tolist() == [0.0, 0.0, 0.0]


def test_zero_norm_sends_no_gradient():
    # PyTorch's norm_backward for p=0 is an undefined tensor: a leaf's .grad stays None
    x = torch.tensor([0., 2., -3.], requires_grad=True)
    x.norm(0).backward()
    assert x.grad is None
    y = x * 2
    (y.norm(0) + y.sum()).backward()
    assert x.grad.tolist() == [2.0, 2.0, 2.0]


@pytest.mark.parametrize("name", ["amax", "amin"])
def test_amax_amin_over_nothing_are_pytorchs_errors(name):
    with pytest.raises(RuntimeError, match=r"^%s\(\): Expected reduction dim to be specified for "
                       r"input.numel\(\) == 0. Specify the reduction dim with the 'dim' argument.$"
                       % name):
        getattr(torch.zeros(0), name)()
    with pytest.raises(IndexError, match=r"^%s\(\): Expected reduction dim 1 to have non-zero "
                       r"size.$" % name):
        getattr(torch.zeros(2, 0), name)((0, 1))
    assert tuple(getattr(torch.zeros(2, 0), name)(0).shape) == (0,)


def test_logsumexp_over_nothing_is_minus_infinity():
    assert torch.zeros(0).logsumexp(0).item() == -float("inf")
    assert torch.zeros(2, 0).logsumexp(1).tolist() == [-float("inf")] * 2


@pytest.mark.parametrize("kw", [{"min": float("nan")}, {"max": float("nan")},
                                {"min": 0.0, "max": float("nan")}])
def test_a_nan_clamp_bound_gives_nan(kw):
    assert torch.tensor([1., -2., 3.]).clamp(**kw).isnan().all().item()
    assert torch.tensor([1, 2]).clamp(**kw).isnan().all().item()


def test_backward_rules_exp_as_the_forward_exp():
    # LogsumexpBackward0 is grad * exp(self - result); PyTorch's exp there is its forward exp,
    # so the gradient equals (x - r).exp() computed forward (values from PyTorch 2.13)
    x = torch.tensor([[3., 1., 3.], [2., 2., 0.]], requires_grad=True)
    x.logsumexp(1).sum().backward()
    assert x.grad[0].tolist() == [0.4683104455471039, 0.06337893009185791, 0.4683104455471039]
    with torch.no_grad():
        assert x.grad.equal((x - x.logsumexp(1, keepdim=True)).exp())


# ----- mixed integer and float operands in backward rules ---------------------------------
@pytest.mark.parametrize("f, expected", [
    # values from PyTorch 2.13: an integer operand is promoted to the float operand's float32
    # (numpy would compute int64 with float32 in float64 and round once at the end)
    (lambda x, n: n / x, [-0.8888888955116272, -0.48000001907348633, -0.3265306353569031,
                          -14.285714149475098]),
    (lambda x, n: x ** n, [3.0, 18.75, 171.5, 0.8235429525375366]),
    (lambda x, n: torch.atan2(n, x), [-0.3199999928474426, -0.19672130048274994,
                                      -0.14159291982650757, -0.14144271612167358]),
])
def test_integer_operands_meet_float32_in_float32_in_rules(f, expected):
    x = torch.tensor([1.5, -2.5, 3.5, 0.7], requires_grad=True)
    f(x, torch.tensor([2, 3, 4, 7])).sum().backward()
    assert x.grad.tolist() == expected


def test_repr_of_a_stale_no_grad_view_says_invalid():
    # PyTorch's _tensor_str: reading grad_fn raises there, and the text says grad_fn=<Invalid>
    a = torch.ones(3, requires_grad=True)
    with torch.no_grad():
        v = a[1:]
        assert repr(v) == "tensor([1., 1.], requires_grad=True)"
        v.mul_(3)
        assert repr(v) == "tensor([3., 3.], grad_fn=<Invalid>)"
        with pytest.raises(RuntimeError, match="A view was created in no_grad mode"):
            v.grad_fn
    assert repr(v) == "tensor([3., 3.], grad_fn=<Invalid>)"


def test_addcmul_and_addcdiv_rules_promote_integer_tensors_to_float32():
    x = torch.tensor([1.5, -2.5, 3.5, 0.7, 0.3], requires_grad=True)
    n = torch.tensor([2, 3, 4, 7, -5])
    torch.addcmul(x, n, x, value=0.3).sum().backward()
    # PyTorch 2.13: 1 + float32(3 * 0.3f), not float64's 1.9 rounded once
    assert x.grad.tolist() == [1.600000023841858, 1.9000000953674316, 2.200000047683716,
                               3.1000001430511475, -0.5]
    x.grad = None
    torch.addcdiv(x, n, x.exp(), value=0.7).sum().backward()
    assert x.grad[3].item() == -1.4332680702209473


def test_ldexp_gradient_with_negative_integer_exponents():
    # PyTorch's gradient is grad * 2 ** other in other's integer dtype: 2 ** -5 is 0 there
    x = torch.tensor([1.5, 0.3], requires_grad=True)
    out = torch.ldexp(x, torch.tensor([2, -5]))
    out.sum().backward()
    assert out.tolist() == [6.0, 0.00937500037252903] and x.grad.tolist() == [4.0, 0.0]


def test_float16_norm_is_computed_in_float32():
    x = torch.tensor([0.1, 0.2, 0.3, 1000.5, 65504., 1e-5], dtype=torch.float16)
    assert x.norm().item() == 65504.0  # PyTorch 2.13 (float16 squares overflow to inf)
    assert x.norm().dtype == torch.float16
    assert torch.tensor([60000., 60000.], dtype=torch.float16).norm().item() == float("inf")


def test_float16_unary_ops_compute_in_float32():
    # PyTorch's Half kernels (opmath): float32 arithmetic, one rounding to float16 (2.13's values)
    x = torch.tensor([0.1, -0.7, 1.3, 2.9, -3.3], dtype=torch.float16, requires_grad=True)
    s = torch.sigmoid(x)
    assert s.tolist() == [0.52490234375, 0.331787109375, 0.78564453125, 0.94775390625,
                          0.035552978515625]
    (s * torch.arange(1, 6, dtype=torch.float16)).sum().backward()
    assert x.grad.tolist() == [0.2493896484375, 0.443359375, 0.50537109375, 0.1981201171875,
                               0.17138671875]
    x.grad = None
    (torch.tanh(x) * torch.arange(1, 6, dtype=torch.float16)).sum().backward()
    assert x.grad.tolist()[3:] == [0.0467529296875, 0.0292510986328125]
    x.grad = None
    (torch.reciprocal(x) * torch.arange(1, 6, dtype=torch.float16)).sum().backward()
    assert x.grad.tolist()[2] == -1.77734375  # -grad * (result * result), PyTorch's order
