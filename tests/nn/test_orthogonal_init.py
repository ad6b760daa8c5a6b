"""nn.init.orthogonal_ as PyTorch 2.13: the same normal draws and steps (flatten, transpose when
wide, QR, the signs of R's diagonal, gain). The QR is numpy's LAPACK, so values agree with
PyTorch's within a few ulps (measured in docs/nn.md), not bit for bit."""

import numpy as np
import pytest

import gradsh as torch


@pytest.mark.parametrize("shape", [(3, 3), (4, 2), (2, 5), (6, 3, 2), (8, 64)])
@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_orthogonal_rows_or_columns_scaled_by_gain(shape, dtype):
    w = torch.empty(*shape, dtype=getattr(torch, dtype))
    assert torch.nn.init.orthogonal_(w, gain=2.0) is w
    m = w.reshape(shape[0], -1).numpy().astype(np.float64)
    small = m @ m.T if m.shape[0] <= m.shape[1] else m.T @ m
    np.testing.assert_allclose(small, 4.0 * np.eye(len(small)), atol=1e-5)


def test_pytorchs_values_under_manual_seed():
    torch.manual_seed(0)
    w = torch.nn.init.orthogonal_(torch.empty(2, 3, dtype=torch.float64), gain=2.0)
    # printed by PyTorch 2.13 (its LAPACK's last bits may differ from numpy's)
    np.testing.assert_allclose(w.numpy(), [
        [1.1479616534890642, -0.21858921644043347, -1.6230843467221934],
        [-0.690830336682937, -1.8617655011963041, -0.23787110895149477]], rtol=0, atol=1e-14)


def test_orthogonal_refuses_a_vector_and_leaves_an_empty_tensor():
    with pytest.raises(ValueError, match="Only tensors with 2 or more dimensions are supported"):
        torch.nn.init.orthogonal_(torch.empty(3))
    e = torch.empty(0, 3)
    assert torch.nn.init.orthogonal_(e) is e
