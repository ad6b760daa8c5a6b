"""The complex dtypes' own ops: torch.complex, polar, real/imag (writable views),
view_as_real/view_as_complex (shared memory), conj_physical and angle. gradsh has no complex
derivative rules yet: each refuses an operand that requires grad (docs/autograd.md)."""

import numpy as np

from .. import errors, grad_mode
from ..dtypes import COMPLEX_OF, REAL_OF, from_numpy_dtype
from ..tensor import Tensor
from .base import make
from .registry import declare


def _no_grad(name, *ts):
    if grad_mode.state.enabled:
        for t in ts:
            if t._requires_grad:
                raise NotImplementedError(f"{name}: {errors.COMPLEX_BACKWARD}")


def _tensor(x, name, arg, pos):
    if not isinstance(x, Tensor):
        raise TypeError(f"{name}(): argument '{arg}' (position {pos}) must be Tensor, not "
                        f"{errors.type_name(x)}")
    return x


def _shared(out, base):
    out._vc = base._vc  # a write through either is seen by the other's version counter
    return out


@declare(prop=True, function=True)
def real(self):
    """The real part: a view sharing memory (a real tensor is itself)."""
    _tensor(self, "real", "input", 1)
    d = self._data
    if d.dtype.kind != "c":
        return self
    _no_grad("real", self)
    return _shared(make(d.real), self)


@declare(prop=True, function=True)
def imag(self):
    """The imaginary part: a view sharing memory (refused for a real tensor, as PyTorch)."""
    _tensor(self, "imag", "input", 1)
    d = self._data
    if d.dtype.kind != "c":
        raise RuntimeError("imag is not implemented for tensors with non-complex dtypes.")
    _no_grad("imag", self)
    return _shared(make(d.imag), self)


@declare(method=False, function=True)
def view_as_real(input):
    """A complex tensor's values as a real tensor with a last dim of 2, sharing memory."""
    _tensor(input, "view_as_real", "input", 1)
    d = input._data
    if d.dtype.kind != "c":
        raise RuntimeError("view_as_real is only supported for complex tensors")
    _no_grad("view_as_real", input)
    return _shared(make(d[..., None].view(REAL_OF[d.dtype])), input)


@declare(method=False, function=True)
def view_as_complex(input):
    """A real tensor with a last dim of 2 (stride 1) read as complex numbers, sharing memory."""
    _tensor(input, "view_as_complex", "input", 1)
    d = input._data
    if d.dtype not in COMPLEX_OF:
        raise RuntimeError("view_as_complex is only supported for float and double tensors, but "
                           f"got a tensor of scalar type: {from_numpy_dtype(d.dtype)._short}")
    if not d.ndim or d.shape[-1] != 2:
        raise RuntimeError("Tensor must have a last dimension of size 2")
    if d.strides[-1] != d.itemsize:
        raise RuntimeError("Tensor must have a last dimension with stride 1")
    if any(s % (2 * d.itemsize) for s, n in zip(d.strides[:-1], d.shape[:-1]) if n > 1):
        raise RuntimeError("Tensor must have a stride divisible by 2 for all but last dimension")
    _no_grad("view_as_complex", input)
    return _shared(make(d.view(COMPLEX_OF[d.dtype])[..., 0]), input)


def _parts(name, a, b, an, bn):
    _tensor(a, name, an, 1)
    _tensor(b, name, bn, 2)
    da, db = a._data, b._data
    if da.dtype not in COMPLEX_OF or db.dtype not in COMPLEX_OF:
        raise RuntimeError(f"Expected both inputs to be Half, Float or Double tensors but got "
                           f"{from_numpy_dtype(da.dtype)._short} and "
                           f"{from_numpy_dtype(db.dtype)._short}")
    if da.dtype != db.dtype:
        raise RuntimeError(f"Expected object of scalar type {from_numpy_dtype(da.dtype)._short} "
                           f"but got scalar type {from_numpy_dtype(db.dtype)._short} for second "
                           f"argument")
    _no_grad(name, a, b)
    return da, db, COMPLEX_OF[da.dtype]


@declare(method=False, function=True)
def complex(real, imag):
    """The complex tensor real + imag * j (float or double tensors of one dtype, broadcast)."""
    re, im, dt = _parts("complex", real, imag, "real", "imag")
    out = np.empty(np.broadcast_shapes(re.shape, im.shape), dt)
    out.real, out.imag = re, im
    return make(out)


@declare(method=False, function=True)
def polar(abs, angle):
    """The complex tensor abs * (cos(angle) + sin(angle) * j)."""
    r, a, dt = _parts("polar", abs, angle, "abs", "angle")
    out = np.empty(np.broadcast_shapes(r.shape, a.shape), dt)
    out.real, out.imag = r * np.cos(a), r * np.sin(a)
    return make(out)


@declare(tensor_first=True)
def conj_physical(self):
    """The complex conjugate, computed (a real tensor: itself)."""
    d = self._data
    if d.dtype.kind != "c":
        return self
    _no_grad("conj_physical", self)
    return make(np.conj(d))


@declare(tensor_first=True)
def angle(self):
    """The argument of each element in radians (a real tensor: 0 or pi; nan stays nan)."""
    d = self._data
    _no_grad("angle", self)
    if d.dtype.kind == "c":
        return make(np.angle(d))
    if d.dtype.kind != "f":
        d = d.astype(np.float32)
    return make(np.where(d < 0, np.asarray(np.pi, d.dtype), np.where(np.isnan(d), d, 0)).astype(
        d.dtype))
