"""F.embedding_bag and nn.EmbeddingBag as PyTorch 2.13 (values, nodes and gradients of the
registry's samples are in the op sweep; layouts in the strides sweep). Expected values and texts
were printed by PyTorch 2.13."""

import io

import numpy as np
import pytest

import gradsh as torch
import gradsh.nn.functional as F
from gradsh.lang import Session


def _weight():
    return torch.tensor([[1.0, 2.0], [3.0, 4.0], [5.0, -6.0], [0.5, 7.0]], requires_grad=True)


@pytest.mark.parametrize("mode, out, grad", [
    ("sum", [[6.0, -4.0], [4.0, 18.0]], [[1, 2], [3, 4], [1, 2], [6, 8]]),
    ("max", [[5.0, 2.0], [3.0, 7.0]], [[0, 2], [3, 0], [1, 0], [0, 4]]),
])
def test_modes_and_their_gradients(mode, out, grad):
    w = _weight()
    o = F.embedding_bag(torch.tensor([0, 2, 1, 3, 3]), w, torch.tensor([0, 2]), mode=mode)
    assert o.tolist() == out and o.grad_fn.name() == "EmbeddingBagBackward0"
    o.backward(torch.tensor([[1.0, 2.0], [3.0, 4.0]]))
    assert w.grad.tolist() == grad


def test_the_gradient_records_no_graph():
    w = _weight()
    o = F.embedding_bag(torch.tensor([0, 2, 1]), w, torch.tensor([0, 2]))
    g, = torch.autograd.grad(o.sum(), w, create_graph=True)
    assert g.grad_fn is None


def test_float32_per_sample_weights_are_fused_as_pytorchs_axpy():
    torch.manual_seed(0)
    w = torch.randn(50, 7)
    idx, offsets = torch.randint(0, 50, (200,)), torch.tensor([0, 3, 3, 40, 41, 120])
    psw = torch.randn(200)
    o = F.embedding_bag(idx, w, offsets, per_sample_weights=psw, mode="sum")
    assert o.sum().item() == -38.425777435302734  # PyTorch 2.13's, bit for bit


@pytest.mark.parametrize("call, error, message", [
    (lambda w: F.embedding_bag(torch.tensor([0, 1]), w), ValueError,
     "offsets has to be a 1D Tensor but got None"),
    (lambda w: F.embedding_bag(torch.tensor([0.0, 1.0]), w, torch.tensor([0])), RuntimeError,
     "Expected tensor for argument #1 'indices' to have one of the following scalar types: "
     "Long, Int; but got torch.FloatTensor instead (while checking arguments for "
     "embedding_bag)"),
    (lambda w: F.embedding_bag(torch.tensor([0, 1]), w, torch.tensor([0]), mode="max",
                               per_sample_weights=torch.ones(2)), NotImplementedError,
     "embedding_bag: per_sample_weights was not None. per_sample_weights is only supported "
     "for mode='sum' (got mode='max'). Please open a feature request on GitHub."),
])
def test_pytorchs_errors(call, error, message):
    with pytest.raises(error) as e:
        call(_weight())
    assert str(e.value) == message


def test_the_module_draws_pytorchs_rows_and_zeroes_the_padding_row():
    torch.manual_seed(0)
    m = torch.nn.EmbeddingBag(5, 3, mode="sum", padding_idx=-1)
    assert repr(m) == "EmbeddingBag(5, 3, mode='sum', padding_idx=4)"
    np.testing.assert_allclose(m.weight[0].detach().numpy(), [1.5409961, -0.2934289, -2.1787894],
                               rtol=1e-6)
    assert m.weight[4].tolist() == [0.0, 0.0, 0.0]
    b = torch.nn.EmbeddingBag.from_pretrained(torch.ones(2, 3))
    assert repr(b) == "EmbeddingBag(2, 3, mode='mean')" and not b.weight.requires_grad


def test_a_program_uses_an_embedding_bag():
    stream = io.StringIO()
    Session(stdout=stream, stderr=io.StringIO()).run(
        "import torch\nimport torch.nn.functional as F\n"
        "w = torch.tensor([[1.0, 2.0], [3.0, 4.0], [5.0, -6.0], [0.5, 7.0]])\n"
        "print(F.embedding_bag(torch.tensor([0, 2, 1, 3, 3]), w, torch.tensor([0, 2, 2]), "
        "mode='mean', padding_idx=3))\n", "t.grad")
    assert stream.getvalue() == "tensor([[ 3., -2.],\n        [ 0.,  0.],\n        [ 3.,  4.]])\n"
