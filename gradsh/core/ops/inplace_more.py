"""More in-place forms and small Tensor methods learners call (issue 15, branch torchbreadth):
the torch-level in-place functions (`torch.abs_(x)`, `torch.clamp_(x, 0)`, ...), squeeze_,
unsqueeze_, swapaxes_ / swapdims_, fill_diagonal_, and sum_to_size, type_as, fix, conj,
resolve_conj, resolve_neg, and the predicates is_complex, is_signed, is_conj,
is_neg, is_same_size, is_nonzero."""

import numpy as np

from .. import errors
from ..node import rule
from ..tensor import (TENSOR_TYPES, Tensor, clear_conj_bit, has_conj_bit, link_conj,
                      set_conj_bit)
from .base import dim_arg, dims_arg, needs_grad, record
from . import complex_ops, pointwise
from . import prim as P
from .inplace import apply_inplace, restride_in_place, transpose_
from .pointwise import trunc
from .registry import declare
from .linalg import SqueezeBackward4
from .quantile import UnsqueezeBackward1
from .shape import SqueezeBackward0, SqueezeBackward2
from .views import view_of

# ----- torch.name_(x, ...): the in-place method as a torch function ---------------------------
# (the unary ops' and clamp's; the activations' belong with torch.nn.functional)
_TORCH_INPLACE = (
    "abs", "acos", "arccos", "acosh", "arccosh", "asin", "arcsin", "asinh", "arcsinh",
    "atan", "arctan", "atanh", "arctanh", "ceil", "clamp", "clip", "clamp_max", "clamp_min", "cos",
    "cosh", "deg2rad", "erf", "exp", "expm1", "fix", "floor", "frac", "gcd", "lcm",
    "ldexp", "log", "log10", "log1p", "log2", "logit", "neg", "negative", "rad2deg", "reciprocal",
    "round", "rsqrt", "sigmoid", "sin", "sinh", "sqrt", "square", "tan", "tanh", "trunc",
    "fill", "zero", "erfc", "exp2", "i0", "sinc", "xlogy", "nan_to_num", "addmv", "index_put")


def _torch_inplace(method):
    def op(input, *args, **kwargs):
        return getattr(input, method)(*args, **kwargs)
    op.__name__ = op.__qualname__ = method
    op.__module__ = __name__
    op.__doc__ = f"torch.{method}(x, ...): x.{method}(...), in place."
    return op


# ----- squeeze_, unsqueeze_, swapaxes_ --------------------------------------------------------
SqueezeBackward3 = rule(SqueezeBackward0.rule, name="SqueezeBackward3")
SqueezeBackward5 = rule(SqueezeBackward2.rule, name="SqueezeBackward5")


def _reshape_in_place(self, shape, node, saved, name):
    """Give self a new shape of its own elements (squeeze_, unsqueeze_), keeping its storage."""
    return restride_in_place(self, ("reshape", tuple(shape)), lambda d: d.reshape(shape), node,
                             saved, name)


_ALL = object()


@declare(function=False)
def squeeze_(self, dim=_ALL):
    """Remove dims of size 1 in place (all of them, or those of dim)."""
    d = self._data
    if dim is _ALL:
        keep = tuple(s for s in d.shape if s != 1)
        node = SqueezeBackward3
    else:
        dims = dims_arg(dim, d.ndim) if d.ndim else (dim_arg(dim, 0) and ())
        keep = tuple(s for k, s in enumerate(d.shape) if not (k in dims and s == 1))
        node = SqueezeBackward5 if isinstance(dim, (tuple, list)) else SqueezeBackward4
    return _reshape_in_place(self, keep, node, (d.shape,), "squeeze")


@declare(function=False)
def unsqueeze_(self, dim):
    """Insert a dim of size 1 at dim, in place."""
    d = self._data
    k = dim_arg(dim, d.ndim + 1)
    return _reshape_in_place(self, d.shape[:k] + (1,) + d.shape[k:], UnsqueezeBackward1, (k,),
                             "unsqueeze")


declare(name="swapaxes_", aliases=("swapdims_",), function=False)(transpose_)


