"""Forward-mode AD (torch.autograd.forward_ad): dual tensors carry a tangent, and each op maps
the tangents of its inputs to the tangent of its output with a JVP rule (the table below).

A separate layer over the ops: entering `dual_level()` wraps every tensor op (Tensor methods and
operators, torch.*, torch.nn.functional.*) with a function that, when an argument is a dual
tensor, runs the op and then the op's JVP rule; leaving the level restores the ops and drops
every tangent. Outside a level nothing is wrapped, so ordinary code pays nothing. An op without
a JVP rule refuses a dual argument (NotImplementedError, as PyTorch for ops without a forward
derivative) rather than silently dropping the tangent.
"""

import collections
import inspect
import math
import types
import weakref

import numpy as np


from .. import _api
from ..core import autograd, custom_function, factories, grad_mode, node, random_api
from ..core.attention import mha_takes_fused_path, takes_fused_path
from ..core.node import rule
from ..core.ops import dense, inplace, pointwise, reduce, scatters, strided, unpool
from ..core.ops.views import conjugates, replay
from ..core.ops.cdist import uses_mm as cdist_uses_mm
from ..core.printing import format_tensor
from ..core.tensor import TENSOR_TYPES, Tensor
from ..core.torchclass import TorchClass

__all__ = ["dual_level", "make_dual", "unpack_dual", "enter_dual_level", "exit_dual_level",
           "UnpackedDualTensor"]

class NotInGradsh(NotImplementedError):
    """Forward AD of something PyTorch supports and gradsh does not (a tangent an inner
    reverse-mode transform dropped): torch.func.jacfwd falls back to reverse mode on it."""


class UnpackedDualTensor(collections.namedtuple("UnpackedDualTensor", ["primal", "tangent"]),
                         metaclass=TorchClass):
    """What unpack_dual returns: (primal, tangent), a named tuple printed as PyTorch's."""

    __slots__ = ()

_tangents = {}       # id(dual tensor) -> (weak reference to it, its tangent)
_level = [None]      # the current level (0) or None
_busy = [False]      # inside a wrapped op or a JVP rule: wrappers pass straight through
_saved = []          # what the level changed: the swap plan, (owner, name, original) of the rest


def tangent_of(x):
    """The tangent of a dual tensor, or None."""
    if type(x) not in TENSOR_TYPES:
        return None
    entry = _tangents.get(id(x))
    if entry is None or entry[0]() is not x:
        return None
    return entry[1]


def _set_tangent(t, tangent):
    key = id(t)
    _tangents[key] = (weakref.ref(t, lambda _, key=key: _tangents.pop(key, None)), tangent)
    _by_data[id(t._data)] = _tangents[key][0]


_by_data = {}        # id(a dual tensor's array) -> weak reference to the tensor


def _saved_output(data, rebuilt):
    """node.py's hook: an op's saved output, rebuilt for its backward rule, is the dual tensor
    it was (same array): it gets that tensor's tangent."""
    ref = _by_data.get(id(data))
    original = None if ref is None else ref()
    if original is not None and original._data is data:
        tangent = tangent_of(original)
        if tangent is not None:
            _set_tangent(rebuilt, tangent)


# ----- the public API ------------------------------------------------------------------------
def enter_dual_level():
    if _level[0] is not None:
        raise RuntimeError("Nested forward mode AD is not supported at the moment")
    _level[0] = 0
    _wrap_all()
    custom_function.dual_level_hooks[0] = (tangent_of, lambda t: unpack_dual(t).primal,
                                           _give_tangent)
    node.saved_output_hook.append(_saved_output)
    inplace.DUAL_WRITE[0], inplace.DUAL_TANGENT[0] = _written_value, _give_written
    return 0


def exit_dual_level(*, level=None):
    """Leave the dual level; with none open, or given another level than the open one, it is
    PyTorch's RuntimeError (issue 16, round 20: it left silently)."""
    if level is None:
        if _level[0] is None:
            raise RuntimeError("Dual level must be a positive number.")
    elif _level[0] is None or type(level) is not int or level != _level[0]:
        raise RuntimeError("Trying to exit a forward AD level that was not the last one that "
                           "was created. This is not supported.")
    custom_function.dual_level_hooks[0] = None
    inplace.DUAL_WRITE[0] = inplace.DUAL_TANGENT[0] = None
    node.saved_output_hook.clear()
    _unwrap_all()
    _tangents.clear()
    _by_data.clear()
    _level[0] = None


class dual_level(metaclass=TorchClass):
    """`with fwAD.dual_level():` the scope in which dual tensors exist."""

    def __repr__(self):
        return f"<torch.autograd.forward_ad.{type(self).__name__} object at {hex(id(self))}>"

    def __enter__(self):
        return enter_dual_level()

    def __exit__(self, *exc):
        exit_dual_level()
        return False


def make_dual(tensor, tangent, *, level=None):
    """A view of `tensor` carrying `tangent` as its forward gradient."""
    if _level[0] is None:
        raise RuntimeError("Trying to create a dual Tensor for forward AD but no level exists, "
                           "make sure to enter_dual_level() first.")
    if not (isinstance(tensor, Tensor) and isinstance(tangent, Tensor)):
        raise TypeError("make_dual(): expected Tensors for the primal and the tangent")
    for role, t in (("primal", tensor), ("tangent", tangent)):  # (PyTorch asks the primal first)
        if not (t.is_floating_point() or t.is_complex()):
            raise ValueError(f"Expected {role} to be floating point or complex, but got: "
                             f"{t.dtype}")
    if level is not None and level != _level[0]:
        if level < 0:   # PyTorch reads a negative level as "no level"
            raise RuntimeError("Trying to create a dual Tensor for forward AD but no level "
                               "exists, make sure to enter_dual_level() first.")
        raise RuntimeError("Invalid level given to _make_dual")
    if tangent_of(tensor) is not None:  # (a dual made of a dual: 10^6 of them in a loop ran)
        raise RuntimeError("Making a dual Tensor based on a Tensor that already has a forward "
                           "gradient at the same level 0 is not supported.")
    _check_size(tensor, tangent)
    _busy[0] = True
    try:
        dual = tensor.view_as(tensor)
    finally:
        _busy[0] = False
    _set_tangent(dual, tangent)
    return dual


def _check_size(tensor, tangent):
    if tangent.shape != tensor.shape:
        raise RuntimeError(
            "Trying to set a forward gradient that has a different size than that of the "
            f"original Tensor, this is not supported. Tensor is of size {_size(tensor)} while "
            f"the given forward gradient is of size {_size(tangent)}.")


