"""torch.fft's arguments read as PyTorch's signatures read them, against PyTorch itself (the
transforms' values are swept in tests/core/test_complex.py and the op sweep)."""

import pytest

import gradsh


@pytest.mark.parametrize("n", [True, 2.0, "4", None, 6, "np.int64", "tensor"])
@pytest.mark.parametrize("name", ["fft", "ifft", "rfft", "irfft", "hfft", "ihfft"])
def test_a_one_dim_transforms_n_is_read_as_pytorchs_int_argument(name, n):
    torch = pytest.importorskip("torch", reason="PyTorch is the oracle")
    import numpy as np

    def run(lib):
        given = np.int64(4) if n == "np.int64" else lib.tensor(4) if n == "tensor" else n
        try:
            return tuple(getattr(lib.fft, name)(lib.ones(4), n=given).shape)
        except TypeError as e:
            return str(e)
    assert run(gradsh) == run(torch)
