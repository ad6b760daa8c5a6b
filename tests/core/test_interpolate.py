"""F.interpolate and the Upsample modules against PyTorch: every mode's values, gradients and
grad-of-grad bit for bit in float32 and float64 (PyTorch's index arithmetic and its kernels'
fused multiply-adds), node names and saved values, and the refusals in PyTorch's words."""

import numpy as np
import pytest

import gradsh

torch = pytest.importorskip("torch", reason="PyTorch is the oracle for interpolate")

# (input shape, interpolate's keyword arguments): sizes where the scale is not a power of two,
# downsampling, align_corners, recompute_scale_factor, and the clamped borders of bicubic
CASES = [
    ((2, 2, 5), dict(scale_factor=1.7)),
    ((1, 2, 4, 5), dict(size=(7, 3))),
    ((1, 2, 4, 5), dict(scale_factor=(1.5, 2.3), mode="nearest-exact")),
    ((1, 1, 3, 4, 5), dict(scale_factor=(1.5, 2, 0.7), mode="nearest")),
    ((2, 2, 5), dict(scale_factor=2.5, mode="linear")),
    ((2, 2, 5), dict(size=3, mode="linear", align_corners=True)),
    ((1, 2, 9, 15), dict(size=(25, 31), mode="bilinear")),
    ((1, 2, 4, 5), dict(size=(7, 3), mode="bilinear", align_corners=True)),
    ((1, 2, 4, 5), dict(scale_factor=1.3, mode="bilinear", recompute_scale_factor=True)),
    ((1, 2, 9, 15), dict(scale_factor=3.3, mode="bicubic")),
    ((1, 2, 5, 6), dict(size=(17, 13), mode="bicubic", align_corners=True)),
    ((1, 2, 9, 15), dict(size=(4, 7), mode="bicubic")),
    ((1, 1, 3, 4, 5), dict(scale_factor=(1.5, 2, 0.7), mode="trilinear")),
    ((1, 1, 3, 4, 5), dict(size=(2, 5, 6), mode="trilinear", align_corners=True)),
    ((1, 2, 4, 5), dict(scale_factor=0.6, mode="area")),
]


def _facts(lib, shape, kwargs, dtype):
    rng = np.random.default_rng(0)
    x = lib.tensor(rng.standard_normal(shape).astype(dtype), requires_grad=True)
    y = lib.nn.functional.interpolate(x, **kwargs)
    g = lib.tensor(rng.standard_normal(tuple(y.shape)).astype(dtype), requires_grad=True)
    gx, = lib.autograd.grad(y, x, g, create_graph=True)
    ggx, = lib.autograd.grad(gx, g, lib.ones(tuple(gx.shape), dtype=gx.dtype))
    return ([t.detach().numpy() for t in (y, gx, ggx)],
            [y.grad_fn.name(), gx.grad_fn.name()])


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("shape,kwargs", CASES)
def test_interpolate_matches_pytorch_bit_for_bit(shape, kwargs, dtype):
    (ours, our_names), (theirs, their_names) = (_facts(lib, shape, kwargs, dtype)
                                                for lib in (gradsh, torch))
    assert our_names == their_names
    for a, b in zip(ours, theirs):
        np.testing.assert_array_equal(a, b)


def _saved(lib):
    x = lib.ones(1, 1, 2, 3, requires_grad=True)
    fn = lib.nn.functional.interpolate(x, scale_factor=(2, 1.5), mode="bilinear").grad_fn
    return (fn.name(), fn._saved_align_corners, tuple(fn._saved_output_size),
            fn._saved_scales_h, fn._saved_scales_w, tuple(fn._saved_self_sym_sizes))


def test_the_node_saves_what_pytorchs_saves():
    assert _saved(gradsh) == _saved(torch)


BAD = {
    "align_corners with nearest": dict(scale_factor=2, align_corners=True),
    "size and scale": dict(size=4, scale_factor=2),
    "neither": dict(),
    "size length": dict(size=(4, 4), mode="linear"),
    "float size": dict(size=(4.0,), mode="linear"),
    "scale length": dict(scale_factor=(2, 2)),
    "recompute with size": dict(size=4, recompute_scale_factor=True),
    "antialias linear": dict(size=4, mode="linear", antialias=True),
    "zero size": dict(size=0),
    "bilinear of 3-d": dict(size=4, mode="bilinear"),
    "unknown mode": dict(size=4, mode="cubic"),
    "negative scale": dict(scale_factor=-1.0, mode="linear"),
}


def _refusal(lib, kwargs, x=None):
    with pytest.raises(Exception) as info:
        lib.nn.functional.interpolate(lib.ones(1, 2, 3) if x is None else x(lib), **kwargs)
    return type(info.value).__name__, str(info.value)


@pytest.mark.parametrize("name", list(BAD))
def test_refusals_have_pytorchs_class_and_words(name):
    assert _refusal(gradsh, BAD[name]) == _refusal(torch, BAD[name])


def test_integer_inputs_are_refused_as_pytorch_refuses_them():
    long_input = lambda lib: lib.tensor([[[1, 2, 3]]])  # noqa: E731
    for mode in ("nearest", "linear"):
        assert _refusal(gradsh, dict(size=4, mode=mode), long_input) == \
            _refusal(torch, dict(size=4, mode=mode), long_input)


def test_upsample_modules_print_and_compute_as_pytorchs():
    outs = []
    for lib in (gradsh, torch):
        nn = lib.nn
        model = nn.Sequential(nn.Upsample(scale_factor=2, mode="bilinear"),
                              nn.UpsamplingNearest2d(scale_factor=(2, 3)),
                              nn.UpsamplingBilinear2d(size=5), nn.Upsample(size=(3, 4)))
        x = lib.arange(6, dtype=lib.float32).reshape(1, 1, 2, 3)
        outs.append((repr(model), model(x).numpy(), [m(x).numpy() for m in model]))
    assert outs[0][0] == outs[1][0]
    np.testing.assert_array_equal(outs[0][1], outs[1][1])
    for a, b in zip(outs[0][2], outs[1][2]):
        np.testing.assert_array_equal(a, b)