def _give_tangent(tensor, tangent):
    """A custom Function's output gets the tangent its jvp returned."""
    _check_size(tensor, tangent)
    _set_tangent(tensor, tangent)


def unpack_dual(tensor, *, level=None):
    """(primal, tangent): the primal a view without tangent, the tangent None for a plain
    tensor."""
    if _level[0] is not None and not isinstance(tensor, Tensor):
        raise TypeError("_unpack_dual(): argument 'dual' (position 1) must be Tensor, not %s"
                        % type(tensor).__name__)
    t = tangent_of(tensor)
    if t is None:
        return UnpackedDualTensor(tensor, None)
    _busy[0] = True
    try:
        primal = tensor.view_as(tensor)
    finally:
        _busy[0] = False
    if primal._grad_fn is not None:     # PyTorch's node for this view: Identity
        primal._grad_fn.__class__ = Identity
    return UnpackedDualTensor(primal, t)


@rule
def Identity(need, g, shape):
    """The node of unpack_dual's primal (a view of the dual tensor, same shape), as PyTorch
    names it."""
    return (g,)


def _size(t):
    return "[" + ", ".join(str(s) for s in t.shape) + "]"


# ----- JVP rules -----------------------------------------------------------------------------
# rule(args, kwargs, out) -> the tangent of out (T(x): the tangent of argument x, or None).
T = tangent_of


def _sum(*parts):
    total = None
    for p in parts:
        if p is not None:
            total = p if total is None else total + p
    return total


def _fit(t, out):
    """A tangent shaped and typed as the output (broadcast inputs, promoted dtypes)."""
    if t is None:
        return None
    if t.shape != out.shape:
        t = t.expand(out.shape).clone()
    if t.dtype != out.dtype:
        t = t.to(out.dtype)
    return t


def _arg(args, kwargs, i, name, default=None):
    return args[i] if len(args) > i else kwargs.get(name, default)


def _times(t, factor):
    return None if t is None else t * factor


def _add(args, kwargs, out):
    alpha = kwargs.get("alpha", 1)
    a, b = args[0], _arg(args, kwargs, 1, "other")
    return _sum(T(a), _times(T(b), alpha) if alpha != 1 else T(b))


def _sub(args, kwargs, out):
    alpha = kwargs.get("alpha", 1)
    a, b = args[0], _arg(args, kwargs, 1, "other")
    return _sum(T(a), _times(T(b), -alpha))


def _rsub(args, kwargs, out):      # other - alpha * self
    alpha = _arg(args, kwargs, 2, "alpha", 1)
    return _sum(_times(T(args[0]), -alpha), T(_arg(args, kwargs, 1, "other")))


def _mul(args, kwargs, out):
    a, b = args[0], _arg(args, kwargs, 1, "other")
    return _sum(_times(T(a), b), _times(T(b), a))


def _div(args, kwargs, out):        # derivatives.yaml: (self_t - other_t * result) / other_p
    a, b = args[0], _arg(args, kwargs, 1, "other")
    if kwargs.get("rounding_mode") is not None:     # piecewise constant
        return factories.zeros_like(out) if out.is_floating_point() else None
    ta, tb = T(a), T(b)
    if tb is None:
        if out.requires_grad and not ta.requires_grad:
            ta = ta - _efficient_zero(out, 0.0)  # other_t * result: a zero with history
        return ta / b
    return (_sum(ta, -tb * out) if ta is not None else -tb * out) / b


def _efficient_zero(holder, zero=-0.0):
    """PyTorch's stand-in for an absent tangent in a formula with a term per input: a zero
    (-0.0, which adds to anything leaving it as it is; +0.0 to subtract) that keeps the history
    of `holder` (the term's primal requiring grad, or None), as its zero tensor times that
    primal does."""
    if holder is None:
        return factories.full((), zero)
    z = holder.sum() * 0
    z._data[...] = zero
    return z


def _summed(args, kwargs, tangent):
    """The tangent of an op whose forward formula sums a term per input (SUMMED): where an
    input has no tangent and another primal requires grad, PyTorch's zero term has history,
    so the sum's node (AddBackward0) is the tangent's, as it is whenever a term has one."""
    inputs = [a for a in list(args) + list(kwargs.values())
              if type(a) in TENSOR_TYPES or isinstance(a, (int, float)) and type(a) is not bool]
    holders = [a for a in inputs if type(a) in TENSOR_TYPES and a.requires_grad]
    holder = next((h for h in holders if any(
        i is not h and (type(i) not in TENSOR_TYPES or T(i) is None) for i in inputs)), None)
    if holder is None and not tangent.requires_grad:
        return tangent
    z = _efficient_zero(holder)
    return tangent + (z if z.dtype == tangent.dtype else z.to(tangent.dtype))


def _atan2(args, kwargs, out):  # (-self_p * other_t + other_p * self_t) / (self_p² + other_p²)
    a, b = args[0], _arg(args, kwargs, 1, "other")
    return _sum(_times(T(b), -a), _times(T(a), b)) / (a * a + b * b)


def _std(args, kwargs, out):
    """derivatives.yaml: var's tangent / (2 * result), 0 where the result is 0."""
    _, var_t = _derived(reduce.var, args, kwargs)
    std = out[0] if isinstance(out, tuple) else out
    t = (var_t / (2 * std)).masked_fill(std == 0, 0)
    if isinstance(out, tuple):      # std_mean: the mean's tangent too
        dim, keepdim = _arg(args, kwargs, 1, "dim"), _arg(args, kwargs, 3, "keepdim", False)
        return t, _derived(reduce.mean, (args[0], dim, keepdim), {})[1]
    return t


def _rdiv(args, kwargs, out):      # other / self
    a = args[0]
    return -T(a) * out / a


def _rpow(args, kwargs, out):      # other ** self
    a, base = args[0], args[1]
    return T(a) * out * math.log(base)


def _det(args, kwargs, out):       # derivatives.yaml: det * tr(A^-1 dA), by A's LU
    A = _arg(args, kwargs, 0, "A") if args or "A" in kwargs else kwargs.get("input")
    tA = T(A)
    if tA is None:
        return None
    if not (out._data == 0).any():
        try:
            return out * dense.linalg_solve(A, tA).diagonal(0, -2, -1).sum(-1)
        except dense.LinAlgError:  # numpy's LU met a zero pivot where det's did not
            pass
    # the LU's zero pivot nudged by eps: det times a finite number (a signed zero at 0)
    return out * Tensor._make(np.asarray(dense.det_tangent_trace(A._data, tA._data),
                                         out._data.dtype))


