"""torch.overrides: the public helpers of the `__torch_function__` protocol (core/overrides.py)."""

from .core.overrides import (get_default_nowrap_functions, handle_torch_function,  # noqa: F401
                             has_torch_function, has_torch_function_unary,
                             has_torch_function_variadic, is_tensor_like)

__all__ = ["get_default_nowrap_functions", "handle_torch_function", "has_torch_function",
           "has_torch_function_unary", "has_torch_function_variadic", "is_tensor_like"]
