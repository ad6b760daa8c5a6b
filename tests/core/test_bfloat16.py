"""torch.bfloat16 exists (its limits are PyTorch 2.13's torch.finfo), but numpy has no bfloat16
type, so gradsh refuses to make a tensor of it with a clear TypeError (docs/autograd.md)."""

import pytest

import gradsh as torch

NO_ARRAYS = (r"^gradsh cannot make torch\.bfloat16 tensors \(numpy has no such type\): use "
             r"torch\.float16 or torch\.float32$")


def test_the_dtype_names_itself_and_its_limits_as_pytorch():
    assert repr(torch.bfloat16) == "torch.bfloat16"
    assert torch.bfloat16.is_floating_point and torch.bfloat16.itemsize == 2
    assert repr(torch.finfo(torch.bfloat16)) == (
        "finfo(resolution=0.01, min=-3.38953e+38, max=3.38953e+38, eps=0.0078125, "
        "smallest_normal=1.17549e-38, tiny=1.17549e-38, dtype=bfloat16)")
    assert torch.finfo(torch.bfloat16).max == 3.3895313892515355e+38


@pytest.mark.parametrize("make", [
    lambda: torch.tensor([1.0], dtype=torch.bfloat16), lambda: torch.ones(2).to(torch.bfloat16),
    lambda: torch.zeros(2, dtype=torch.bfloat16), lambda: torch.set_default_dtype(torch.bfloat16)])
def test_a_bfloat16_tensor_is_refused_with_the_remedy(make):
    with pytest.raises(TypeError, match=NO_ARRAYS):
        make()
    assert torch.get_default_dtype() is torch.float32
