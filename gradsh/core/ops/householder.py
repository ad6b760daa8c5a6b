"""QR in LAPACK's compact form: torch.geqrf (the reflectors below the diagonal, R on and above it,
and the scales tau), torch.linalg.householder_product / torch.orgqr (the first n columns of
Q = H_1 H_2 ... H_k, H_i = I - tau_i v_i v_i^H, v_i: 1 at i, the column below it) and
torch.ormqr (Q, or its (conjugate) transpose, times a matrix from the left or the right).

geqrf is numpy's LAPACK (`qr(mode="raw")`) and, as in PyTorch, not differentiable
(GeqrfBackward0 refuses). householder_product and ormqr derive with respect to the reflectors,
the scales and (ormqr) the other matrix (LinalgHouseholderProductBackward0, OrmqrBackward0):
the gradient of each reflector is read off the product around it, written with tensor ops so a
create_graph backward records it. Complex values have PyTorch's conjugate gradients (written
with A^H: complex_rule, branch cplxdist).
"""

import math

import numpy as np

from .. import autocast as _amp
from ..memory import check_flops
from ..return_types import return_type
from ..tensor import Tensor
from .base import make, needs_grad, record, record_multi, rule, save
from .dense import _H, _lifted, _short
from .registry import declare
from .pointwise import where
from .shape import cat, stack
from . import lapack

GeqrfResult = return_type("geqrf", ("a", "tau"))


def _reflector_array(a, tau, i):
    """H_i of the reflectors `a` [..., m, n], scales tau [..., k] (arrays)."""
    m = a.shape[-2]
    v = a[..., :, i].copy()
    v[..., :i] = 0
    v[..., i] = 1
    h = np.eye(m, dtype=a.dtype) - tau[..., i, None, None] * (v[..., :, None] * v[..., None, :].conj())
    return h


def _product_array(a, tau):
    """H_1 ... H_k, [..., m, m]."""
    m = a.shape[-2]
    # one m x m product per reflector: k m^3 (a 5000 x 5000 input: hours), counted as a whole
    check_flops(math.prod(a.shape[:-2]) * tau.shape[-1] * (m ** 3 + m * m),
                f"the product of {tau.shape[-1]} Householder reflectors of size {m}")
    q = np.broadcast_to(np.eye(m, dtype=a.dtype), a.shape[:-2] + (m, m)).copy()
    for i in range(tau.shape[-1]):
        q = q @ _reflector_array(a, tau, i)
    return q


def _reflector(A, tau, i):
    """H_i with tensor ops (differentiable in A's column i and tau_i)."""
    m = A.shape[-2]
    dt = A._data.dtype
    below = make((np.arange(m) > i).astype(dt))
    unit = make((np.arange(m) == i).astype(dt))
    v = A.select(-1, i) * below + unit
    t = tau.select(-1, i).unsqueeze(-1).unsqueeze(-1)
    vh = v.unsqueeze(-2).conj() if dt.kind == "c" else v.unsqueeze(-2)
    return v, make(np.eye(m, dtype=dt)) - t * (v.unsqueeze(-1) * vh)


def _hh_grads(A, tau, G):
    """(dL/dA, dL/dtau) of Q_full = H_1 ... H_k given G = dL/dQ_full [..., m, m] (tensors);
    for complex values PyTorch's conjugate gradients: H_i = I - tau v v^H is holomorphic in
    tau and in v through v, antiholomorphic through v^H, so g_tau = -v^H gH v and
    g_v = -(conj(tau) gH + tau gH^H) v (branch cplxdist)."""
    k = tau.shape[-1]
    m = A.shape[-2]
    dt = A._data.dtype
    hs = [_reflector(A, tau, i) for i in range(k)]
    prefix = [make(np.broadcast_to(np.eye(m, dtype=dt), G.shape).copy())]
    for _, h in hs[:-1]:
        prefix.append(prefix[-1] @ h)
    suffix = make(np.broadcast_to(np.eye(m, dtype=dt), G.shape).copy())
    grad_a_cols, grad_tau = [None] * k, [None] * k
    n = A.shape[-1]
    for i in range(k - 1, -1, -1):
        v, h = hs[i]
        gh = _H(prefix[i]) @ G @ _H(suffix)  # dL/dH_i
        t = tau.select(-1, i).unsqueeze(-1)
        vc = v.unsqueeze(-1)
        if dt.kind == "c":
            gv = -(t.conj().unsqueeze(-1) * (gh @ vc) + t.unsqueeze(-1) * (_H(gh) @ vc))
            vh = _H(vc)
        else:
            gv = -t.unsqueeze(-1) * ((gh + _H(gh)) @ vc)
            vh = _H(vc)
        grad_tau[i] = -(vh @ gh @ vc).squeeze(-1).squeeze(-1)
        below = make(np.arange(m) > i)  # (a where, not a product: +0. above, as PyTorch)
        grad_a_cols[i] = where(below, gv.squeeze(-1), make(np.zeros((), dt)))
        suffix = h @ suffix
    zero = make(np.zeros(A._data.shape[:-1], dt))
    cols = grad_a_cols + [zero] * (n - k)
    grad_a = _stack_last(cols)
    return grad_a, _stack_last(grad_tau)


