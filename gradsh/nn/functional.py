"""torch.nn.functional for gradsh: the ops declared `nn=True` (gathered by core/bindings.py)."""

from ..core.bindings import NN_FUNCTIONAL as _FUNCTIONS

globals().update(_FUNCTIONS)
__all__ = sorted(_FUNCTIONS)
