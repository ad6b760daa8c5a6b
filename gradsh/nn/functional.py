"""torch.nn.functional for gradsh: the ops declared `nn=True` (gathered by core/bindings.py)."""

from ..core import function_names as _function_names
from ..core import library_errors as _library_errors
from ..core import keywords as _keywords
from ..core import number_slots as _number_slots
from ..core import overrides as _overrides
from ..core import bindings as _bindings
from ..core.bindings import NN_FUNCTIONAL as _FUNCTIONS

_bindings.load_all()  # the op modules loaded on first use declare most of F (core/ops_index.py)
globals().update(_FUNCTIONS)
_keywords.guard(globals(), "F")  # PyTorch's keyword names (core/keywords.py)
_number_slots.guard(globals(), "F")  # PyTorch's refusal of a tensor for a number
_overrides.wrap_functions(globals(), _FUNCTIONS)  # __torch_function__ (core/overrides.py)
_FUNCTIONS = {n: globals()[n] for n in _FUNCTIONS}
__all__ = sorted(_FUNCTIONS)
_library_errors.install(_FUNCTIONS)  # PyTorch's argument errors (core/library_errors.py)
_function_names.give(globals(), "F")  # PyTorch's __name__ (core/function_names.py)
