"""What the complex dtypes reach: the ops that compute complex tensors as PyTorch does, and a
clean refusal for every other op (PyTorch's NotImplementedError naming the kernel and the
dtype, as its CPU kernels give for a dtype they are not built for), never numpy's silent
casts (`exp` of a complex array made float) or an internal error.

gradsh has no complex derivative rules yet: an op given a complex tensor that requires grad
either refuses here (COMPLEX_NO_GRAD) or, for the ops that stay unwrapped on the hot paths,
records its node, and the backward pass refuses where a complex gradient would flow
(engine.py: a complex root; every complex-to-real op below). docs/autograd.md, "Complex
numbers", lists what is supported.
"""

import functools

from .. import errors, grad_mode
from ..tensor import Tensor

# ops whose forward gives PyTorch's complex result unwrapped (tests/core/test_complex.py
# compares them with PyTorch 2.13): the layout and selection ops move values unchanged;
# the arithmetic ones compute in numpy's complex types
COMPLEX_AWARE = frozenset("""
    getitem setitem view view_as reshape reshape_as flatten ravel squeeze unsqueeze t T mT H mH adjoint
    transpose permute movedim expand expand_as broadcast_to contiguous clone detach detach_
    cat stack hstack vstack dstack column_stack row_stack chunk split split_with_sizes unbind index_put
    narrow select flip fliplr flipud roll repeat tile tensor_split hsplit vsplit dsplit diagonal
    tril triu unflatten squeeze_ unsqueeze_ t_ transpose_ adjoint index_select masked_select take
    cpu copy_ zero_ fill_ resize_ resize_as_ new_empty new_zeros new_ones new_full new_tensor new
    is_complex is_conj is_neg is_signed is_same_size is_nonzero nbytes itemsize dim_order
    const_data_ptr pin_memory share_memory_ is_shared is_pinned is_meta is_mps is_xpu is_sparse
    is_quantized is_nested is_mkldnn is_vulkan is_sparse_csr is_xla is_ipu is_maia is_mtia
    eq ne equal isfinite isnan isinf isreal count_nonzero nonzero all any isclose allclose
    logical_and logical_or logical_xor logical_not invert
    conj resolve_conj resolve_neg positive real imag view_as_real view_as_complex complex polar
    conj_physical conj_physical_ angle abs sgn reciprocal sigmoid cumsum constant_pad_nd roll
    to type type_as float double half long int short bool byte char cfloat cdouble
    dot vdot add sub rsub mul neg div rdiv matmul mm sum mean prod pow rpow exp log sqrt sin cos tanh
    tan sinh cosh asin acos atan asinh acosh atanh log2 log10 log1p expm1 exp2 square rsqrt
    outer einsum bmm mv tensordot kron trace diag diag_embed inner cross addmm addmv baddbmm addbmm addr chain_matmul
    inverse det slogdet logdet svd cholesky cholesky_solve cholesky_inverse qr pinverse matrix_exp
    matrix_power lu lu_solve lu_unpack triangular_solve geqrf orgqr ormqr
    norm dist masked_fill where
    uniform_ stft istft
""".split())

# ops that compute complex values but have no correct complex gradient: refused when a
# complex operand requires grad (none today; the tier stays for the next ones)
COMPLEX_NO_GRAD = frozenset("""
    var std var_mean std_mean logsumexp cumprod renorm
""".split())

# PyTorch's kernel names where they are not the op's own name
_KERNELS = {"atan2": "atan2_cpu", "lt": "lt_cpu", "le": "le_cpu", "gt": "gt_cpu", "ge": "ge_cpu", "max": "max_all",
            "min": "min_all", "remainder": "remainder_cpu", "fmod": "fmod_cpu", "floor_divide": "div_floor_cpu",
            "rfloordiv": "div_floor_cpu", "rremainder": "remainder_cpu", "erf": "erf_vml_cpu",
            "round": "round_vml_cpu", "softmax": "softmax_lastdim_kernel_impl",
            "log_softmax": "log_softmax_lastdim_kernel_impl",
            **{n: n + "_cpu" for n in ("bitwise_and", "bitwise_or", "bitwise_xor", "bitwise_not",
                                       "gcd", "lcm")},
            **{n: "lshift_cpu" for n in ("bitwise_left_shift", "lshift", "rlshift")},
            **{n: "rshift_cpu" for n in ("bitwise_right_shift", "rshift", "rrshift")},
            **{"r" + n: n + "_cpu" for n in ("bitwise_and", "bitwise_or", "bitwise_xor")},
            "rand": "bitwise_and_cpu", "ror": "bitwise_or_cpu", "rxor": "bitwise_xor_cpu"}

