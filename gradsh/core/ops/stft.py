"""torch.stft / torch.istft (and the Tensor methods): the short-time Fourier transform, composed
of the views and transforms gradsh already derives, in PyTorch's order, so the graph is
PyTorch's (ReflectionPad1DBackward0, AsStridedBackward0, MulBackward0, FftR2CBackward0,
TransposeBackward1, SqueezeBackward4 for stft; FftC2RBackward0, MulBackward0,
UnfoldBackwardBackward0, SliceBackward0, DivBackward0, SqueezeBackward1 for istft).

stft: a centred signal is padded by n_fft // 2 on each side (pad_mode), cut into frames of n_fft
every hop_length samples, each frame multiplied by the window (zero-padded to n_fft, centred),
then transformed (one-sided for a real signal and window). istft inverts it: inverse transform
of each frame, times the window, overlap-added, divided by the overlap-added squared window
(the transform is only invertible where that envelope is not zero).
"""

import numpy as np

from .. import errors
from ..node import rule
from ..tensor import Tensor
from .aliases import tensor_unfold
from .base import make, needs_grad, record
from .complex_ops import view_as_complex, view_as_real
from .fft import _c2c, _c2r, _r2c
from .inplace import transpose_
from .inplace_more import squeeze_
from .padding import constant_pad_nd, pad as _pad
from .registry import declare
from .shape import slice_dim, squeeze, transpose, unsqueeze
from .strided import as_strided
from .views import positions
from . import prim as P

_NO_WINDOW = ("A window was not provided. A rectangular window will be applied,which is known to "
              "cause spectral leakage. Other windows such as torch.hann_window or "
              "torch.hamming_window are recommended to reduce spectral leakage.To suppress this "
              "warning and use a rectangular window, explicitly set `window=torch.ones(n_fft, "
              "device=<device>)`." + errors.triggered_at(
                  "aten/src/ATen/native/SpectralOps.cpp:835"))
_NO_WINDOW_INVERSE = (
    "A window was not provided. A rectangular window will be applied.Please provide the same "
    "window used by stft to make the inversion lossless.To suppress this warning and use a "
    "rectangular window, explicitly set `window=torch.ones(n_fft, device=<device>)`."
    + errors.triggered_at("aten/src/ATen/native/SpectralOps.cpp:1035"))
_REAL_FORMAT = (
    "stft with return_complex=False is deprecated. In a future pytorch release, stft will return "
    "complex tensors for all inputs, and return_complex=False will raise an error.\nNote: you can "
    "still call torch.view_as_real on the complex output to recover the old return format."
    + errors.triggered_at("aten/src/ATen/native/SpectralOps.cpp:874"))
_NEED_RETURN_COMPLEX = ("stft requires the return_complex parameter be given for real inputs, and "
                        "will further require that return_complex=True in a future PyTorch "
                        "release.")


def _flag(value):
    return "None" if value is None else str(int(bool(value)))


def _describe(x, window):
    if window is None:
        return "None"
    return f"torch.{window.dtype._legacy}{{{list(window.shape)}}}"


def _header(name, x, n_fft, hop, win, window, normalized, onesided, extra):
    head = (f"{name}(torch.{x.dtype._legacy}{list(x.shape)}, n_fft={n_fft}, hop_length={hop}, "
            f"win_length={win}, window={_describe(x, window)}, ")
    return head + (f"normalized={_flag(normalized)}, onesided={_flag(onesided)}, " + extra
                   + ") : ")


def _int(value, fn, arg, pos):
    if value is None or isinstance(value, int) and not isinstance(value, bool):
        return value
    raise TypeError(f"{fn}(): argument '{arg}' (position {pos}) must be int, not "
                    f"{errors.type_name(value)}")


def _padded_window(window, n_fft, win_length):
    """The window zero-padded to n_fft, centred as PyTorch centres it (left: the floor half)."""
    if window is None or win_length == n_fft:
        return window
    left = (n_fft - win_length) // 2
    return constant_pad_nd(window, [left, n_fft - win_length - left])


