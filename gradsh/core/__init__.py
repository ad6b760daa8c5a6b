"""gradsh's autograd core: a PyTorch-faithful tensor library on numpy (imports numpy only)."""

import warnings

import numpy as np

# numpy's floating-point warnings (log(0), overflow) never reach the user: PyTorch prints none.
# Turning them off in numpy (not only filtering them) keeps them away under any warning filter
# (pytest's, `-W error`, catch_warnings) at no per-op cost; an errstate per op costs microseconds.
np.seterr(all="ignore")
warnings.filterwarnings("ignore", category=RuntimeWarning, module=r"gradsh\.core(\..*)?$")

from . import allocator  # noqa: E402

allocator.tune()  # large temporaries are reused, not faulted in again each iteration

from . import dtypes, grad_mode  # noqa: E402
from .tensor import Tensor  # noqa: E402
from .ops import prim  # noqa: E402

prim.Tensor = Tensor

from . import engine, factories, autograd  # noqa: E402
from .ops import index, inplace, linalg, pointwise, reduce, shape, sorting  # noqa: E402


def _bind():
    """Attach the ops to Tensor as methods and operators (one table, here)."""
    pw, rd, sh, ix, la, ip, so = pointwise, reduce, shape, index, linalg, inplace, sorting
    methods = {
        # arithmetic
        "add": pw.add, "sub": pw.sub, "subtract": pw.sub, "mul": pw.mul, "multiply": pw.mul,
        "div": pw.div, "divide": pw.div, "true_divide": pw.div, "floor_divide": pw.floor_divide,
        "remainder": pw.remainder, "fmod": pw.fmod, "pow": pw.pow, "neg": pw.neg,
        "negative": pw.neg, "positive": pw.positive, "rsub": pw.rsub,
        # math
        "exp": pw.exp, "log": pw.log, "log2": pw.log2, "log10": pw.log10, "log1p": pw.log1p,
        "expm1": pw.expm1, "sin": pw.sin, "cos": pw.cos, "tan": pw.tan, "tanh": pw.tanh,
        "sinh": pw.sinh, "cosh": pw.cosh, "asin": pw.asin, "acos": pw.acos, "atan": pw.atan,
        "arcsin": pw.asin, "arccos": pw.acos, "arctan": pw.atan,
        "sqrt": pw.sqrt, "rsqrt": pw.rsqrt, "reciprocal": pw.reciprocal, "erf": pw.erf,
        "sigmoid": pw.sigmoid, "relu": pw.relu, "abs": pw.abs, "absolute": pw.abs,
        "sign": pw.sign, "floor": pw.floor, "ceil": pw.ceil, "round": pw.round, "trunc": pw.trunc,
        "square": pw.square, "clamp": pw.clamp, "clip": pw.clamp, "clamp_min": pw.clamp_min,
        "clamp_max": pw.clamp_max, "maximum": pw.maximum, "minimum": pw.minimum,
        "atan2": pw.atan2, "arctan2": pw.atan2, "hypot": pw.hypot, "lerp": pw.lerp,
        "where": lambda self, condition, other: pw.where(condition, self, other),
        # comparison and logic
        "eq": pw.eq, "ne": pw.ne, "lt": pw.lt, "le": pw.le, "gt": pw.gt, "ge": pw.ge,
        "equal": pw.equal, "allclose": pw.allclose, "isclose": pw.isclose,
        "logical_not": pw.logical_not, "logical_and": pw.logical_and,
        "logical_or": pw.logical_or, "logical_xor": pw.logical_xor,
        "bitwise_not": pw.bitwise_not, "bitwise_and": pw.bitwise_and,
        "bitwise_or": pw.bitwise_or, "bitwise_xor": pw.bitwise_xor,
        "isnan": pw.isnan, "isinf": pw.isinf, "isfinite": pw.isfinite,
        # copies and types
        "clone": pw.clone,
        # reductions
        "sum": rd.sum, "nansum": rd.nansum, "mean": rd.mean, "prod": rd.prod, "max": rd.max,
        "min": rd.min, "amax": rd.amax, "amin": rd.amin, "argmax": rd.argmax, "argmin": rd.argmin,
        "all": rd.all, "any": rd.any,
        "var": rd.var, "std": rd.std, "norm": rd.norm, "logsumexp": rd.logsumexp,
        "softmax": rd.softmax, "log_softmax": rd.log_softmax, "cumsum": rd.cumsum,
        "cumprod": rd.cumprod,
        # shape
        "view": sh.view, "view_as": sh.view_as, "reshape": sh.reshape, "reshape_as": sh.reshape_as,
        "flatten": sh.flatten, "unflatten": sh.unflatten, "ravel": sh.ravel,
        "contiguous": sh.contiguous, "permute": sh.permute, "transpose": sh.transpose,
        "swapaxes": sh.swapaxes, "swapdims": sh.swapdims, "t": sh.t, "movedim": sh.movedim,
        "moveaxis": sh.moveaxis, "unsqueeze": sh.unsqueeze, "squeeze": sh.squeeze,
        "expand": sh.expand, "expand_as": sh.expand_as, "broadcast_to": sh.broadcast_to,
        "repeat": sh.repeat, "split": sh.split, "chunk": sh.chunk, "tensor_split": sh.tensor_split,
        "unbind": sh.unbind, "narrow": sh.narrow, "flip": sh.flip, "fliplr": sh.fliplr,
        "flipud": sh.flipud, "roll": sh.roll,
        # indexing
        "select": ix.select, "gather": ix.gather, "scatter": ix.scatter,
        "scatter_add": ix.scatter_add, "index_select": ix.index_select,
        "masked_fill": ix.masked_fill, "masked_select": ix.masked_select,
        "take_along_dim": ix.take_along_dim, "nonzero": ix.nonzero, "argwhere": ix.argwhere,
        # linear algebra
        "matmul": la.matmul, "mm": la.mm, "mv": la.mv, "dot": la.dot, "inner": la.inner,
        "bmm": la.bmm, "outer": la.outer, "ger": la.ger, "diag": la.diag, "diagonal": la.diagonal,
        "trace": la.trace, "tril": la.tril, "triu": la.triu,
        "addmm": lambda self, mat1, mat2, *, beta=1, alpha=1: la.addmm(self, mat1, mat2,
                                                                       beta=beta, alpha=alpha),
        # in place
        "add_": ip.add_, "sub_": ip.sub_, "mul_": ip.mul_, "div_": ip.div_, "pow_": ip.pow_,
        "clamp_": ip.clamp_, "clip_": ip.clamp_, "zero_": ip.zero_, "fill_": ip.fill_,
        "copy_": ip.copy_, "resize_": ip.resize_, "clamp_min_": ip.clamp_min_,
        "clamp_max_": ip.clamp_max_, "lerp_": ip.lerp_, "masked_fill_": ip.masked_fill_,
        "scatter_": ip.scatter_, "scatter_add_": ip.scatter_add_, "index_put_": ip.index_put_,
        "index_put": lambda self, indices, values, accumulate=False: ix.index_put(
            self, tuple(indices), values, accumulate),
        # sorting
        "sort": so.sort, "argsort": so.argsort, "topk": so.topk,
    }
    for name in ("exp", "log", "sin", "cos", "tanh", "sigmoid", "relu", "abs", "sqrt", "neg",
                 "reciprocal", "floor", "ceil", "round", "trunc", "sign", "log1p", "expm1",
                 "tan", "rsqrt", "square", "erf", "sinh", "cosh", "asin", "acos", "atan",
                 "log2", "log10"):
        methods[name + "_"] = ip.unary_inplace(name)
    for name, fn in methods.items():
        setattr(Tensor, name, fn)

    def to(self, *args, dtype=None, copy=False, non_blocking=False, device=None):
        """Convert to a dtype (device arguments other than 'cpu' are refused)."""
        for a in args:
            if isinstance(a, dtypes.dtype):
                dtype = a
            elif isinstance(a, Tensor):
                dtype = a.dtype
        if dtype is None:
            return self.clone() if copy else self
        return pw.to_dtype(self, dtype, copy)

    def type(self, dtype=None, non_blocking=False):
        if dtype is None:
            return "torch." + self.dtype._legacy
        return pw.to_dtype(self, dtype)

    conversions = {
        "to": to, "type": type,
        "float": lambda self: pw.to_dtype(self, dtypes.float32),
        "double": lambda self: pw.to_dtype(self, dtypes.float64),
        "half": lambda self: pw.to_dtype(self, dtypes.float16),
        "long": lambda self: pw.to_dtype(self, dtypes.int64),
        "int": lambda self: pw.to_dtype(self, dtypes.int32),
        "short": lambda self: pw.to_dtype(self, dtypes.int16),
        "bool": lambda self: pw.to_dtype(self, dtypes.bool_),
        "byte": lambda self: pw.to_dtype(self, dtypes.uint8),
        "cpu": lambda self: self,
        "new_zeros": lambda self, *size, dtype=None, requires_grad=False: factories.zeros(
            *size, dtype=dtype or self.dtype, requires_grad=requires_grad),
        "new_ones": lambda self, *size, dtype=None, requires_grad=False: factories.ones(
            *size, dtype=dtype or self.dtype, requires_grad=requires_grad),
        "new_full": lambda self, size, fill_value, dtype=None, requires_grad=False: factories.full(
            size, fill_value, dtype=dtype or self.dtype, requires_grad=requires_grad),
        "new_empty": lambda self, *size, dtype=None, requires_grad=False: factories.zeros(
            *size, dtype=dtype or self.dtype, requires_grad=requires_grad),
        "new_tensor": lambda self, data, dtype=None, requires_grad=False: factories.tensor(
            data, dtype=dtype or self.dtype, requires_grad=requires_grad),
        "uniform_": lambda self, a=0.0, b=1.0, *, generator=None: _fill_random(
            self, factories._gen(generator).uniform(self._data.shape, self._data.dtype, a, b)),
        "normal_": lambda self, mean=0.0, std=1.0, *, generator=None: _fill_random(
            self, factories._gen(generator).normal(self._data.shape, self._data.dtype, mean, std)),
        "bernoulli_": lambda self, p=0.5, *, generator=None: _fill_random(
            self, factories._gen(generator).bernoulli(p, self._data.shape, self._data.dtype)),
        "random_": lambda self, low=0, high=None, *, generator=None: _fill_random(
            self, factories._gen(generator).randint(0 if high is None else low,
                                                    low if high is None else high,
                                                    self._data.shape, self._data.dtype)),
    }
    for name, fn in conversions.items():
        setattr(Tensor, name, fn)

    props = {"T": sh.T, "mT": sh.mT}
    for name, fn in props.items():
        setattr(Tensor, name, property(fn))

    ops = {
        "__add__": pw.add, "__radd__": pw.add, "__sub__": pw.sub, "__rsub__": pw.rsub,
        "__mul__": pw.mul, "__rmul__": pw.mul, "__truediv__": pw.div, "__rtruediv__": pw.rdiv,
        "__floordiv__": pw.floor_divide,
        "__rfloordiv__": lambda self, other: pw.floor_divide(pw.tensor_arg(other), self),
        "__mod__": pw.remainder,
        "__rmod__": lambda self, other: pw.remainder(pw.tensor_arg(other), self),
        "__pow__": pw.pow, "__rpow__": pw.rpow, "__matmul__": la.matmul,
        "__rmatmul__": lambda self, other: la.matmul(other, self),
        "__neg__": pw.neg, "__pos__": pw.positive, "__abs__": pw.abs, "__invert__": pw.bitwise_not,
        "__eq__": pw.eq, "__ne__": pw.ne, "__lt__": pw.lt, "__le__": pw.le, "__gt__": pw.gt,
        "__ge__": pw.ge,
        "__and__": pw.bitwise_and, "__rand__": pw.bitwise_and, "__or__": pw.bitwise_or,
        "__ror__": pw.bitwise_or, "__xor__": pw.bitwise_xor, "__rxor__": pw.bitwise_xor,
        "__getitem__": ix.getitem, "__setitem__": ix.setitem,
        "__iadd__": ip.add_, "__isub__": ip.sub_, "__imul__": ip.mul_, "__itruediv__": ip.div_,
        "__ipow__": ip.pow_, "__imatmul__": ip.matmul_,
    }
    for name, fn in ops.items():
        setattr(Tensor, name, fn)


def _fill_random(self, values):
    from .ops.inplace import check_inplace, bump
    check_inplace(self)
    self._data[...] = values
    bump(self)
    return self


_bind()
del _bind
