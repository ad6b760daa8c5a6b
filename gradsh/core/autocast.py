"""torch.autocast on the CPU: inside the region, PyTorch's lower-precision ops (matmul, linear,
convolutions...) cast their float32 inputs to the region's dtype (bfloat16 by default) and
compute there, and its float32 ops (the losses, prod, cdist...) cast lower-precision inputs
up to float32; every other op runs on its inputs' dtypes. The lists are PyTorch 2.13's CPU
lists, as observed (docs/nn.md "Automatic mixed precision").

An op takes part with two lines at its start, `if autocast.on: a, b = autocast.lower(a, b)`
(or `widen`): a module global read, nothing more, when no region is open. PyTorch's cast
cache (a weight cast once per region) is not kept: each use casts again, the same values.

CUDA has no device here: a region for "cuda" warns and disables itself, as PyTorch does on a
machine without CUDA."""

import contextlib
import functools
import warnings

from . import dtypes
from .tensor import Tensor
from .torchclass import TorchClass

# is a CPU region open and enabled (the ops' test)
on = False

# per device: [enabled, dtype] (PyTorch's defaults: CPU bfloat16, CUDA float16)
_STATE = {"cpu": [False, dtypes.bfloat16], "cuda": [False, dtypes.float16]}
_NESTING = [0]

# the device types PyTorch's device string parser knows, in its message's order
_DEVICE_TYPES = ("cpu, cuda, ipu, xpu, mkldnn, opengl, opencl, ideep, hip, ve, fpga, maia, xla, "
                 "lazy, vulkan, mps, meta, hpu, mtia, privateuseone")


def _refresh():
    global on
    on = _STATE["cpu"][0]


def _cast(t, to, eligible):
    if type(t) is Tensor or isinstance(t, Tensor):
        d = t.dtype
        if d is not to and d in eligible:
            return t.to(to)
    return t


def lower(*tensors):
    """The tensors an op of PyTorch's lower-precision list computes on: each float32 or
    float16 one cast to the region's dtype (float64 and the others as they are)."""
    to = _STATE["cpu"][1]
    eligible = (dtypes.float32, dtypes.float16, dtypes.bfloat16)
    out = tuple(_cast(t, to, eligible) for t in tensors)
    return out if len(out) != 1 else out[0]


def widen(*tensors):
    """The tensors an op of PyTorch's float32 list computes on: float16/bfloat16 ones cast to
    float32."""
    eligible = (dtypes.float16, dtypes.bfloat16)
    out = tuple(_cast(t, dtypes.float32, eligible) for t in tensors)
    return out if len(out) != 1 else out[0]


def _device_type_of(device_type, who="autocast"):
    if not isinstance(device_type, str):
        raise ValueError(f"Expected `device_type` of type `str`, got: `{type(device_type)}`")
    kind = device_type.split(":")[0]
    if kind not in _DEVICE_TYPES.split(", "):
        raise RuntimeError(f"Expected one of {_DEVICE_TYPES} device type at start of device "
                           f"string: {device_type}")
    return kind


def _state_of(device_type, who):
    kind = _device_type_of(device_type)
    if kind not in _STATE:
        raise RuntimeError(f"{who}(): unsupported device type {kind}")
    return _STATE[kind]


def is_autocast_enabled(device_type=None):
    """torch.is_autocast_enabled(): CUDA's region without a device type, as PyTorch."""
    return _state_of("cuda" if device_type is None else device_type,
                     "is_autocast_enabled")[0]


def set_autocast_enabled(device_type, enabled):
    _state_of(device_type, "set_autocast_enabled")[0] = bool(enabled)
    _refresh()


def get_autocast_dtype(device_type):
    return _state_of(device_type, "get_autocast_dtype")[1]


def set_autocast_dtype(device_type, dtype):
    _state_of(device_type, "set_autocast_dtype")[1] = dtype


def _deprecated(old, new):
    warnings.warn(f"torch.{old}() is deprecated. Please use torch.{new} instead.",
                  DeprecationWarning, stacklevel=3)


def is_autocast_cpu_enabled():
    _deprecated("is_autocast_cpu_enabled", "is_autocast_enabled('cpu')")
    return _STATE["cpu"][0]


def get_autocast_cpu_dtype():
    _deprecated("get_autocast_cpu_dtype", "get_autocast_dtype('cpu')")
    return _STATE["cpu"][1]


def autocast_increment_nesting():
    _NESTING[0] += 1
    return _NESTING[0]


def autocast_decrement_nesting():
    _NESTING[0] -= 1
    return _NESTING[0]


def is_autocast_available(device_type):
    """torch.amp.is_autocast_available: True for the device types PyTorch has autocast for."""
    return _device_type_of(device_type) in ("cpu", "cuda", "xpu", "mps", "hpu", "xla", "mtia",
                                            "privateuseone", "ipu")


