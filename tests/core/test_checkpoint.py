"""torch.utils.checkpoint: both variants give the gradients of the plain run, recompute the
function in backward (with the forward's RNG state), and refuse what PyTorch refuses with its
words (messages copied from torch/utils/checkpoint.py of PyTorch 2.13)."""

import warnings

import pytest

import gradsh as torch
from gradsh import nn
from gradsh.utils.checkpoint import CheckpointError, checkpoint, checkpoint_sequential


def _inputs():
    torch.manual_seed(0)
    return torch.randn(3, 4, requires_grad=True), torch.randn(4, 2, requires_grad=True)


def _f(calls):
    def f(x, w):
        calls.append(1)
        return torch.tanh(x @ w).sin() * torch.rand(3, 2)  # rand: the RNG state is replayed
    return f


@pytest.mark.parametrize("use_reentrant", [True, False])
def test_checkpoint_gradients_equal_the_plain_run_and_the_function_runs_again(use_reentrant):
    x, w = _inputs()
    calls = []
    torch.manual_seed(1)
    _f(calls)(x, w).sum().backward()
    plain = (x.grad.clone(), w.grad.clone())
    x.grad = w.grad = None
    torch.manual_seed(1)
    y = checkpoint(_f(calls), x, w, use_reentrant=use_reentrant)
    y.sum().backward()
    assert len(calls) == 3
    assert torch.equal(x.grad, plain[0]) and torch.equal(w.grad, plain[1])
    name = type(y.grad_fn).__name__
    assert name == ("CheckpointFunctionBackward" if use_reentrant else "MulBackward0")


def test_reentrant_checkpoint_refuses_autograd_grad_and_the_other_allows_it():
    x, w = _inputs()
    y = checkpoint(_f([]), x, w, use_reentrant=True).sum()
    with pytest.raises(RuntimeError, match="When use_reentrant=True, torch.utils.checkpoint is "
                       "incompatible with .grad\\(\\) or passing an `inputs` parameter"):
        torch.autograd.grad(y, x)
    (g,) = torch.autograd.grad(checkpoint(_f([]), x, w, use_reentrant=False).sum(), x)
    assert g.shape == (3, 4)


def test_missing_use_reentrant_warns_and_means_true():
    x, w = _inputs()
    with pytest.warns(UserWarning, match="the use_reentrant parameter should be passed"):
        y = checkpoint(_f([]), x, w)
    assert type(y.grad_fn).__name__ == "CheckpointFunctionBackward"


def test_no_input_requiring_grad_warns_and_backward_refuses():
    with pytest.warns(UserWarning, match="None of the inputs have requires_grad=True"):
        y = checkpoint(lambda a: a * 2, torch.ones(2), use_reentrant=True)
    assert not y.requires_grad


def test_keyword_arguments_only_without_reentrant():
    x, w = _inputs()
    with pytest.raises(ValueError, match="Unexpected keyword arguments: scale"):
        checkpoint(lambda a, scale: a * scale, x, scale=2.0, use_reentrant=True)
    y = checkpoint(lambda a, scale: a * scale, x, scale=2.0, use_reentrant=False)
    y.sum().backward()
    assert torch.equal(x.grad, torch.full((3, 4), 2.0))


def test_recomputation_saving_fewer_tensors_is_a_checkpoint_error():
    x = torch.ones(2, requires_grad=True)
    state = {"first": True}

    def f(a):
        out = a.sin()
        if state.pop("first", False):
            out = out.exp()
        return out
    y = checkpoint(f, x, use_reentrant=False)
    with pytest.raises(CheckpointError, match="A different number of tensors was saved during "
                       "the original forward and recomputation.\nNumber of tensors saved "
                       "during forward: 2\nNumber of tensors saved during recomputation: 1."):
        y.sum().backward()


@pytest.mark.parametrize("use_reentrant", [True, False])
def test_checkpoint_sequential_matches_the_plain_model(use_reentrant):
    torch.manual_seed(0)
    model = nn.Sequential(nn.Linear(4, 5), nn.ReLU(), nn.Linear(5, 3), nn.Tanh(), nn.Linear(3, 1))
    x = torch.randn(6, 4, requires_grad=True)
    model(x).sum().backward()
    plain = [p.grad.clone() for p in model.parameters()]
    model.zero_grad()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        out = checkpoint_sequential(model, 2, x, use_reentrant=use_reentrant)
    out.sum().backward()
    assert all(torch.equal(p.grad, g) for p, g in zip(model.parameters(), plain))


def test_retain_graph_backward_twice_recomputes_each_time():
    x = torch.tensor([0.5, 1.0], requires_grad=True)
    y = checkpoint(lambda a: (a * a).sin(), x, use_reentrant=False).sum()
    y.backward(retain_graph=True)
    y.backward()
    assert torch.allclose(x.grad, 2 * (2 * x * (x * x).cos()).detach())


def test_reentrant_checkpoint_refuses_backward_with_inputs_but_allows_it_after():
    x, w = _inputs()
    y = checkpoint(_f([]), x, w, use_reentrant=True).sum()
    with pytest.raises(RuntimeError, match="When use_reentrant=True"):
        y.backward(inputs=[x], retain_graph=True)
    y.backward()   # the refused run left no state behind
    assert x.grad.shape == (3, 4) and w.grad.shape == (4, 2)


def test_checkpoint_classes_print_as_pytorchs():
    from gradsh.nn.utils import prune
    assert repr(prune.L1Unstructured) == "<class 'torch.nn.utils.prune.L1Unstructured'>"
    assert repr(prune.L1Unstructured(0.5)).startswith(
        "<torch.nn.utils.prune.L1Unstructured object at 0x")
    assert CheckpointError.__module__ == "torch.utils.checkpoint"


def test_context_fn_gives_two_contexts_the_second_around_the_recomputation():
    x = torch.ones(2, requires_grad=True)
    log = []

    class Ctx:
        def __init__(self, name):
            self.name = name

        def __enter__(self):
            log.append("enter " + self.name)

        def __exit__(self, *exc):
            log.append("exit " + self.name)

    y = checkpoint(lambda a: a.exp(), x, use_reentrant=False,
                   context_fn=lambda: (Ctx("forward"), Ctx("recompute")))
    log.append("backward")
    y.sum().backward()
    assert log == ["enter forward", "exit forward", "backward", "enter recompute",
                   "exit recompute"]


@pytest.mark.parametrize("given, error, words", [
    (5, TypeError, "cannot unpack non-iterable int object"),
    ((None,), ValueError, r"not enough values to unpack \(expected 2, got 1\)"),
    ((None,) * 3, ValueError, r"too many values to unpack \(expected 2\)")])
def test_context_fn_not_giving_a_pair_is_pythons_unpacking_error(given, error, words):
    # PyTorch unpacks the pair: Python's own error, as here
    x = torch.ones(2, requires_grad=True)
    with pytest.raises(error, match=words):
        checkpoint(lambda a: a * 2, x, use_reentrant=False, context_fn=lambda: given)