def _matmul(args, kwargs, out):
    a, b = args[0], _arg(args, kwargs, 1, "other")
    ta, tb = T(a), T(b)
    return _sum(None if ta is None else ta @ b, None if tb is None else a @ tb)


def _pointwise(derivative):
    """A rule for out = f(x): tangent * f'(x), f' written with x and out."""
    def rule(args, kwargs, out):
        return T(args[0]) * derivative(args[0], out)
    return rule


def _divided(denominator):
    """A rule for out = f(x) whose forward formula divides: tangent / d(x, out), PyTorch's
    order (log: self_t / self_p), so its value and, under a reverse graph, its node
    (DivBackward0) are PyTorch's."""
    def rule(args, kwargs, out):
        return T(args[0]) / denominator(args[0], out)
    return rule


def _by_kernel(name):
    """A rule for tanh and sigmoid: PyTorch's forward formula is its backward kernel applied
    to the tangent (TanhBackwardBackward0 under a reverse graph)."""
    def rule(args, kwargs, out):
        return getattr(pointwise, name)(T(args[0]), out)
    return rule


def _linear_op(name):
    """Ops linear in their first argument, other arguments not tensors (view, sum, ...): the
    same op applied to the tangent."""
    def rule(args, kwargs, out):
        return getattr(T(args[0]), name)(*args[1:], **kwargs)
    return rule


def _like_other(name):
    def rule(args, kwargs, out):       # view_as(other), expand_as(other)
        return getattr(T(args[0]), name)(args[1])
    return rule


def _getitem(args, kwargs, out):
    return T(args[0])[args[1]]


def _many(name):
    """cat / stack over a list: the tangents of the pieces, zeros for plain pieces."""
    def rule(args, kwargs, out):
        pieces = args[0]
        if not any(T(p) is not None for p in pieces):
            return None
        ts = [T(p) if T(p) is not None else factories.zeros_like(p) for p in pieces]
        return getattr(_torch(), name)(ts, *args[1:], **kwargs)
    return rule


def _torch():
    return _api


def _softmax(args, kwargs, out):
    dim = _arg(args, kwargs, 1, "dim")
    t = T(args[0])
    return out * (t - (out * t).sum(dim, keepdim=True))


def _log_softmax(args, kwargs, out):
    dim = _arg(args, kwargs, 1, "dim")
    t = T(args[0])
    return t - (out.exp() * t).sum(dim, keepdim=True)


def _mse_loss(args, kwargs, out):
    a, b = args[0], _arg(args, kwargs, 1, "target")
    reduction = _arg(args, kwargs, 4, "reduction", "mean")
    t = _sum(T(a), _times(T(b), -1))
    d = 2 * (a - b) * t
    return d.mean() if reduction == "mean" else (d.sum() if reduction == "sum" else d)


def _where(args, kwargs, out):
    cond, x, y = args[0], args[1], args[2]
    tx = T(x) if T(x) is not None else factories.zeros_like(out)
    ty = T(y) if T(y) is not None else factories.zeros_like(out)
    return _torch().where(cond, tx, ty)


def _clamp(args, kwargs, out):
    a = args[0]
    lo, hi = _arg(args, kwargs, 1, "min"), _arg(args, kwargs, 2, "max")
    if isinstance(lo, Tensor) or isinstance(hi, Tensor):
        return _clamp_by_tensors(a, lo, hi, out)
    keep = a == a
    if lo is not None:
        keep = keep & (a >= lo)
    if hi is not None:
        keep = keep & (a <= hi)
    return _masked(keep, T(a))


def _clamp_by_tensors(a, lo, hi, out):
    """clamp with tensor bounds (PyTorch's clamp.Tensor): each element's tangent is the
    tangent of the value it takes, the bound's where it is cut off (zeros for a bound without
    one). With both bounds a nan or a tie keeps self's; with one bound a tie or a nan takes the
    bound's (as PyTorch's; clamp_min/clamp_max, with ties to self, are their own ops)."""
    zeros = factories.zeros_like(out)

    def t(v):
        tv = T(v) if isinstance(v, Tensor) else None
        return zeros if tv is None else tv
    where = _torch().where
    if lo is not None and hi is not None:
        return where(a < lo, t(lo), where(a > hi, t(hi), t(a)))
    if lo is not None:
        return where(a > lo, t(a), t(lo))
    return where(a < hi, t(a), t(hi))


def _threshold(t, out):
    """relu's forward formula, threshold_backward(self_t, result, 0): +0 where cut off, and
    under a reverse graph PyTorch's node (ThresholdBackwardBackward0)."""
    keep = ~(out._data <= 0)
    return pointwise.grad_op(pointwise.ThresholdBackwardBackward0, t, out,
                             lambda g: np.where(keep, g, g.dtype.type(0)))


def _masked(keep, t):
    """The tangent where `keep`, +0 elsewhere: PyTorch's rules select (where / threshold_backward)
    rather than multiply by a mask, so a negative tangent gives 0., not -0., where cut off."""
    return _torch().where(keep, t, factories.zeros_like(t))


def _nan_ignoring(keeps_self):
    """fmax / fmin (derivatives.yaml): other_t + mask * (self_t - other_t), the mask where self
    wins or other is nan (strictly: at ties the tangent is other's)."""
    def rule(args, kwargs, out):
        a, b = args[0], _arg(args, kwargs, 1, "other")
        return _picked(T(a), T(b), (keeps_self(a, b) | b.isnan()).to(out.dtype))
    return rule


def _halved_at_ties(keeps_self):
    """maximum / minimum: the same with half of each tangent where self and other tie."""
    def rule(args, kwargs, out):
        a, b = args[0], _arg(args, kwargs, 1, "other")
        return _picked(T(a), T(b), _torch().where(a == b, 0.5, keeps_self(a, b).to(out.dtype)))
    return rule


def _picked(ta, tb, mask):
    """other_t + mask * (self_t - other_t) with an absent tangent left out, not read as zeros:
    PyTorch's undefined tangents are "efficient zeros" whose sums keep the other term as it is
    (a -0. from the mask stays -0.)."""
    if tb is None:
        return mask * ta
    return tb + mask * (-tb if ta is None else ta - tb)


def _logcumsumexp(args, kwargs, out):
    """logcumsumexp_jvp: (exp(x - max) * x_t).cumsum / exp(x - max).cumsum along dim."""
    a, dim = args[0], _arg(args, kwargs, 1, "dim")
    e = (a - a.max(dim, keepdim=True).values).exp() if a.dim() else (a - a).exp()
    return (e * T(a)).cumsum(dim) / e.cumsum(dim)


