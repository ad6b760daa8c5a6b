"""torch.nn.utils.prune for gradsh (re-exports)."""

from ...core.nn.prune import *  # noqa: F401,F403
from ...core.nn.prune import __all__  # noqa: F401
