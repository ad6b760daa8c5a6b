"""torch.autograd.gradcheck and gradgradcheck: backward's Jacobian against central finite
differences.

The checks run in PyTorch's order (torch/autograd/gradcheck.py, slow mode), so a function or a
custom Function that prints, counts or draws random numbers sees the same calls: the inputs'
checks; one forward; two forwards per element of each input that requires grad (x - eps, then
x + eps); for each differentiable output, its Jacobian's rows twice (one backward per output
element, the second pass checks reentrancy); one backward with zero gradients (is backward
multiplied by grad_output?); then the undefined-gradient check (one more forward and backward,
plus one of each per output when there are several).
"""

import math
import warnings

import numpy as np

from . import errors
from .autograd import grad
from .dtypes import from_numpy_dtype
from .dtypes import float64
from .factories import empty, zeros_like
from .printing import format_tensor
from .tensor import Tensor

NON_DOUBLE = ("Input #{} requires gradient and is not a double precision floating point or "
              "complex. This check will likely fail if all the inputs are not of double "
              "precision floating point or complex. ")
NO_INPUT = ("gradcheck expects at least one input tensor to require gradient, but none of them "
            "have requires_grad=True.")
STRIDE_ZERO = ("The {}th input has a dimension with stride 0. gradcheck only supports inputs that "
               "are non-overlapping to be able to compute the numerical gradients correctly. You "
               "should call .contiguous on the input before passing it to gradcheck.")
UNDEFINED_NOTE = ('Please look at "Notes about undefined output gradients" in '
                  '"tools/autograd/derivatives.yaml"')


class GradcheckError(RuntimeError):
    """A Jacobian from finite differences disagrees with the one from backward."""


GradcheckError.__module__ = "torch.autograd.gradcheck"


def _as_tuple(x):
    return x if isinstance(x, tuple) else tuple(x) if isinstance(x, list) else (x,)


def _differentiable(out):
    return [o for o in _as_tuple(out) if isinstance(o, Tensor) and o._requires_grad]


def _diff_inputs(inputs):
    return [x for x in inputs if isinstance(x, Tensor) and x._requires_grad]


def _check_inputs(inputs):
    found = False
    for i, x in enumerate(inputs):
        if isinstance(x, Tensor) and x._requires_grad:
            if x._data.dtype not in (np.float64, np.complex128):
                warnings.warn(NON_DOUBLE.format(i), UserWarning, stacklevel=4)
            if any(st == 0 and n > 1 for st, n in zip(x.stride(), x.shape)):
                raise RuntimeError(STRIDE_ZERO.format(i))
            found = True
    if not found:
        raise ValueError(NO_INPUT)


def _numerical(func, inputs, out, eps):
    """[input][output] -> the (input numel, output numel) Jacobian by central differences, for
    every tensor output `out` (differentiable or not), inputs that require grad only."""
    per_input = []
    for x in _diff_inputs(inputs):
        d = x._data
        # a complex value is two real ones (its real and imaginary parts, interleaved)
        steps = (eps, eps * 1j) if d.dtype.kind == "c" else (eps,)
        jac = [np.zeros((d.size * len(steps), _real_size(o))) for o in out]
        for k in range(d.size):
            pos = np.unravel_index(k, d.shape)
            orig = d[pos].item()
            for s, step in enumerate(steps):
                d[pos] = orig - step
                lo = _flat_values(func(*inputs))
                d[pos] = orig + step
                hi = _flat_values(func(*inputs))
                d[pos] = orig
                for j, (a, b) in enumerate(zip(lo, hi)):
                    jac[j][k * len(steps) + s] = (b - a) / (2 * eps)
        per_input.append(jac)
    return per_input


def _real_size(o):
    return o._data.size * (2 if o._data.dtype.kind == "c" else 1)


def _as_reals(a):
    """A flat float64 array; a complex one as its real and imaginary parts, interleaved."""
    if a.dtype.kind == "c":
        return np.ascontiguousarray(a, np.complex128).reshape(-1).view(np.float64)
    return a.astype(np.float64).reshape(-1)


def _flat_values(out):
    return [_as_reals(o._data) for o in _as_tuple(out) if isinstance(o, Tensor)]


