"""Matrix products: matmul and its cases (mm, mv, dot, bmm), outer, addmm, einsum, diag, trace."""

import numpy as np

from ..tensor import Tensor
from . import prim as P
from .base import dim_arg, make, needs_grad, record, result, rule, save, torch_dtype


def _cname(d):
    return {"float32": "float", "float64": "double", "int64": "long", "float16": "half"}.get(
        torch_dtype(d).name, torch_dtype(d).name)


def _same_dtype(a, b):
    if a.dtype != b.dtype:
        raise RuntimeError(f"expected m1 and m2 to have the same dtype, but got: {_cname(a.dtype)} "
                           f"!= {_cname(b.dtype)}")


def _matmul_grads(need, g, a, b, ashape, bshape):
    """Gradients of a @ b for any ranks (1-d operands are promoted as matmul does).

    Only the operand the other's gradient needs is saved: a is None unless b requires grad.
    """
    an, bn = len(ashape), len(bshape)
    if an == 1 and bn == 1:
        return (g * b if need[0] else None, g * a if need[1] else None)
    a2shape = ashape if an > 1 else (1,) + tuple(ashape)
    b2shape = bshape if bn > 1 else tuple(bshape) + (1,)
    g2 = g
    if an == 1:
        g2 = P.unsqueeze(g2, -2)
    if bn == 1:
        g2 = P.unsqueeze(g2, -1)
    ga = gb = None
    if need[0]:
        b2 = b if bn > 1 else P.unsqueeze(b, -1)
        ga = P.sum_to(g2 @ P.mT(b2), tuple(a2shape))
        if an == 1:
            ga = P.reshape(ga, tuple(ashape))
    if need[1]:
        a2 = a if an > 1 else P.unsqueeze(a, 0)
        gb = P.sum_to(P.mT(a2) @ g2, tuple(b2shape))
        if bn == 1:
            gb = P.reshape(gb, tuple(bshape))
    return (ga, gb)


_rule = _matmul_grads
MmBackward0 = rule("MmBackward0")(_rule)
MvBackward0 = rule("MvBackward0")(_rule)
DotBackward0 = rule("DotBackward0")(_rule)
BmmBackward0 = rule("BmmBackward0")(_rule)
MatmulNd = rule("UnsafeViewBackward0")(_rule)
Matmul1d2d = rule("SqueezeBackward4")(_rule)
Matmul2d3d = rule("CloneBackward0")(_rule)


def _record_mm(out, cls, a, b):
    ra, rb = a._requires_grad, b._requires_grad
    record(out, cls, (a, b), (save(a, "self") if rb else None, save(b, "mat2") if ra else None,
                              a._data.shape, b._data.shape))
    return out


def _dims_error(a, b):
    da, db = a.shape, b.shape
    if a.ndim == 1 and b.ndim == 1:
        return RuntimeError(f"inconsistent tensor size, expected tensor [{da[0]}] and src [{db[0]}] "
                            f"to have the same number of elements, but got {da[0]} and {db[0]} "
                            "elements respectively")
    if a.ndim == 2 and b.ndim == 1:
        return RuntimeError(f"size mismatch, got input ({da[0]}), mat ({da[0]}x{da[1]}), vec ({db[0]})")
    if a.ndim <= 2 and b.ndim <= 2:
        ra = da if a.ndim == 2 else (1,) + da
        return RuntimeError(f"mat1 and mat2 shapes cannot be multiplied ({ra[0]}x{ra[1]} and "
                            f"{db[0]}x{db[1]})")
    return RuntimeError(f"Expected size for first two dimensions of batch2 tensor to be: "
                        f"[{max(a.shape[:-2] or (1,))}, {a.shape[-1]}] but got: "
                        f"[{max(b.shape[:-2] or (1,))}, {b.shape[-2] if b.ndim > 1 else b.shape[0]}].")


def matmul(self, other):
    """Matrix product with numpy's rules for 1-d operands and batch broadcasting."""
    if not isinstance(other, Tensor):
        raise TypeError(f"matmul(): argument 'other' (position 1) must be Tensor, not "
                        f"{type(other).__name__}")
    a, b = self._data, other._data
    if a.ndim == 0 or b.ndim == 0:
        raise RuntimeError(f"both arguments to matmul need to be at least 1D, but they are "
                           f"{a.ndim}D and {b.ndim}D")
    _same_dtype(a, b)
    try:
        out = result(np.matmul(a, b))
    except ValueError:
        raise _dims_error(a, b) from None
    if needs_grad(self, other):
        if a.ndim == 2 and b.ndim == 2:
            cls = MmBackward0
        elif a.ndim == 2 and b.ndim == 1:
            cls = MvBackward0
        elif a.ndim == 1 and b.ndim == 1:
            cls = DotBackward0
        elif a.ndim == 1 and b.ndim == 2:
            cls = Matmul1d2d
        elif a.ndim == 2 and b.ndim == 3:
            cls = Matmul2d3d
        else:
            cls = MatmulNd
        _record_mm(out, cls, self, other)
    return out


