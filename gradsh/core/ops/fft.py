"""torch.fft: the discrete Fourier transforms as PyTorch's three primitives, each with its
node: FftC2CBackward0 (complex to complex), FftR2CBackward0 (real to complex, one-sided or
not), FftC2RBackward0 (a one-sided spectrum to real). A size asked for (n, s) pads the input
with zeros (ConstantPadNdBackward0) or cuts it (SliceBackward0) first, as PyTorch does; hfft is
conj then C2R, ihfft R2C then conj; their n-D forms (hfft2, hfftn, ihfft2, ihfftn) take the
last dim that way and the others by C2C, in PyTorch's order. numpy's pocketfft computes the values; the gradients are
PyTorch's adjoints (the norm mode's scale kept, the direction reversed)."""

import operator

import numpy as np

from .. import dtypes, errors
from ..tensor import Tensor
from .base import make, needs_grad, record, rule
from .complex_ops import conj_of, conj_physical
from .padding import constant_pad_nd
from .pointwise import to_dtype
from .shape import narrow, roll

_HALVES = ("float16", "bfloat16")
_NORMS = {None: "backward", "backward": "backward", "forward": "forward", "ortho": "ortho"}
# the norm mode numpy's transform in the other direction takes to be the adjoint (the same scale)
_ADJOINT = {"backward": "forward", "forward": "backward", "ortho": "ortho"}


def _norm(norm):
    if norm not in _NORMS:
        raise RuntimeError(f'Invalid normalization mode: "{norm}"')
    return _NORMS[norm]


def _complex_rule(cls):
    cls.complex_rule = True
    return cls


def _arrays(*xs):
    for x in xs:
        if isinstance(x, Tensor):
            raise NotImplementedError(errors.COMPLEX_BACKWARD_GRAPH)


@_complex_rule
@rule
def FftC2CBackward0(need, g, dims, norm, forward):
    _arrays(g)
    inverse = np.fft.ifftn if forward else np.fft.fftn
    return (inverse(g, axes=dims, norm=_ADJOINT[norm]).astype(g.dtype),)


@_complex_rule
@rule
def FftR2CBackward0(need, g, dims, norm, onesided, last_size, real_dtype):
    _arrays(g)
    if onesided:  # the missing half of the spectrum contributes nothing: zeros
        pad = [(0, 0)] * g.ndim
        pad[dims[-1]] = (0, last_size - g.shape[dims[-1]])
        g = np.pad(g, pad)
    return (np.fft.ifftn(g, axes=dims, norm=_ADJOINT[norm]).real.astype(real_dtype),)


@_complex_rule
@rule
def FftC2RBackward0(need, g, dims, norm, complex_dtype):
    _arrays(g)
    gi = np.fft.rfftn(g, axes=dims, norm=_ADJOINT[norm])
    last = dims[-1]
    double = g.shape[last] - gi.shape[last]
    if double > 0:  # the halves C2R reads twice
        index = [slice(None)] * gi.ndim
        index[last] = slice(1, 1 + double)
        gi[tuple(index)] *= 2
    return (gi.astype(complex_dtype),)


def _floating(x, name):
    if not isinstance(x, Tensor):
        raise TypeError(f"{name}(): argument 'input' (position 1) must be Tensor, not "
                        f"{errors.type_name(x)}")
    if x._data.dtype.kind in "iub":
        return to_dtype(x, dtypes.get_default_dtype())
    return x


def _complex(x):
    d = x._data.dtype
    if d.kind == "c" or d.name in _HALVES:  # (halves: refused by _dims, after the dims)
        return x
    return to_dtype(x, dtypes.from_numpy_dtype(dtypes.COMPLEX_OF[d]))


def _resized(x, dims, sizes):
    """x cut or zero-padded to `sizes` along `dims` (PyTorch's resize_fft_input): every cut
    first (a SliceBackward0 each), then one ConstantPadNdBackward0 for all the padding."""
    ndim, pads = x._data.ndim, {}
    _no_empty(x, dims, sizes)
    for dim, size in zip(dims, sizes):
        if size is None or size == -1:
            continue
        if size < 1:
            raise RuntimeError(f"Invalid number of data points ({size}) specified")
        have = x._data.shape[dim]
        if have > size:
            x = narrow(x, dim, 0, size)
        elif have < size:
            pads[dim] = size - have
    if pads:
        pad = [0] * (2 * (ndim - min(pads)))
        for dim, extra in pads.items():
            pad[2 * (ndim - 1 - dim) + 1] = extra
        x = constant_pad_nd(x, pad)
    return x


