"""The ops whose kernels leave numpy's path on 'meta' tensors, routed back to the meta device.

A meta tensor's array is a zero-stride stand-in (core/meta.py) that numpy's ufuncs and array
functions keep meta. The ops below compute with something else on the way (gradsh's own
float32 or LAPACK-style kernels, `np.lib.stride_tricks`, an empty-input shortcut that makes a
fresh array, a Python loop over rows): on a meta input their results came back as CPU tensors.
Found by the registry-wide meta sweep (tests/core/test_fid22.py, every op of the registry on the
op sweep's samples made on device='meta', against PyTorch 2.13). bindings.py puts `routed` in
front of each op named here, on every surface, so the ops keep no meta code and the hot ops
(not named here) keep no call layer: a result that came back on the CPU from a call with a meta
tensor among its arguments is made a meta tensor of the same shape and dtype, keeping its node.

Ops whose result's shape depends on the values (PyTorch has no meta kernel for them, or reads
a value with `item()`) raise PyTorch's own error when given a meta tensor (REFUSALS).
"""

import functools

import numpy as np

from ..meta import (NO_ITEM, NONZERO, MetaArray, device_of, meta_like, mixed, no_meta_kernel,
                    same_device)
from ..tensor import Tensor
from .complex_gate import _own_code

# ops whose result was a CPU tensor for a meta input (the meta sweep's finds)
LEAKS = frozenset((
    # linear algebra: gradsh's own factorizations and solvers
    "det", "slogdet", "logdet", "svd", "qr", "pinverse", "lu", "lu_unpack", "lu_solve",
    "triangular_solve", "nuclear_norm", "cross", "einsum", "renorm", "baddbmm", "vander",
    # reductions, scans and selections with their own kernels
    "median", "nanmedian", "quantile", "nanquantile", "topk", "argsort", "searchsorted",
    "logcumsumexp", "trapezoid", "index_reduce",
    # special functions (their empty-input shortcut)
    "airy_ai", "bessel_j0", "bessel_j1", "bessel_y0", "bessel_y1", "modified_bessel_i0",
    "modified_bessel_i1", "modified_bessel_k0", "modified_bessel_k1", "scaled_modified_bessel_k0",
    "scaled_modified_bessel_k1", "spherical_bessel_j0", "chebyshev_polynomial_t",
    "chebyshev_polynomial_u", "chebyshev_polynomial_v", "chebyshev_polynomial_w",
    "shifted_chebyshev_polynomial_t", "shifted_chebyshev_polynomial_u",
    "shifted_chebyshev_polynomial_v", "shifted_chebyshev_polynomial_w", "hermite_polynomial_h",
    "hermite_polynomial_he", "laguerre_polynomial_l", "legendre_polynomial_p", "entr", "erfcx",
    "log_ndtr", "ndtri", "i0e", "i1", "i1e", "mvlgamma", "polygamma", "igamma", "igammac",
    # views and copies made with np.lib.stride_tricks or a fresh array
    "diagonal", "diagonal_copy", "diag_embed", "diagflat", "rot90", "block_diag", "combinations",
    "alias_copy", "as_strided_copy", "detach_copy", "expand_copy", "narrow_copy", "permute_copy", "select_copy",
    "slice_copy", "split_copy", "split_with_sizes_copy", "squeeze_copy", "t_copy",
    "transpose_copy", "unbind_copy", "unfold_copy", "unsqueeze_copy", "view_copy", "new",
    "resize", "resize_as", "resize_as_", "nonzero_static", "fill",
    # nn.functional with loops or gradsh's own kernels
    "nll_loss", "cross_entropy", "linear_cross_entropy", "ctc_loss", "embedding_bag", "fold",
    "grid_sample", "max_unpool1d", "max_unpool2d", "max_unpool3d", "multi_head_attention_forward",
    "one_hot", "repeat_interleave", "bernoulli",
    # pointwise ops with a shortcut of their own (an empty input, an integer one)
    "sgn", "erf", "erfc", "erfinv", "digamma", "lgamma", "i0", "sinc", "isreal",
))


