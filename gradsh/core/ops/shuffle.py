"""Rearranging channels: pixel_shuffle, pixel_unshuffle and channel_shuffle (PyTorch's nodes:
each one's gradient is its inverse rearrangement, recorded again under create_graph)."""


from . import prim as P
from ..layout import contiguous, in_format_of
from .base import format_result, needs_grad, record, rule
from .pointwise import NotImplementedBackward
from .registry import declare
from ..tensor import TENSOR_TYPES


def _shuffle_array(d, r):
    """(*, C r^2, H, W) -> (*, C, H r, W r):
    out[c, h r + i, w r + j] = in[c r^2 + i r + j, h, w]."""
    *lead, c, h, w = d.shape
    x = d.reshape(*lead, c // (r * r), r, r, h, w)
    n = len(lead)
    x = x.transpose(*range(n), n, n + 3, n + 1, n + 4, n + 2)
    return x.reshape(*lead, c // (r * r), h * r, w * r)


def _unshuffle_array(d, r):
    """The inverse: (*, C, H r, W r) -> (*, C r^2, H, W)."""
    *lead, c, h, w = d.shape
    x = d.reshape(*lead, c, h // r, r, w // r, r)
    n = len(lead)
    x = x.transpose(*range(n), n, n + 2, n + 4, n + 1, n + 3)
    return x.reshape(*lead, c * r * r, h // r, w // r)


def _channel_shuffle_array(d, groups):
    n, c = d.shape[:2]
    x = d.reshape(n, groups, c // groups, *d.shape[2:]).swapaxes(1, 2)
    return x.reshape(d.shape)


def _apply(fn, g, *args):
    """fn's rearrangement of g: the recorded op on a tensor, plain numpy on an array (a new
    array in the memory format g suggests, as the op's forward: numpy's reshape may give a view
    of an expanded g)."""
    if type(g) in TENSOR_TYPES:
        return fn(g, *args)
    return in_format_of(contiguous(_ARRAYS[fn](g, *args)), g, volumes=fn is channel_shuffle)


@rule
def PixelShuffleBackward0(need, g, upscale_factor):
    return (_apply(pixel_unshuffle, g, upscale_factor),)


@rule
def PixelUnshuffleBackward0(need, g, downscale_factor):
    return (_apply(pixel_shuffle, g, downscale_factor),)


@rule
def ChannelShuffleBackward0(need, g, groups):
    return (_apply(channel_shuffle, g, P.data(g).shape[1] // groups),)


def _check_rank(d, name):
    if d.ndim < 3:
        raise RuntimeError(f"{name} expects input to have at least 3 dimensions, but got input "
                           f"with {d.ndim} dimension(s)")


@declare(method=False, nn=True, tensor_first=True)
def pixel_shuffle(input, upscale_factor):
    """(*, C r^2, H, W) -> (*, C, H r, W r)."""
    d = input._data
    _check_rank(d, "pixel_shuffle")
    r = upscale_factor
    if r <= 0:
        raise RuntimeError(f"pixel_shuffle expects a positive upscale_factor, but got {r}")
    if d.shape[-3] % (r * r):
        raise RuntimeError("pixel_shuffle expects its input's 'channel' dimension to be divisible "
                           f"by the square of upscale_factor, but input.size(-3)={d.shape[-3]} "
                           f"is not divisible by {r * r}")
    out = format_result(_shuffle_array(d, r), d)
    if needs_grad(input):
        record(out, PixelShuffleBackward0, (input,), (r,))
    return out


@declare(method=False, nn=True, tensor_first=True)
def pixel_unshuffle(input, downscale_factor):
    """(*, C, H r, W r) -> (*, C r^2, H, W)."""
    d = input._data
    _check_rank(d, "pixel_unshuffle")
    r = downscale_factor
    if r <= 0:
        raise RuntimeError(f"pixel_unshuffle expects a positive downscale_factor, but got {r}")
    for name, k in (("height", -2), ("width", -1)):
        if d.shape[k] % r:
            raise RuntimeError(f"pixel_unshuffle expects {name} to be divisible by "
                               f"downscale_factor, but input.size({k})={d.shape[k]} is not "
                               f"divisible by {r}")
    out = format_result(_unshuffle_array(d, r), d)
    if needs_grad(input):
        record(out, PixelUnshuffleBackward0, (input,), (r,))
    return out


@declare(method=False, nn=True, tensor_first=True)
def channel_shuffle(input, groups):
    """(N, C, *) with its channels regrouped: channel g * (C / groups) + k goes to
    k * groups + g."""
    out = _shuffled_channels(input, groups)
    if needs_grad(input):
        record(out, ChannelShuffleBackward0, (input,), (groups,))
    return out


@declare(method=False, nn=True, tensor_first=True)
def native_channel_shuffle(input, groups):
    """channel_shuffle's values; PyTorch gives this op no derivative (its NotImplemented node)."""
    out = _shuffled_channels(input, groups)
    if needs_grad(input):
        record(out, NotImplementedBackward, (input,), ("native_channel_shuffle",))
    return out


def _shuffled_channels(input, groups):
    d = input._data
    if groups <= 0:
        raise RuntimeError(f"Number of groups to divide channels in must be positive. Value of "
                           f"groups:{groups}")
    if d.ndim <= 2:
        raise RuntimeError(f"channel_shuffle expects input with > 2 dims, but got input with "
                           f"sizes {list(d.shape)}")
    if d.shape[1] % groups:
        raise RuntimeError(f"Number of channels must be divisible by groups. Got {d.shape[1]} "
                           f"channels and {groups} groups.")
    return format_result(_channel_shuffle_array(d, groups), d, volumes=True)


_ARRAYS = {pixel_shuffle: _shuffle_array, pixel_unshuffle: _unshuffle_array,
           channel_shuffle: _channel_shuffle_array}
