"""Accumulating into a .grad that has a graph (backward(create_graph=True) twice): the nodes
PyTorch 2.13 shows (recorded: CopyBackwards on the first, AddBackward0 on the second; a .grad
made without a graph then accumulated with one: AddBackward0)."""

import warnings

import gradsh as torch


def test_second_accumulation_adds_in_the_graph():
    x = torch.tensor([1.0, 2.0], requires_grad=True)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        (x ** 3).sum().backward(create_graph=True)
        assert x.grad.grad_fn.name() == "torch::autograd::CopyBackwards"  # PyTorch 2.13
        (x ** 3).sum().backward(create_graph=True)
    assert x.grad.grad_fn.name() == "AddBackward0"
    assert x.grad.tolist() == [6.0, 24.0]


def test_graph_free_grad_then_graph():
    y = torch.tensor([1.0, 2.0], requires_grad=True)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        (y * 2).sum().backward(create_graph=True)
        assert y.grad.grad_fn is None
        (y ** 2).sum().backward(create_graph=True)
    assert y.grad.grad_fn.name() == "AddBackward0"
    assert y.grad.tolist() == [4.0, 6.0]