def _no_empty(x, dims, sizes):
    """PyTorch's refusal of a dim transformed at its own size when that is 0 (numpy's would
    be a ValueError)."""
    if x._data.ndim:
        for dim, size in zip(dims, sizes):
            if (size is None or size == -1) and x._data.shape[dim] == 0:
                raise RuntimeError("Invalid number of data points (0) specified")


def _dims(x, s, dim, name):
    """(dims, sizes) of an n-dimensional transform's s and dim, as PyTorch reads them."""
    ndim = x._data.ndim
    if s is not None and dim is None and isinstance(s, (list, tuple)) and len(s) > ndim:
        raise RuntimeError(f"Got shape with {len(s)} values but input tensor only has {ndim} "
                           "dimensions.")
    for param, value in (("s", s), ("dim", dim)):  # ints or a list or tuple of them, as
        # PyTorch reads them: never an iterator (an endless one would be read for ever)
        if not (value is None or isinstance(value, (int, list, tuple, Tensor))):
            raise TypeError(f"{name}(): argument '{param}' must be tuple of ints, not "
                            f"{type(value).__name__}")
    if dim is None:
        dims = list(range(ndim)) if s is None else list(range(ndim - len(s), ndim))
    else:
        given = [dim] if isinstance(dim, int) else list(dim)
        if ndim == 0 and given:
            raise IndexError(f"Dimension specified as {given[0]} but tensor has no dimensions")
        dims = [d + ndim if d < 0 else d for d in given]
        for d, asked in zip(dims, given):
            if not 0 <= d < max(ndim, 1):  # (PyTorch names the dim as it was given)
                raise IndexError(f"Dimension out of range (expected to be in range of "
                                 f"[{-ndim}, {ndim - 1}], but got {asked})")
    for d in dims:  # (more sizes than dims: the first dim s reaches before the input's)
        if not 0 <= d < max(ndim, 1):
            raise IndexError(f"Dimension out of range (expected to be in range of "
                             f"[{-ndim}, {ndim - 1}], but got {d})")
    if len(set(dims)) != len(dims):
        raise RuntimeError("FFT dims must be unique")
    sizes = [None] * len(dims) if s is None else list(s)
    if len(sizes) != len(dims):
        raise RuntimeError("When given, dim and shape arguments must have the same length")
    if not dims and name.rstrip("n").endswith(("rfft", "hfft")):  # (a 0-d input, no dim)
        raise RuntimeError(f"{name.removeprefix('fft_')} must transform at least one axis")
    if x._data.dtype.name in _HALVES:  # PyTorch's CPU transforms (pocketfft) have no halves
        raise RuntimeError(f"Unsupported dtype {dtypes.from_numpy_dtype(x._data.dtype)._short}")
    return dims, sizes


def _c2c(x, dims, norm, forward):
    out = (np.fft.fftn if forward else np.fft.ifftn)(x._data, axes=dims, norm=norm)
    out = make(out.astype(x._data.dtype))
    if needs_grad(x):
        record(out, FftC2CBackward0, (x,), (tuple(dims), norm, forward))
    return out


def _r2c(x, dims, norm, onesided):
    d = x._data
    cd = dtypes.COMPLEX_OF[d.dtype]
    out = np.fft.rfftn(d, axes=dims, norm=norm)
    if not onesided:
        out = _hermitian_full(out, dims, d.shape[dims[-1]])
    out = make(out.astype(cd))
    if needs_grad(x):
        record(out, FftR2CBackward0, (x,), (tuple(dims), norm, onesided, d.shape[dims[-1]],
                                            d.dtype))
    return out


