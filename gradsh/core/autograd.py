"""torch.autograd: backward, grad, custom Functions, gradcheck, anomaly detection."""

import itertools
import warnings

import numpy as np

from . import engine, errors, grad_mode
from .custom_function import (BackwardCFunction, Function, FunctionCtx,  # noqa: F401
                              once_differentiable)
from .dtypes import from_numpy_dtype, read_items
from .factories import zeros_like
from .grad_mode import enable_grad, inference_mode, is_grad_enabled, no_grad, set_grad_enabled  # noqa: F401
from .ops.shape import stack
from .printing import format_tensor
from .tensor import Tensor


def _as_tuple(x, most=None):
    """x as a tuple of items; an iterable without a length (it may be endless) is read up to
    `most` + 1 items when given: one more than can match is enough for the count's error."""
    if x is None:
        return None
    if isinstance(x, Tensor):
        return (x,)
    if most is not None and not hasattr(x, "__len__"):
        return tuple(itertools.islice(x, most + 1))
    return read_items(x, "a sequence of tensors")


def backward(tensors, grad_tensors=None, retain_graph=None, create_graph=False,
             grad_variables=None, inputs=None):
    """Accumulate the gradients of `tensors` into the .grad of the graph's leaves."""
    tensors = _as_tuple(tensors)
    grads = _as_tuple(grad_tensors if grad_tensors is not None else grad_variables, len(tensors))
    if grads is None:
        grads = (None,) * len(tensors)
    if inputs is not None:
        inputs = _as_tuple(inputs)
        if len(inputs) == 0:
            raise RuntimeError("`inputs` argument to `backward()` cannot be empty.")
        for x in inputs:
            if not isinstance(x, Tensor):
                raise RuntimeError("all inputs have to be Tensors or GradientEdges, but got "
                                   + type(x).__name__)
    if create_graph:
        # located here, not at the caller: PyTorch's comes from inside torch, so Python's
        # "default" filter shows it once per process, not once per call site
        warnings.warn(errors.CREATE_GRAPH_WARNING + " ", UserWarning, stacklevel=1)
    engine.run(tensors, grads, retain_graph, create_graph, inputs=inputs, accumulate=True,
               allow_unused=True)


def tensor_backward(self, gradient=None, retain_graph=None, create_graph=False, inputs=None):
    """Compute the gradient of this tensor w.r.t. the graph leaves, adding it into their .grad."""
    if create_graph or inputs is not None:
        backward(self, gradient, retain_graph, create_graph, inputs=inputs)
    else:
        # A list or tuple is a sequence of gradients, as torch.autograd.backward reads it.
        one = gradient is None or type(gradient) is Tensor
        grads = (gradient,) if one else _as_tuple(gradient, 1)
        _run((self,), grads, retain_graph, False, None, True, True)


_run = engine.run


def grad(outputs, inputs, grad_outputs=None, retain_graph=None, create_graph=False,
         only_inputs=True, allow_unused=None, is_grads_batched=False, materialize_grads=False):
    """The gradients of outputs w.r.t. inputs, returned (not accumulated into .grad)."""
    outputs = _as_tuple(outputs)
    inputs_t = _as_tuple(inputs)
    if not inputs_t:
        raise RuntimeError("`inputs` argument to `grad()` cannot be empty.")
    for x in inputs_t:
        if not isinstance(x, Tensor):
            raise RuntimeError("all inputs have to be Tensors or GradientEdges, but got "
                               f"{type(x).__name__}")
    grads = _as_tuple(grad_outputs, len(outputs))
    if grads is None:
        grads = (None,) * len(outputs)
    if allow_unused is None:
        allow_unused = materialize_grads
    if is_grads_batched:
        # One backward per batch entry of the gradients, results stacked.
        per = [grad(outputs, inputs_t, tuple(g[i] for g in grads), True, create_graph,
                    allow_unused=allow_unused) for i in range(len(grads[0]))]
        return tuple(stack([p[k] for p in per]) for k in range(len(inputs_t)))
    res = engine.run(outputs, grads, retain_graph, create_graph, inputs=inputs_t,
                     accumulate=False, allow_unused=allow_unused)
    if materialize_grads:
        res = [zeros_like(x) if r is None else r for r, x in zip(res, inputs_t)]
    return tuple(res)


# ----- anomaly detection ----------------------------------------------------------------------
class detect_anomaly:
    """Context manager: name the node whose backward produced nan, with its forward trace."""

    def __init__(self, check_nan=True):
        self.check_nan = check_nan
        warnings.warn("Anomaly Detection has been enabled. This mode will increase the runtime and "
                      "should only be enabled for debugging.", UserWarning, stacklevel=2)

    def __enter__(self):
        s = grad_mode.state
        self._prev = (s.anomaly, s.anomaly_check_nan)
        s.anomaly, s.anomaly_check_nan = True, self.check_nan

    def __exit__(self, *exc):
        grad_mode.state.anomaly, grad_mode.state.anomaly_check_nan = self._prev
        return False


class set_detect_anomaly:
    """set_detect_anomaly(mode, check_nan=True): a call or a context manager."""

    def __init__(self, mode, check_nan=True):
        s = grad_mode.state
        self._prev = (s.anomaly, s.anomaly_check_nan)
        s.anomaly, s.anomaly_check_nan = bool(mode), check_nan

    def __enter__(self):
        pass

    def __exit__(self, *exc):
        grad_mode.state.anomaly, grad_mode.state.anomaly_check_nan = self._prev
        return False