def _selected(dim_at):
    """max/min(dim), sort, topk: the values' tangent is the input's tangent at the indices."""
    def rule(args, kwargs, out):
        if not isinstance(out, tuple):
            raise NotImplementedError("forward AD of the two-tensor max/min is not supported "
                                      "in gradsh; use maximum/minimum's where form")
        indices = out[1]
        dim = _arg(args, kwargs, dim_at, "dim", -1)
        t = T(args[0])
        keep = indices.dim() == args[0].dim()
        idx = indices if keep else indices.unsqueeze(dim)
        g = t.gather(dim, idx)
        return (g if keep else g.squeeze(dim)), None
    return rule


def _pieces(name):
    """split / chunk / unbind: the pieces of the tangent."""
    def rule(args, kwargs, out):
        return tuple(getattr(T(args[0]), name)(*args[1:], **kwargs))
    return rule


def _cast(args, kwargs, out):
    return T(args[0]).to(out.dtype) if out.dtype.is_floating_point else None


def _as_strided_scatter(args, kwargs, out):
    """derivatives.yaml's result: self_t.as_strided_scatter(src_t, size, stride, offset) (the
    reverse rule's self gradient is not the transpose of this: PyTorch's backward keeps the
    overwritten region)."""
    self, src = args[0], _arg(args, kwargs, 1, "src")
    ts, tsrc = T(self), T(src)
    if ts is None and tsrc is None:
        return None
    ts = self.new_zeros(self.shape) if ts is None else ts
    tsrc = src.new_zeros(src.shape) if tsrc is None else tsrc
    return strided.as_strided_scatter(ts, tsrc, *args[2:], **{
        k: v for k, v in kwargs.items() if k != "src"})


_LN2, _LN10 = math.log(2.0), math.log(10.0)

RULES = {
    "add": _add, "__add__": _add, "__radd__": _add, "sub": _sub, "__sub__": _sub,
    "subtract": _sub, "__rsub__": _rsub, "rsub": _rsub, "mul": _mul, "multiply": _mul,
    "__mul__": _mul, "__rmul__": _mul, "div": _div, "divide": _div, "true_divide": _div,
    "__truediv__": _div, "__rtruediv__": _rdiv, "rdiv": _rdiv, "rpow": _rpow, "__rpow__": _rpow,
    "matmul": _matmul, "__matmul__": _matmul, "mm": _matmul,
    "det": _det, "linalg_det": _det,
    "as_strided_scatter": _as_strided_scatter,
    "mv": _matmul, "dot": _matmul, "bmm": _matmul,
    "neg": _pointwise(lambda x, out: -1), "__neg__": _pointwise(lambda x, out: -1),
    "negative": _pointwise(lambda x, out: -1), "__pos__": _pointwise(lambda x, out: 1),
    "positive": _pointwise(lambda x, out: 1),
    "exp": _pointwise(lambda x, out: out), "log": _divided(lambda x, out: x),
    "sin": _pointwise(lambda x, out: x.cos()), "cos": _pointwise(lambda x, out: -x.sin()),
    "tan": _pointwise(lambda x, out: 1 + out * out),
    "tanh": _by_kernel("tanh_backward"), "sigmoid": _by_kernel("sigmoid_backward"),
    "relu": lambda args, kwargs, out: _threshold(T(args[0]), out),
    "sqrt": _divided(lambda x, out: 2 * out),
    "rsqrt": _pointwise(lambda x, out: -0.5 * out * out * out),
    "abs": _pointwise(lambda x, out: x.sign()), "__abs__": _pointwise(lambda x, out: x.sign()),
    "square": _pointwise(lambda x, out: 2 * x),
    "reciprocal": _pointwise(lambda x, out: -out * out),
    "log1p": _divided(lambda x, out: x + 1),
    "expm1": _pointwise(lambda x, out: out + 1),
    "sinh": _pointwise(lambda x, out: x.cosh()), "cosh": _pointwise(lambda x, out: x.sinh()),
    "log2": _divided(lambda x, out: x * _LN2),
    "log10": _divided(lambda x, out: x * _LN10),
    "atan": _divided(lambda x, out: x * x + 1),
    "asin": _pointwise(lambda x, out: (1 - x * x).rsqrt()),
    "acos": _pointwise(lambda x, out: -(1 - x * x).rsqrt()),
    "erf": _pointwise(lambda x, out: (2 / math.sqrt(math.pi)) * (-x * x).exp()),
    "atan2": _atan2, "arctan2": _atan2, "std": _std, "std_mean": _std,
    "softmax": _softmax, "log_softmax": _log_softmax, "mse_loss": _mse_loss, "where": _where,
    "clamp": _clamp, "clip": _clamp, "fmax": _nan_ignoring(lambda a, b: a > b),
    "fmin": _nan_ignoring(lambda a, b: a <= b),
    "maximum": _halved_at_ties(lambda a, b: a > b), "minimum": _halved_at_ties(lambda a, b: a < b), "logcumsumexp": _logcumsumexp,
    "__getitem__": _getitem, "getitem": _getitem, "view_as": _like_other("view_as"),
    "expand_as": _like_other("expand_as"), "reshape_as": _like_other("reshape_as"),
    "cat": _many("cat"), "concat": _many("cat"), "stack": _many("stack"),
    "sort": _selected(1), "topk": _selected(2),
    "split": _pieces("split"), "chunk": _pieces("chunk"), "unbind": _pieces("unbind"),
    "float": _cast, "double": _cast, "half": _cast, "to": _cast, "type": _cast,
}
for _name in ("sign", "floor", "ceil", "round", "trunc"):   # piecewise constant: zero tangent
    RULES[_name] = lambda args, kwargs, out: factories.zeros_like(T(args[0]))
for _name in ("view", "reshape", "flatten", "unflatten", "ravel", "t", "transpose", "permute",
              "unsqueeze", "squeeze", "expand", "clone", "contiguous", "narrow", "select", "flip",
              "roll", "repeat", "movedim", "moveaxis", "swapaxes", "swapdims", "diagonal", "tril",
              "triu", "sum", "mean", "trace", "diag", "cumsum", "broadcast_to", "fliplr",
              "flipud"):
    RULES[_name] = _linear_op(_name)


