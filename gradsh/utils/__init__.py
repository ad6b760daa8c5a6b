"""torch.utils for gradsh: torch.utils.data (datasets, samplers, DataLoader) and
torch.utils.checkpoint."""

from .._lazy import lazy_exports as _lazy_exports

_SUBMODULES = ("data", "checkpoint")

__getattr__, __dir__ = _lazy_exports(globals(), "torch.utils", {}, _SUBMODULES)