def _stack_last(ts):
    return stack(ts, -1)


@rule
@_lifted
def LinalgHouseholderProductBackward0(need, g, input, tau):
    m, n = input.shape[-2:]
    pad = make(np.zeros(g._data.shape[:-1] + (m - n,), g._data.dtype))
    grad_full = cat([g, pad], -1) if m > n else g
    ga, gt = _hh_grads(input, tau, grad_full)
    return (ga if need[0] else None, gt if need[1] else None)


def _check_householder(input, tau, name):
    for arg, t in (("input", input), ("tau", tau)):
        if not isinstance(t, Tensor):
            raise TypeError(f"{name.split('.')[-1]}(): argument '{arg}' (position "
                            f"{1 if arg == 'input' else 2}) must be Tensor, not "
                            f"{type(t).__name__}")
    if input.ndim < 2:
        raise RuntimeError(f"torch.{name}: input must have at least 2 dimensions.")
    if input.shape[-2] < input.shape[-1]:
        raise RuntimeError(f"torch.{name}: input.shape[-2] must be greater than or equal to "
                           "input.shape[-1]")
    if tau.ndim and input.shape[-1] < tau.shape[-1]:
        raise RuntimeError(f"torch.{name}: input.shape[-1] must be greater than or equal to "
                           "tau.shape[-1]")
    if input.ndim - tau.ndim != 1:
        raise RuntimeError(f"torch.{name}: Expected tau to have one dimension less than input, "
                           f"but got tau.ndim equal to {tau.ndim} and input.ndim is equal to "
                           f"{input.ndim}")
    if tuple(tau.shape[:-1]) != tuple(input.shape[:-2]):
        raise RuntimeError(f"torch.{name}: Expected batch dimensions of tau to be equal to "
                           f"input.shape[:-2], but got {list(tau.shape[:-1])}")
    if input._data.dtype != tau._data.dtype:
        raise RuntimeError(f"torch.{name}: tau dtype {_short(tau._data.dtype)} does not match "
                           f"input dtype {_short(input._data.dtype)}")
    if input._data.dtype.kind not in "fc" or input._data.dtype.itemsize < 4:
        raise NotImplementedError(f"\"orgqr_cpu\" not implemented for "
                                  f"'{_short(input._data.dtype)}'")


@declare(name="orgqr", function=True, method=True)
def orgqr(input, tau):
    """torch.orgqr: torch.linalg.householder_product's first name (LAPACK's)."""
    return _householder_product(input, tau, "linalg.householder_product")


def linalg_householder_product(input, tau):
    """The first n columns of H_1 ... H_k (k = tau's length) of the reflectors below input's
    diagonal."""
    return _householder_product(input, tau, "linalg.householder_product")


def _householder_product(input, tau, name):
    if _amp.on:  # torch.autocast: float32 (core/autocast.py)
        input, tau = _amp.widen(input, tau)
    _check_householder(input, tau, name)
    a, t = input._data, tau._data
    n = a.shape[-1]
    out = make(np.ascontiguousarray(_product_array(a, t)[..., :, :n]))
    if needs_grad(input, tau):
        record(out, LinalgHouseholderProductBackward0, (input, tau),
               (save(input, "self"), save(tau, "tau")))
    return out


@rule(n_outputs=2)
def GeqrfBackward0(need, g):
    raise NotImplementedError("the derivative for 'geqrf' is not implemented.")


