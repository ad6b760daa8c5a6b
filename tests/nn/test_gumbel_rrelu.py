"""F.gumbel_softmax and the in-place rrelu (F.rrelu_, torch.rrelu_, F.rrelu(inplace=True),
nn.RReLU(inplace=True)) as PyTorch 2.13: draws, values, nodes and gradients of the registry's
samples are in the op sweep (tests/data/op_sweep_cases.py) and the in-place activations' cases
(tests/data/attention_cases.py INPLACE); here what those do not check. Expected values were
printed by PyTorch 2.13."""

import io
import warnings

import pytest

import gradsh as torch
import gradsh.nn.functional as F
from gradsh.lang import Session


def test_gumbel_softmax_draws_pytorchs_noise_under_manual_seed():
    torch.manual_seed(0)
    x = torch.tensor([[1.0, 2.0, 0.5], [0.0, -1.0, 3.0]], requires_grad=True)
    y = F.gumbel_softmax(x, tau=0.5)
    assert y.grad_fn.name() == "SoftmaxBackward0"
    assert y.grad_fn.next_functions[0][0].name() == "DivBackward0"
    assert [round(v, 4) for v in y[0].tolist()] == [0.0137, 0.8224, 0.1639]


def test_hard_gumbel_softmax_is_one_hot_with_the_soft_gradient():
    torch.manual_seed(0)
    x = torch.tensor([[1.0, 2.0, 0.5], [0.0, -1.0, 3.0]], requires_grad=True)
    h = F.gumbel_softmax(x, hard=True, dim=0)
    assert h.tolist() == [[1.0, 1.0, 0.0], [0.0, 0.0, 1.0]] and h.grad_fn.name() == "AddBackward0"


def test_gumbel_softmax_eps_is_deprecated_with_pytorchs_warning():
    with warnings.catch_warnings(record=True) as w:
        warnings.simplefilter("always")
        F.gumbel_softmax(torch.zeros(3), eps=1e-5)
    assert [(x.category, str(x.message)) for x in w] == [
        (UserWarning, "`eps` parameter is deprecated and has no effect.")]


def test_rrelu_in_place_writes_into_its_input_with_pytorchs_node():
    torch.manual_seed(0)
    x = torch.tensor([-1.0, 2.0, -3.0, 0.5, -0.25], requires_grad=True)
    y = x * 1
    z = F.rrelu(y, training=True, inplace=True)
    assert z is y and y._version == 1 and z.grad_fn.name() == "RreluWithNoiseBackward1"
    assert [round(v, 4) for v in z.tolist()] == [-0.3271, 2.0, -0.8174, 0.5, -0.0552]
    z.sum().backward()
    assert [round(v, 4) for v in x.grad.tolist()] == [0.3271, 1.0, 0.2725, 1.0, 0.2207]
    w = x.detach().clone()
    assert torch.rrelu_(w) is w and F.rrelu_(w) is w


def test_rrelu_in_place_on_a_leaf_that_requires_grad_is_refused():
    with pytest.raises(RuntimeError, match="a leaf Variable that requires grad is being used in "
                                           "an in-place operation."):
        F.rrelu_(torch.ones(2, requires_grad=True))


def test_a_program_uses_gumbel_softmax_and_rrelu_():
    stream = io.StringIO()
    Session(stdout=stream, stderr=io.StringIO()).run(
        "import torch\nimport torch.nn.functional as F\ntorch.manual_seed(0)\n"
        "print(F.gumbel_softmax(torch.tensor([1.0, 2.0, 0.5]), hard=True))\n"
        "print(torch.nn.RReLU(0.1, 0.3, inplace=True)(torch.tensor([-1.0, 2.0])))\n", "t.grad")
    assert stream.getvalue() == "tensor([0., 1., 0.])\ntensor([-0.2841,  2.0000])\n"
