"""torch.nn.init for gradsh."""

from ..core.nn.init import *  # noqa: F401,F403
from ..core.nn.init import _calculate_fan_in_and_fan_out  # noqa: F401
