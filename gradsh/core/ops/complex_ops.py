"""The complex dtypes' own ops: torch.complex, polar, real/imag (writable views),
view_as_real/view_as_complex (shared memory), conj, conj_physical, angle and sgn, with
PyTorch's node names and its conjugate Wirtinger gradients (the rules below are written for
complex values: `complex_rule`, so node.complex_variant leaves them as they are)."""

import numpy as np

from .. import autocast as _amp
from .. import errors
from ..dtypes import COMPLEX_OF, REAL_OF, from_numpy_dtype
from ..tensor import Tensor, has_conj_bit
from ..node import _COMPLEX_VARIANTS, saved_tensor
from ..return_types import return_type
from .base import check_broadcast, make, needs_grad, record, record_multi, rule
from .index import select
from .pointwise import where
from .pointwise import SgnBackward0
from .prim import abs_array
from .registry import declare
from .views import view_of
from . import lapack


def _arrays(*xs):
    for x in xs:
        if isinstance(x, Tensor):  # create_graph: no complex rules on tensors yet
            raise NotImplementedError(errors.COMPLEX_BACKWARD_GRAPH)


def _complex_rule(cls):
    cls.complex_rule = True
    return cls


@_complex_rule
@rule
def ViewAsRealBackward0(need, g):
    if isinstance(g, Tensor):  # create_graph: the backward recorded with the ops
        return (view_as_complex(g.contiguous()),)
    return (np.ascontiguousarray(g).view(COMPLEX_OF[g.dtype])[..., 0],)


@_complex_rule
@rule
def ViewAsComplexBackward0(need, g):
    if isinstance(g, Tensor):
        return (_as_real(g),)
    return (g[..., None].view(REAL_OF[g.dtype]),)


@_complex_rule
@rule
def ComplexBackward0(need, g):
    if isinstance(g, Tensor):
        return (g.real if need[0] else None, g.imag if need[1] else None)
    return (g.real if need[0] else None, g.imag if need[1] else None)


@_complex_rule
@rule
def PolarBackward0(need, g, result, abs):
    _arrays(g, result, abs)
    # PyTorch's abs gradient takes the direction from sgn(result): 0 where abs is 0, and
    # reversed where abs is negative (measured on 2.13)
    with np.errstate(all="ignore"):
        result_abs = np.abs(result)
        unit = np.where(result_abs == 0, 0, result / np.where(result_abs == 0, 1, result_abs))
    return (np.real(g * np.conj(unit)) if need[0] else None,
            np.real(g * np.conj(1j * result)) if need[1] else None)


@_complex_rule
@rule
def ConjBackward0(need, g):
    if isinstance(g, Tensor):
        return (g.conj(),)
    return (np.conj(g),)


@_complex_rule
@rule
def ConjPhysicalBackward0(need, g):
    if isinstance(g, Tensor):
        return (g.conj_physical(),)
    return (np.conj(g),)


@_complex_rule
@rule
def AngleBackward0(need, g, self):
    if isinstance(g, Tensor):  # create_graph: PyTorch's angle_backward with the ops
        if not self.is_complex():
            return (g.new_zeros(g.shape),)
        return (where(self == 0, 0, g * self / self.abs().pow(2) * 1j),)
    if self.dtype.kind != "c":
        return (np.zeros_like(g),)
    with np.errstate(all="ignore"):
        return (np.where(self == 0, 0, g * self / (np.abs(self) ** 2) * 1j).astype(self.dtype),)


def _sgn_rule(need, g, self, result):
    """PyTorch's sgn_backward for complex values (a real tensor's sgn has zero gradient)."""
    if isinstance(g, Tensor):  # create_graph: the same formula with the ops
        a = self.abs()
        return (where(a == 0, 0, g / a - (g * result.conj()).real / a * result),)
    a = abs_array(self)
    with np.errstate(all="ignore"):
        grad = g / a - (np.real(g * np.conj(result)) / a) * result
    return (np.where(a == 0, 0, grad).astype(self.dtype),)


_COMPLEX_VARIANTS[SgnBackward0] = type("SgnBackward0", (SgnBackward0,), {
    "__slots__": (), "rule": staticmethod(_sgn_rule), "fast": staticmethod(_sgn_rule),
    "spare": None, "__module__": "builtins", "complex_rule": True})


def _tensor(x, name, arg, pos):
    if not isinstance(x, Tensor):
        raise TypeError(f"{name}(): argument '{arg}' (position {pos}) must be Tensor, not "
                        f"{errors.type_name(x)}")
    return x


