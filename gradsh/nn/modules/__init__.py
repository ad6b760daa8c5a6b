"""torch.nn.modules: the module classes (as torch.nn has them) and the `module` submodule with
the hooks on every module's calls."""

from ..._lazy import lazy_exports as _lazy_exports
from .. import _WHERE

__getattr__, __dir__ = _lazy_exports(globals(), "torch.nn.modules", _WHERE, ("module",))