# branch torchbreadth: vander's tangent (PyTorch's fill_, copy_ and cumprod carry it forward,
# where gradsh's backward pass refuses as PyTorch's does), and scatter_reduce's (undefined
# for "prod" and the old names "max"/"min", as PyTorch's scatter_reduce_jvp leaves it)
def _vander(args, kwargs, out):
    x = args[0]
    t = tangent_of(x)
    increasing = _arg(args, kwargs, 2, "increasing", False)
    if out.shape[1] <= 1:  # only fill_(1): x never reaches the result
        return None
    v = out._data if increasing else out._data[:, ::-1]
    d = np.zeros(v.shape, v.dtype)
    if v.shape[1] > 1:
        d[:, 1:] = v[:, :-1] * np.arange(1, v.shape[1], dtype=v.dtype)
    d = d * t._data[:, None]
    return Tensor._make(np.ascontiguousarray(d if increasing else d[:, ::-1]))


def _scatter_reduce(args, kwargs, out):
    if _arg(args, kwargs, 4, "reduce") not in ("sum", "mean", "amax", "amin"):
        return None
    return _derived(scatters.scatter_reduce, args, kwargs)[1]


RULES.update({"vander": _vander, "scatter_reduce": _scatter_reduce})

# (tensor, number) ops of the backward rules (pointwise.py's mul.Scalar and kin)
_SCALAR_OPS = {name: getattr(pointwise, name) for name in ("add_scalar", "sub_scalar",
                                                            "mul_scalar", "div_scalar")}
RULES.update({"add_scalar": _add, "sub_scalar": _sub, "mul_scalar": _mul, "div_scalar": _div})


def _kernel_backward(name, output_term):
    """tanh_backward / sigmoid_backward(grad_output, output) (what tanh's and sigmoid's backward
    rules call): derivatives.yaml's result, the kernel on grad_output's tangent (zeros when it
    has none) plus output's tangent times the kernel's derivative in output."""
    def rule(args, kwargs, out):
        go, o = args[0], args[1]
        tgo, to = T(go), T(o)
        first = getattr(pointwise, name)(factories.zeros_like(go) if tgo is None else tgo, o)
        return first if to is None else first + to * output_term(go, o)
    return rule


_SCALAR_OPS.update({name: getattr(pointwise, name) for name in ("tanh_backward",
                                                                 "sigmoid_backward")})
RULES.update({
    "tanh_backward": _kernel_backward("tanh_backward",
                                      lambda go, o: pointwise.mul_scalar(o, -2) * go),
    "sigmoid_backward": _kernel_backward(
        "sigmoid_backward",
        lambda go, o: go * pointwise.add_scalar(pointwise.mul_scalar(o, -2), 1))})


# max_unpool is linear in its input: the same unpool of the tangent
def _unpool(name):
    def rule(args, kwargs, out):
        return getattr(unpool, name)(T(args[0]), *args[1:], **kwargs)
    return rule


RULES.update({name: _unpool(name) for name in ("max_unpool1d", "max_unpool2d", "max_unpool3d")})

# Ops whose forward formula is a sum with a term per differentiable input (derivatives.yaml's
# mul, mm, addmm, convolution_jvp, layer_norm_jvp ...): PyTorch fills an absent tangent with a
# zero tensor whose term keeps the other primals' history (_summed).
SUMMED = {"mul", "__mul__", "__rmul__", "multiply", "mm", "matmul", "__matmul__", "__rmatmul__",
          "mv", "dot", "bmm", "addmm", "linear", "outer", "ger", "addcmul", "conv1d", "conv2d",
          "conv3d", "layer_norm"}

# max/min of two tensors are maximum/minimum
_TWO_TENSOR = {"max": "maximum", "min": "minimum"}

# Ops whose result has no tangent (indices, comparisons, rounding; PyTorch gives these none).
NO_TANGENT = {"argmax", "argmin", "argsort", "eq", "ne", "lt", "le", "gt", "ge", "__eq__",
              "__ne__", "__lt__", "__le__", "__gt__", "__ge__", "isnan", "isinf", "isfinite",
              "nonzero", "argwhere", "count_nonzero", "all", "any", "equal", "allclose",
              "isclose", "logical_not", "logical_and", "logical_or", "zeros_like", "ones_like",
              "empty_like", "full_like", "rand_like", "randn_like", "randint_like", "long", "int",
              "bool", "short", "byte", "is_nonzero", "numel", "is_tensor", "is_floating_point",
              "result_type"}
# Ops PyTorch has no forward derivative for: name -> the op PyTorch's error names (an aten::
# name: "that does not support it."; another: "... because it has not been implemented yet").
def _fused_attention(args, kwargs):
    """The fused CPU attention's name when scaled_dot_product_attention would take it (PyTorch
    has no forward derivative for it), else None."""
    return _FUSED if takes_fused_path(*args, **kwargs) else None


def _fused_multi_head(args, kwargs):
    """The same for multi_head_attention_forward (its need_weights=False path)."""
    return _FUSED if mha_takes_fused_path(*args, **kwargs) else None


_FUSED = "_scaled_dot_product_flash_attention_for_cpu"


REFUSED = {"heaviside": "aten::heaviside", "floor_divide": "aten::floor_divide",
           "__floordiv__": "aten::floor_divide",
           "__rfloordiv__": "aten::floor_divide", "rfloordiv": "aten::floor_divide",
           "__rmod__": "aten::remainder", "rremainder": "aten::remainder",
           "unique": "_unique2", "pdist": "_pdist_forward", "index_reduce": "index_reduce",
           "multi_margin_loss": "multi_margin_loss", "cholesky": "cholesky",
           "multilabel_margin_loss": "multilabel_margin_loss_forward",
           "cdist": lambda args, kwargs: "_euclidean_dist" if cdist_uses_mm(*args, **kwargs)
           else "_cdist_forward",
           "embedding_bag": "_embedding_bag", "ctc_loss": "_ctc_loss",
           "grid_sample": lambda args, kwargs: "grid_sampler_3d" if getattr(
               args[0], "ndim", 4) == 5 else "grid_sampler_2d",
           "detach_copy": "aten::detach_copy", "binomial": "aten::binomial",
           "native_channel_shuffle": "aten::native_channel_shuffle",
           "nonzero_static": "aten::nonzero_static", "pin_memory": "_pin_memory",
           "bernoulli": lambda args, kwargs: "aten::bernoulli" if (
               len(args) > 1 and args[1] is not None or kwargs.get("p") is not None) else None,
           "scaled_dot_product_attention": _fused_attention,
           "multi_head_attention_forward": _fused_multi_head}
# Elementwise ops whose forward derivative is PyTorch's auto_element_wise (or, for pow, the
# backward formulas applied to the tangents): the _elementwise lane.
ELEMENTWISE = {"pow", "__pow__", "logit", "elu", "selu", "leaky_relu", "hardtanh", "relu6",
               "softplus", "hardsigmoid", "hardswish", "silu", "mish", "gelu", "logsigmoid",
               "softsign", "nan_to_num", "asinh", "acosh", "atanh", "float_power",
               "sinc", "xlogy", "xlog1py"}  # masks on the primal (derivatives.yaml's where)