def _jacobian_rows(output, diff_inputs):
    """(input numel, output numel) Jacobians of `output`, one backward per output element.
    Complex values count as two real ones (_as_reals): a gradient output of 1 gives the
    gradient of the output's real part, 1j of its imaginary part, and the gradient PyTorch
    gives a complex input is dL/d(re) + 1j dL/d(im) (conjugate Wirtinger, times 2)."""
    units = (1, 1j) if output._data.dtype.kind == "c" else (1,)
    jacs = [np.zeros((x._data.size * (2 if x._data.dtype.kind == "c" else 1),
                      output._data.size * len(units))) for x in diff_inputs]
    for k in range(output._data.size):
        for u, unit in enumerate(units):
            go = np.zeros(output._data.size, output._data.dtype)
            go[k] = unit
            gs = grad(output, diff_inputs, Tensor._make(go.reshape(output._data.shape)),
                      retain_graph=True, allow_unused=True)
            for jac, g in zip(jacs, gs):
                if g is not None:
                    jac[:, k * len(units) + u] = _as_reals(g._data)
    return jacs


def _mismatch(a, n, out_idx, in_idx, dtype):
    dt = from_numpy_dtype(dtype if dtype.kind != "c" else np.dtype(np.float64))
    return (f"Jacobian mismatch for output {out_idx} with respect to input {in_idx},\n"
            f"numerical:{format_tensor(n.astype(dt.np), dt)}\n"
            f"analytical:{format_tensor(a.astype(dt.np), dt)}\n")


def _check_analytical(outputs, inputs, numerical, rtol, atol, nondet_tol):
    diff_inputs = _diff_inputs(inputs)
    for i, o in enumerate(outputs):
        first = _jacobian_rows(o, diff_inputs)
        again = _jacobian_rows(o, diff_inputs)
        if any(np.abs(a - b).max(initial=0) > nondet_tol for a, b in zip(first, again)):
            raise GradcheckError(
                "Backward is not reentrant, i.e., running backward with same input and "
                "grad_output multiple times gives different values, although analytical "
                f"gradient matches numerical gradient.The tolerance for nondeterminism was "
                f"{nondet_tol}.")
        for j, (a, n) in enumerate(zip(first, numerical[i])):
            if not np.allclose(a, n, rtol=rtol, atol=atol):
                raise GradcheckError(_mismatch(a, n, i, j, diff_inputs[j]._data.dtype))


def _check_zero_grad_output(outputs, inputs):
    gs = grad(outputs, _diff_inputs(inputs), [zeros_like(o) for o in outputs], allow_unused=True)
    if any(g is not None and g._data.any() for g in gs):
        raise GradcheckError("backward not multiplied by grad_output")


def _check_undefined_grads(func, outputs, inputs):
    # PyTorch sends undefined gradients (UndefinedGrad); a Function receives them as zeros
    checks = [_differentiable(func(*inputs))]
    if len(checks[0]) > 1:
        checks += [_differentiable(func(*inputs)) for _ in outputs]
    for outs in checks:
        gs = grad(outs, _diff_inputs(inputs), [zeros_like(o) for o in outs], allow_unused=True)
        if any(g is not None and g._data.any() for g in gs):
            raise GradcheckError("Expected all input grads to be undefined or zero when all "
                                 "output grads are undefined or zero. " + UNDEFINED_NOTE)


def _no_differentiable_outputs(numerical):
    for per_input in numerical:
        for n in per_input:
            if n.any():
                raise GradcheckError("Numerical gradient for function expected to be zero")
    return True


# Set by gradsh.autograd (forward AD sits above the core): forward_jacobian[0](func,
# inputs, x) gives [output] -> the (x numel, output numel) Jacobian by forward-mode AD, one
# jvp per element of input x.
forward_jacobian = [None]


def _check_forward_ad(func, inputs, out, numerical, rtol, atol):
    for j, x in enumerate(_diff_inputs(inputs)):
        for i, a in enumerate(forward_jacobian[0](func, inputs, x)):
            n = numerical[j][i]
            if not np.allclose(a, n, rtol=rtol, atol=atol):
                raise GradcheckError(_mismatch(a, n, i, j, x._data.dtype).replace(
                    "Jacobian mismatch", "Jacobian computed with forward mode mismatch", 1))


