"""torch.autograd.function: custom Functions and their context."""

from ..core.custom_function import (BackwardCFunction, Function, FunctionCtx,  # noqa: F401
                                    once_differentiable)
