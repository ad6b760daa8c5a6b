"""The dtypes PyTorch's CPU kernels are not built for, by op: PyTorch dispatches each kernel over
a list of dtypes (AT_DISPATCH_ALL_TYPES leaves out Bool, AT_DISPATCH_FLOATING_TYPES every
integer) and refuses the others with the kernel's name, where numpy would compute something
(`torch.tensor([True]).abs()`, `torch.tensor([1]).hypot(...)`). One table, recorded from PyTorch
2.13 (tests/core/test_programs9_fixes.py compares every entry with PyTorch); bindings.py puts
the check in front of the ops named here, on every surface (method, function, in-place,
operator), so the ops themselves keep no call layer.
"""

import functools

from ..dtypes import WIDE_UNSIGNED, from_numpy_dtype
from ..tensor import Tensor
from .base import promote_pair
from .complex_gate import _own_code, gated
from .uint_kernels import KERNELS

_BOOL = frozenset(("bool",))
_INTEGERS = frozenset(("bool", "uint8", "int8", "int16", "int32", "int64"))
_NOT_BOOL = _INTEGERS - _BOOL
_NOT_LONG = _INTEGERS - {"int64"}  # (the average pools: int64 sums and divides, truncating)
HALVES = _HALVES = frozenset(("float16", "bfloat16"))


def refuse_kernel(name, array, dtypes=_INTEGERS):
    """In an op's body, where PyTorch's kernel `name` runs inside a composition (the 1-d pools
    through the 2-d ones, local_response_norm and lp_pool through the average pools) or after
    the op's own argument checks: its NotImplementedError for an `array` of one of `dtypes`."""
    error = _kernel(name, dtypes)(array.dtype.name, (), {})
    if error is not None:
        raise error


def _kernel(name, dtypes=_BOOL):
    """NotImplementedError naming the kernel, for a first operand of one of `dtypes`."""
    def refuse(dtype, args, kwargs):
        if dtype in dtypes:
            return NotImplementedError(f'"{name}" not implemented for '
                                       f"'{from_numpy_dtype(dtype)._short}'")
    return refuse


def _message(text, dtypes=_BOOL):
    def refuse(dtype, args, kwargs):
        if dtype in dtypes:
            return RuntimeError(text)
    return refuse


def _by_dim(without, with_dim):
    """median: its kernel without a dim and its out= kernel with one."""
    def refuse(dtype, args, kwargs):
        if dtype in _BOOL:
            name = with_dim if args or "dim" in kwargs else without
            return NotImplementedError(f"\"{name}\" not implemented for 'Bool'")
    return refuse


def _round(dtype, args, kwargs):
    """round(): the vectorised kernel refuses bool; with decimals, the scalar one every
    integer type."""
    if kwargs.get("decimals") or (args and args[0]):
        if dtype in _INTEGERS:
            return NotImplementedError(f"\"round_cpu\" not implemented for "
                                       f"'{from_numpy_dtype(dtype)._short}'")
    elif "decimals" in kwargs or args:  # round.decimals with 0: the vectorised kernel, no ints
        if dtype in _INTEGERS:
            return NotImplementedError(f"\"round_vml_cpu\" not implemented for "
                                       f"'{from_numpy_dtype(dtype)._short}'")
    elif dtype in _BOOL:
        return NotImplementedError("\"round_vml_cpu\" not implemented for 'Bool'")


def _lerp(dtype, args, kwargs):
    weight = args[1] if len(args) > 1 else kwargs.get("weight")
    if dtype in _INTEGERS:
        kind = "tensor" if isinstance(weight, Tensor) else "scalar"
        return NotImplementedError(f"\"lerp_kernel_{kind}\" not implemented for "
                                   f"'{from_numpy_dtype(dtype)._short}'")


def _hypot(dtype, args, kwargs):
    """hypot's kernel runs in the promoted dtype: an integer self with a float other is fine."""
    other = args[0] if args else kwargs.get("other")
    if isinstance(other, Tensor) and other._data.dtype.kind in "fV":
        return None
    return _kernel("hypot_cpu", _INTEGERS)(dtype, args, kwargs)


def _isin(dtype, args, kwargs):
    test = args[0] if args else kwargs.get("test_elements")
    if dtype in _BOOL or (isinstance(test, Tensor) and test._data.dtype.name in _BOOL):
        return RuntimeError("Unsupported input type encountered for isin(): Bool")


def _pad(dtype, args, kwargs):
    """F.pad: the reflection and replication kernels are not built for bool."""
    mode = args[1] if len(args) > 1 else kwargs.get("mode", "constant")
    pad = args[0] if args else kwargs.get("pad", ())
    kind = {"reflect": "reflection", "replicate": "replication"}.get(mode)
    if dtype in _BOOL and kind and len(pad) in (2, 4, 6):
        return NotImplementedError(f"\"{kind}_pad{len(pad) // 2}d\" not implemented for 'Bool'")