def _hermitian_full(half, dims, n):
    """A real signal's full spectrum from its one-sided half, as PyTorch builds it: each missing
    frequency is the conjugate of its mirror image (X[-k] = conj(X[k]), every transformed dim
    mirrored), so the signs of zeros follow the computed half."""
    mirror = half
    for k in dims[:-1]:
        mirror = np.roll(np.flip(mirror, k), 1, k)  # index i -> -i mod size along the dim
    take = [slice(None)] * half.ndim
    take[dims[-1]] = slice(n - half.shape[dims[-1]], 0, -1)  # frequency j's mirror is n - j
    return np.concatenate([half, np.conj(mirror[tuple(take)])], axis=dims[-1])


def _c2r(x, dims, norm, last_size):
    d = x._data
    sizes = [d.shape[k] for k in dims[:-1]] + [last_size]
    out = make(np.fft.irfftn(d, s=sizes, axes=dims, norm=norm).astype(dtypes.REAL_OF[d.dtype]))
    if needs_grad(x):
        record(out, FftC2RBackward0, (x,), (tuple(dims), norm, d.dtype))
    return out


def _complex_transform(name, forward):
    def transform(input, s=None, dim=None, norm=None):
        x = _floating(input, name)
        dims, sizes = _dims(x, s, dim, name)
        m = _norm(norm)
        if name not in ("fft_fft", "fft_ifft"):
            x = _complex(x)  # PyTorch converts a real signal before cutting or padding it
        x = _resized(x, dims, sizes)
        if x._data.dtype.kind != "c" and name == "fft_fft":
            return _r2c(x, dims, m, False)  # PyTorch: a real signal's full spectrum is R2C
        if x._data.dtype.kind != "c" and name == "fft_ifft":  # ... and its inverse, conj of it
            return conj_of(_r2c(x, dims, _ADJOINT[m], False))
        return _c2c(_complex(x), dims, m, forward)
    return transform


def _real_transform(default):
    def transform(input, s=None, dim=None, norm=None, name=default):
        x = _floating(input, name)
        if x._data.dtype.kind == "c":
            # (the n-D forms' words: "rfftn expects a real-valued input tensor")
            raise RuntimeError("%s expects a real%s input tensor, but got %s" % (
                "rfftn" if name == "rfft2" else name, "-valued" * (name in ("rfft2", "rfftn")),
                dtypes.from_numpy_dtype(x._data.dtype)._short))
        dims, sizes = _dims(x, s, dim, name)
        return _r2c(_resized(x, dims, sizes), dims, _norm(norm), True)
    return transform