def is_anomaly_enabled():
    """True inside detect_anomaly / set_detect_anomaly(True) (torch.is_anomaly_enabled)."""
    return grad_mode.state.anomaly


def is_anomaly_check_nan_enabled():
    return grad_mode.state.anomaly and grad_mode.state.anomaly_check_nan


# ----- custom Functions (custom_function.py) ---------------------------------------------------


# ----- gradcheck ----------------------------------------------------------------------------
class GradcheckError(RuntimeError):
    """A Jacobian from finite differences disagrees with the one from backward."""


GradcheckError.__module__ = "torch.autograd.gradcheck"


def _flat_outputs(out):
    return out if isinstance(out, tuple) else (out,)


def _numerical_jacobian(fn, inputs, i, eps):
    # Grad mode stays on: gradgradcheck's fn computes first derivatives with autograd.grad.
    d = inputs[i]._data
    outs0 = [o for o in _flat_outputs(fn(*inputs)) if isinstance(o, Tensor)]
    jac = [np.zeros((d.size, o._data.size)) for o in outs0]
    for k in range(d.size):
        pos = np.unravel_index(k, d.shape)
        orig = d[pos].item()
        d[pos] = orig - eps
        lo = [o._data.astype(np.float64).reshape(-1)
              for o in _flat_outputs(fn(*inputs)) if isinstance(o, Tensor)]
        d[pos] = orig + eps
        hi = [o._data.astype(np.float64).reshape(-1)
              for o in _flat_outputs(fn(*inputs)) if isinstance(o, Tensor)]
        d[pos] = orig
        for j in range(len(jac)):
            jac[j][k] = (hi[j] - lo[j]) / (2 * eps)
    return jac


def _analytical_jacobian(fn, inputs, i):
    outs = [o for o in _flat_outputs(fn(*inputs)) if isinstance(o, Tensor)]
    x = inputs[i]
    jacs = []
    for o in outs:
        jac = np.zeros((x._data.size, o._data.size))
        if o._requires_grad:
            for k in range(o._data.size):
                go = np.zeros(o._data.size, o._data.dtype)
                go[k] = 1
                g = grad(o, x, Tensor._make(go.reshape(o._data.shape)), retain_graph=True,
                         allow_unused=True)[0]
                if g is not None:
                    jac[:, k] = g._data.reshape(-1)
        jacs.append(jac)
    return jacs


def gradcheck(func, inputs, *, eps=1e-6, atol=1e-5, rtol=1e-3, raise_exception=True,
              nondet_tol=0.0, check_undefined_grad=True, check_grad_dtypes=False,
              check_batched_grad=False, fast_mode=False, masked=None):
    """Compare backward's Jacobian with central finite differences (use float64 inputs)."""
    inputs = _as_tuple(inputs)
    for i, x in enumerate(inputs):
        if isinstance(x, Tensor) and x._requires_grad and x._data.dtype != np.float64:
            warnings.warn(f"Input #{i} requires gradient and is not a double precision floating "
                          "point or complex. This check will likely fail if all the inputs are not "
                          "of double precision floating point or complex. ", UserWarning,
                          stacklevel=2)
    for i, x in enumerate(inputs):
        if not (isinstance(x, Tensor) and x._requires_grad):
            continue
        num = _numerical_jacobian(func, inputs, i, eps)
        ana = _analytical_jacobian(func, inputs, i)
        for j, (n, a) in enumerate(zip(num, ana)):
            if not np.allclose(a, n, rtol=rtol, atol=atol):
                if not raise_exception:
                    return False
                dt = from_numpy_dtype(x._data.dtype)
                raise GradcheckError(
                    f"Jacobian mismatch for output {j} with respect to input {i},\n"
                    f"numerical:{format_tensor(n.astype(dt.np), dt)}\n"
                    f"analytical:{format_tensor(a.astype(dt.np), dt)}\n")
    return True


def gradgradcheck(func, inputs, grad_outputs=None, *, eps=1e-6, atol=1e-5, rtol=1e-3,
                  gen_non_contig_grad_outputs=False, raise_exception=True, **kwargs):
    """gradcheck of the first derivatives: checks second derivatives by finite differences."""
    inputs = _as_tuple(inputs)
    outs = _flat_outputs(func(*inputs))
    if grad_outputs is None:
        rng = np.random.default_rng(0)
        grad_outputs = tuple(
            Tensor._make(rng.standard_normal(o._data.shape).astype(o._data.dtype))
            ._requires_grad_true() for o in outs)
    grad_outputs = _as_tuple(grad_outputs)
    n_in = len(inputs)
    diff_idx = [i for i, x in enumerate(inputs) if isinstance(x, Tensor) and x._requires_grad]

    def first_grads(*args):
        ins, gos = args[:n_in], args[n_in:]
        out = _flat_outputs(func(*ins))
        diff_ins = [ins[i] for i in diff_idx]
        gs = grad(out, diff_ins, gos, create_graph=True, allow_unused=True)
        return tuple(g for g in gs if g is not None)

    return gradcheck(first_grads, inputs + grad_outputs, eps=eps, atol=atol, rtol=rtol,
                     raise_exception=raise_exception)


def _requires_grad_true(self):
    self._requires_grad = True
    return self


Tensor._requires_grad_true = _requires_grad_true
