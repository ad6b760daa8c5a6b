"""torch.autograd: backward, grad, custom Functions, anomaly detection (gradcheck: gradcheck.py)."""

from .torchclass import TorchClass
import functools
import itertools
import warnings

import numpy as np

from . import engine, errors, grad_mode, settings
from .custom_function import (BackwardCFunction, Function, FunctionCtx,  # noqa: F401
                              once_differentiable)
from .dtypes import from_numpy_dtype, read_items
from .factories import zeros_like
from .node import GradientEdge
from .grad_mode import enable_grad, inference_mode, is_grad_enabled, no_grad, set_grad_enabled  # noqa: F401
from .ops.shape import stack
from .printing import format_tensor
from .tensor import TENSOR_TYPES, Tensor


def _as_tuple(x, most=None):
    """x as a tuple of items; an iterable without a length (it may be endless) is read up to
    `most` + 1 items when given: one more than can match is enough for the count's error."""
    if x is None:
        return None
    if isinstance(x, (Tensor, GradientEdge)):  # (an edge is a tuple: one input all the same)
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
            if not isinstance(x, (Tensor, GradientEdge)):
                raise RuntimeError("all inputs have to be Tensors or GradientEdges, but got "
                                   + type(x).__name__)
    if create_graph:
        # located here, not at the caller: PyTorch's comes from inside torch, so Python's
        # "default" filter shows it once per process, not once per call site
        warnings.warn(errors.CREATE_GRAPH_WARNING + errors.triggered_at(
            "torch/csrc/autograd/engine.cpp:1307"), UserWarning, stacklevel=1)
    engine.run(tensors, grads, retain_graph, create_graph, inputs=inputs, accumulate=True,
               allow_unused=True)


def tensor_backward(self, gradient=None, retain_graph=None, create_graph=False, inputs=None):
    """Compute the gradient of this tensor w.r.t. the graph leaves, adding it into their .grad."""
    if create_graph or inputs is not None:
        backward(self, gradient, retain_graph, create_graph, inputs=inputs)
    else:
        # A list or tuple is a sequence of gradients, as torch.autograd.backward reads it.
        one = gradient is None or type(gradient) in TENSOR_TYPES
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
        if not isinstance(x, (Tensor, GradientEdge)):
            raise RuntimeError("all inputs have to be Tensors or GradientEdges, but got "
                               f"{type(x).__name__}")
    grads = _as_tuple(grad_outputs, len(outputs))
    if grads is None:
        grads = (None,) * len(outputs)
    if materialize_grads and allow_unused is False:
        raise ValueError("Expected allow_unused to be True or not passed when "
                         "materialize_grads=True, but got: allow_unused=False.")
    if allow_unused is None:
        allow_unused = materialize_grads
    if is_grads_batched:
        _check_batched(outputs, grads)
        # One backward per batch entry of the gradients, results stacked.
        per = [grad(outputs, inputs_t, tuple(g[i] for g in grads), True, create_graph,
                    allow_unused=allow_unused) for i in range(len(grads[0]))]
        return tuple(stack([p[k] for p in per]) for k in range(len(inputs_t)))
    res = engine.run(outputs, grads, retain_graph, create_graph, inputs=inputs_t,
                     accumulate=False, allow_unused=allow_unused)
    if materialize_grads:
        res = [zeros_like(x) if r is None else r for r, x in zip(res, inputs_t)]
    return tuple(res)


BATCHED_SHAPE = (
    "If `is_grads_batched=True`, we interpret the first dimension of each grad_output as the "
    "batch dimension. The sizes of the remaining dimensions are expected to match the shape of "
    "corresponding output, but a mismatch was detected: grad_output[{}] has a shape of {} and "
    "output[{}] has a shape of {}. If you only want some tensors in `grad_output` to be "
    "considered batched, consider using vmap.")


def _check_batched(outputs, grads):
    """Each batched gradient's shape past its batch dim is its output's (PyTorch's check; its
    message quotes the shape past the first two dims, as PyTorch 2.13's does)."""
    for i, (t, g) in enumerate(zip(outputs, grads)):
        if not (isinstance(t, Tensor) and isinstance(g, Tensor)):
            continue
        if g.dim() == 0:
            raise IndexError("invalid index of a 0-dim tensor. Use `tensor.item()` in Python or "
                             "`tensor.item<T>()` in C++ to convert a 0-dim tensor to a number")
        if g.shape[1:] != t.shape:
            raise RuntimeError(BATCHED_SHAPE.format(i, g.shape[2:], i, t.shape))


