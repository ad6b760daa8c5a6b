"""torch.nn.functional for gradsh."""

from ..core.nn_functional import *  # noqa: F401,F403