def _no_item(args, kwargs):
    return RuntimeError(NO_ITEM)


def _one_hot(args, kwargs):
    """F.one_hot without num_classes reads the largest class with item()."""
    n = args[1] if len(args) > 1 else kwargs.get("num_classes", -1)
    return RuntimeError(NO_ITEM) if n == -1 else None


def _repeat_interleave(args, kwargs):
    """A meta tensor of repeats: the total is a value, which output_size must give."""
    repeats = args[1] if len(args) > 1 else kwargs.get("repeats")
    if repeats is None:
        repeats = args[0]
    if isinstance(repeats, Tensor) and type(repeats._data) is MetaArray and \
            kwargs.get("output_size") is None:
        return RuntimeError("cannot repeat_interleave a meta tensor without output_size")
    return None


def _kernel(name):
    return lambda args, kwargs: no_meta_kernel(name)


# op -> the error it raises when a meta tensor is among its arguments (None: no error)
REFUSALS = {
    "one_hot": _one_hot,
    "repeat_interleave": _repeat_interleave,
    "bincount": _kernel("bincount"),
    "unique_consecutive": _kernel("unique_consecutive"),
    "histogram": _kernel("histogram.bin_ct"),
    "argwhere": lambda args, kwargs: NotImplementedError(NONZERO),
    "ctc_loss": _kernel("_ctc_loss.Tensor"),
    "linalg.lstsq": _kernel("linalg_lstsq.out"),
}


# ops whose kernels refuse a meta tensor beside a CPU one of one or more dims (PyTorch's device
# check; found by sweeping each tensor argument of each op onto the meta device, branch adv14a):
# op -> None (the device expected is the first tensor's), or (its tensor parameters in order,
# the one whose device is expected ("cpu": always the CPU's), the parameters it leaves
# unchecked). The nn kernels that modules call directly check in the kernel instead
# (meta.check_devices: linear, bilinear, the norms, the losses, prelu). PyTorch checks nothing
# in mm, matmul, bmm, conv*, embedding, index_select, gather.
MIXED = {
    **dict.fromkeys(("cat", "stack", "where", "addcmul", "addcdiv", "lerp", "maximum",
                     "minimum", "clamp", "dot", "mv")),
    "masked_fill": (("input", "mask"), "mask", ()),
    "addmv": (("input", "mat", "vec"), "mat", ()),
    "addmm": (("input", "mat1", "mat2"), "mat1", ("mat2",)),
    "cosine_similarity": (("x1", "x2"), "cpu", ()),
}


def _arrays(values):
    for v in values:
        if isinstance(v, Tensor):
            yield v._data
        elif isinstance(v, (list, tuple)):
            yield from _arrays(v)


def check_mixed(spec, args, kwargs):
    """PyTorch's RuntimeError for a meta tensor and a CPU one in an op of MIXED."""
    if spec is None:
        arrays = [*_arrays(args), *_arrays(kwargs.values())]
        ref = None
    else:
        params, ref, skip = spec
        named = dict(zip(params, args))
        named.update((k, v) for k, v in kwargs.items() if k in params)
        arrays = list(_arrays(named[p] for p in params if p in named and p not in skip))
        if ref not in (None, "cpu"):
            ref = device_of(named[ref]._data) if isinstance(named.get(ref), Tensor) else None
    if mixed(*arrays):
        same_device(*arrays, expected=ref)


def _has_meta(values, nested=True):
    """Whether an argument, or a tensor in a list or tuple argument (PyTorch's tensor lists:
    one level, not deeper, so that a program's deeply nested or shared lists cost one pass),
    is a meta tensor."""
    for v in values:
        if isinstance(v, Tensor):
            if type(v._data) is MetaArray:
                return True
        elif nested and isinstance(v, (list, tuple)) and _has_meta(v, False):
            return True
    return False


