"""torch.nn.utils.fusion for gradsh (re-exports)."""

from ...core.nn.fusion import *  # noqa: F401,F403
from ...core.nn.fusion import __all__  # noqa: F401
