"""Convolutions beyond the checker's samples (tests/core/test_nn_layers.py, the op sweep): the
refusals of bad shapes and arguments in PyTorch's words, ConvTranspose's output_size argument,
and the saved values of ConvolutionBackward0, against PyTorch."""

import numpy as np
import pytest

import gradsh

torch = pytest.importorskip("torch", reason="PyTorch is the oracle for the convolutions' errors")


def _ones(lib):
    return lambda *shape: lib.ones(*shape)


# each fn(F, nn, ones) builds and runs a refused convolution
BAD = {
    "transposed channels": lambda F, nn, r: F.conv_transpose1d(r(1, 5, 5), r(4, 3, 3)),
    "weight not divisible by groups": lambda F, nn, r: F.conv_transpose1d(r(1, 4, 5), r(4, 3, 3),
                                                                          groups=3),
    "grouped channels": lambda F, nn, r: F.conv1d(r(1, 3, 5), r(4, 2, 3), groups=2),
    "output_padding 1d": lambda F, nn, r: F.conv_transpose1d(r(1, 4, 5), r(4, 3, 3), stride=2,
                                                             output_padding=2),
    "output_padding 3d": lambda F, nn, r: F.conv_transpose3d(r(1, 4, 5, 5, 5), r(4, 3, 3, 3, 3),
                                                             stride=2, output_padding=2),
    "output too small 1d": lambda F, nn, r: F.conv_transpose1d(r(1, 4, 1), r(4, 3, 3), padding=3),
    "output too small 2d": lambda F, nn, r: F.conv_transpose2d(r(1, 4, 1, 1), r(4, 3, 3, 3),
                                                               padding=3),
    "input dims": lambda F, nn, r: F.conv_transpose1d(r(2, 4, 4, 5), r(4, 3, 3)),
    "weight dims": lambda F, nn, r: F.conv_transpose2d(r(2, 4, 5), r(4, 3, 3)),
    "weight dims batched": lambda F, nn, r: F.conv_transpose1d(r(1, 4, 5), r(4, 3, 3, 3)),
    "string padding": lambda F, nn, r: F.conv_transpose1d(r(1, 4, 5), r(4, 3, 3), padding="same"),
    "unbatched 3d channels": lambda F, nn, r: F.conv3d(r(1, 4, 5, 5), r(4, 4, 3, 3, 3)),
    "stride": lambda F, nn, r: F.conv3d(r(1, 4, 5, 5, 5), r(4, 4, 3, 3, 3), stride=0),
    "padding": lambda F, nn, r: F.conv_transpose1d(r(1, 4, 5), r(4, 3, 3), padding=-1),
    "groups": lambda F, nn, r: F.conv_transpose1d(r(1, 4, 5), r(4, 3, 3), groups=0),
    "transposed bias": lambda F, nn, r: F.conv_transpose1d(r(1, 4, 5), r(4, 3, 3), r(5)),
    "bias": lambda F, nn, r: F.conv1d(r(1, 4, 5), r(3, 4, 3), r(5)),
    "dtypes": lambda F, nn, r: F.conv_transpose1d(r(1, 4, 5).double(), r(4, 3, 3)),
    "bias dtype": lambda F, nn, r: F.conv2d(r(1, 4, 5, 5), r(3, 4, 3, 3), r(3).double()),
    "kernel too large": lambda F, nn, r: F.conv1d(r(1, 4, 2), r(3, 4, 3)),
    "stride length": lambda F, nn, r: F.conv1d(r(1, 4, 2), r(3, 4, 3), stride=(1, 1)),
    "output_padding length": lambda F, nn, r: F.conv_transpose1d(r(1, 4, 2), r(4, 3, 3),
                                                                 output_padding=(1, 1)),
    "same strided": lambda F, nn, r: F.conv1d(r(1, 4, 5), r(3, 4, 2), padding="same", stride=2),
    "bad padding string": lambda F, nn, r: F.conv1d(r(1, 4, 5), r(3, 4, 2), padding="foo"),
    "module groups": lambda F, nn, r: nn.Conv1d(4, 3, 2, groups=2),
    "module same strided": lambda F, nn, r: nn.Conv1d(4, 3, 2, padding="same", stride=2),
    "transposed padding mode": lambda F, nn, r: nn.ConvTranspose2d(4, 3, 2, padding_mode="reflect"),
    "output_size range": lambda F, nn, r: nn.ConvTranspose2d(4, 3, 2, stride=2)(
        r(1, 4, 3, 3), output_size=(9, 9)),
    "output_size length": lambda F, nn, r: nn.ConvTranspose2d(4, 3, 2, stride=2)(
        r(4, 3, 3), output_size=(7,)),
}


def _refusal(lib, make):
    with pytest.raises(Exception) as info:
        make(lib.nn.functional, lib.nn, _ones(lib))
    return type(info.value).__name__, str(info.value).split(" (Triggered internally")[0]


@pytest.mark.parametrize("name", list(BAD))
def test_refusals_have_pytorchs_class_and_words(name):
    assert _refusal(gradsh, BAD[name]) == _refusal(torch, BAD[name])


@pytest.mark.parametrize("output_size", [(7, 5), [1, 3, 6, 5], (3, 7, 4)])
def test_conv_transpose_output_size_picks_pytorchs_output_padding(output_size):
    outs = []
    for lib in (gradsh, torch):
        lib.manual_seed(0)
        layer = lib.nn.ConvTranspose2d(4, 3, 2, stride=2, padding=(0, 1)).double()
        x = lib.arange(36, dtype=lib.float64).reshape(
            ((1,) if len(output_size) == 4 else ()) + (4, 3, 3))
        outs.append(layer(x, output_size=output_size).detach().numpy())
    np.testing.assert_allclose(outs[0], outs[1], rtol=1e-13, atol=1e-13)


def _saved(lib, transposed):
    x = lib.ones(1, 4, 5, dtype=lib.float64, requires_grad=True)
    w = lib.ones(4, 2, 3, dtype=lib.float64, requires_grad=True)
    if transposed:
        y = lib.nn.functional.conv_transpose1d(x, w, lib.ones(4, dtype=lib.float64), 2, 1, 1, 2)
    else:
        y = lib.nn.functional.conv1d(x, w, None, 2, 1, 2, 2)
    fn = y.grad_fn
    sizes = [fn._saved_bias_sym_sizes_opt, fn._saved_stride, fn._saved_padding,
             fn._saved_dilation, fn._saved_output_padding]
    return (fn.name(), [tuple(s) for s in sizes], fn._saved_transposed, fn._saved_groups,
            fn._saved_input.shape == x.shape, fn._saved_weight.shape == w.shape)


@pytest.mark.parametrize("transposed", [False, True])
def test_convolution_node_saves_what_pytorchs_saves(transposed):
    assert _saved(gradsh, transposed) == _saved(torch, transposed)