@declare(tensor_first=True)
def geqrf(input):
    """QR of input in LAPACK's compact form: (a, tau), R on and above a's diagonal, the
    Householder reflectors below it."""
    if _amp.on:  # torch.autocast: float32 (core/autocast.py)
        input = _amp.widen(input)
    if input.ndim < 2:
        raise RuntimeError("torch.geqrf: input must have at least 2 dimensions.")
    d = input._data
    if d.dtype.kind not in "fc" or d.dtype.itemsize < 4:
        raise NotImplementedError(f"\"geqrf_cpu\" not implemented for '{_short(d.dtype)}'")
    m, n = d.shape[-2:]
    flat = d.reshape((-1, m, n))
    a = np.empty(flat.shape, d.dtype)
    tau = np.empty((flat.shape[0], min(m, n)), d.dtype)
    for b, mat in enumerate(flat):
        if mat.size:
            h, t = lapack.qr(mat, mode="raw")
            a[b], tau[b] = h.T, t
    a = make(np.ascontiguousarray(a.reshape(d.shape)))
    tau = make(tau.reshape(d.shape[:-2] + (min(m, n),)))
    if needs_grad(input):
        record_multi([a, tau], GeqrfBackward0, (input,))
    return GeqrfResult._of(a, tau)


@rule
@_lifted
def OrmqrBackward0(need, g, input, tau, other, left, transpose):
    m = input.shape[-2]
    q = _product_tensor(input, tau, m)
    qop = _H(q) if transpose else q
    grads = [None, None, None]
    if need[2]:
        grads[2] = _H(qop) @ g if left else g @ _H(qop)
    if need[0] or need[1]:
        gq = g @ _H(other) if left else _H(other) @ g  # dL/d(op(Q))
        if transpose:
            gq = _H(gq)
        ga, gt = _hh_grads(input, tau, gq)
        grads[0] = ga if need[0] else None
        grads[1] = gt if need[1] else None
    return tuple(grads)


def _product_tensor(input, tau, m):
    check_flops(math.prod(input.shape[:-2]) * tau.shape[-1] * (m ** 3 + m * m),
                f"the product of {tau.shape[-1]} Householder reflectors of size {m}")
    q = make(np.broadcast_to(np.eye(m, dtype=input._data.dtype),
                             input._data.shape[:-2] + (m, m)).copy())
    for i in range(tau.shape[-1]):
        q = q @ _reflector(input, tau, i)[1]
    return q


@declare(tensor_first=True)
def ormqr(input, tau, other, left=True, transpose=False):
    """Q (of input's reflectors and tau) times other: op(Q) @ other (left) or other @ op(Q),
    op the (conjugate) transpose when transpose is True."""
    for arg, pos, t in (("input2", 2, tau), ("input3", 3, other)):
        if not isinstance(t, Tensor):
            raise TypeError(f"ormqr(): argument '{arg}' (position {pos}) must be Tensor, not "
                            f"{type(t).__name__}")
    if input.ndim < 2:
        raise RuntimeError("torch.ormqr: input must have at least 2 dimensions.")
    if other.ndim < 2:
        raise RuntimeError("torch.ormqr: other must have at least 2 dimensions.")
    side = -2 if left else -1
    if other.shape[side] != input.shape[-2]:
        raise RuntimeError(f"torch.ormqr: other.shape[{side}] must be equal to "
                           "input.shape[-2]")
    if tau.shape[-1] != min(other.shape[side], input.shape[-1]):
        raise RuntimeError(f"torch.ormqr: tau.shape[-1] must be equal to "
                           f"min(other.shape[{side}], input.shape[-1])")
    for arg, t in (("tau", tau), ("other", other)):
        if t._data.dtype != input._data.dtype:  # (PyTorch's message lacks a space)
            raise RuntimeError(f"torch.ormqr: Expected input and {arg} to have the same dtype, "
                               f"but input has dtype{_short(input._data.dtype)} and {arg} has "
                               f"dtype {_short(t._data.dtype)}")
    a, t, c = input._data, tau._data, other._data
    q = _product_array(a, t)
    if transpose:
        q = np.swapaxes(q, -1, -2).conj()
    out = make(np.ascontiguousarray(q @ c if left else c @ q))
    if needs_grad(input, tau, other):
        record(out, OrmqrBackward0, (input, tau, other),
               (save(input, "self"), save(tau, "input2"), save(other, "input3"), left,
                transpose))
    return out



# (written with A^H: they hold for complex values)
LinalgHouseholderProductBackward0.complex_rule = OrmqrBackward0.complex_rule = True
