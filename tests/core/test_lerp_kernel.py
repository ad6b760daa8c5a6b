"""lerp rounds as PyTorch's CPU kernel: one fused multiply-add from the nearer end (checked bit
for bit against PyTorch when it is installed; quantile's interpolation is this lerp)."""

import numpy as np
import pytest

import gradsh


def _inputs(dtype, n, seed):
    rng = np.random.default_rng(seed)
    a, b = rng.standard_normal(n).astype(dtype), rng.standard_normal(n).astype(dtype)
    return a, b, (rng.random(n) * 1.4 - 0.2).astype(dtype)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("n", [7, 37, 1000])
def test_lerp_is_bit_identical_to_pytorch(dtype, n):
    torch = pytest.importorskip("torch", reason="PyTorch not installed: the oracle is needed")
    a, b, w = _inputs(dtype, n, n)
    got = gradsh.lerp(gradsh.tensor(a), gradsh.tensor(b), gradsh.tensor(w)).numpy()
    want = torch.lerp(torch.tensor(a), torch.tensor(b), torch.tensor(w)).numpy()
    assert got.tobytes() == want.tobytes()
    for weight in (0.3, 0.7, -0.2):
        got = gradsh.lerp(gradsh.tensor(a), gradsh.tensor(b), weight).numpy()
        want = torch.lerp(torch.tensor(a), torch.tensor(b), weight).numpy()
        assert got.tobytes() == want.tobytes()