# ----- fill_diagonal_ -------------------------------------------------------------------------
@declare(function=False)
def fill_diagonal_(self, fill_value, wrap=False):
    """Fill the main diagonal (of a matrix, or of a tensor whose dims are all equal) in place;
    `wrap` continues below a tall matrix's square every ncols + 1 rows, as PyTorch does."""
    d = self._data
    n = d.ndim
    if n < 2:
        raise RuntimeError("dimensions must larger than 1")
    if n > 2 and any(s != d.shape[0] for s in d.shape):
        raise RuntimeError("all dimensions of input must be of equal length")
    if n == 2:
        self.diagonal().fill_(fill_value)  # PyTorch's main diagonal, then the wrapped part
        rows, cols = d.shape
        if wrap and rows > cols + 1:
            if not d.flags.c_contiguous:
                raise NotImplementedError("gradsh wraps the diagonal of a contiguous matrix only")
            step = cols + 1
            size = (d.size + step - 1) // step - cols
            start = cols * step
            self.view(-1)[start:start + step * (size - 1) + 1:step].fill_(fill_value)
        return self
    if not d.flags.c_contiguous:
        raise NotImplementedError("gradsh fills the diagonal of a contiguous tensor of more than "
                                  "2 dims only")
    self.view(-1)[::sum(d.shape[0] ** k for k in range(n))].fill_(fill_value)
    return self


# ----- sum_to_size, type_as, fix --------------------------------------------------------------
@declare(function=False)
def sum_to_size(self, *size):
    """Sum self down to `size` (a shape that broadcasts to self's), as at::sum_to does."""
    if len(size) == 1 and isinstance(size[0], (tuple, list)):
        size = tuple(size[0])
    shape = self._data.shape
    if not _expandable(size, shape):
        raise RuntimeError(f"size {{{list(size)}}} is not expandable to size {{{list(shape)}}}.")
    lead = len(shape) - len(size)
    dims = list(range(lead)) + [lead + k for k, s in enumerate(size)
                                if s == 1 and shape[lead + k] != 1]
    if not dims:
        return self
    out = self.sum(dims, keepdim=True)
    return out.view(*size) if lead else out


def _expandable(size, shape):
    if len(size) > len(shape):
        return False
    return all(s == t or s == 1 for s, t in zip(reversed(size), reversed(shape)))


@declare(function=False)
def type_as(self, other):
    """self in other's dtype (self itself when they agree)."""
    if not isinstance(other, Tensor):
        raise TypeError(f"type_as(): argument 'other' (position 1) must be Tensor, not "
                        f"{errors.type_name(other)}")
    return self.to(other.dtype)


@declare(inplace=True, tensor_first=True)
def fix(self):
    """trunc's other name (TruncBackward0)."""
    return trunc(self)


# ----- conj, resolve_conj, resolve_neg (real tensors: self) ---------------------------------
def _identity(name, doc):
    def op(self):
        return self
    op.__name__ = op.__qualname__ = name
    op.__module__ = __name__
    op.__doc__ = doc
    return declare(name=name, tensor_first=True)(op)


@declare(tensor_first=True)
def conj(self):
    """The complex conjugate with its conjugate bit set, as PyTorch's lazy view shows it
    (`is_conj()`; the conjugate of a conjugate has the bit clear again). Its values live in
    their own array, kept in step with self's memory both ways and sharing self's version
    counter (tensor.link_conj), as PyTorch's view of the same memory; a view of self's base (its
    `_base`, history regenerated after an in-place write: views.py's "conj" step). A real tensor
    is its own."""
    d = self._data
    if d.dtype.kind != "c":
        return self
    had_bit = has_conj_bit(self)
    values = np.empty_like(d)  # (an array, also for a 0-d tensor: the link follows it)
    np.conjugate(d, out=values)
    out = view_of(Tensor._make(values), self, "conj", None)
    link_conj(out, self)
    if had_bit:
        clear_conj_bit(out)  # (view_of gives a view of a conjugate the bit)
    else:
        set_conj_bit(out)
    if needs_grad(self):
        record(out, complex_ops.ConjBackward0, (self,))
    return out


