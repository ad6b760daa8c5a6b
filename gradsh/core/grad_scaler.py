"""torch.amp.GradScaler: dynamic loss scaling for mixed-precision training, as PyTorch 2.13's
(its algorithm, messages and state dict, observed; docs/nn.md "Automatic mixed precision").

scale(loss) multiplies by the scale (a float32 tensor, 2**16 to start); unscale_(optimizer)
multiplies each gradient in place by the float32 reciprocal of the scale and notes whether any
is inf or nan; step(optimizer) unscales if not done and steps only when all were finite;
update() backs the scale off (x backoff_factor) after a non-finite step, or grows it
(x growth_factor) after growth_interval finite ones. On a device without CUDA,
GradScaler("cuda") warns and disables itself: scale() returns its input, step() only steps."""

import math
import warnings

import numpy as np

from . import dtypes
from .errors import TorchAssertionError, TorchAttributeError
from .grad_mode import no_grad
from .tensor import Tensor
from .torchclass import TorchClass

_NOT_SCALED = ("This may indicate your script did not use scaler.scale(loss or outputs) earlier "
               "in the iteration.")
_READY, _UNSCALED, _STEPPED = 0, 1, 2


class GradScaler(metaclass=TorchClass):
    """torch.amp.GradScaler(device="cuda", init_scale=2.**16, growth_factor=2.0,
    backoff_factor=0.5, growth_interval=2000, enabled=True)."""

    def __init__(self, device="cuda", init_scale=2.0 ** 16, growth_factor=2.0,
                 backoff_factor=0.5, growth_interval=2000, enabled=True):
        self._device = device
        self._enabled = enabled
        if device == "cuda" and enabled:
            warnings.warn("torch.cuda.amp.GradScaler is enabled, but CUDA is not available.  "
                          "Disabling.", UserWarning, stacklevel=2)
            self._enabled = False
        if self._enabled:
            if not growth_factor > 1.0:
                raise TorchAssertionError("The growth factor must be > 1.0.")
            if not backoff_factor < 1.0:
                raise TorchAssertionError("The backoff factor must be < 1.0.")
            self._init_scale = init_scale
            self._scale = None
            self._growth_factor = growth_factor
            self._backoff_factor = backoff_factor
            self._growth_interval = growth_interval
            self._init_growth_tracker = 0
            self._growth_tracker = None
            self._per_optimizer = {}

    def __repr__(self):
        return "<torch.amp.grad_scaler.GradScaler object at %#x>" % id(self)

    def is_enabled(self):
        return self._enabled

    def _state(self, optimizer):
        return self._per_optimizer.setdefault(id(optimizer), {"stage": _READY, "found_inf": None})

    def _check_scale(self, funcname):
        if self._scale is None:
            raise TorchAssertionError(f"Attempted {funcname} but _scale is None.  " + _NOT_SCALED)

    def scale(self, outputs):
        """outputs (a tensor, or lists/tuples of them) multiplied by the scale."""
        if not self._enabled:
            return outputs
        if self._scale is None:
            self._scale = Tensor._make(np.array(self._init_scale, np.float32))
            self._growth_tracker = self._init_growth_tracker
        return self._scaled(outputs)

    def _scaled(self, value):
        if isinstance(value, Tensor):
            return value * self._scale
        if isinstance(value, (list, tuple)):
            out = [self._scaled(v) for v in value]
            return out if isinstance(value, list) else type(value)(out)
        raise ValueError("outputs must be a Tensor or an iterable of Tensors")

    def unscale_(self, optimizer):
        """Divide optimizer's gradients by the scale, in place (before clipping them)."""
        if not self._enabled:
            return
        self._check_scale("unscale_")
        state = self._state(optimizer)
        if state["stage"] is _UNSCALED:
            raise RuntimeError("unscale_() has already been called on this optimizer since the "
                               "last update().")
        if state["stage"] is _STEPPED:
            raise RuntimeError("unscale_() is being called after step().")
        inv = np.float32(1.0 / np.float64(self._scale._data))  # PyTorch: in double, then float
        found = False
        with no_grad():
            for group in optimizer.param_groups:
                for p in group["params"]:
                    g = p.grad
                    if g is None:
                        continue
                    if g.dtype is dtypes.float16:
                        raise ValueError("Attempting to unscale FP16 gradients.")
                    d = g._data
                    if not found and not np.isfinite(d.astype(np.float32)).all():
                        found = True
                    g.mul_(float(inv))
        state["found_inf"] = found
        state["stage"] = _UNSCALED

    def step(self, optimizer, *args, **kwargs):
        """optimizer.step(...) unless a gradient was inf or nan (unscaling first if needed)."""
        if not self._enabled:
            return optimizer.step(*args, **kwargs)
        if "closure" in kwargs:
            raise RuntimeError("Closure use is not currently supported if GradScaler is "
                               "enabled.")
        self._check_scale("step")
        state = self._state(optimizer)
        if state["stage"] is _STEPPED:
            raise RuntimeError("step() has already been called since the last update().")
        if state["stage"] is _READY:
            self.unscale_(optimizer)
        if state["found_inf"] is None:
            raise TorchAssertionError("No inf checks were recorded for this optimizer.")
        result = None if state["found_inf"] else optimizer.step(*args, **kwargs)
        state["stage"] = _STEPPED
        return result

    def update(self, new_scale=None):
        """The scale for the next iteration: new_scale if given, else backed off after a
        non-finite step or grown after growth_interval finite ones."""
        if not self._enabled:
            return
        self._check_scale("update")
        if new_scale is not None:
            # PyTorch fills the scale with a float and copies any other value in as a tensor,
            # after asserting its device, size and requires_grad (an int is its AttributeError
            # on `.device`; a float64 or integer tensor is copied, a 1-element 1-d one is
            # copy_'s broadcast error)
            if isinstance(new_scale, float):
                self._scale = Tensor._make(np.array(new_scale, np.float32))
            else:
                if not isinstance(new_scale, Tensor):
                    raise TorchAttributeError("'%s' object has no attribute 'device'"
                                              % type(new_scale).__name__)
                if new_scale.numel() != 1 or new_scale.requires_grad:
                    raise TorchAssertionError(
                        "new_scale should be a float or a 1-element torch.cuda.FloatTensor or "
                        "torch.FloatTensor with requires_grad=False.")
                with no_grad():
                    self._scale.copy_(new_scale)
        else:
            found = [s["found_inf"] for s in self._per_optimizer.values()
                     if s["found_inf"] is not None]
            if not found:
                raise TorchAssertionError("No inf checks were recorded prior to update.")
            scale = self._scale._data
            if any(found):
                scale = scale * np.float32(self._backoff_factor)
                self._growth_tracker = 0
            else:
                successful = self._growth_tracker + 1
                if successful == self._growth_interval:
                    grown = scale * np.float32(self._growth_factor)
                    if math.isfinite(grown):
                        scale = grown
                    self._growth_tracker = 0
                else:
                    self._growth_tracker = successful
            self._scale = Tensor._make(np.array(scale, np.float32))
        self._per_optimizer = {}

    def get_scale(self):
        """The scale as a Python float (1.0 when disabled)."""
        if not self._enabled:
            return 1.0
        return float(self._init_scale) if self._scale is None else float(self._scale._data)

    def get_growth_factor(self):
        return self._growth_factor

    def set_growth_factor(self, new_factor):
        self._growth_factor = new_factor

    def get_backoff_factor(self):
        return self._backoff_factor

    def set_backoff_factor(self, new_factor):
        self._backoff_factor = new_factor

    def get_growth_interval(self):
        return self._growth_interval

    def set_growth_interval(self, new_interval):
        self._growth_interval = new_interval

    def _get_growth_tracker(self):
        if not self._enabled:
            return 0
        return self._init_growth_tracker if self._growth_tracker is None else \
            self._growth_tracker

    def state_dict(self):
        """PyTorch's keys: scale, growth_factor, backoff_factor, growth_interval,
        _growth_tracker ({} when disabled)."""
        if not self._enabled:
            return {}
        return {"scale": self.get_scale(), "growth_factor": self._growth_factor,
                "backoff_factor": self._backoff_factor,
                "growth_interval": self._growth_interval,
                "_growth_tracker": self._get_growth_tracker()}

    def load_state_dict(self, state_dict):
        if not self._enabled:
            return
        if len(state_dict) == 0:
            raise RuntimeError("The source state dict is empty, possibly because it was saved "
                               "from a disabled instance of GradScaler.")
        self._init_scale = state_dict["scale"]
        if self._scale is not None:
            self._scale = Tensor._make(np.array(state_dict["scale"], np.float32))
        self._growth_factor = state_dict["growth_factor"]
        self._backoff_factor = state_dict["backoff_factor"]
        self._growth_interval = state_dict["growth_interval"]
        self._init_growth_tracker = state_dict["_growth_tracker"]
        if self._growth_tracker is not None:
            self._growth_tracker = state_dict["_growth_tracker"]


def _deprecated_scaler(device):
    """torch.cuda.amp.GradScaler / torch.cpu.amp.GradScaler: deprecated for
    GradScaler(device), with PyTorch's FutureWarning."""

    class deprecated(GradScaler):
        def __init__(self, init_scale=2.0 ** 16, growth_factor=2.0, backoff_factor=0.5,
                     growth_interval=2000, enabled=True):
            warnings.warn(f"`torch.{device}.amp.GradScaler(args...)` is deprecated. Please use "
                          f"`torch.amp.GradScaler('{device}', args...)` instead.", FutureWarning,
                          stacklevel=2)
            super().__init__(device, init_scale, growth_factor, backoff_factor,
                             growth_interval, enabled)

    deprecated.__name__ = "GradScaler"
    deprecated.__qualname__ = device.capitalize() + "GradScaler"  # (prints as PyTorch's)
    return deprecated


CudaGradScaler = _deprecated_scaler("cuda")
CpuGradScaler = _deprecated_scaler("cpu")