def _run(func, inputs, eps, atol, rtol, nondet_tol, check_undefined_grad, check_forward_ad=False,
         check_backward_ad=True):
    _check_inputs(inputs)
    out = [o for o in _as_tuple(func(*inputs)) if isinstance(o, Tensor)]
    numerical = _numerical(func, inputs, out, eps)
    if check_forward_ad:
        _check_forward_ad(func, inputs, out, numerical, rtol, atol)
    if not check_backward_ad:
        return True
    outputs = [o for o in out if o._requires_grad]
    if not outputs:
        return _no_differentiable_outputs(numerical)
    # the columns of the differentiable outputs only, as [output][input]
    keep = [k for k, o in enumerate(out) if o._requires_grad]
    by_output = [[per_input[k] for per_input in numerical] for k in keep]
    _check_analytical(outputs, inputs, by_output, rtol, atol, nondet_tol)
    _check_zero_grad_output(outputs, inputs)
    if check_undefined_grad:
        _check_undefined_grads(func, outputs, inputs)
    return True


def gradcheck(func, inputs, *, eps=1e-6, atol=1e-5, rtol=1e-3, raise_exception=True,
              nondet_tol=0.0, check_undefined_grad=True, check_grad_dtypes=False,
              check_batched_grad=False, check_batched_forward_grad=False,
              check_forward_ad=False, check_backward_ad=True, fast_mode=False, masked=None):
    """Compare backward's Jacobian with central finite differences (use float64 inputs)."""
    if not (check_forward_ad or check_backward_ad):
        raise errors.TorchAssertionError(
            "Expected at least one of check_forward_ad or check_backward_ad to be True")
    if check_batched_grad and not check_backward_ad:
        raise errors.TorchAssertionError(
            "Setting check_batched_grad=True requires check_backward_ad to be True")
    inputs = _as_tuple(inputs)
    try:
        return _run(func, inputs, eps, atol, rtol, nondet_tol, check_undefined_grad,
                    check_forward_ad, check_backward_ad)
    except GradcheckError:
        if raise_exception:
            raise
        return False


def _random_grad_output(o, noncontiguous):
    """PyTorch's draw (torch.testing.make_tensor with low=-1, high=1): uniform in [-1, 1) with
    o's shape and dtype; a non-contiguous one is every other element of a draw twice as long in
    the last dim (a tensor of one element stays contiguous)."""
    shape = tuple(o.shape)
    dtype = o.dtype if o.is_floating_point() or o.is_complex() else float64
    wide = noncontiguous and math.prod(shape) > 1
    drawn = empty(shape[:-1] + (2 * shape[-1],) if wide else shape, dtype=dtype).uniform_(-1, 1)
    return (drawn[..., 1::2] if wide else drawn).requires_grad_()


def gradgradcheck(func, inputs, grad_outputs=None, *, eps=1e-6, atol=1e-5, rtol=1e-3,
                  gen_non_contig_grad_outputs=False, raise_exception=True, nondet_tol=0.0,
                  check_undefined_grad=True, **kwargs):
    """gradcheck of the first derivatives: checks second derivatives by finite differences.
    Without grad_outputs, random ones are drawn as PyTorch draws them (_random_grad_output
    of each differentiable output, from the default generator)."""
    inputs = _as_tuple(inputs)
    if grad_outputs is None:
        grad_outputs = tuple(_random_grad_output(o, gen_non_contig_grad_outputs)
                             for o in _differentiable(func(*inputs)))
    grad_outputs = _as_tuple(grad_outputs)
    n_in = len(inputs)
    diff_idx = [i for i, x in enumerate(inputs) if isinstance(x, Tensor) and x._requires_grad]

    def first_grads(*args):
        ins, gos = args[:n_in], args[n_in:]
        diff_ins = [ins[i] for i in diff_idx]
        gs = grad(_differentiable(func(*ins)), diff_ins, gos, create_graph=True,
                  allow_unused=True)
        return tuple(g for g in gs if g is not None)

    return gradcheck(first_grads, inputs + grad_outputs, eps=eps, atol=atol, rtol=rtol,
                     raise_exception=raise_exception, nondet_tol=nondet_tol,
                     check_undefined_grad=check_undefined_grad)