# ----- anomaly detection ----------------------------------------------------------------------
class detect_anomaly(metaclass=TorchClass):
    """Context manager: name the node whose backward produced nan, with its forward trace."""

    def __init__(self, check_nan=True):
        self.check_nan = check_nan
        warnings.warn("Anomaly Detection has been enabled. This mode will increase the runtime and "
                      "should only be enabled for debugging.", UserWarning, stacklevel=2)

    def __enter__(self):
        if not isinstance(self.check_nan, bool):
            raise TypeError("set_anomaly_enabled(): argument 'check_nan' (position 2) must be "
                            "bool, not %s" % type(self.check_nan).__name__)
        s = grad_mode.state
        self._prev = (s.anomaly, s.anomaly_check_nan)
        s.anomaly, s.anomaly_check_nan = True, self.check_nan

    def __exit__(self, *exc):
        grad_mode.state.anomaly, grad_mode.state.anomaly_check_nan = self._prev
        return False

    def __repr__(self):
        return f"<torch.autograd.anomaly_mode.{type(self).__name__} object at {hex(id(self))}>"


class set_detect_anomaly(metaclass=TorchClass):
    """set_detect_anomaly(mode, check_nan=True): a call or a context manager."""

    def __init__(self, mode, check_nan=True):
        s = grad_mode.state
        self._prev = (s.anomaly, s.anomaly_check_nan)
        set_anomaly_enabled(mode, check_nan)

    def __enter__(self):
        pass

    def __exit__(self, *exc):
        grad_mode.state.anomaly, grad_mode.state.anomaly_check_nan = self._prev
        return False

    __repr__ = detect_anomaly.__repr__


def set_anomaly_enabled(enabled, check_nan=True):
    """torch.set_anomaly_enabled: switch anomaly mode on or off for the rest of the process."""
    for position, (name, value) in enumerate((("enabled", enabled), ("check_nan", check_nan))):
        if not isinstance(value, bool):  # PyTorch's argument check (a str would switch it on)
            raise TypeError("set_anomaly_enabled(): argument '%s' (position %d) must be bool, "
                            "not %s" % (name, position + 1, type(value).__name__))
    grad_mode.state.anomaly, grad_mode.state.anomaly_check_nan = enabled, check_nan


def is_anomaly_enabled():
    """True inside detect_anomaly / set_detect_anomaly(True) (torch.is_anomaly_enabled)."""
    return grad_mode.state.anomaly


def is_anomaly_check_nan_enabled():
    """The check_nan flag as last set (True in a fresh process, anomaly mode on or off)."""
    return grad_mode.state.anomaly_check_nan


# ----- custom Functions (custom_function.py) ---------------------------------------------------



# ----- torch.autograd.set_multithreading_enabled ------------------------------------------------
class set_multithreading_enabled(metaclass=TorchClass):
    """Whether backward may run on several threads (PyTorch's CPU engine runs on one either
    way, as gradsh's does): stored and read back by is_multithreading_enabled; a call, a
    context manager (restoring the previous setting) or a decorator, as PyTorch's."""

    def __init__(self, mode):
        if not isinstance(mode, bool):
            raise TypeError("set_multithreading_enabled(): argument 'enabled' (position 1) must "
                            f"be bool, not {type(mode).__name__}")
        self.mode = mode
        self._prev = settings._state["autograd_threads"]
        settings._state["autograd_threads"] = mode

    def __enter__(self):
        return None

    def __exit__(self, *exc):
        settings._state["autograd_threads"] = self._prev
        return False

    def __call__(self, fn):
        mode = self.mode

        @functools.wraps(fn)
        def wrapper(*args, **kwargs):
            with set_multithreading_enabled(mode):
                return fn(*args, **kwargs)
        return wrapper

    def __repr__(self):
        return f"<torch.autograd.grad_mode.set_multithreading_enabled object at {hex(id(self))}>"


def is_multithreading_enabled():
    return settings._state["autograd_threads"]
