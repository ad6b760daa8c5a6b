"""torch.nn.functional for gradsh: the ops declared `nn=True` (gathered by core/bindings.py)."""

from ..core import library_errors as _library_errors
from ..core.bindings import NN_FUNCTIONAL as _FUNCTIONS

globals().update(_FUNCTIONS)
__all__ = sorted(_FUNCTIONS)
_library_errors.install(_FUNCTIONS)  # PyTorch's argument errors (core/library_errors.py)
