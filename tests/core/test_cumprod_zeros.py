"""cumprod's gradient where an input is zero, against PyTorch: exact in O(n) (the first zero of
each row, the usual formula before it, zero after it), so a 10**7-element row with a zero is
a second's work, not n**2 (the hostile round-16 program cb-cumsum-grad hung on it)."""

import numpy as np
import pytest

import gradsh

torch = pytest.importorskip("torch", reason="PyTorch is the oracle")


@pytest.mark.parametrize("shape, dim", [((7,), 0), ((4, 6), 1), ((5, 3), 0), ((2, 3, 5), -1),
                                        ((1,), 0), ((3, 1), 1), ((2, 0, 3), 2)])
def test_cumprod_gradient_with_zeros_is_pytorchs(shape, dim):
    rng = np.random.default_rng(sum(shape) + dim)
    for trial in range(20):
        a = rng.standard_normal(shape)
        a[rng.random(shape) < (0.2, 0.5, 0.9)[trial % 3]] = 0
        g = rng.standard_normal(shape)
        outs = []
        for L in (torch, gradsh):
            x = L.tensor(a, requires_grad=True)
            x.cumprod(dim).backward(L.tensor(g))
            outs.append(x.grad.numpy())
        np.testing.assert_allclose(outs[1], outs[0], rtol=1e-12, atol=1e-12)


def test_a_long_row_with_a_zero_takes_linear_work():
    x = gradsh.ones(10 ** 6, dtype=gradsh.float64)
    with gradsh.no_grad():
        x[10] = 0
    x.requires_grad_()
    x.cumprod(0).sum().backward()
    want = np.zeros(10 ** 6)
    want[:10] = 10 - np.arange(10)  # before the zero: the products r_j, j = i..9, over x_i
    want[10] = 10 ** 6 - 10  # the sum over j >= 10 of the products of x_11..x_j
    np.testing.assert_array_equal(x.grad.numpy(), want)