# ... and the kernels PyTorch 2.13's CPU names for a complex operand of the ops below (seen by
# calling each with a complex tensor; tests/core/test_diff_fuzz.py compares them with PyTorch)
_KERNELS.update({
    "airy_ai": "airy_ai_cpu", "amax": "max_values_cpu", "amin": "min_values_cpu", "aminmax":
    "aminmax_cpu", "bessel_j0": "bessel_j0_cpu", "bessel_j1": "bessel_j1_cpu", "bessel_y0":
    "bessel_y0_cpu", "bessel_y1": "bessel_y1_cpu", "binary_cross_entropy_with_logits":
    "log_sigmoid_cpu", "celu": "elu_cpu", "chebyshev_polynomial_t":
    "chebyshev_polynomial_t_cpu", "chebyshev_polynomial_u": "chebyshev_polynomial_u_cpu",
    "chebyshev_polynomial_v": "chebyshev_polynomial_v_cpu", "chebyshev_polynomial_w":
    "chebyshev_polynomial_w_cpu", "copysign": "copysign_cpu", "elu": "elu_cpu", "entr":
    "entr_cpu", "erfc": "erfc_vml_cpu", "erfcx": "erfcx_cpu", "erfinv": "erfinv_vml_cpu",
    "frac": "frac_cpu", "gelu": "GeluKernelImpl", "hardshrink": "hardshrink_cpu", "hardsigmoid":
    "hardsigmoid_cpu", "hardswish": "hardswish_cpu", "hermite_polynomial_h":
    "hermite_polynomial_h_cpu", "hermite_polynomial_he": "hermite_polynomial_he_cpu",
    "huber_loss": "huber_cpu", "hypot": "hypot_cpu", "i0": "i0_vml_cpu", "i0e": "i0e_cpu", "i1":
    "i1_cpu", "i1e": "i1e_cpu", "igamma": "igamma_cpu", "igammac": "igammac_cpu", "kthvalue":
    "kthvalue_cpu", "laguerre_polynomial_l": "laguerre_polynomial_l_cpu", "leaky_relu":
    "leaky_relu_cpu", "legendre_polynomial_p": "legendre_polynomial_p_cpu", "lgamma":
    "lgamma_vml_cpu", "log_ndtr": "log_ndtr_cpu", "logaddexp2": "logaddexp2_cpu", "logit":
    "logit_cpu", "logsigmoid": "log_sigmoid_cpu", "median": "median_cpu", "mish": "mish_cpu",
    "mode": "mode_cpu", "modified_bessel_i0": "modified_bessel_i0_cpu", "modified_bessel_i1":
    "modified_bessel_i1_cpu", "modified_bessel_k0": "modified_bessel_k0_cpu",
    "modified_bessel_k1": "modified_bessel_k1_cpu", "mse_loss": "mse_cpu",
    "multilabel_soft_margin_loss": "log_sigmoid_cpu", "nanmedian": "median_cpu", "ndtr":
    "erf_vml_cpu", "ndtri": "ndtri_cpu", "nextafter": "nextafter_cpu", "repeat_interleave":
    "repeat_interleave_cpu", "rrelu": "leaky_relu_cpu", "scaled_modified_bessel_k0":
    "scaled_modified_bessel_k0_cpu", "scaled_modified_bessel_k1":
    "scaled_modified_bessel_k1_cpu", "selu": "elu_cpu", "shifted_chebyshev_polynomial_t":
    "shifted_chebyshev_polynomial_t_cpu", "shifted_chebyshev_polynomial_u":
    "shifted_chebyshev_polynomial_u_cpu", "shifted_chebyshev_polynomial_v":
    "shifted_chebyshev_polynomial_v_cpu", "shifted_chebyshev_polynomial_w":
    "shifted_chebyshev_polynomial_w_cpu", "smooth_l1_loss": "smooth_l1_cpu", "softplus":
    "softplus_cpu", "softshrink": "softshrink_check", "spherical_bessel_j0":
    "spherical_bessel_j0_cpu", "unique_consecutive": "unique", "xlog1py": "xlog1py_cpu",
    "xlogy": "xlogy_cpu", "zeta": "zeta_cpu"})

