"""`out=` for every torch.* function whose PyTorch signature has it (`torch.matmul(a, b,
out=y)`; a tuple of tensors for the ops returning several, `torch.max(x, 0, out=(v, i))`):
the result is computed as usual and written into `out`, with PyTorch's checks (no autograd
through `out=`, no float result into an integer `out`, no `out` overlapping an input it must
be resized from or only partly covers) and its resizing of an `out` of another shape (with its
deprecation warning when `out` had elements)."""

import functools

import numpy as np

from .. import errors, grad_mode
from ..argcheck import signatures
from ..promotion import can_cast
from ..dtypes import bool_, int64
from ..return_types import ReturnType, out_type
from ..sparse import SparseTensor
from ..tensor import Tensor
from .sparse import sparse_call

_C_NAME = {"Float": "float", "Double": "double", "Half": "c10::Half", "Int": "int",
           "Short": "short int", "Char": "signed char", "Byte": "unsigned char", "Bool": "bool"}

# the name PyTorch's out= errors give a function called by another name (its aliases, and the
# composite ops PyTorch names by their ATen schema)
MESSAGE_NAMES = {
    "softmax": "aten::softmax", "log_softmax": "aten::log_softmax", "column_stack": "cat",
    "dstack": "cat", "hstack": "cat", "vstack": "cat", "row_stack": "cat", "cross": "linalg_cross",
    "diag": "aten::diagonal_copy", "diff": "sub", "fix": "trunc", "float_power": "pow",
    "floor_divide": "aten::floor_divide", "ger": "mul", "outer": "mul", "kron": "mul",
    "heaviside": "aten::heaviside", "histogram": "aten::histogram", "inverse": "linalg_inv_ex",
    "msort": "sort", "nanmean": "nansum", "qr": "linalg_qr", "slice_scatter":
    "aten::slice_scatter", "slogdet": "_linalg_slogdet", "square": "pow", "svd": "_linalg_svd",
    "true_divide": "div", "norm": "linalg_vector_norm",
    **{n + "_copy": "aten::" + n + "_copy" for n in (
        "alias", "as_strided", "detach", "diagonal", "expand", "narrow", "permute", "select", "slice",
        "squeeze", "t", "transpose", "unfold", "unsqueeze", "view")}}

# the torch.* functions whose PyTorch signature takes `out=` (signatures.txt; the list is
# checked against it by tests/core/test_out_sweep.py), and addmv, which PyTorch takes with
# out= but whose probes left it out of signatures.txt: each an ordinary function otherwise
OUT_FUNCTIONS = frozenset("""addmv
    abs absolute acos angle polar complex conj_physical frobenius_norm acosh add addcdiv addcmul addmm all amax amin aminmax any arccos
    arccosh arcsin arcsinh arctan arctan2 arctanh argmax argmin argsort asin asinh atan
    atan2 atanh baddbmm bitwise_and bitwise_left_shift bitwise_not bitwise_or
    bitwise_right_shift bitwise_xor bmm bucketize cat ceil cholesky cholesky_inverse
    cholesky_solve clamp clamp_max clamp_min clip column_stack concat concatenate copysign
    cos cosh cross cummax cummin cumprod cumsum deg2rad diag diff digamma div divide dot
    dstack eq erf erfc erfinv exp exp2 expm1 fix float_power floor floor_divide fmax
    fmin fmod frac frexp gather gcd ge ger greater greater_equal gt hardshrink heaviside
    histc histogram hstack hypot i0 index_add index_copy index_select inner inverse isin
    isneginf isposinf kron kthvalue lcm ldexp le lerp less less_equal lgamma log log10 log1p
    log2 log_softmax logaddexp logaddexp2 logcumsumexp logical_and logical_not logical_or
    logical_xor logit logsumexp lt masked_select matmul matrix_power max maximum mean median
    min minimum mm mode msort mul multinomial multiply mv mvlgamma nan_to_num nanmean
    nanquantile nansum ne neg negative nextafter nonzero not_equal outer polygamma pow prod
    qr quantile rad2deg reciprocal remainder round row_stack rsqrt scatter scatter_add
    scatter_reduce searchsorted sgn sigmoid sign signbit sin sinc sinh slice_scatter slogdet
    softmax sort sqrt square stack std sub subtract sum svd take take_along_dim tan tanh
    threshold topk tril triu true_divide trunc var vdot vstack where xlogy
    alias_copy detach_copy diagonal_copy expand_copy narrow_copy permute_copy select_copy
    slice_copy split_copy split_with_sizes_copy squeeze_copy t_copy transpose_copy unbind_copy
    unfold_copy unsqueeze_copy view_copy bernoulli igamma igammac lu_solve lu_unpack nanmedian
    geqrf orgqr ormqr
    nonzero_static nuclear_norm renorm triangular_solve as_strided_copy index_reduce
    norm
""".split())