def _grid_sample(dtype, args, kwargs):
    grid = args[0] if args else kwargs.get("grid")
    name = ("grid_sampler3d_cpu" if isinstance(grid, Tensor) and grid._data.ndim == 5 else
            "grid_sampler_2d_cpu_kernel_impl")
    return _kernel(name, _INTEGERS)(dtype, args, kwargs)


def _kl_div(dtype, args, kwargs):
    target = args[0] if args else kwargs.get("target")
    if dtype.startswith("complex") or (isinstance(target, Tensor)
                                       and target._data.dtype.kind == "c"):
        return RuntimeError("kl_div: Complex inputs not supported.")  # (checked first)
    if dtype in _INTEGERS or (isinstance(target, Tensor) and target._data.dtype.name in _INTEGERS):
        return RuntimeError("kl_div: Integral inputs not supported.")


def _hardtanh(dtype, args, kwargs):
    if dtype in _BOOL:
        return RuntimeError("Bool inputs not supported for hardtanh")
    low = args[0] if args else kwargs.get("min_val", -1.0)
    if dtype == "uint8" and isinstance(low, (int, float)) and low < 0:
        return RuntimeError("cannot do hardtanh on an unsigned type with negative limits")


def _matmul(self, args, kwargs):
    """matmul of two bool tensors: the BLAS kernel its shapes reach refuses Bool (dot, addmv,
    addmm, or bmm once the second operand has a batch). (Given self, not its dtype.)"""
    other = args[0] if args else kwargs.get("other")
    if self._data.dtype.name in _BOOL and isinstance(other, Tensor) and \
            other._data.dtype.name in _BOOL:
        mine, theirs = self._data.ndim, other._data.ndim
        # (a batch of matrices times one matrix or vector folds into one mm or mv when its
        # memory allows, else runs as bmm)
        folds = mine <= 2 or self._data.flags.c_contiguous
        if theirs == 1:
            name = "dot" if mine == 1 else "addmv_impl_cpu" if folds else "bmm"
        else:
            name = "addmm_impl_cpu_" if theirs == 2 and folds else "bmm"
        return NotImplementedError(f"\"{name}\" not implemented for 'Bool'")


# op name (as declared in the registry) -> refuse(numpy dtype name of the first operand, the
# other positional arguments, the keyword arguments): the exception to raise, or None
REFUSALS = {
    "abs": _kernel("abs_cpu"),
    "floor": _kernel("floor_vml_cpu"),
    "ceil": _kernel("ceil_vml_cpu"),
    "trunc": _kernel("trunc_vml_cpu"),
    "fix": _kernel("trunc_vml_cpu"),
    "round": _round,
    "hypot": _hypot,
    "lerp": _lerp,
    "addcmul": _kernel("addcmul_cpu_out"),
    "dot": _kernel("dot"),
    "vdot": _kernel("dot"),
    "cross": _kernel("cross"),
    "mm": _kernel("addmm_impl_cpu_"),
    "mv": _kernel("addmv_impl_cpu"),
    "trace": _kernel("trace"),
    "kthvalue": _kernel("kthvalue_cpu"),
    "median": _by_dim("median_cpu", "median_out"),
    "bincount": _kernel("bincount_cpu"),
    "histc": _kernel("linspace_cpu"),
    "searchsorted": _kernel("searchsorted_out_cpu"),
    "argmax": _message("argmax(): does not support bool input"),
    "argmin": _message("argmin(): does not support bool input"),
    "topk": _message("topk does not support bool dtypes on CPU"),
    "isin": _isin,
    # the activations whose kernels are built for floating dtypes only (found by the
    # differential fuzzer, tools/diff_fuzz.py; tests/core/test_diff_fuzz.py compares)
    "elu": _kernel("elu_cpu", _INTEGERS),
    "selu": _kernel("elu_cpu", _INTEGERS),
    "celu": _kernel("elu_cpu", _INTEGERS),
    "hardshrink": _kernel("hardshrink_cpu", _INTEGERS),
    "softshrink": _kernel("softshrink_check", _INTEGERS),
    "softplus": _kernel("softplus_cpu", _INTEGERS),
    "leaky_relu": _kernel("leaky_relu_cpu", _INTEGERS),
    "rrelu": _kernel("leaky_relu_cpu", _INTEGERS),
    "gelu": _kernel("GeluKernelImpl", _INTEGERS),
    "silu": _kernel("silu_cpu", _INTEGERS),
    "mish": _kernel("mish_cpu", _INTEGERS),
    "hardswish": _kernel("hardswish_cpu", _INTEGERS),
    "hardsigmoid": _kernel("hardsigmoid_cpu", _INTEGERS),
    "logsigmoid": _kernel("log_sigmoid_cpu", _INTEGERS),
    "threshold": _kernel("threshold_cpu"),
    "hardtanh": _hardtanh,
    "relu6": _message("Bool inputs not supported for hardtanh"),
    # nn.functional's kernels built for floating dtypes (branch adv11c; the pools check in their
    # bodies with refuse_kernel, as they also run inside compositions)
    "glu": _kernel("glu_cpu", _INTEGERS),
    "batch_norm": _kernel("batch_norm", _INTEGERS),
    "instance_norm": _kernel("batch_norm", _INTEGERS),
    "fold": _kernel("col2im_out_cpu", _NOT_BOOL),
    "max_unpool1d": _kernel("max_unpool2d", _INTEGERS),
    "max_unpool2d": _kernel("max_unpool2d", _INTEGERS),
    "max_unpool3d": _kernel("max_unpool3d", _INTEGERS),
    "grid_sample": _grid_sample,
    "kl_div": _kl_div,
    "multilabel_soft_margin_loss": _kernel("log_sigmoid_cpu", _INTEGERS),

    "pad": _pad,
    "matmul": _matmul,
    # torch.special's kernels not built for float16 and bfloat16 (branch adv12b; zeta checks
    # its promoted dtype in its body)
    **{name: _kernel(name + "_cpu", _HALVES) for name in (
        "erfcx", "ndtri", "log_ndtr", "bessel_j0", "bessel_j1", "bessel_y0", "bessel_y1",
        "modified_bessel_i0", "modified_bessel_i1", "modified_bessel_k0", "modified_bessel_k1",
        "scaled_modified_bessel_k0", "scaled_modified_bessel_k1", "spherical_bessel_j0",
        "airy_ai")},
}
for _name in ("elu", "selu", "celu", "leaky_relu", "rrelu", "hardtanh", "threshold"):
    REFUSALS[_name + "_"] = REFUSALS[_name]  # (the in-place forms run the same kernels)


