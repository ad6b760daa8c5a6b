"""torch.utils.checkpoint for gradsh (re-exports gradsh.core.checkpoint)."""

from ..core.checkpoint import *  # noqa: F401,F403
from ..core.checkpoint import __all__  # noqa: F401
