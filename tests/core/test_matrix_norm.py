"""torch.linalg.norm of a matrix with an order is a matrix norm, as PyTorch's: values,
gradients and nodes against PyTorch; an order it does not support is its RuntimeError."""

import math

import pytest

import gradsh

ORDERS = [1, -1, math.inf, -math.inf, "fro"]
ROWS = [[1.0, -2.0, 3.0], [4.0, 5.0, -6.0]]


@pytest.mark.parametrize("ord", ORDERS)
@pytest.mark.parametrize("dim", [None, (1, 0)])
def test_matrix_norms_are_pytorchs(ord, dim):
    torch = pytest.importorskip("torch", reason="PyTorch is the oracle")
    outs = []
    for lib in (gradsh, torch):
        a = lib.tensor(ROWS, requires_grad=True)
        r = lib.linalg.norm(a, ord) if dim is None else lib.linalg.norm(a, ord, dim)
        r.backward()
        outs.append((r.item(), a.grad.tolist(), type(r.grad_fn).__name__))
    assert outs[0] == outs[1]


@pytest.mark.parametrize("ord, shown", [("a", "a"), (1.5, "1.5"), (3.0, "3")])
def test_an_order_no_matrix_norm_has_is_pytorchs_error(ord, shown):
    with pytest.raises(RuntimeError, match=r"^linalg\.matrix_norm: Order %s not supported\.$"
                       % shown):
        gradsh.linalg.norm(gradsh.tensor(ROWS), ord)