# PyTorch's own words where its message is not the kernel's
_MESSAGES = {
    "relu": "clamp is not supported for complex types",
    "clamp": "clamp is not supported for complex types",
    "clamp_min": "clamp is not supported for complex types",
    "clamp_max": "clamp is not supported for complex types",
    "floor": "floor is not supported for complex inputs",
    "ceil": "ceil is not supported for complex inputs",
    "sign": "Unlike NumPy, torch.sign is not intended to support complex numbers. Please use "
            "torch.sgn instead.",
}
_RUNTIME = {
    "argmax": "argmax(): does not support complex input",
    "argmin": "argmin(): does not support complex input",
    "sort": " Sort does not support complex dtypes on CPU",
    "maximum": "maximum not implemented for complex tensors.",
    "minimum": "minimum not implemented for complex tensors.",
    "fmax": "fmax not implemented for complex tensors.",
    "fmin": "fmin not implemented for complex tensors.",
    "kl_div": "kl_div: Complex inputs not supported.",
    "nansum": "nansum on CPU does not support complex inputs",
    "nanmean": "nansum on CPU does not support complex inputs",
}


def _complex_short(value, budget=None):
    """'ComplexFloat' / 'ComplexDouble' when value is or holds a complex operand, else None.
    At most 64 items of each list and 256 lists in all are looked at: a row shared at every
    level (`x = [x, x]` sixty times) would otherwise be 2**60 visits."""
    if type(value) is Tensor or isinstance(value, Tensor):
        kind = value._data.dtype
        if kind.kind == "c":
            return "ComplexFloat" if kind.itemsize == 8 else "ComplexDouble"
    elif type(value) is complex:
        return "ComplexFloat"
    elif type(value) in (list, tuple):
        budget = [256] if budget is None else budget
        budget[0] -= 1
        if budget[0] < 0:
            return None
        for v in value[:64]:  # (cat's tensors; a long list of numbers is not complex-typed)
            found = _complex_short(v, budget)
            if found:
                return found
    return None


def complex_operand(args, kwargs):
    for v in args:
        found = _complex_short(v)
        if found:
            return found
    for v in kwargs.values():
        found = _complex_short(v)
        if found:
            return found
    return None


def _needs_grad(args, kwargs):
    if not grad_mode.state.enabled:
        return False
    for v in (*args, *kwargs.values()):
        if isinstance(v, Tensor) and v._requires_grad:
            return True
        if type(v) in (list, tuple) and any(isinstance(t, Tensor) and t._requires_grad
                                            for t in v[:64]):
            return True
    return False


def refusal(name, short):
    """The exception PyTorch's CPU raises for op `name` over a complex dtype (`short`)."""
    base = name.rstrip("_")
    if base in _RUNTIME:
        return RuntimeError(_RUNTIME[base])
    if base in _MESSAGES:
        return NotImplementedError(_MESSAGES[base])
    return NotImplementedError(f'"{_KERNELS.get(base, base)}" not implemented for \'{short}\'')


def no_grad_error(name):
    return NotImplementedError(f"{name}: {errors.COMPLEX_BACKWARD}")


def gated(name, fn):
    """fn behind the complex gate for op `name` (fn itself for a complex-aware op)."""
    if name in COMPLEX_AWARE:
        return fn
    if name in COMPLEX_NO_GRAD:
        @functools.wraps(fn)
        def without_grad(*args, **kwargs):
            if complex_operand(args, kwargs) and _needs_grad(args, kwargs):
                raise no_grad_error(name)
            return fn(*args, **kwargs)
        without_grad.complex_gate = True
        _own_code(without_grad, name)
        return without_grad

    @functools.wraps(fn)
    def refused(*args, **kwargs):
        short = complex_operand(args, kwargs)
        if short:
            raise refusal(name, short)
        return fn(*args, **kwargs)
    # a gate, not the op: forward AD swaps the op under it (autograd/forward_ad.py), which
    # the ops' own modules also call directly
    refused.complex_gate = True
    _own_code(refused, name)
    return refused


def _own_code(wrapper, name):
    """A code object of the wrapper's own, named as the op: the argument-error handlers are
    keyed by code (library_errors, guarded), so wrappers must not share one; errors.warn skips
    it."""
    wrapper.__code__ = wrapper.__code__.replace(co_name=name, co_qualname=name)
    errors.WRAPPER_CODES.add(wrapper.__code__)
