"""`fn.__name__` of every public function is PyTorch's (core/function_names.py): aliases
(`torch.arccos` is 'arccos', not acos's name), torch.special's 'special_*', torch.fft's 'fft_*',
torch.linalg's 'linalg_*', F.logsigmoid's 'log_sigmoid', and no lambda or helper's name."""

import pytest

import gradsh
import gradsh.nn.functional
import gradsh.nn.init
from gradsh.core import function_names


def _surfaces(torch):
    return [("torch", torch, gradsh), ("special", torch.special, gradsh.special),
            ("linalg", torch.linalg, gradsh.linalg), ("fft", torch.fft, gradsh.fft),
            ("F", torch.nn.functional, gradsh.nn.functional),
            ("init", torch.nn.init, gradsh.nn.init), ("Tensor", torch.Tensor, gradsh.Tensor)]


def test_every_public_function_has_pytorchs_name():
    torch = pytest.importorskip("torch", reason="PyTorch is the oracle for function names")
    import torch.nn.functional  # noqa: F401
    wrong, checked = [], 0
    for surface, theirs, ours in _surfaces(torch):
        for attr in dir(theirs):
            t, g = getattr(theirs, attr, None), getattr(ours, attr, None)
            if attr.startswith("_") or t is None or g is None or isinstance(t, type) \
                    or not callable(t) or not isinstance(getattr(t, "__name__", None), str):
                continue
            checked += 1
            if getattr(g, "__name__", None) != t.__name__:
                wrong.append((surface, attr, t.__name__, getattr(g, "__name__", None)))
    assert checked > 1300
    assert wrong == []


def test_an_alias_keeps_its_op_working_under_its_own_name():
    x = gradsh.tensor([0.25, -0.5], requires_grad=True)
    y = gradsh.arccos(x)
    assert gradsh.arccos.__name__ == "arccos" and gradsh.acos.__name__ == "acos"
    assert y.grad_fn.name() == "AcosBackward0"
    y.sum().backward()
    expected = [-1 / (1 - v * v) ** 0.5 for v in (0.25, -0.5)]
    assert x.grad.tolist() == pytest.approx(expected)
    assert gradsh.special.expit.__name__ == "special_expit"
    assert gradsh.nn.functional.logsigmoid.__name__ == "log_sigmoid"
    assert gradsh.tensor([1.0]).arccos.__name__ == "arccos"


def test_renamed_copy_shares_code_and_defaults():
    def f(a, b=2, *, c=3):
        return a + b + c
    g = function_names.renamed(f, "other")
    assert g.__name__ == "other" and g.__code__ is f.__code__
    assert g(1) == 6 and g(1, c=0) == 3 and f.__name__ == "f"