def _to_meta(out):
    """Make each CPU tensor in an op's result (a tensor, or a tuple of them) a meta one."""
    if isinstance(out, Tensor):
        d = out._data
        if type(d) is not MetaArray and isinstance(d, np.ndarray):
            out._data = meta_like(d)
    elif isinstance(out, (tuple, list)):
        for t in out:
            _to_meta(t)
    return out


# ops whose kernels check the values (a singular matrix, a probability): on meta arguments they
# run on a stand-in that passes the check (identity matrices, ones), of the arguments' shapes and
# dtypes, and their results are made meta. (What they cost is the kernel's on that stand-in.)
STAND_INS = {
    **{name: "eye" for name in (
        "inverse", "cholesky", "cholesky_inverse", "cholesky_solve", "matrix_exp",
        "matrix_power")},
    **{"linalg." + name: "eye" for name in (
        "inv", "inv_ex", "cholesky", "cholesky_ex", "solve", "solve_ex", "lu_factor",
        "lu_factor_ex", "ldl_factor", "ldl_factor_ex", "eig", "eigvals", "tensorsolve",
        "tensorinv", "matrix_exp", "matrix_power")},
    "multinomial": "one", "poisson": "one",
    # (not the hot ones, div, lerp, addcdiv: they keep no call layer and their refusals)
    **{name: "one" for name in ("mode", "pad", "quantile", "nanquantile", "vander", "lu",
                                "interpolate", "histc", "slice_inverse",
                                "scaled_dot_product_attention")},
}


def _stand_in(d, kind):
    if kind == "eye" and d.ndim >= 2:
        return np.broadcast_to(np.eye(d.shape[-2], d.shape[-1], dtype=d.dtype), d.shape)
    return np.broadcast_to(np.ones((), d.dtype), d.shape)


def _swap_in(values, kind, swapped):
    """Give each meta tensor among `values` the stand-in's data (undone by _swap_back)."""
    for v in values:
        if isinstance(v, Tensor):
            if type(v._data) is MetaArray:
                swapped.append((v, v._data))
                v._data = _stand_in(v._data, kind)
        elif isinstance(v, (list, tuple)):
            _swap_in(v, kind, swapped)


def routed(name, fn, *, every=False):
    """fn, giving meta results for meta inputs (LEAKS, or every op of a namespace with `every`),
    on a stand-in where the kernel checks values (STAND_INS), and PyTorch's refusals
    (REFUSALS); fn itself for the other ops."""
    refuse = REFUSALS.get(name)
    stand_in = STAND_INS.get(name)
    checks = name in MIXED
    if not every and name not in LEAKS and refuse is None and stand_in is None and not checks:
        return fn
    leaks = every or name in LEAKS or refuse is not None or stand_in is not None

    @functools.wraps(fn)
    def meta_routed(*args, **kwargs):
        if not (_has_meta(args) or _has_meta(kwargs.values())):
            return fn(*args, **kwargs)
        if checks:
            check_mixed(MIXED[name], args, kwargs)
            if not leaks:
                return fn(*args, **kwargs)
        if refuse is not None:
            error = refuse(args, kwargs)
            if error is not None:
                raise error
        if stand_in is None:
            return _to_meta(fn(*args, **kwargs))
        swapped = []
        try:
            _swap_in(args, stand_in, swapped)
            _swap_in(kwargs.values(), stand_in, swapped)
            out = fn(*args, **kwargs)
        finally:
            for t, d in reversed(swapped):
                t._data = d
        return _to_meta(out)
    _own_code(meta_routed, getattr(fn, "__name__", name))  # (errors.warn looks past it)
    return meta_routed


def route_module(namespace, prefix):
    """Every public function of a namespace module (torch.linalg) routed as above: none of them
    is on a hot path, and most run gradsh's own kernels."""
    for name, value in list(namespace.items()):
        if not name.startswith("_") and callable(value) and not isinstance(value, type):
            namespace[name] = routed(f"{prefix}.{name}", value, every=True)