def mm(self, mat2):
    """Product of two matrices."""
    if self.ndim != 2:
        raise RuntimeError("self must be a matrix")
    if mat2.ndim != 2:
        raise RuntimeError("mat2 must be a matrix")
    return matmul(self, mat2)


def mv(self, vec):
    """Matrix-vector product."""
    if self.ndim != 2 or vec.ndim != 1:
        raise RuntimeError(f"vector + matrix @ vector expected, got 1, {self.ndim}, {vec.ndim}")
    return matmul(self, vec)


def dot(self, other):
    """Inner product of two 1-d tensors."""
    if self.ndim != 1 or other.ndim != 1:
        raise RuntimeError(f"1D tensors expected, but got {self.ndim}D and {other.ndim}D tensors")
    return matmul(self, other)


inner = dot
vdot = dot


def bmm(self, mat2):
    """Batched product of (b, n, m) and (b, m, p) tensors."""
    if self.ndim != 3:
        raise RuntimeError("batch1 must be a 3D tensor")
    if mat2.ndim != 3:
        raise RuntimeError("batch2 must be a 3D tensor")
    a, b = self._data, mat2._data
    _same_dtype(a, b)
    if a.shape[0] != b.shape[0] or a.shape[2] != b.shape[1]:
        raise RuntimeError(f"Expected size for first two dimensions of batch2 tensor to be: "
                           f"[{a.shape[0]}, {a.shape[2]}] but got: [{b.shape[0]}, {b.shape[1]}].")
    out = result(np.matmul(a, b))
    if needs_grad(self, mat2):
        _record_mm(out, BmmBackward0, self, mat2)
    return out


def outer(self, vec2):
    """Outer product of two vectors (recorded as a broadcast MulBackward0, as PyTorch does)."""
    from .pointwise import mul
    return mul(self.reshape(-1, 1), vec2)


ger = outer


@rule("AddmmBackward0")
def AddmmBackward0(need, g, m1, m2, beta, alpha, shape):
    gi = (g * beta if beta != 1 else g) if need[0] else None
    g1 = (g @ P.mT(m2)) * alpha if need[1] else None
    g2 = (P.mT(m1) @ g) * alpha if need[2] else None
    return (gi, g1, g2)


def addmm(input, mat1, mat2, *, beta=1, alpha=1):
    """beta * input + alpha * (mat1 @ mat2)."""
    if mat1.ndim != 2:
        raise RuntimeError("mat1 must be a matrix, got " + f"{mat1.ndim}-D tensor")
    if mat2.ndim != 2:
        raise RuntimeError("mat2 must be a matrix, got " + f"{mat2.ndim}-D tensor")
    a, b = mat1._data, mat2._data
    _same_dtype(a, b)
    try:
        p = np.matmul(a, b)
    except ValueError:
        raise _dims_error(a, b) from None
    i = input._data if isinstance(input, Tensor) else input
    out = result(beta * i + alpha * p if (beta != 1 or alpha != 1) else i + p)
    if needs_grad(input, mat1, mat2):
        r1, r2 = mat1._requires_grad, mat2._requires_grad
        record(out, AddmmBackward0, (input, mat1, mat2),
               (save(mat1) if r2 else None, save(mat2) if r1 else None, beta, alpha,
                np.shape(i)))
    return out


# ----- einsum -------------------------------------------------------------------------------
@rule("EinsumBackward")
def EinsumBackward(need, g, eq, *ops_):
    """Each operand's gradient is an einsum of the output gradient with the other operands."""
    ins, out = eq.split("->")
    specs = ins.split(",")
    grads = []
    for i, spec in enumerate(specs):
        if not need[i]:
            grads.append(None)
            continue
        others = [s for j, s in enumerate(specs) if j != i]
        other_ops = [o for j, o in enumerate(ops_) if j != i]
        # Letters of this operand missing from output and other operands were summed: broadcast.
        avail = set(out).union(*others) if others else set(out)
        missing = [c for c in dict.fromkeys(spec) if c not in avail]
        sub = ",".join([out] + others) + "->" + "".join(c for c in dict.fromkeys(spec) if c in avail)
        if isinstance(g, Tensor):
            r = einsum(sub, g, *other_ops)
        else:
            r = np.einsum(sub, g, *[P.data(o) for o in other_ops])
        if missing or len(set(spec)) != len(spec):
            r = _einsum_expand(r, spec, "".join(c for c in dict.fromkeys(spec) if c in avail),
                               ops_[i].shape)
        grads.append(r)
    return tuple(grads)