def _shape_text(shape):
    return "[" + ", ".join(str(s) for s in shape) + "]"


_OVERLAP = ("unsupported operation: some elements of the input tensor and the written-to tensor "
            "refer to a single memory location. Please clone() the tensor before performing "
            "the operation.")


def _check_overlap(out, result, inputs):
    """PyTorch refuses an `out` sharing memory with an input unless it is that very input,
    written in place or shrunk (add(a, a, out=a), cumsum(m, 0, out=m), sum(m, 0, out=m));
    an out that must grow (cat([a, a], out=a), kron, outer) is refused."""
    for t in inputs:
        if isinstance(t, (list, tuple)):
            _check_overlap(out, result, tuple(t))
        elif isinstance(t, Tensor) and t._data.size and out._data.size and \
                np.shares_memory(t._data, out._data, max_work=1000):
            same = (t._data.__array_interface__["data"][0] == out._data.__array_interface__[
                "data"][0] and t._data.strides == out._data.strides and t.shape == out.shape)
            if not same or result._data.size > out._data.size:  # (grown: new memory)
                raise RuntimeError(_OVERLAP)


def _check_autograd(name, inputs, out):
    if grad_mode.state.enabled and any(isinstance(t, Tensor) and t.requires_grad
                                       for t in inputs + (out,)):
        raise RuntimeError(f"{name}(): functions with out=... arguments don't support automatic "
                           "differentiation, but one of the arguments requires grad.")


def write_out(name, result, out, inputs):
    """Copy result into out, as PyTorch's out= variants do; returns out."""
    if isinstance(result, tuple):  # (values, indices) ...: out is a tuple of as many tensors
        if not isinstance(out, (tuple, list)) or len(out) != len(result) or not all(
                isinstance(o, Tensor) for o in out):
            raise TypeError(f"{name}(): argument 'out' must be tuple of Tensors, not "
                            f"{type(out).__name__}")
        for r, o in zip(result, out):
            if r.dtype == int64 and o.dtype != int64:  # (the indices of max, sort, topk...)
                raise RuntimeError(f"Expected out tensor to have dtype long int, but got "
                                   f"{_C_NAME.get(o.dtype._short, o.dtype._short)} instead")
            write_out(name, r, o, inputs)
        if isinstance(result, ReturnType):
            return out_type(type(result))._of(*out)
        return type(result)(*out) if hasattr(result, "_fields") else tuple(out)
    if not isinstance(result, Tensor):
        raise TypeError(f"{name}() got an unexpected keyword argument 'out'")
    if not isinstance(out, Tensor):
        raise TypeError(f"{name}(): argument 'out' must be Tensor, not {type(out).__name__}")
    _check_autograd(name, inputs, out)
    if not can_cast(result.dtype, out.dtype):
        raise RuntimeError(f"result type {result.dtype._short} can't be cast to the desired "
                           f"output type {out.dtype._short}")
    _check_overlap(out, result, inputs)
    if tuple(out.shape) != tuple(result.shape):
        if out.numel():
            errors.warn_at_caller(  # (once per program line, as PyTorch's)
                f"An output with one or more elements was resized since it had shape "
                f"{_shape_text(out.shape)}, which does not match the required output shape "
                f"{_shape_text(result.shape)}. This behavior is deprecated, and in a future "
                "PyTorch release outputs will not be resized unless they have zero elements. You "
                "can explicitly reuse an out tensor t by resizing it, inplace, to zero elements "
                "with t.resize_(0)." + errors.triggered_at("aten/src/ATen/native/Resize.cpp:30"),
                UserWarning)
        out.resize_(tuple(result.shape))
    return out.copy_(result)