def _uint_div(dtype, args, kwargs):
    """div with a rounding mode: its trunc and floor kernels (true division runs in float)."""
    mode = kwargs.get("rounding_mode")
    if mode in ("trunc", "floor"):
        return _unsigned(f"div_{mode}_cpu", dtype)


def _uint_isin(dtype, args, kwargs):
    """isin of test elements given as a tensor (a number runs)."""
    test = args[0] if args else kwargs.get("test_elements")
    if isinstance(test, Tensor):
        return _unsigned("isin_default_cpu", dtype)


def _unsigned(kernel, dtype):
    return NotImplementedError(f'"{kernel}" not implemented for '
                               f"'{from_numpy_dtype(dtype)._short}'")


# uint16, uint32, uint64: the kernels PyTorch does not build for them (uint_kernels.py, recorded)
# and the ops whose refusal depends on their arguments
UINT_REFUSALS = {**{op: (lambda kernel: lambda dtype, args, kwargs: _unsigned(kernel, dtype))(k)
                    for op, k in KERNELS.items()},
                 "div": _uint_div, "isin": _uint_isin}


def _first_refusal(name, unsigned_too):
    """The refusal for op `name`: its dtype refusal (REFUSALS) for the other dtypes and, with
    unsigned_too, its uint16/32/64 one; None for an op with neither."""
    refuse, unsigned = REFUSALS.get(name), UINT_REFUSALS.get(name) if unsigned_too else None
    if unsigned is None:
        return refuse

    def both(first, args, kwargs):
        dtype = first._data.dtype
        if dtype in WIDE_UNSIGNED:
            other = args[0] if args else None
            if isinstance(other, Tensor) and other._data.dtype is not dtype:
                promote_pair(dtype, other._data.dtype)  # (its refusal of a mixed pair is first)
            return unsigned(dtype, args, kwargs)
        if refuse is not None:
            return refuse(first if refuse is _matmul else dtype.name, args, kwargs)
    both.takes_tensor = True
    return both


def guarded(name, fn, unsigned_too=True):
    """fn behind PyTorch's dtype refusal for op `name` (fn itself for an op with none).
    unsigned_too=False leaves out the uint16/32/64 refusal: the operators' ops (add, mul, lt...)
    stay the op functions themselves on their hot surfaces (the engine's spare buffers and the
    reflected operators rely on it; docs/autograd.md "uint16, uint32, uint64")."""
    fn = gated(name, fn)  # the complex dtypes' refusals (complex_gate.py)
    refuse = _first_refusal(name, unsigned_too)
    if refuse is None:
        return fn

    @functools.wraps(fn)
    def checked(*args, **kwargs):
        if args and isinstance(args[0], Tensor):  # else fn's own argument errors
            error = refuse(args[0] if refuse is _matmul or hasattr(refuse, "takes_tensor")
                           else args[0]._data.dtype.name, args[1:], kwargs)
            if error is not None:
                raise error
        return fn(*args, **kwargs)
    _own_code(checked, name)  # (the argument-error handlers are keyed by code: one per op)
    return checked
