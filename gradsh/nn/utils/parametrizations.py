"""torch.nn.utils.parametrizations for gradsh (re-exports)."""

from ...core.nn.parametrizations import *  # noqa: F401,F403
from ...core.nn.parametrizations import __all__  # noqa: F401