def _check_norm_out(args, kwargs, out):
    """torch.norm's out= must have the result's dtype exactly (PyTorch's two messages: its
    vector norm's and, for 'nuc', its matrix norm's)."""
    want = kwargs.get("dtype") or (args[4] if len(args) > 4 else None) or args[0].dtype
    if out.dtype == want:
        return
    p = kwargs.get("p", args[1] if len(args) > 1 else "fro")
    if isinstance(p, str) and p != "fro":
        raise RuntimeError(f"linalg.matrix_norm expected out tensor dtype {want._short} but got: "
                           f"{out.dtype._short}")
    c_name = {"Long": "long int"}.get(out.dtype._short, _C_NAME.get(out.dtype._short))
    raise RuntimeError(f"Expected out tensor to have dtype {_C_NAME.get(want._short)}, but got "
                       f"{c_name or out.dtype._short} instead")


# sum and prod over every element take no out= in PyTorch (only their dim overloads do)
_NO_WHOLE_OUT = {
    name: f"{name}() received an invalid combination of arguments - got (Tensor, out=Tensor), "
          "but expected one of:\n * (Tensor input, *, torch.dtype dtype = None)\n * (Tensor "
          f"input, {dim} dim, bool keepdim = False, *, torch.dtype dtype = None, Tensor out = "
          "None)\n" for name, dim in (("sum", "tuple of ints"), ("prod", "int"))}

# the reductions into a bool out=: PyTorch computes them in bool (the input cast to bool, then
# a sum is `any` and a product `all`); its scans and a float nansum have no bool kernel
_INTO_BOOL = frozenset(("sum", "prod", "nansum", "cumsum", "cumprod"))


def _into_bool(name, fn, args, kwargs, out):
    x = args[0]
    if name in ("cumsum", "cumprod") or (name == "nansum" and x.is_floating_point()):
        kernel = "nansum_cpu" if name == "nansum" else name + "_out_cpu"
        raise NotImplementedError(f'"{kernel}" not implemented for \'Bool\'')
    if name == "nansum":  # (no NaN in an integer or bool input: a sum)
        result = x.sum(*args[1:], dtype=bool_, **kwargs)
    else:
        result = fn(*args, dtype=bool_, **kwargs)
    return write_out(name, result, out, args + tuple(kwargs.values()))


# reductions whose out= of another dtype computes in it (the input cast first, as PyTorch:
# `sum(x, 0, out=long)` sums the truncated values)
_IN_OUT_DTYPE = frozenset(("sum", "prod", "cumsum", "cumprod"))


def _out_dtype_rules(name, args, out):
    """PyTorch's out= dtype rules of the reductions, before the op runs."""
    x = args[0]
    if name in ("argmax", "argmin") and out.dtype != int64:
        raise RuntimeError(f"Expected out tensor to have dtype long int, but got "
                           f"{_C_NAME.get(out.dtype._short, out.dtype._short)} instead")
    if x.dtype == out.dtype:
        return args
    if name in _IN_OUT_DTYPE:
        return (x.to(out.dtype),) + args[1:]
    if name in ("amax", "amin"):
        raise RuntimeError(f"Expected the dtype for input and out to match, but got "
                           f"{x.dtype._short} for input's dtype and {out.dtype._short} for out's "
                           "dtype.")
    if name == "logsumexp" and not out.is_floating_point():
        raise RuntimeError(f"logsumexp(): Expected floating point type for result tensor, but "
                           f"got: {out.dtype._short}")
    return args