@declare(tensor_first=True)
def stft(input, n_fft, hop_length=None, win_length=None, window=None, center=True,
         pad_mode="reflect", normalized=False, onesided=None, return_complex=None,
         align_to_window=None):
    """The short-time Fourier transform: [freq, frames] (or [batch, freq, frames]) complex."""
    n_fft = _int(n_fft, "stft", "n_fft", 2)
    hop_length = _int(hop_length, "stft", "hop_length", 3)
    win_length = _int(win_length, "stft", "win_length", 4)
    if center and align_to_window is not None:
        raise RuntimeError("stft align_to_window should only be set when center = false")
    x = input
    if center:
        ndim = x.ndim
        half = n_fft // 2
        x = _pad(x.view([1] * (3 - ndim) + list(x.shape)), [half, half], pad_mode)
        x = x.view(list(x.shape[3 - ndim:]) if ndim else [])
    hop = n_fft >> 2 if hop_length is None else hop_length
    win = n_fft if win_length is None else win_length
    complex_in = x.dtype.is_complex or window is not None and window.dtype.is_complex
    head = _header("stft", x, n_fft, hop, win, window, normalized, onesided,
                   f"return_complex={_flag(return_complex)}, "
                   f"align_to_window={_flag(align_to_window)}")
    if return_complex is None:
        if not complex_in:
            raise RuntimeError(_NEED_RETURN_COMPLEX)
        return_complex = True
    if x.ndim not in (1, 2):
        raise RuntimeError(head + "expected a 1D or 2D tensor")
    if not (x.dtype.is_floating_point or x.dtype.is_complex):
        raise RuntimeError(head + "expected a tensor of floating point or complex values")
    if window is None:
        errors.warn(_NO_WINDOW, UserWarning, stacklevel=2)
    batched = x.ndim == 2
    if not batched:
        x = unsqueeze(x, 0)
    length = x.shape[1]
    if not 0 < n_fft <= length:
        raise RuntimeError(head + f"expected 0 < n_fft < {length}, but got n_fft={n_fft}")
    if hop <= 0:
        raise RuntimeError(head + f"expected hop_length > 0, but got hop_length={hop}")
    if not 0 < win <= n_fft:
        raise RuntimeError(head + f"expected 0 < win_length <= n_fft, but got win_length={win}")
    if window is not None and (window.ndim != 1 or window.shape[0] != win):
        raise RuntimeError(head + f"expected a 1D window tensor of size equal to win_length="
                           f"{win}, but got window with size {list(window.shape)}")
    if onesided is None:
        onesided = not complex_in
    elif onesided and complex_in:
        raise RuntimeError("Cannot have onesided output if window or input is complex")
    frames = (length - n_fft) // hop + 1
    if align_to_window and win < n_fft:
        # frames start where the window does: PyTorch pads the signal by the window's left pad on
        # both sides and counts frames of win_length (an odd n_fft - win_length overruns)
        left = (n_fft - win) // 2
        x = constant_pad_nd(x, [left, left])
        frames = (length - win) // hop + 1
    s0, s1 = x.stride()
    need = (x.shape[0] - 1) * s0 + (frames - 1) * hop * s1 + (n_fft - 1) * s1 + 1
    if align_to_window and need > x.numel():
        item = x.element_size()
        raise RuntimeError(f"setStorage: sizes [{x.shape[0]}, {frames}, {n_fft}], strides "
                           f"[{s0}, {hop * s1}, {s1}], storage offset 0, and itemsize {item} "
                           f"requiring a storage size of {need * item} are out of bounds for "
                           f"storage of size {x.numel() * item}")
    x = as_strided(x, (x.shape[0], frames, n_fft), (s0, hop * s1, s1))
    w = _padded_window(window, n_fft, win)
    if w is not None:
        x = x * w
    norm = "ortho" if normalized else "backward"
    if x.dtype.is_complex:
        out = _c2c(x, [2], norm, True)
    else:
        out = _r2c(x, [2], norm, onesided)
    out = transpose_(out, 1, 2)
    if not batched:
        out = squeeze_(out, 0)
    if not return_complex:
        errors.warn(_REAL_FORMAT, UserWarning, stacklevel=2)
        return view_as_real(out)
    return out


@rule
def UnfoldBackwardBackward0(need, g, dim, size, step):
    if isinstance(g, Tensor):
        return (tensor_unfold(g, dim, size, step),)
    return (np.ascontiguousarray(np.lib.stride_tricks.sliding_window_view(
        g, size, axis=dim)[(slice(None),) * dim + (slice(None, None, step),)]),)


def _overlap_add(frames, length, hop):
    """The sum of [batch, n_frames, n_fft] frames placed every hop samples along [batch, length]
    (aten's unfold_backward: the adjoint of unfold)."""
    d = frames._data
    shape = (d.shape[0], length)
    out = make(P.scatter_into(shape, positions(shape, (("unfold", (1, d.shape[2], hop)),)), d))
    if needs_grad(frames):
        record(out, UnfoldBackwardBackward0, (frames,), (1, d.shape[2], hop))
    return out