@declare(prop=True, function=True)
def real(self):
    """The real part: a view sharing memory (a real tensor is itself); PyTorch's graph:
    view_as_real, then select."""
    _tensor(self, "real", "input", 1)
    if self._data.dtype.kind != "c":
        return self
    return select(_as_real(self), -1, 0)


@declare(prop=True, function=True)
def imag(self):
    """The imaginary part: a view sharing memory (refused for a real tensor, as PyTorch)."""
    _tensor(self, "imag", "input", 1)
    if self._data.dtype.kind != "c":
        raise RuntimeError("imag is not implemented for tensors with non-complex dtypes.")
    return select(_as_real(self), -1, 1)


@declare(method=False, function=True)
def view_as_real(input):
    """A complex tensor's values as a real tensor with a last dim of 2, sharing memory."""
    _tensor(input, "view_as_real", "input", 1)
    d = input._data
    if d.dtype.kind != "c":
        raise RuntimeError("view_as_real is only supported for complex tensors")
    if has_conj_bit(input):
        raise RuntimeError(
            "view_as_real doesn't work on unresolved conjugated tensors.  To resolve the "
            "conjugate tensor so you can view it as real, use self.resolve_conj(); however, be "
            "warned that the resulting tensor will NOT alias the original.")
    return _as_real(input)


def _as_real(input):
    """view_as_real without the refusal of a conjugate bit (`real`/`imag` read one fine)."""
    d = input._data
    out = view_of(make(d[..., None].view(REAL_OF[d.dtype])), input, "as_real", None)
    if needs_grad(input):
        record(out, ViewAsRealBackward0, (input,))
    return out


@declare(method=False, function=True)
def view_as_complex(input):
    """A real tensor with a last dim of 2 (stride 1) read as complex numbers, sharing memory."""
    _tensor(input, "view_as_complex", "input", 1)
    d = input._data
    if d.dtype not in COMPLEX_OF:
        raise RuntimeError("view_as_complex is only supported for half, float and double "
                           "tensors, but got a tensor of scalar type: "
                           f"{from_numpy_dtype(d.dtype)._short}")
    if not d.ndim:
        raise RuntimeError("Input tensor must have one or more dimensions")
    if d.shape[-1] != 2:
        raise RuntimeError("Tensor must have a last dimension of size 2")
    if d.strides[-1] != d.itemsize:
        raise RuntimeError("Tensor must have a last dimension with stride 1")
    if any(s % (2 * d.itemsize) for s, n in zip(d.strides[:-1], d.shape[:-1]) if n > 1):
        raise RuntimeError("Tensor must have a stride divisible by 2 for all but last dimension")
    out = view_of(make(d.view(COMPLEX_OF[d.dtype])[..., 0]), input, "as_complex", None)
    if needs_grad(input):
        record(out, ViewAsComplexBackward0, (input,))
    return out


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
    check_broadcast(da.shape, db.shape)
    return da, db, COMPLEX_OF[da.dtype]


@declare(method=False, function=True)
def complex(real, imag):
    """The complex tensor real + imag * j (float or double tensors of one dtype, broadcast)."""
    re, im, dt = _parts("complex", real, imag, "real", "imag")
    out = np.empty(np.broadcast_shapes(re.shape, im.shape), dt)
    out.real, out.imag = re, im
    out = make(out)
    if needs_grad(real, imag):
        record(out, ComplexBackward0, (real, imag))
    return out


@declare(method=False, function=True)
def polar(abs, angle):
    """The complex tensor abs * (cos(angle) + sin(angle) * j)."""
    r, a, dt = _parts("polar", abs, angle, "abs", "angle")
    out = np.empty(np.broadcast_shapes(r.shape, a.shape), dt)
    out.real, out.imag = r * np.cos(a), r * np.sin(a)
    out = make(out)
    if needs_grad(abs, angle):
        record(out, PolarBackward0, (abs, angle), (saved_tensor(out, True, "result"),
                                                   saved_tensor(abs, False, "abs")))
    return out


def conj_of(x):
    """x.conj() (the ops' conj: ConjBackward0), for the modules above the registry."""
    return x.conj()


@declare(tensor_first=True)
def conj_physical(self):
    """The complex conjugate, computed (a real tensor: itself)."""
    d = self._data
    if d.dtype.kind != "c":
        return self
    out = make(np.conj(d))
    if needs_grad(self):
        record(out, ConjPhysicalBackward0, (self,))
    return out


