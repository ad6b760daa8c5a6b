"""torch.nn.parameter for gradsh."""

from ..core.nn.parameter import Parameter  # noqa: F401