_NOT_YET = (" because it has not been implemented yet.\nPlease file an issue to PyTorch at "
            "https://github.com/pytorch/pytorch/issues/new?template=feature-request.yml so that "
            "we can prioritize its implementation or submit a PR adding the implementation to "
            "derivatives.yaml")
_IN_PLACE_OPERATORS = {"__iadd__", "__isub__", "__imul__", "__itruediv__", "__ifloordiv__",
                       "__imod__", "__ipow__", "__iand__", "__ior__", "__ixor__", "__ilshift__",
                       "__irshift__", "__setitem__", "setitem"}
# Names on Tensor and in torch that are not ops over tensor values.
_SKIP = {"Tensor", "tensor", "as_tensor", "from_numpy", "scalar_tensor", "manual_seed",
         "is_grad_enabled", "set_grad_enabled", "no_grad", "enable_grad", "inference_mode",
         "get_default_dtype", "set_default_dtype", "set_printoptions", "get_printoptions",
         "Generator", "device", "dtype", "Size", "promote_types"}


# ----- wrapping the ops while a level is open -------------------------------------------------
def _has_dual(args, kwargs):
    if not _tangents:
        return False
    for a in args:
        if type(a) in TENSOR_TYPES:
            if tangent_of(a) is not None:
                return True
        elif isinstance(a, (list, tuple)):
            if any(type(x) in TENSOR_TYPES and tangent_of(x) is not None for x in a):
                return True
    return any(type(v) in TENSOR_TYPES and tangent_of(v) is not None for v in kwargs.values())


def _call(name, fn, args, kwargs):
    """Run op `fn` (called as `name`); with a dual argument, also its JVP rule (the table's, or
    the one derived from the op's backward rule)."""
    if _busy[0] or not _has_dual(args, kwargs):
        return fn(*args, **kwargs)
    _busy[0] = True
    try:
        _refuse(name, args, kwargs)
        if name in _IN_PLACE_OPERATORS or name.endswith("_") and not name.endswith("__"):
            return _in_place(name, fn, args, kwargs)
        rule = RULES.get(name)
        if name in _TWO_TENSOR and isinstance(_arg(args, kwargs, 1, "other"), Tensor):
            rule = RULES[_TWO_TENSOR[name]]     # torch.max(a, b): maximum
        if rule is None:
            if name in NO_TANGENT:
                return fn(*args, **kwargs)
            lane = _elementwise if name in ELEMENTWISE else _derived
            out, tangent = lane(fn, args, kwargs)
        else:
            out = fn(*args, **kwargs)
            tangent = rule(args, kwargs, out)
        if name in SUMMED and type(tangent) in TENSOR_TYPES and grad_mode.is_grad_enabled():
            tangent = _summed(args, kwargs, tangent)
        _attach(out, tangent)
        return out
    finally:
        _busy[0] = False


def _refuse(name, args, kwargs):
    """PyTorch's error for an op it has no forward derivative for (REFUSED: the name it gives,
    or a function of the arguments giving it)."""
    aten = REFUSED.get(name)
    if callable(aten):
        aten = aten(args, kwargs)
    if aten is not None:
        raise NotImplementedError(f"Trying to use forward AD with {aten} that does not support it"
                                  + ("." if aten.startswith("aten::") else _NOT_YET))


# ----- in-place ops ---------------------------------------------------------------------------
# In-place ops that permute self's dims (its tangent follows as the same view of it)
_PERMUTING = {"t_": "t", "transpose_": "transpose", "swapaxes_": "swapaxes",
              "swapdims_": "swapdims", "squeeze_": "squeeze", "unsqueeze_": "unsqueeze"}


def _in_place(name, fn, args, kwargs):
    """An in-place op with a dual argument: every op that writes values runs through
    apply_inplace, whose forward-AD lane (_written_value, _give_written) gives self the tangent
    of its new value; an op that permutes self's dims gives its tangent the same permutation."""
    self = args[0] if args else None
    before = tangent_of(self)
    out = fn(*args, **kwargs)
    twin = _PERMUTING.get(name)
    if twin is not None and before is not None:
        _set_tangent(self, getattr(before, twin)(*args[1:], **kwargs))
    elif name in ("__setitem__", "setitem") and before is not None and tangent_of(args[2]) is None:
        # x[key] = value without a tangent: the written region's tangent is zero (the write
        # ran on a view made inside this call, which had no tangent of its own to update)
        tangent = tangent_of(self)
        if not tangent._data.flags.writeable:
            tangent = tangent.clone()
            _set_tangent(self, tangent)
        with grad_mode.no_grad():
            tangent[args[1]] = 0
    return out


def _written_value(self, fn, before, args, kwargs):
    """apply_inplace's lane while a level is open: (self's new value `fn(before, *args)`, its
    tangent, or None when no argument is dual), derived from the backward rules as for any op
    (_derived), with self standing for its old value."""
    if not _has_dual((self,) + args, kwargs):
        return fn(before, *args, **kwargs), None
    out, tangent = _derived(fn, (self,) + args, kwargs, real_args=(before,) + args)
    if type(out) not in TENSOR_TYPES or not self.is_floating_point():
        return out, None
    return out, (factories.zeros_like(out) if tangent is None else tangent)


def _give_written(self, tangent):
    """self's tangent after an in-place write (PyTorch's rules): written into self's tangent
    where it has one (so the tangents of its views, views of it, follow); for a view of a tensor
    without one, the view's region of a new zero tangent of its base, itself a view of it."""
    new = _fit(tangent, self)._data
    base = self._base
    old = tangent_of(self)
    if base is not None and (old is None or tangent_of(base) is not None):
        base_t = tangent_of(base)
        if base_t is None or not base_t._data.flags.writeable:
            base_t = factories.zeros_like(base) if base_t is None else base_t.clone()
            _set_tangent(base, base_t)
        region = replay(base_t._data, self._view.steps)
        if conjugates(self._view.steps):  # a conj() view: its tangent is the region's conjugate
            region[...] = np.conj(new)
            _set_tangent(self, Tensor._make(new.copy()))
            return
        _set_tangent(self, Tensor._make(region))
        tangent_of(self)._data[...] = new
        return
    if old is not None and old._data.flags.writeable and old.shape == self.shape:
        old._data[...] = new
    else:
        _set_tangent(self, Tensor._make(new.copy()))


