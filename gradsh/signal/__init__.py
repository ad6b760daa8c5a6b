"""torch.signal for gradsh: torch.signal.windows."""

from .._lazy import lazy_exports as _lazy_exports

_SUBMODULES = ("windows",)

__getattr__, __dir__ = _lazy_exports(globals(), "torch.signal", {}, _SUBMODULES)