ConjPhysicalBackward1 = complex_ops._complex_rule(rule(complex_ops.ConjPhysicalBackward0.rule,
                                                         name="ConjPhysicalBackward1"))


def _conj_physical_recorded(self):
    out = Tensor._make(np.conj(self._data))
    if needs_grad(self):
        record(out, ConjPhysicalBackward1, (self,))
    return out


@declare(name="conj_physical_", tensor_first=True)
def conj_physical_(self):
    """Conjugate self's values in place (ConjPhysicalBackward1); a real tensor is unchanged."""
    if self._data.dtype.kind != "c":
        return self
    return apply_inplace(self, _conj_physical_recorded)


@declare(tensor_first=True)
def resolve_conj(self):
    """Materialise a lazy conjugation: a copy without the bit (CloneBackward0), or self."""
    if not has_conj_bit(self):
        return self
    out = Tensor._make(self._data.copy())
    if needs_grad(self):
        record(out, pointwise.CloneBackward0, (self,))
    return out
resolve_neg = _identity("resolve_neg", "Materialise a lazy negation: gradsh has none, self.")


# ----- predicates -----------------------------------------------------------------------------
def _predicate(name, fn, doc):
    def op(self):
        return fn(self._data)
    op.__name__ = op.__qualname__ = name
    op.__module__ = __name__
    op.__doc__ = doc
    return declare(name=name, tensor_first=True)(op)


is_complex = _predicate("is_complex", lambda d: d.dtype.kind == "c", "Whether the dtype is complex.")
is_signed = _predicate("is_signed", lambda d: d.dtype.kind in "ficV",
                       "Whether the dtype holds negative values.")


@declare(tensor_first=True)
def is_conj(self):
    """Whether the conjugate bit is set (`z.conj()` of a complex z, its views)."""
    return has_conj_bit(self)



is_neg = _predicate("is_neg", lambda d: False, "Whether the negative bit is set (never here).")


@declare(tensor_first=True)
def is_same_size(self, other):
    """Whether the two tensors have the same shape."""
    if not isinstance(other, Tensor):
        raise TypeError(f"is_same_size(): argument 'other' (position 1) must be Tensor, not "
                        f"{errors.type_name(other)}")
    return self._data.shape == other._data.shape


# ----- eq_, lt_, ...: the comparison written into self (zero gradients, as PyTorch records) ---
def _zero_grads(need, g):
    return tuple(P.zeros_like(g) if n else None for n in need)


_COMPARE_NODES = {name: (rule(_zero_grads, name=name.capitalize() + "Backward0"),
                         rule(_zero_grads, name=name.capitalize() + "Backward1"))
                  for name in ("eq", "ne", "lt", "le", "gt", "ge")}


def _comparison_inplace(name, alias):
    compare = getattr(pointwise, name)
    by_number, by_tensor = _COMPARE_NODES[name]

    def recorded(self, other):
        out = compare(self, other)
        if out is NotImplemented:
            raise TypeError(f"{alias}_(): argument 'other' must be Tensor or Number, not "
                            f"{errors.type_name(other)}")
        if type(other) in TENSOR_TYPES:
            if needs_grad(self, other):
                record(out, by_tensor, (self, other))
        elif needs_grad(self):
            record(out, by_number, (self,))
        return out

    def op(self, other):
        return apply_inplace(self, recorded, other)
    op.__name__ = op.__qualname__ = alias + "_"
    op.__module__ = __name__
    op.__doc__ = f"self {alias} other, written into self (1 or 0 in self's dtype)."
    return declare(name=alias + "_", function=False)(op)


for _name, _alias in (("eq", "eq"), ("ne", "ne"), ("ne", "not_equal"), ("lt", "lt"),
                      ("lt", "less"), ("le", "le"), ("le", "less_equal"), ("gt", "gt"),
                      ("gt", "greater"), ("ge", "ge"), ("ge", "greater_equal")):
    _comparison_inplace(_name, _alias)
del _name, _alias


def _register_torch_inplace():
    for base in _TORCH_INPLACE:
        name = base + "_"
        declare(name=name, method=False, tensor_first=True)(_torch_inplace(name))


_register_torch_inplace()