class autocast(metaclass=TorchClass):
    """torch.autocast(device_type, dtype=None, enabled=True, cache_enabled=None): a context
    manager (and decorator) that runs its region in mixed precision."""

    def __init__(self, device_type, dtype=None, enabled=True, cache_enabled=None):
        kind = _device_type_of(device_type)
        if not isinstance(enabled, bool):
            raise ValueError(f"Expected `enabled` of type `bool`, got: `{type(enabled)}`")
        self.device = kind
        self.fast_dtype = _STATE[kind][1] if kind in _STATE else dtypes.float16
        if dtype is not None:
            self.fast_dtype = dtype
        self._cache_enabled = True if cache_enabled is None else cache_enabled
        if kind == "cpu" and enabled and self.fast_dtype not in (dtypes.bfloat16, dtypes.float16):
            warnings.warn("In CPU autocast, but the target dtype is not supported. Disabling "
                          "autocast.\nCPU Autocast only supports dtypes of torch.bfloat16, "
                          "torch.float16 currently.", UserWarning, stacklevel=2)
            enabled = False
        elif kind == "cuda" and enabled:
            warnings.warn("CUDA is not available or torch_xla is imported. Disabling autocast.",
                          UserWarning, stacklevel=2)
            enabled = False
        elif kind not in _STATE and enabled:
            raise RuntimeError(f"User specified an unsupported autocast device_type '{kind}'")
        self._enabled = enabled

    def __enter__(self):
        state = _STATE.get(self.device, [False, self.fast_dtype])
        self._prev = list(state)
        if self.device in _STATE:
            state[0] = self._enabled
            if self._enabled:
                state[1] = self.fast_dtype
        autocast_increment_nesting()
        _refresh()
        return self

    def __exit__(self, exc_type, exc_value, traceback):
        autocast_decrement_nesting()
        if self.device in _STATE:
            _STATE[self.device][:] = self._prev
        _refresh()
        return False

    def __call__(self, func):
        @functools.wraps(func)
        def decorated(*args, **kwargs):
            with autocast(self.device, self.fast_dtype, self._enabled, self._cache_enabled):
                return func(*args, **kwargs)
        return decorated


@contextlib.contextmanager
def region_off():
    """The CPU region switched off for a while: an op of the float32 list that gradsh composes
    of others (cholesky_inverse's matmul) computes them all in float32, as PyTorch's one
    kernel does."""
    state = _STATE["cpu"]
    was = state[0]
    state[0] = False
    _refresh()
    try:
        yield
    finally:
        state[0] = was
        _refresh()


def _deprecated_autocast(device):
    """torch.cuda.amp.autocast: the device's autocast, with PyTorch's FutureWarning."""

    class deprecated(autocast):
        def __init__(self, enabled=True, dtype=None, cache_enabled=True):
            warnings.warn(f"`torch.{device}.amp.autocast(args...)` is deprecated. Please use "
                          f"`torch.amp.autocast('{device}', args...)` instead.", FutureWarning,
                          stacklevel=2)
            default = dtypes.float16 if device == "cuda" else dtypes.bfloat16
            super().__init__(device, dtype=default if dtype is None else dtype,
                             enabled=enabled, cache_enabled=cache_enabled)

    deprecated.__name__ = "autocast"
    deprecated.__qualname__ = device + "_autocast"  # (prints as PyTorch's: torchclass.py)
    return deprecated


cuda_autocast = _deprecated_autocast("cuda")
cpu_autocast = _deprecated_autocast("cpu")


def _cast_floating(value, dtype):
    """custom_fwd's cast_inputs: every floating tensor but float64 in value (through lists,
    tuples and dicts) to dtype."""
    if isinstance(value, Tensor):
        floating = value.is_floating_point() and value.dtype is not dtypes.float64
        return value.to(dtype) if floating else value
    if isinstance(value, dict):
        return {k: _cast_floating(v, dtype) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return type(value)(_cast_floating(v, dtype) for v in value)
    return value


def _check_device_type(device_type):
    if not isinstance(device_type, str):
        raise ValueError(f"Expected `device_type` of type `str`, got: `{type(device_type)}`")


def custom_fwd(fwd=None, *, device_type, cast_inputs=None):
    """torch.amp.custom_fwd: a custom Function's forward(ctx, ...) decorator. Without
    cast_inputs the forward runs in the region as it is; with it, inside an enabled region the
    floating inputs are cast to cast_inputs and the forward runs with autocast off. ctx keeps
    whether the forward ran under autocast, and the dtype, for custom_bwd."""
    _check_device_type(device_type)
    if fwd is None:
        return functools.partial(custom_fwd, device_type=device_type, cast_inputs=cast_inputs)

    @functools.wraps(fwd)
    def decorate_fwd(*args, **kwargs):
        ctx = args[0]
        ctx._dtype = get_autocast_dtype(device_type)
        if cast_inputs is None:
            ctx._fwd_used_autocast = is_autocast_enabled(device_type)
            return fwd(*args, **kwargs)
        autocast_context = is_autocast_enabled(device_type)
        ctx._fwd_used_autocast = False
        if not autocast_context:
            return fwd(*args, **kwargs)
        with autocast(device_type=device_type, enabled=False):
            return fwd(*_cast_floating(args, cast_inputs), **_cast_floating(kwargs, cast_inputs))
    return decorate_fwd


def custom_bwd(bwd=None, *, device_type):
    """torch.amp.custom_bwd: a custom Function's backward(ctx, ...) decorator: the backward runs
    with the autocast state its forward (under custom_fwd) ran with."""
    _check_device_type(device_type)
    if bwd is None:
        return functools.partial(custom_bwd, device_type=device_type)

    @functools.wraps(bwd)
    def decorate_bwd(*args, **kwargs):
        ctx = args[0]
        with autocast(device_type=device_type, enabled=ctx._fwd_used_autocast, dtype=ctx._dtype):
            return bwd(*args, **kwargs)
    return decorate_bwd
