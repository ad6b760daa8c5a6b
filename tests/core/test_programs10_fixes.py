"""Fixes found by running PyTorch's tutorials (tests/data/learner_programs/p10_*): each test
states the behaviour PyTorch 2.13 has (its messages copied from its source)."""

import math

import pytest

import gradsh as torch
from gradsh import nn
from gradsh.autograd.gradcheck import GradcheckError
from gradsh.func import functional_call, stack_module_state


class _ExpJvpOnly(torch.autograd.Function):
    """The Forward-mode AD tutorial's Fn: a jvp and no backward."""

    @staticmethod
    def forward(ctx, x):
        ctx.result = torch.exp(x)
        return ctx.result

    @staticmethod
    def jvp(ctx, t):
        return t * ctx.result


class _WrongJvp(_ExpJvpOnly):
    @staticmethod
    def jvp(ctx, t):
        return t * 2


def test_gradcheck_forward_ad_only_checks_the_jvp_and_never_calls_backward():
    x = torch.randn(3, 2, dtype=torch.float64, requires_grad=True)
    assert torch.autograd.gradcheck(_ExpJvpOnly.apply, (x,), check_forward_ad=True,
                                    check_backward_ad=False, check_undefined_grad=False)
    assert torch.autograd.gradcheck(torch.sin, (x,), check_forward_ad=True)


def test_gradcheck_forward_ad_mismatch_names_forward_mode():
    x = torch.randn(3, dtype=torch.float64, requires_grad=True)
    with pytest.raises(GradcheckError, match="Jacobian computed with forward mode mismatch for "
                       "output 0 with respect to input 0,\nnumerical:"):
        torch.autograd.gradcheck(_WrongJvp.apply, (x,), check_forward_ad=True,
                                 check_backward_ad=False, check_undefined_grad=False)
    assert not torch.autograd.gradcheck(_WrongJvp.apply, (x,), check_forward_ad=True,
                                        check_backward_ad=False, check_undefined_grad=False,
                                        raise_exception=False)


def test_gradcheck_refuses_checking_neither_mode():
    x = torch.randn(2, dtype=torch.float64, requires_grad=True)
    with pytest.raises(AssertionError, match="Expected at least one of check_forward_ad or "
                       "check_backward_ad to be True"):
        torch.autograd.gradcheck(torch.sin, (x,), check_backward_ad=False)


def test_stack_module_state_stacks_new_leaves_that_functional_call_reads():
    torch.manual_seed(0)
    models = [nn.Sequential(nn.Linear(3, 2), nn.BatchNorm1d(2)) for _ in range(3)]
    params, buffers = stack_module_state(models)
    assert sorted(params) == ["0.bias", "0.weight", "1.bias", "1.weight"]
    assert params["0.weight"].shape == (3, 2, 3) and params["0.weight"].is_leaf
    assert params["0.weight"].requires_grad and not buffers["1.running_mean"].requires_grad
    assert buffers["1.num_batches_tracked"].shape == (3,)
    x = torch.randn(4, 3)
    for i, m in enumerate(models):
        out = functional_call(models[0], ({k: v[i] for k, v in params.items()},
                                          {k: v[i] for k, v in buffers.items()}), (x,))
        assert torch.allclose(out, m(x))


def test_stack_module_state_errors():
    with pytest.raises(RuntimeError, match="Expected at least one model, got 0."):
        stack_module_state([])
    with pytest.raises(RuntimeError, match="Expected all models to be of the same class."):
        stack_module_state([nn.Linear(2, 2), nn.Tanh()])
    with pytest.raises(RuntimeError, match="Expected all models to have the same training/eval"):
        stack_module_state([nn.Linear(2, 2), nn.Linear(2, 2).eval()])
    a, b = nn.Linear(2, 2), nn.Linear(2, 2)
    b.weight.requires_grad_(False)
    with pytest.raises(RuntimeError, match="Expected weight from each model to have the same "
                       ".requires_grad"):
        stack_module_state([a, b])


def _sign_bits(t):
    return [math.copysign(1.0, v) for v in t.reshape(-1).tolist()]


def _zeros_are_positive(t):
    return all(math.copysign(1.0, v) == 1.0 for v in t.reshape(-1).tolist() if v == 0)


def test_triu_tril_gradients_are_plus_zero_where_masked():
    # PyTorch: grad.triu(k) / grad.tril(k) (the Parametrizations tutorial's Symmetric shows
    # `0.0000` in the original's gradient, not `-0.0000`)
    a = torch.full((2, 3, 3), -1.0, requires_grad=True)
    (a.triu(1) * -2).sum().backward()
    assert (a.grad == 0).sum().item() == 12 and _zeros_are_positive(a.grad)
    a.grad = None
    (a.tril(-1) * -2).sum().backward()
    assert (a.grad == 0).sum().item() == 12 and _zeros_are_positive(a.grad)
    g, = torch.autograd.grad((a.triu(1) * a).sum(), a, create_graph=True)
    assert [type(n).__name__ for n, _ in g.grad_fn.next_functions] == ["MulBackward0",
                                                                         "TriuBackward0"]


def test_maximum_minimum_gradients_follow_pytorchs_where_and_masked_fill():
    nan = float("nan")
    x = torch.tensor([1.0, 2.0, 3.0, nan, 5.0], requires_grad=True)
    y = torch.tensor([2.0, 2.0, 1.0, 1.0, nan], requires_grad=True)
    (torch.maximum(x, y) * -3).sum().backward()
    # recorded from PyTorch 2.13: nan compares false, so both sides get the whole gradient
    assert x.grad.tolist() == [0.0, -1.5, -3.0, -3.0, -3.0]
    assert y.grad.tolist() == [-3.0, -1.5, 0.0, -3.0, -3.0]
    assert _sign_bits(x.grad)[0] == 1.0 and _sign_bits(y.grad)[2] == 1.0
    x.grad = y.grad = None
    (torch.minimum(x, y) * -3).sum().backward()
    assert x.grad.tolist() == [-3.0, -1.5, 0.0, -3.0, -3.0]
    assert _sign_bits(x.grad)[2] == 1.0
    x2 = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
    g, = torch.autograd.grad((torch.maximum(x2, torch.tensor([2.0, 2.0, 1.0])) * x2).sum(), x2,
                             create_graph=True)
    assert type(g.grad_fn.next_functions[1][0]).__name__ == "MaskedFillBackward0"
