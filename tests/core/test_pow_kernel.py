"""pow with a number exponent as PyTorch's CPU kernel computes it in float32 (facts from
PyTorch 2.13: a small integer power is repeated multiplication there)."""

import numpy as np
import pytest

import gradsh as torch


def test_cube_is_repeated_multiplication():
    # PyTorch 2.13: (torch.tensor(-0.9413776993751526)**3).item() == -0.8342413306236267
    assert (torch.tensor(-0.9413776993751526) ** 3).item() == -0.8342413306236267


@pytest.mark.parametrize("exponent,formula", [
    (3, lambda a: a * a * a),
    (-2, lambda a: np.float32(1) / (a * a)),
    (-0.5, lambda a: np.float32(1) / np.sqrt(a)),
])
def test_special_exponents(exponent, formula):
    a = np.random.default_rng(0).uniform(0.1, 3.0, 500).astype(np.float32)
    got = (torch.tensor(a) ** exponent).numpy()
    assert np.array_equal(got, formula(a))


def test_gradient_uses_the_same_kernel():
    # d x**4 = 4 * x**3, with x**3 as x * x * x (PyTorch's pow_backward calls pow again)
    a = np.random.default_rng(1).uniform(-3.0, 3.0, 500).astype(np.float32)
    x = torch.tensor(a, requires_grad=True)
    (x ** 4).sum().backward()
    assert np.array_equal(x.grad.numpy(), np.float32(4) * (a * a * a))
