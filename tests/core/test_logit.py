"""torch.logit, added as issue 12 describes adding an op: one declaration beside its rule in
ops/pointwise.py, and this test through the shared checker (values, LogitBackward0, gradients
against PyTorch and finite differences, second derivatives)."""

import numpy as np
import pytest

import gradsh
from checker import TORCH, check_op

UNIT = (0.05, 0.95)


def test_logit_method_and_function_match_pytorch():
    check_op(lambda t, x: x.logit(), (2, 3), domain=UNIT, gradgrad=True,
             ref=lambda a: np.log(a / (1 - a)))
    check_op(lambda t, x: t.logit(x), (4,), domain=UNIT)


def test_logit_with_eps_clamps_and_has_no_gradient_outside_the_range():
    check_op(lambda t, x: t.logit(x, eps=0.2), (3, 4), domain=(0.25, 0.75), gradgrad=True)
    x = gradsh.tensor([0.05, 0.5, 0.97], dtype=gradsh.float64, requires_grad=True)
    y = x.logit(eps=0.1)
    assert y.grad_fn._saved_eps == 0.1
    y.sum().backward()
    assert x.grad.tolist() == [0.0, 4.0, 0.0]  # d/dp log(p/(1-p)) = 1/(p(1-p)) = 4 at 1/2


@pytest.mark.skipif(TORCH is None, reason="PyTorch not installed: differential test skipped")
def test_logit_outside_zero_one_gives_pytorchs_nan_and_inf_values_and_gradients():
    values = [-0.5, 0.0, 0.05, 0.5, 1.0, 1.5]
    for eps in (None, 0.1):
        got_x = gradsh.tensor(values, dtype=gradsh.float64, requires_grad=True)
        want_x = TORCH.tensor(values, dtype=TORCH.float64, requires_grad=True)
        got, want = got_x.logit(eps), want_x.logit(eps)
        (got.sum()).backward()
        (want.sum()).backward()
        np.testing.assert_array_equal(got.detach().numpy(), want.detach().numpy())
        np.testing.assert_array_equal(got_x.grad.numpy(), want_x.grad.numpy())


def test_logit_of_integers_is_float32_and_in_place_logit_writes_self():
    assert gradsh.logit(gradsh.tensor([1, 0])).dtype == gradsh.float32
    t = gradsh.tensor([0.3])
    assert t.logit_() is t and abs(t.item() - np.log(0.3 / 0.7)) < 1e-6


def test_logit_of_a_number_is_pytorchs_type_error():
    with pytest.raises(TypeError, match=r"logit\(\): argument 'input' \(position 1\) must be "
                                        r"Tensor, not int"):
        gradsh.logit(2)