@declare(tensor_first=True)
def angle(self):
    """The argument of each element in radians (a real tensor: 0 or pi; nan stays nan)."""
    d = self._data
    if d.dtype.kind == "c":
        out = make(np.angle(d))
    else:
        if d.dtype.kind not in "fV":
            d = d.astype(np.float32)
        out = make(np.where(d < 0, np.asarray(np.pi, d.dtype), np.where(np.isnan(d), d, 0))
                   .astype(d.dtype))
    if needs_grad(self):
        record(out, AngleBackward0, (self,), (saved_tensor(self, False, "self"),))
    return out


# ----- linalg.eig / eigvals: a general matrix's eigenpairs, complex --------------------------
EigResult = return_type("linalg_eig", ("eigenvalues", "eigenvectors"))


@_complex_rule
@rule(n_outputs=2)
def LinalgEigBackward0(need, g, eigenvalues, eigenvectors):
    """PyTorch's linalg_eig_backward: gA = V^-H (diag(gL) + (V^H gV - V^H V diag(re(V^H gV)))
    / conj(E)) V^H, E[i, j] = L[j] - L[i]; refused where the loss depends on the eigenvectors'
    phases (then it is not defined)."""
    gL, gV = g
    _arrays(gL, gV, eigenvalues, eigenvectors)
    L, V = eigenvalues, eigenvectors
    Vh = np.conj(np.swapaxes(V, -1, -2))
    n = L.shape[-1]
    Lc = np.conj(L)
    E = Lc[..., None, :] - Lc[..., :, None]
    E[..., np.arange(n), np.arange(n)] = 1
    if gV is None:
        ret = np.zeros(V.shape, V.dtype)
    else:
        VhgV = Vh @ gV
        diag = np.diagonal(VhgV, 0, -2, -1)
        if not np.allclose(diag.imag, 0, rtol=1e-2, atol=1e-2):
            raise RuntimeError(
                "linalg_eig_backward: The eigenvectors in the complex case are specified up to "
                "multiplication by e^{i phi}. The specified loss function depends on this "
                "quantity, so it is ill-defined.")
        ret = (VhgV - Vh @ (V * diag.real[..., None, :])) / E
    if gL is not None:
        ret[..., np.arange(n), np.arange(n)] += gL
    gA = lapack.solve(Vh, ret @ Vh).astype(V.dtype)
    return (gA,)


def _eig_shape_checks(A, name):
    _tensor(A, name, "input", 1)
    d = A._data
    if d.ndim < 2:
        raise RuntimeError(f"{name}: The input tensor A must have at least 2 dimensions.")
    if d.shape[-1] != d.shape[-2]:
        raise RuntimeError(f"{name}: A must be batches of square matrices, but they are "
                           f"{d.shape[-2]} by {d.shape[-1]} matrices")


def _eig(A, name):
    if _amp.on:  # torch.autocast: float32 (core/autocast.py)
        A = _amp.widen(A)
    _eig_shape_checks(A, name)
    d = A._data
    if d.dtype.kind == "c":
        cd = d.dtype
    elif d.dtype in COMPLEX_OF:
        cd = COMPLEX_OF[d.dtype]
    elif d.dtype.kind == "V" or d.dtype == np.float16:
        raise NotImplementedError(f"\"linalg_eig_out_cpu\" not implemented for "
                                  f"'{from_numpy_dtype(d.dtype)._short}'")
    else:
        raise RuntimeError(f"Unknown Complex ScalarType for {from_numpy_dtype(d.dtype)._short}")
    if not np.isfinite(d).all():
        raise RuntimeError(f"torch.{name}: input tensor should not contain infs or NaNs.")
    if d.size == 0:
        return np.zeros(d.shape[:-1], cd), np.zeros(d.shape, cd)
    L, V = lapack.eig(d)
    return L.astype(cd), V.astype(cd)


def linalg_eig(A):
    """torch.linalg.eig: eigenvalues and unit eigenvectors of a square matrix, complex, in
    LAPACK's geev order (as PyTorch's CPU gives them)."""
    L, V = _eig(A, "linalg.eig")
    outs = (make(L), make(V))
    if needs_grad(A):
        record_multi(outs, LinalgEigBackward0, (A,), (saved_tensor(outs[0], True, "eigenvalues"),
                                                     saved_tensor(outs[1], True, "eigenvectors")))
    return EigResult._of(*outs)


def linalg_eigvals(A):
    """torch.linalg.eigvals: the eigenvalues of linalg.eig (its node, as PyTorch's)."""
    if needs_grad(A):
        _eig_shape_checks(A, "linalg.eigvals")
        return linalg_eig(A)[0]
    return make(_eig(A, "linalg.eigvals")[0])