def _inverse_real_transform(name):
    def transform(input, s=None, dim=None, norm=None, one=False):
        x = _complex(_floating(input, name))
        dims, sizes = _dims(x, s, dim, name)
        if not one:  # (n-D: an empty dim is refused before the length of the last is read)
            _no_empty(x, dims, sizes)
        last = sizes[-1]
        if last is None or last == -1:
            last = 2 * (x._data.shape[dims[-1]] - 1)
        if last < 1:
            raise RuntimeError(f"Invalid number of data points ({last}) specified")
        x = _resized(x, dims, sizes[:-1] + [last // 2 + 1])
        return _c2r(x, dims, _norm(norm), last)
    return transform


_fftn = _complex_transform("fft_fftn", True)
_ifftn = _complex_transform("fft_ifftn", False)
_fft1 = _complex_transform("fft_fft", True)
_ifft1 = _complex_transform("fft_ifft", False)
_rfftn = _real_transform("rfftn")
_irfftn = _inverse_real_transform("fft_irfftn")


def _one(n, name):
    """A 1-D transform's n as the list of sizes (None: the input's), read as PyTorch's int
    argument: an integer (numpy's, a one-element integer tensor), not a bool, float or str."""
    if n is None:
        return None
    if isinstance(n, bool) or isinstance(n, (float, str)) or not hasattr(type(n), "__index__"):
        raise TypeError(f"{name}(): argument 'n' must be int, not {type(n).__name__}")
    return [operator.index(n)]


def fft(input, n=None, dim=-1, norm=None):
    """The 1-D discrete Fourier transform along dim."""
    return _fft1(input, _one(n, "fft_fft"), [dim], norm)


def ifft(input, n=None, dim=-1, norm=None):
    """The inverse of fft."""
    return _ifft1(input, _one(n, "fft_ifft"), [dim], norm)


def fft2(input, s=None, dim=(-2, -1), norm=None):
    """The 2-D transform (over the last two dims)."""
    return _fftn(input, s, dim, norm)


def ifft2(input, s=None, dim=(-2, -1), norm=None):
    """The inverse of fft2."""
    return _ifftn(input, s, dim, norm)


def fftn(input, s=None, dim=None, norm=None):
    """The n-D transform (over every dim by default)."""
    return _fftn(input, s, dim, norm)


def ifftn(input, s=None, dim=None, norm=None):
    """The inverse of fftn."""
    return _ifftn(input, s, dim, norm)


def rfft(input, n=None, dim=-1, norm=None):
    """The one-sided transform of a real signal: n // 2 + 1 frequencies."""
    return _rfftn(input, _one(n, "fft_rfft"), [dim], norm, "rfft")


def irfft(input, n=None, dim=-1, norm=None):
    """The real signal of a one-sided spectrum (n: its length, 2 * (m - 1) by default)."""
    return _irfftn(input, _one(n, "fft_irfft"), [dim], norm, one=True)


def rfft2(input, s=None, dim=(-2, -1), norm=None):
    return _rfftn(input, s, dim, norm, "rfft2")


def irfft2(input, s=None, dim=(-2, -1), norm=None):
    return _irfftn(input, s, dim, norm)


def rfftn(input, s=None, dim=None, norm=None):
    """The n-D transform of a real signal, one-sided in the last dim."""
    return _rfftn(input, s, dim, norm)


def irfftn(input, s=None, dim=None, norm=None):
    """The inverse of rfftn."""
    return _irfftn(input, s, dim, norm)


def hfft(input, n=None, dim=-1, norm=None):
    """The real spectrum of a Hermitian-symmetric signal given by its first half: conj, then
    C2R in the forward direction."""
    n = None if n is None else _one(n, "fft_hfft")[0]
    x = _complex(_floating(input, "fft_hfft"))
    dims, _ = _dims(x, None, [dim], "fft_hfft")
    last = 2 * (x._data.shape[dims[0]] - 1) if n is None or n == -1 else n
    if last < 1:
        raise RuntimeError(f"Invalid number of data points ({last}) specified")
    x = conj_of(_resized(x, dims, [last // 2 + 1]))  # PyTorch cuts or pads, then conjugates
    return _irfftn(x, [last], dims, _ADJOINT[_norm(norm)])


def ihfft(input, n=None, dim=-1, norm=None):
    """The inverse of hfft: R2C in the inverse direction (a one-sided spectrum, conjugated)."""
    out = _rfftn(input, _one(n, "fft_ihfft"), [dim], _ADJOINT[_norm(norm)], "ihfft")
    return conj_of(out)


def hfft2(input, s=None, dim=(-2, -1), norm=None):
    """The 2-D transform of a Hermitian-symmetric signal given by its half (real output)."""
    return _hfftn(input, s, dim, norm, "fft_hfft2")


def hfftn(input, s=None, dim=None, norm=None):
    """The n-D transform of a Hermitian-symmetric signal given by its half in the last dim:
    C2C over the other dims, then conj and C2R over the last (its size 2 * (m - 1) unless s
    says)."""
    return _hfftn(input, s, dim, norm, "fft_hfftn")


def _hfftn(input, s, dim, norm, name):
    x = _complex(_floating(input, name))
    dims, sizes = _dims(x, s, dim, name)
    _no_empty(x, dims, sizes)
    last = sizes[-1]
    if last is None or last == -1:
        last = 2 * (x._data.shape[dims[-1]] - 1)
    if last < 1:
        raise RuntimeError(f"Invalid number of data points ({last}) specified")
    m = _norm(norm)
    x = _resized(x, dims, sizes[:-1] + [last // 2 + 1])
    if len(dims) > 1:
        x = _c2c(x, dims[:-1], m, True)
    return _c2r(conj_of(x), dims[-1:], _ADJOINT[m], last)


def ihfft2(input, s=None, dim=(-2, -1), norm=None):
    """The inverse of hfft2: a one-sided spectrum of a real signal."""
    return _ihfftn(input, s, dim, norm, "fft_ihfft2")


def ihfftn(input, s=None, dim=None, norm=None):
    """The inverse of hfftn: R2C over the last dim in the inverse direction, conjugated, then
    the inverse C2C over the other dims."""
    return _ihfftn(input, s, dim, norm, "fft_ihfftn")


def _ihfftn(input, s, dim, norm, name):
    x = _floating(input, name)
    dims, sizes = _dims(x, s, dim, name)
    _no_empty(x, dims, sizes)
    if x._data.dtype.kind == "c":
        raise RuntimeError("Only supports floating-point dtypes, but found: "
                           f"{dtypes.from_numpy_dtype(x._data.dtype)._short}")
    m = _norm(norm)
    out = _r2c(_resized(x, dims, sizes), dims[-1:], _ADJOINT[m], True)
    if len(dims) == 1:
        return conj_of(out)
    return _c2c(conj_physical(out), dims[:-1], m, False)


def _frequencies(name, count, n, d, dtype, requires_grad):
    """arange(count) (its upper half less n when count is n) times 1 / (n d) in double, as
    PyTorch's fftfreq and rfftfreq compute it (1 / 0 is inf there, not an error)."""
    dt = dtypes.get_default_dtype() if dtype is None else dtype
    if dt.np.kind in "iub":
        raise RuntimeError(f"{name} requires a floating point or complex dtype")
    if dt.np.kind == "c":  # (its arange has no complex kernel)
        raise NotImplementedError(f"\"arange_cpu\" not implemented for '{dt._short}'")
    if count < 0:
        raise RuntimeError(f"Trying to create tensor with negative dimension {count}: [{count}]")
    with np.errstate(divide="ignore", invalid="ignore"):
        step = np.float64(1.0) / np.float64(n * d)
        values = np.arange(count).astype(dt.np)
        values = np.where(values > (n - 1) // 2, values - n, values) if count == n else values
        out = make((values * dt.np.type(step)).astype(dt.np))
    out._requires_grad = bool(requires_grad)
    return out


def _n(n, name):
    """fftfreq's n as PyTorch's parser reads an int (a bool or a float refused)."""
    if isinstance(n, bool) or not hasattr(type(n), "__index__"):
        raise TypeError(f"fft_{name}(): argument 'n' (position 1) must be int, not "
                        f"{errors.type_name(n)}")
    return operator.index(n)


def fftfreq(n, d=1.0, *, dtype=None, layout=None, device=None, requires_grad=False):
    """The sample frequencies of fft: [0, 1, ..., -2, -1] / (d * n)."""
    n = _n(n, "fftfreq")
    return _frequencies("fftfreq", n, n, d, dtype, requires_grad)


def rfftfreq(n, d=1.0, *, dtype=None, layout=None, device=None, requires_grad=False):
    """The sample frequencies of rfft: [0, 1, ..., n // 2] / (d * n) (n / 2 truncated towards
    zero, as C++ divides: rfftfreq(-1) is one frequency)."""
    n = _n(n, "rfftfreq")
    return _frequencies("rfftfreq", int(n / 2) + 1 if abs(n) < 2 ** 52 else n // 2 + 1, n, d,
                        dtype, requires_grad)


def _shifted(input, dim, sign):
    ndim = input._data.ndim
    dims = list(range(ndim)) if dim is None else ([dim] if isinstance(dim, int) else list(dim))
    for k, given in enumerate(dims):
        if ndim == 0:
            raise IndexError(f"Dimension specified as {given} but tensor has no dimensions")
        if not -ndim <= given < ndim:
            raise IndexError(f"Dimension out of range (expected to be in range of [{-ndim}, "
                             f"{ndim - 1}], but got {given})")
        dims[k] = given % ndim
    shifts = [(input._data.shape[k] + (1 if sign < 0 else 0)) // 2 for k in dims]
    return roll(input, shifts, dims)


def fftshift(input, dim=None):
    """The zero frequency moved to the middle (a roll by half of each dim)."""
    return _shifted(input, dim, 1)


def ifftshift(input, dim=None):
    """The inverse of fftshift."""
    return _shifted(input, dim, -1)
