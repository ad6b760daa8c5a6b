"""A convolution whose kernel has a zero-sized dim is refused at the call, with PyTorch's words
for each kind (a 1-d convolution reports itself as a 2-d one of height 1), compared with
PyTorch itself."""

import warnings

import pytest

import gradsh

torch = pytest.importorskip("torch", reason="PyTorch is the oracle for these refusals")

CASES = {
    "conv1d": lambda t: t.nn.Conv1d(1, 1, 0)(t.ones(1, 1, 3)),
    "conv2d": lambda t: t.nn.Conv2d(1, 1, 0)(t.ones(1, 1, 3, 3)),
    "conv2d (0, 2)": lambda t: t.nn.Conv2d(1, 1, (0, 2))(t.ones(1, 1, 3, 3)),
    "conv3d": lambda t: t.nn.Conv3d(1, 1, 0)(t.ones(1, 1, 3, 3, 3)),
    "conv_transpose2d": lambda t: t.nn.ConvTranspose2d(1, 1, 0)(t.ones(1, 1, 3, 3)),
    "F.conv2d": lambda t: t.nn.functional.conv2d(t.ones(1, 1, 3, 3), t.ones(1, 1, 0, 0)),
}


def _outcome(mod, case):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # (both warn that zero-element tensors are not filled)
        try:
            return list(CASES[case](mod).shape)
        except Exception as e:  # noqa: BLE001 - the refusal is what is compared
            return type(e).__name__, str(e)


@pytest.mark.parametrize("case", CASES)
def test_a_zero_sized_kernel_is_refused_as_pytorch_refuses_it(case):
    assert _outcome(gradsh, case) == _outcome(torch, case)
