"""Grad mode: whether operations record history. Nestable; context managers and decorators."""

from .torchclass import TorchClass

import functools
import inspect


class _State:
    # enabled: whether ops record; shown: what is_grad_enabled() says when that differs (grad
    # mode turned on inside inference mode, where nothing records: PyTorch's rule)
    __slots__ = ("enabled", "anomaly", "anomaly_check_nan", "inference", "shown")

    def __init__(self):
        self.enabled = True
        self.anomaly = False
        self.anomaly_check_nan = True
        self.inference = False
        self.shown = None


state = _State()


class InferenceVersion(list):
    """The version counter of an inference tensor (one made in inference mode): its type is the
    mark, so ordinary tensors carry no extra field and their ops test nothing."""

    __slots__ = ()


# Called with True/False when inference mode starts/ends (tensor.py: how new tensors are made).
on_inference_switch = []


def is_inference_mode_enabled():
    """True inside torch.inference_mode()."""
    return state.inference


def _set_inference(flag):
    if flag != state.inference:
        state.inference = flag
        for fn in on_inference_switch:
            fn(flag)


def is_grad_enabled():
    """Grad mode: True when operations on tensors that require grad record a graph (or would,
    outside inference mode)."""
    return state.enabled if state.shown is None else state.shown


def _switch(mode):
    """Set grad mode to `mode`; the previous state, for _restore."""
    prev = state.enabled, state.shown
    state.enabled = mode and not state.inference
    state.shown = mode if state.inference else None
    return prev


def _restore(prev):
    state.enabled, state.shown = prev


def decorate(fn, mode):
    """`fn` run inside a fresh `mode()` context. A generator function's body runs inside one at
    each step, the caller's mode holding between steps (PyTorch's decorators do the same)."""
    if inspect.isgeneratorfunction(fn):
        @functools.wraps(fn)
        def generator(*args, **kwargs):
            gen = fn(*args, **kwargs)
            try:
                with mode():
                    response = gen.send(None)
                while True:
                    try:
                        request = yield response
                    except GeneratorExit:
                        with mode():
                            gen.close()
                        raise
                    except BaseException as error:
                        with mode():
                            response = gen.throw(error)
                    else:
                        with mode():
                            response = gen.send(request)
            except StopIteration as stop:
                return stop.value
        return generator

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        with mode():
            return fn(*args, **kwargs)
    return wrapper


class _Mode(metaclass=TorchClass):
    """Base of the grad-mode switches: a context manager that is also a decorator."""

    _target = True

    def __enter__(self):
        self._prev = _switch(self._target)

    def __exit__(self, *exc):
        _restore(self._prev)
        return False

    def __call__(self, fn):
        return decorate(fn, self.__class__)

    def clone(self):
        return self.__class__()

    def __repr__(self):
        return f"<torch.autograd.grad_mode.{type(self).__name__} object at {hex(id(self))}>"


class _NoParamMode(_Mode):
    """A switch that also decorates without parentheses (`@torch.no_grad`), as PyTorch's do."""

    def __new__(cls, orig_func=None):
        if orig_func is None:
            return super().__new__(cls)
        return cls()(orig_func)


class no_grad(_NoParamMode):
    """Disable gradient recording inside a `with` block or a decorated function."""

    _target = False


class enable_grad(_NoParamMode):
    """Enable gradient recording inside a `with` block (e.g. within no_grad)."""

    _target = True


class inference_mode(_Mode):
    """no_grad, and every tensor made inside is an inference tensor: it can never be saved for
    backward, updated in place outside inference mode, or made to require grad (PyTorch's errors).
    inference_mode(False) turns it off (and grad mode on) inside an inference_mode block."""

    def __new__(cls, mode=True):
        if callable(mode) and not isinstance(mode, bool):   # bare @torch.inference_mode
            return cls()(mode)
        return super().__new__(cls)

    def __init__(self, mode=True):
        self.mode = mode

    def __enter__(self):
        self._prev = state.enabled, state.shown, state.inference
        state.enabled, state.shown = not self.mode, None
        _set_inference(bool(self.mode))

    def __exit__(self, *exc):
        state.enabled, state.shown = self._prev[:2]
        _set_inference(self._prev[2])
        return False

    def __call__(self, fn):
        mode = self.mode
        return decorate(fn, lambda: inference_mode(mode))

    def clone(self):
        return inference_mode(self.mode)


class set_grad_enabled(_Mode):
    """set_grad_enabled(mode): switch recording on or off; usable as a call, a context manager
    or a decorator."""

    def __init__(self, mode):
        if not isinstance(mode, bool):
            raise TypeError("set_grad_enabled(): argument 'enabled' (position 1) must be bool, "
                            f"not {type(mode).__name__}")
        self._target = mode
        self._prev = _switch(mode)

    def __enter__(self):
        pass

    def __exit__(self, *exc):
        _restore(self._prev)
        return False

    def __call__(self, fn):
        _restore(self._prev)
        mode = self._target
        return decorate(fn, lambda: set_grad_enabled(mode))

    def clone(self):
        return set_grad_enabled(self._target)

    def __repr__(self):
        return f"torch.autograd.grad_mode.set_grad_enabled(mode={self._target})"