@declare(tensor_first=True)
def istft(input, n_fft, hop_length=None, win_length=None, window=None, center=True,
          normalized=False, onesided=None, length=None, return_complex=False):
    """The inverse of stft: the signal whose stft (with the same arguments) is input."""
    n_fft = _int(n_fft, "istft", "n_fft", 2)
    hop = n_fft >> 2 if hop_length is None else _int(hop_length, "istft", "hop_length", 3)
    win = n_fft if win_length is None else _int(win_length, "istft", "win_length", 4)
    if window is None:
        errors.warn(_NO_WINDOW_INVERSE, UserWarning, stacklevel=2)
    if not input.dtype.is_complex:
        raise RuntimeError("istft requires a complex-valued input tensor matching the output from "
                           "stft with return_complex=True.")
    head = (f"istft(CPU{input.dtype._short}Type{list(input.shape)}, n_fft={n_fft}, hop_length="
            f"{hop}, win_length={win}, window={_describe(input, window)}, center={_flag(center)}, "
            f"normalized={_flag(normalized)}, onesided={_flag(onesided)}, length="
            f"{'None' if length is None else length}, return_complex={_flag(return_complex)}) ")
    x = view_as_real(input)
    if x.ndim not in (3, 4):
        raise RuntimeError(head + f": expected a tensor with 3 or 4 dimensions, but got {x.ndim}")
    batched = x.ndim == 4
    if not batched:
        x = unsqueeze(x, 0)
    frames, fft_size = x.shape[2], x.shape[1]
    if not 0 < hop <= win:
        raise RuntimeError(head + ": expected 0 < hop_length <= win_length")
    if not 0 < win <= n_fft:
        raise RuntimeError(head + ": expected 0 < win_length <= n_fft")
    if window is not None and (window.ndim != 1 or window.shape[0] != win):
        raise RuntimeError(head + ": Invalid window shape. window has to be 1D and length of "
                           "`win_length`")
    onesided = fft_size != n_fft if onesided is None else onesided
    if onesided:
        if n_fft // 2 + 1 != fft_size:
            raise RuntimeError(head + f": expected the frequency dimension (3rd to the last) of "
                               f"the input tensor to match n_fft / 2 + 1 when onesided=True, but "
                               f"got {fft_size}")
    elif n_fft != fft_size:
        raise RuntimeError(head + f": expected the frequency dimension (3rd to the last) of the "
                           f"input tensor to match n_fft when onesided=False, but got {fft_size}")
    w = _padded_window(window, n_fft, win)
    x = view_as_complex(transpose(x, 1, 2))
    norm = "ortho" if normalized else "backward"
    if return_complex:
        if onesided:
            raise RuntimeError("Cannot have onesided output if window or input is complex")
        y = _c2c(x, [2], norm, False)
    else:
        if w is not None and w.dtype.is_complex:
            raise RuntimeError("Complex windows are incompatible with return_complex=False")
        if not onesided:
            x = slice_dim(x, 2, 0, n_fft // 2 + 1, 1)
        y = _c2r(x, [2], norm, n_fft)
    if w is not None:
        y = y * w
    expected = n_fft + hop * (frames - 1)
    y = _overlap_add(y, expected, hop)
    envelope = (w * w).expand(1, frames, n_fft) if w is not None else \
        _ones_like_frames(y, frames, n_fft)
    envelope = _overlap_add(envelope, expected, hop)
    start = n_fft // 2 if center else 0
    end = expected if length is None else min(start + length, expected)
    if center and length is None:
        end = expected - n_fft // 2
    y = slice_dim(y, 1, start, end, 1)
    envelope = slice_dim(envelope, 1, start, end, 1)
    if not envelope._data.size:
        raise RuntimeError("min(): Expected reduction dim to be specified for input.numel() == 0. "
                           "Specify the reduction dim with the 'dim' argument.")
    if np.abs(envelope._data).min() < 1e-11:
        # PyTorch's message prints the failed check (a bool tensor), not the minimum
        raise RuntimeError(head + "window overlap add min: 1\n[ CPUBoolType{} ]")
    y = y / envelope
    if not batched:
        y = squeeze(y, 0)
    if length is not None and end - start < length:
        y = constant_pad_nd(y, [0, length - (end - start)])
    return y


def _ones_like_frames(y, frames, n_fft):
    d = y._data
    return make(np.ones((1, frames, n_fft), d.real.dtype))