def _einsum_expand(r, spec, have, shape):
    # Broadcast r (indexed by `have`) to the operand's full spec (repeated letters: diagonal).
    sizes = dict(zip(spec, shape))
    full = "".join(dict.fromkeys(spec))
    expand_shape = [sizes[c] for c in full]
    idx = "".join(c for c in full)
    rr = P.data(r)
    view = np.einsum(f"{have}->{''.join(c for c in full if c in have)}", rr)
    for k, c in enumerate(full):
        if c not in have:
            view = np.expand_dims(view, k)
    view = np.broadcast_to(view, expand_shape)
    if len(set(spec)) != len(spec):
        outa = np.zeros(shape, rr.dtype)
        it = np.nditer(view, flags=["multi_index"])
        for v in it:
            m = dict(zip(full, it.multi_index))
            outa[tuple(m[c] for c in spec)] += v
        view = outa
    del idx
    return view if not isinstance(r, Tensor) else make(np.ascontiguousarray(view))


def einsum(equation, *operands):
    """Einstein summation (explicit `->` or implicit output), differentiable in every operand.

    Built from gradsh's own ops the way PyTorch builds it (align each operand to one label order
    by unsqueeze and permute, sum labels only one operand has, contract pairs with bmm, view to
    the output), so the graph has PyTorch's nodes: `einsum('ij,jk->ik', a, b)` ends in
    ViewBackward0. Repeated labels in one operand (diagonals) use a single einsum node.
    """
    if len(operands) == 1 and isinstance(operands[0], (list, tuple)):
        operands = tuple(operands[0])
    eq = equation.replace(" ", "")
    if "->" not in eq:
        letters = eq.replace(",", "")
        out = "".join(sorted(c for c in set(letters) if letters.count(c) == 1 and c != "."))
        eq = eq + "->" + out
    if "." in eq:
        raise RuntimeError("gradsh's einsum does not support '...' yet")
    ins, out = eq.split("->")
    specs = ins.split(",")
    if len(specs) != len(operands):
        raise RuntimeError("einsum(): more operands were provided than specified in the equation"
                           if len(operands) > len(specs) else
                           "einsum(): fewer operands were provided than specified in the equation")
    for spec, op in zip(specs, operands):
        if len(spec) != op.ndim:
            raise RuntimeError(f"einsum(): the number of subscripts in the equation ({len(spec)}) "
                               f"does not match the number of dimensions ({op.ndim}) for operand "
                               f"{specs.index(spec)} and no ellipsis was given")
    if any(len(set(spec)) != len(spec) for spec in specs):
        return _einsum_node(eq, operands)
    contracted = []
    for spec in specs:
        contracted += [c for c in spec if c not in out and c not in contracted]
    labels = list(out) + contracted
    aligned = [_einsum_align(op, spec, labels) for op, spec in zip(operands, specs)]
    sizes = {}
    for op, spec in zip(operands, specs):
        for c, n in zip(spec, op.shape):
            sizes.setdefault(c, n)
    summed = [k for k, c in enumerate(labels) if c in contracted]
    if len(aligned) == 1:
        r = aligned[0]
        return r.sum(summed) if summed else r
    # A contracted label only one operand has is summed in that operand first.
    for k, spec in enumerate(specs):
        others = "".join(s_ for j, s_ in enumerate(specs) if j != k)
        own = [d for d in summed if labels[d] in spec and labels[d] not in others]
        if own:
            aligned[k] = aligned[k].sum(own, keepdim=True)
    r = aligned[0]
    have = set(specs[0])
    for k in range(1, len(aligned)):
        later = "".join(specs[k + 1:])
        dims = [d for d in summed if labels[d] in have and labels[d] in specs[k]
                and labels[d] not in later]
        r = _sumproduct_pair(r, aligned[k], dims)
        have |= set(specs[k])
    if summed:
        r = r.view([sizes[c] for c in out])
    return r


def _einsum_align(op, spec, labels):
    """op with its dims in `labels` order: size-1 dims appended for the labels it lacks."""
    t = op
    for _ in range(len(labels) - len(spec)):
        t = t.unsqueeze(-1)
    cur = list(spec) + [c for c in labels if c not in spec]
    return t.permute([cur.index(c) for c in labels])