def with_out(fn, name):
    """fn taking an `out=` tensor (or tuple of tensors) too."""
    @functools.wraps(fn)
    def call(*args, out=None, **kwargs):
        if out is None:
            if args and type(args[0]) is SparseTensor:  # (its method: sparse, or refused)
                return sparse_call(name, args[0], args[1:], kwargs)
            return fn(*args, **kwargs)
        if isinstance(out, Tensor) and args and isinstance(args[0], Tensor):
            if name in _NO_WHOLE_OUT and len(args) == 1 and not kwargs:
                raise TypeError(_NO_WHOLE_OUT[name])  # (the parser's refusal comes first)
            _check_autograd(name, args + tuple(kwargs.values()), out)  # (then autograd's)
            if name == "linalg_vector_norm":
                _check_norm_out(args, kwargs, out)
            if out.dtype == bool_ and name in _INTO_BOOL and (
                    len(args) > 1 or kwargs or not name.startswith("cum")):
                return _into_bool(name, fn, args, kwargs, out)
            args = _out_dtype_rules(name, args, out)
        return write_out(name, fn(*args, **kwargs), out, args + tuple(kwargs.values()))
    return call


def add_out(namespace, surface, message_names, no_autograd=(), exact=None, casts=None):
    """out= for the public functions of a module's namespace (torch.special, torch.linalg) whose
    PyTorch signature takes it (signatures.txt), each wrapped by with_out under the name
    PyTorch's out= errors give it (message_names, else surface_name). Those in no_autograd
    (ops without a derivative, whose out= PyTorch takes with inputs requiring grad) write
    their result with grad mode off. exact: {name: message} of the ops whose out= must have the
    result's dtype exactly (torch.linalg's), the message None for PyTorch's common one; casts:
    {name: message} of those refusing, first, an out= the result cannot be cast to."""
    exact, casts = exact or {}, casts or {}
    for name, fn in list(namespace.items()):
        if name.startswith("_") or not callable(fn) or isinstance(fn, type) or not any(
                p.name == "out" for s in signatures(surface, name)
                for p in getattr(s, "params", ())):
            continue
        message_name = message_names.get(name, surface + "_" + name)
        wrapped = with_out(fn, message_name)
        if name in no_autograd or name in exact or name in casts:
            wrapped = _checked(wrapped, name in no_autograd, exact.get(name, False),
                               casts.get(name), message_name)
        namespace[name] = wrapped


def _c_name(dtype):
    return {"Long": "long int", "ComplexFloat": "c10::complex<float>", "ComplexDouble":
            "c10::complex<double>"}.get(dtype._short) or _C_NAME.get(dtype._short, dtype._short)


def _checked(fn, without_grad, exact, cast, name):
    """fn whose out= is written with grad mode off and/or must have the result's dtype (exact:
    a message, None for the common one, False for no such rule) or one it can be cast to."""
    @functools.wraps(fn)
    def call(*args, out=None, **kwargs):
        if out is None:
            return fn(*args, **kwargs)
        if not without_grad and isinstance(out, Tensor) and args and isinstance(args[0], Tensor):
            # (autograd's refusal comes before the op's own checks, as with_out's)
            _check_autograd(name, args + tuple(kwargs.values()), out)
        with grad_mode.no_grad() if without_grad else _nothing():
            if exact is False and cast is None:
                return fn(*args, out=out, **kwargs)
            with grad_mode.no_grad():  # (the result's dtype, from the op run without out=)
                result = fn(*args, **kwargs)
            pairs = zip(result, out) if isinstance(result, tuple) and isinstance(
                out, (tuple, list)) else [(result, out)]
            for r, o in pairs:
                if not isinstance(r, Tensor) or not isinstance(o, Tensor):
                    continue
                names = dict(want=_c_name(r.dtype), got=_c_name(o.dtype), Want=r.dtype._short,
                             Got=o.dtype._short)
                if cast is not None and not can_cast(r.dtype, o.dtype):
                    raise RuntimeError(cast.format(**names))
                if exact is not False and r.dtype != o.dtype:
                    raise RuntimeError((exact or "Expected out tensor to have dtype {want}, but "
                                        "got {got} instead").format(**names))
            return fn(*args, out=out, **kwargs)
    return call


class _nothing:
    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False
