"""torch.utils for gradsh: only torch.utils.data (datasets, samplers, DataLoader)."""

from .._lazy import lazy_exports as _lazy_exports

_SUBMODULES = ("data",)

__getattr__, __dir__ = _lazy_exports(globals(), "torch.utils", {}, _SUBMODULES)