def _attach(out, tangent):
    if isinstance(out, tuple):
        for o, t in zip(out, tangent):
            if t is not None and type(o) in TENSOR_TYPES:
                _set_tangent(o, _fit(t, o))
    elif tangent is not None and type(out) in TENSOR_TYPES and out.is_floating_point():
        _set_tangent(out, _fit(tangent, out))


# ----- elementwise ops: the backward rule applied to the tangent ---------------------------------
def _elementwise(fn, args, kwargs):
    """(out, its tangent) for an elementwise op: its Jacobian is diagonal, so the backward pass
    with the tangent as the output's gradient is the JVP, one input at a time, summed (PyTorch's
    auto_element_wise, and pow's formula): the rule's constants (nan outside logit's domain)
    stay as PyTorch's forward formula has them."""
    out = fn(*args, **kwargs)
    if type(out) not in TENSOR_TYPES or not out.is_floating_point():
        return out, None
    duals, leaves = [], {}
    history = _wants_history(args, kwargs)
    with grad_mode.enable_grad():
        call_args, call_kwargs = _swap_duals(args, kwargs, duals, leaves, out.shape, history)
        inner = fn(*call_args, **call_kwargs)
        if not inner.requires_grad:
            return out, factories.zeros_like(out)
        total = None
        for d in duals:
            g, = autograd.grad(inner, leaves[id(d)], tangent_of(d).expand(out.shape),
                               retain_graph=True, allow_unused=True, create_graph=history)
            total = _sum(total, g)
    if total is None:
        return out, factories.zeros_like(out)
    return out, (total if history else total.detach())


# ----- the derived rule: forward mode from the backward rules ---------------------------------
def _derived(fn, args, kwargs, real_args=None):
    """(out, its tangent) for an op without a table rule, exactly, from its backward rules:
    with leaves x' on the primals and a cotangent u, the backward pass gives v(u) = J^T u,
    linear in u; the gradient of <v(u), t> with respect to u is J t (PyTorch's "double
    backward trick"). The rules are written with differentiable ops, so this is exact, and
    it follows their singular points. The op runs once, on the leaves (the random ones draw
    once); the result handed back is the op on the real inputs, replayed with the same draw.
    real_args: the real call's arguments where they are not args (an in-place write runs on
    self's old value; a self that is not dual then stands in without its history)."""
    state = random_api.get_rng_state()
    duals, leaves = [], {}
    history = _wants_history(args, kwargs) and real_args is None
    with grad_mode.enable_grad():
        call_args, call_kwargs = _swap_duals(args, kwargs, duals, leaves, None, history)
        if real_args is not None and call_args[0] is args[0]:
            call_args[0] = args[0].detach()
        inner = fn(*call_args, **call_kwargs)
    after = random_api.get_rng_state()
    random_api.set_rng_state(state)
    out = fn(*(args if real_args is None else real_args), **kwargs)
    random_api.set_rng_state(after)
    return out, _tangents_of(inner, duals, leaves, history)


def _wants_history(args, kwargs):
    """Is the tangent of this call to be recorded in the reverse graph? As PyTorch's forward
    formulas, written with differentiable ops: when grad mode is on and a dual argument's
    primal or tangent requires grad (a module's parameters made dual, a primal that is a
    leaf requiring grad), the tangent has a grad_fn too."""
    if not grad_mode.is_grad_enabled():
        return False
    found = []
    _swap_duals(args, kwargs, found, {}, probe=True)
    return any(d.requires_grad or tangent_of(d).requires_grad for d in found) or any(
        type(a) in TENSOR_TYPES and a.requires_grad for a in list(args) + list(kwargs.values()))


def _swap_duals(args, kwargs, duals, leaves, shape=None, history=False, probe=False):
    """args and kwargs with each dual tensor replaced by a leaf on its primal (expanded to
    `shape` when given). history: the dual tensor itself stands in where its primal requires
    grad, so the tangent computed from it is connected to the primal's graph. probe: only
    list the dual tensors in `duals`."""
    def swap(a):
        if type(a) in TENSOR_TYPES and tangent_of(a) is not None:
            if probe:
                if not any(d is a for d in duals):
                    duals.append(a)
                return a
            if id(a) not in leaves:
                duals.append(a)
                if history and a.requires_grad:
                    leaves[id(a)] = a if shape is None else a.expand(shape)
                else:
                    primal = a.detach() if shape is None else a.detach().expand(shape).clone()
                    leaves[id(a)] = primal.requires_grad_(True)
            return leaves[id(a)]
        if isinstance(a, (list, tuple)) and any(type(x) in TENSOR_TYPES for x in a):
            return type(a)(swap(x) for x in a)
        return a
    return [swap(a) for a in args], {k: swap(v) for k, v in kwargs.items()}


def _tangents_of(inner, duals, leaves, history=False):
    outs = list(inner) if isinstance(inner, tuple) else [inner]
    live = [k for k, o in enumerate(outs) if type(o) in TENSOR_TYPES and o.requires_grad
            and o.is_floating_point()]
    tangents = [None] * len(outs)
    if live:
        xs = [leaves[id(d)] for d in duals]
        us = [factories.zeros_like(outs[k]).requires_grad_(True) for k in live]
        with grad_mode.enable_grad():
            vs = autograd.grad([outs[k] for k in live], xs, us, create_graph=True,
                               allow_unused=True)
            pairs = [(v, tangent_of(d)) for v, d in zip(vs, duals)
                     if v is not None and v.requires_grad]
            jts = autograd.grad([v for v, _ in pairs], us, [t for _, t in pairs],
                                allow_unused=True, create_graph=history) \
                if pairs else [None] * len(us)
        for k, u, jt in zip(live, us, jts):
            jt = factories.zeros_like(u) if jt is None else jt
            tangents[k] = jt if history else jt.detach()
    return tuple(tangents) if isinstance(inner, tuple) else tangents[0]


_originals = {}      # key -> (name, a copy of the op's function)


_TEMPLATES = {}


def _template(n_free):
    """The code of `def op(*args, **kwargs): return _dispatch(KEY, args, kwargs)` with n_free
    free variables (a function's code can only be swapped for code with as many: a closure
    keeps its cells, unused)."""
    code = _TEMPLATES.get(n_free)
    if code is None:
        names = [f"v{i}" for i in range(n_free)]
        src = "def outer():\n"
        src += "".join(f"    {v} = None\n" for v in names)
        src += "    def op(*args, **kwargs):\n"
        if names:
            src += "        " + ", ".join(names) + "\n"
        src += "        call = '@call@'\n        return call('@key@', args, kwargs)\n"
        src += "    return op\n"
        scope = {}
        exec(compile(src, "<forward_ad>", "exec"), scope)
        code = _TEMPLATES[n_free] = scope["outer"]().__code__
    return code


