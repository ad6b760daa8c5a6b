"""torch.nn.parameter for gradsh."""

from ..core.nn.parameter import (Buffer, Parameter, UninitializedBuffer,  # noqa: F401
                                 UninitializedParameter, is_lazy)
