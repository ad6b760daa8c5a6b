"""torch.inference_mode: inference tensors and PyTorch's three refusals."""

import pytest

import gradsh as torch
from gradsh.core import errors


def script(torch):
    """A run over inference mode's rules; returns what it observed, to compare with PyTorch."""
    seen = []
    with torch.inference_mode():
        x = torch.ones(3)
        seen.append((torch.is_inference_mode_enabled(), torch.is_grad_enabled(), x.is_inference()))
    seen.append((torch.is_inference_mode_enabled(), x.is_inference(), torch.ones(1).is_inference()))
    w = torch.ones(3, requires_grad=True)
    attempts = [lambda: w * x, lambda: x.add_(1), lambda: x.requires_grad_(),
                lambda: x.__setitem__(0, 5.), lambda: x.exp(), lambda: (w + x).sum().backward(),
                lambda: x.requires_grad_(False), lambda: x[0:2].mul_(2), lambda: x._version,
                lambda: setattr(x, "requires_grad", True), lambda: (w * 1).exp() * x]
    for attempt in attempts:
        try:
            attempt()
            seen.append("ok")
        except RuntimeError as e:
            seen.append(str(e))
        seen.append(x.tolist())   # PyTorch refuses an in-place update after writing it
    with torch.inference_mode():
        z = w * 2
        seen.append((z.requires_grad, z.grad_fn is None, z.is_inference()))
        x.add_(1)
        t = torch.ones(2, requires_grad=True)
        seen.append((t.requires_grad, t.is_inference(), x.tolist()))
        with torch.inference_mode(False):
            seen.append((torch.is_inference_mode_enabled(), torch.is_grad_enabled(),
                         torch.ones(1).is_inference()))
    seen.append((x.detach().is_inference(), x.data.is_inference(), x.clone().is_inference(),
                 (x + 1).is_inference(), x[0].is_inference()))
    with torch.inference_mode():
        v = w[0:2]
    seen.append((v.is_inference(), v.requires_grad))
    return seen


def test_inference_mode_matches_pytorch():
    real = pytest.importorskip("torch", reason="PyTorch not installed: differential test skipped")
    assert script(torch) == script(real)


def test_the_three_refusals_say_what_pytorch_says():
    with torch.inference_mode():
        x = torch.ones(2)
    w = torch.ones(2, requires_grad=True)
    with pytest.raises(RuntimeError, match="Inference tensors cannot be saved for backward"):
        w * x
    with pytest.raises(RuntimeError) as e:
        x.mul_(2)
    assert str(e.value) == errors.INFERENCE_INPLACE
    assert x.tolist() == [2.0, 2.0]
    with pytest.raises(RuntimeError, match="^Setting requires_grad=True on inference tensor"):
        x.requires_grad_()
    with torch.no_grad(), pytest.raises(RuntimeError, match="^Inplace update to inference"):
        x.zero_()
    assert (w + x.clone() * 1).requires_grad and not x.clone().is_inference()


def test_decorator_forms_and_nesting():
    w = torch.ones(2, requires_grad=True)

    @torch.inference_mode
    def bare(a):
        return a * 2

    @torch.inference_mode(mode=False)
    def off(a):
        return a * 2

    assert bare(w).is_inference() and not bare(w).requires_grad
    assert off(w).requires_grad and not off(w).is_inference()
    with torch.no_grad():
        with torch.inference_mode():
            assert torch.is_inference_mode_enabled()
        assert not torch.is_inference_mode_enabled() and not torch.is_grad_enabled()
    assert torch.is_grad_enabled()


def test_mode_ends_when_the_block_raises():
    with pytest.raises(ValueError):
        with torch.inference_mode():
            raise ValueError
    assert not torch.ones(1).is_inference() and torch.is_grad_enabled()
