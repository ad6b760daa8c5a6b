"""The torch.* functions: every op declared `function=True` (ops/registry.py), gathered by
gradsh/core/bindings.py; gradsh/_api.py re-exports this module's names as `torch.*`."""

from .bindings import TORCH_FUNCTIONS as _FUNCTIONS

globals().update(_FUNCTIONS)
__all__ = sorted(_FUNCTIONS)