def _swap_plan(fn, name):
    """(fn, its code, the code that makes fn itself dispatch through _call while the level is
    open): every reference to fn (bound names, the language's cached namespaces, `from torch
    import exp`) then sees tangents. fn keeps its identity; its code is swapped for
    _template's, with its key as a constant."""
    key = f"{fn.__module__}.{fn.__qualname__}#{id(fn)}"
    copy = types.FunctionType(fn.__code__, fn.__globals__, fn.__name__, fn.__defaults__,
                              fn.__closure__)
    copy.__kwdefaults__ = fn.__kwdefaults__
    _originals[key] = (name, copy)
    code = _template(len(fn.__code__.co_freevars))
    consts = tuple(_dispatch if c == "@call@" else key if c == "@key@" else c
                   for c in code.co_consts)
    names = {"co_name": fn.__code__.co_name}
    if hasattr(code, "co_qualname"):
        names["co_qualname"] = fn.__code__.co_qualname
    return fn, fn.__code__, code.replace(co_consts=consts, **names)


def _dispatch(key, args, kwargs):
    name, fn = _originals[key]
    return _call(name, fn, args, kwargs)


def _dual_repr(self, *, tensor_contents=None):
    name = type(self._grad_fn).__name__ if self._grad_fn is not None else None
    if name == "AccumulateGrad":
        name = None
    t = tangent_of(self)
    extra = () if t is None else ("tangent=" + repr(t),)
    return format_tensor(self._data, self.dtype, grad_fn_name=name,
                         requires_grad=self._requires_grad and self._grad_fn is None, extra=extra)


def _dual_iter(self):
    for i in range(len(self)):
        yield self[i]


def _targets():
    yield Tensor, vars(Tensor), True
    # (gradsh's own names are _api's, cached on first use; its op functions given their layers
    # first, which it does when each is first read: gradsh/_api.py)
    _api._layer_all()
    yield _api, vars(_api), False
    functional = _api.nn.functional     # (loaded here, on the first level: not at start-up)
    yield functional, vars(functional), False
    # torch.linalg's own functions (vector_norm, matrix_norm, inv... dropped their tangents
    # under `import gradsh as torch` before branch func20): _swaps routes them as linalg_NAME,
    # so a name the table reads as torch's other op (diagonal's dims, vander's powers,
    # torch.cholesky's refusal) is not misread: derived from their backward rules (linalg_det
    # is the table's det)
    yield _api.linalg, vars(_api.linalg), False
    # tensor-and-number ops the backward rules call: a reverse pass over dual tensors (jacfwd
    # of jacrev, hessian) carries their tangents as PyTorch's forward-over-reverse does
    yield pointwise, _SCALAR_OPS, False


_plan = [None, None]   # (the namespaces' sizes it was made for, the swaps): made once


def _found():
    """id(fn) -> (fn, the names it is bound to) for every op function to wrap."""
    found = {}
    for owner, namespace, is_class in _targets():
        for attr, fn in list(namespace.items()):
            if attr in _SKIP or (attr.startswith("_") and not attr.startswith("__")):
                continue
            if not inspect.isfunction(fn):
                continue
            fn = _unwrapped(fn)
            module = fn.__module__ or ""
            if is_class and not (module.startswith("gradsh.core.ops") or module in (
                    "gradsh.core", "gradsh.core.sampling")):
                continue
            if not module.startswith("gradsh") or module.startswith("gradsh.autograd"):
                continue
            found.setdefault(id(fn), (fn, []))[1].append(attr)
    return found


def _unwrapped(fn):
    """The op under the complex gate, or under the keyword adapter (core/keywords.py: the op
    itself is what other ops and properties such as `.T` call)."""
    while getattr(fn, "complex_gate", False) or getattr(fn, "pytorch_keywords", False) \
            or getattr(fn, "torch_function_dispatch", False):  # (core/overrides.py)
        fn = fn.__wrapped__
    return fn


def _swaps():
    sizes = tuple(len(namespace) for _, namespace, _ in _targets())
    if _plan[0] != sizes:
        plan = []
        others = {id(_unwrapped(v)) for _, namespace, _ in list(_targets())[:-2]
                  for v in namespace.values() if inspect.isfunction(v)}
        for fn, attrs in _found().values():
            if id(fn) not in others and any(id(_unwrapped(v)) == id(fn)
                                            for v in vars(_api.linalg).values()):
                name = fn.__name__  # (most are named linalg_det..., a few vector_norm...)
                plan.append(_swap_plan(fn, name if name.startswith("linalg_") else
                                       "linalg_" + name))
                continue
            known = [a for a in [fn.__name__] + attrs if a in RULES or a in NO_TANGENT
                     or a in REFUSED or a in ELEMENTWISE]
            plan.append(_swap_plan(fn, known[0] if known else attrs[0]))
        _plan[:] = [sizes, plan]
    return _plan[1]


def _wrap_all():
    plan = _swaps()
    for fn, _, dispatching in plan:
        fn.__code__ = dispatching
    _saved.append(plan)
    for name, fn in (("__repr__", _dual_repr), ("__str__", _dual_repr),
                     ("__iter__", _dual_iter)):
        _saved.append((Tensor, name, vars(Tensor)[name]))
        setattr(Tensor, name, fn)


def _unwrap_all():
    while _saved:
        entry = _saved.pop()
        if isinstance(entry, list):
            for fn, code, _ in entry:
                fn.__code__ = code
        else:
            setattr(*entry)


def forward_jacobian(func, inputs, x):
    """[output] -> the (x numel, output numel) Jacobian of func(*inputs) by forward-mode AD: one
    jvp per element of x, the other inputs plain (gradcheck's check_forward_ad)."""
    rows = []
    for k in range(x.numel()):
        tangent = factories.zeros_like(x).view(-1)
        tangent[k] = 1
        with dual_level():
            args = [make_dual(a.detach(), tangent.view(x.shape)) if a is x else a
                    for a in inputs]
            outs = func(*args)
            outs = outs if isinstance(outs, tuple) else (outs,)
            rows.append([np.zeros(o.numel()) if t is None else t.detach()._data.reshape(-1)
                         for o in outs if isinstance(o, Tensor)
                         for t in (unpack_dual(o).tangent,)])
    return [np.stack([r[i] for r in rows]) for i in range(len(rows[0]))]
