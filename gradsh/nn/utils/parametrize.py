"""torch.nn.utils.parametrize for gradsh (re-exports)."""

from ...core.nn.parametrize import *  # noqa: F401,F403
from ...core.nn.parametrize import __all__  # noqa: F401
