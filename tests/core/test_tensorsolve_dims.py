"""torch.linalg.tensorsolve's `dims` read as PyTorch's int-list parser reads it, before any
work (the API fuzzer's seed-4 sample passed a tensor of many rows there and waited on a Python
loop over it)."""

import pytest

import gradsh

DIMS = [3, (0,), [0.5], (True,), "x", "tensor([0])", "[tensor(0)]", None, (), 2.0]


def _outcome(lib, dims):
    dims = {"tensor([0])": lib.tensor([0]), "[tensor(0)]": [lib.tensor(0)]}.get(dims, dims) \
        if isinstance(dims, str) else dims
    A = lib.eye(6, dtype=lib.float64).reshape(6, 2, 3)
    B = lib.arange(6.0, dtype=lib.float64)
    try:
        return "ok", lib.linalg.tensorsolve(A, B, dims=dims).tolist()
    except Exception as e:
        return type(e).__name__, str(e)


@pytest.mark.parametrize("dims", DIMS, ids=repr)
def test_dims_as_pytorch(dims):
    torch = pytest.importorskip("torch", reason="PyTorch is the oracle")
    assert _outcome(gradsh, dims) == _outcome(torch, dims)