def _sumproduct_pair(left, right, sum_dims):
    """sum over sum_dims of left * right (both aligned, broadcasting), through one bmm."""
    if not sum_dims:
        return left * right
    lro, lo, ro, sdims = [], [], [], []
    lro_size = lo_size = ro_size = sum_size = 1
    for d in range(left.ndim):
        sl, sr = left.shape[d] != 1, right.shape[d] != 1
        if d in sum_dims:
            if sl and sr:
                sum_size *= left.shape[d]
            elif sl:
                left = left.sum(d, keepdim=True)
            elif sr:
                right = right.sum(d, keepdim=True)
            sdims.append(d)
        elif sl and sr:
            lro.append(d)
            lro_size *= left.shape[d]
        elif sl:
            lo.append(d)
            lo_size *= left.shape[d]
        else:
            ro.append(d)
            ro_size *= right.shape[d]
    lperm = lro + lo + sdims + ro
    rperm = lro + sdims + ro + lo
    out_size = [left.shape[d] for d in lro] + [left.shape[d] for d in lo] + [1] * len(sdims) + \
        [right.shape[d] for d in ro]
    a = left.permute(lperm).reshape(lro_size, lo_size, sum_size)
    b = right.permute(rperm).reshape(lro_size, sum_size, ro_size)
    r = bmm(a, b).view(out_size)
    inverse = [0] * len(lperm)
    for i, d in enumerate(lperm):
        inverse[d] = i
    return r.permute(inverse)


def _einsum_node(eq, operands):
    arrays = [o._data for o in operands]
    out = result(np.einsum(eq, *arrays))
    if needs_grad(*operands):
        record(out, EinsumBackward, operands, (eq,) + tuple(save(o) for o in operands))
    return out


# ----- diagonals and triangles --------------------------------------------------------------
@rule("DiagEmbedBackward0")
def DiagEmbedBackward0(need, g, offset):
    if isinstance(g, Tensor):
        return (diagonal(g, offset),)
    return (np.diagonal(g, offset).copy(),)


@rule("DiagonalBackward0_copy")
def DiagonalBackward0(need, g, shape, offset):
    if isinstance(g, Tensor):
        return (diag_embed_into(g, shape, offset),)
    out = np.zeros(shape, g.dtype)
    n = g.shape[0]
    r = np.arange(n)
    out[r + max(-offset, 0), r + max(offset, 0)] = g
    return (out,)


def diag_embed_into(g, shape, offset):
    n = g.shape[0]
    r = np.arange(n)
    key = (r + max(-offset, 0), r + max(offset, 0))
    from .index import index_put_zero
    return index_put_zero(shape, key, g)


def diag(self, diagonal=0):
    """The diagonal of a matrix, or a square matrix with a vector on its diagonal."""
    d = self._data
    if d.ndim == 1:
        out = result(np.diag(d, diagonal))
        if needs_grad(self):
            record(out, DiagEmbedBackward0, (self,), (diagonal,))
        return out
    if d.ndim != 2:
        raise RuntimeError("diag(): Supports 1D or 2D tensors. Got " + f"{d.ndim}D")
    out = result(np.diagonal(d, diagonal).copy())
    if needs_grad(self):
        record(out, DiagonalBackward0, (self,), (d.shape, diagonal))
    return out


def diagonal(self, offset=0, dim1=0, dim2=1):
    d = self._data
    if (dim1, dim2) != (0, 1) or d.ndim != 2:
        return result(np.diagonal(d, offset, dim1, dim2).copy())
    return diag(self, offset)


@rule("TraceBackward0")
def TraceBackward0(need, g, shape):
    eye = np.eye(shape[0], shape[1], dtype=P.data(g).dtype)
    return (g * eye,)


def trace(self):
    """Sum of the diagonal of a matrix."""
    d = self._data
    if d.ndim != 2:
        raise RuntimeError("trace: expected a matrix, but got tensor with dim " + f"{d.ndim}")
    out = make(np.asarray(np.trace(d)))
    if needs_grad(self):
        record(out, TraceBackward0, (self,), (d.shape,))
    return out


@rule("TrilBackward0")
def TrilBackward0(need, g, k):
    return (g * np.tril(np.ones(P.data(g).shape[-2:], bool), k),)


@rule("TriuBackward0")
def TriuBackward0(need, g, k):
    return (g * np.triu(np.ones(P.data(g).shape[-2:], bool), k),)


def tril(self, diagonal=0):
    """Lower triangle (elements on and below the k-th diagonal), others zero."""
    out = result(np.tril(self._data, diagonal))
    if needs_grad(self):
        record(out, TrilBackward0, (self,), (diagonal,))
    return out


def triu(self, diagonal=0):
    """Upper triangle (elements on and above the k-th diagonal), others zero."""
    out = result(np.triu(self._data, diagonal))
    if needs_grad(self):
        record(out, TriuBackward0, (self,), (diagonal,))
    return out


_ = dim_arg
