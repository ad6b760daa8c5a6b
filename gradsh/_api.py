"""The torch-like namespace of `gradsh` (loaded by gradsh/__init__.py on first use).

The names here follow PyTorch's `torch` namespace; the implementation lives in gradsh.core.
"""

import math as _math

from .core import dtypes as _dtypes
from .core.dtypes import (Size, bfloat16, bool_ as bool, dtype, double, finfo, float16,  # noqa: F401
                          float32, float64, half, iinfo, int8, int16, int32, int64, long, short,
                          uint8, uint16, uint32, uint64)
from .core.dtypes import float as float  # noqa: F401
from .core.dtypes import (cdouble, cfloat, chalf, complex32, complex64, complex128)  # noqa: F401
from .core.dtypes import get_default_dtype, set_default_dtype  # noqa: F401
from .core.dtypes import int as int  # noqa: F401
from .core.tensor import Tensor  # noqa: F401
from .core.torch_class_names import NAMES as _TORCH_CLASS_NAMES
from .core.layout import (channels_last, channels_last_3d, contiguous_format,  # noqa: F401
                          layout, memory_format, preserve_format, sparse_coo, strided)
from .core.device import device, get_default_device, set_default_device  # noqa: F401
from .core.grad_mode import (enable_grad, inference_mode, is_grad_enabled,  # noqa: F401
                             is_inference_mode_enabled, no_grad,
                             set_grad_enabled)
from .core.autograd import (is_anomaly_check_nan_enabled, is_anomaly_enabled,  # noqa: F401
                            set_anomaly_enabled)
from .core.factories import (arange, as_tensor, empty, empty_like, empty_permuted, eye,  # noqa: F401
                             from_numpy, full, full_like, linspace, logspace, normal, ones,
                             ones_like, rand, rand_like, randint, randint_like, randn, randn_like,
                             randperm, tensor, zeros, zeros_like)
from .core.factories import torch_range as range  # noqa: F401,A001 - torch.range (deprecated)
from .core.factories import torch_scalar_tensor as scalar_tensor  # noqa: F401
from .core.printing import get_printoptions, set_printoptions  # noqa: F401
from .core.storage import TypedStorage, UntypedStorage  # noqa: F401
from .core.torch_functions import *  # noqa: F401,F403
from .core.torch_functions import __all__ as _TORCH_FUNCTION_NAMES
from .core import overrides as _overrides
from .core.random_api import (Generator, get_rng_state, initial_seed, manual_seed,  # noqa: F401
                              seed, set_rng_state)
from .core.autocast import (autocast, autocast_decrement_nesting,  # noqa: F401
                            autocast_increment_nesting, get_autocast_cpu_dtype,
                            get_autocast_dtype, is_autocast_cpu_enabled, is_autocast_enabled,
                            set_autocast_dtype, set_autocast_enabled)
from .core.promotion import (broadcast_shapes, can_cast, promote_types,  # noqa: F401
                             result_type)
from . import _LAZY_NAMES, _SUBMODULES  # noqa: E402
from .core import library_errors as _library_errors  # noqa: E402
from .core import keywords as _keywords  # noqa: E402
from .core import function_names as _function_names  # noqa: E402
from .core import number_slots as _number_slots  # noqa: E402
from ._lazy import lazy_exports as _lazy_exports  # noqa: E402
from .core import bindings as _bindings  # noqa: E402
from .core import ops_index as _ops_index  # noqa: E402

# torch.nn, torch.autograd, ... load on first use: the pipe path's start-up needs none of them
_lazy_getattr, _lazy_dir = _lazy_exports(globals(), "gradsh", _LAZY_NAMES, _SUBMODULES,
                                         package="gradsh")


def __getattr__(name):
    # the op functions get their layers when first read (_layered), and the op modules' torch.*
    # functions load on first use too (core/ops_index.py)
    fn = _UNLAYERED.pop(name, None)
    if fn is not None:
        return _layer({name: fn})[name]
    if name in _ops_index.FUNCTIONS:
        return _first_use(name)
    return _lazy_getattr(name)


def __dir__():
    return sorted(set(_lazy_dir()) | set(_ops_index.FUNCTIONS) | set(_UNLAYERED))

# torch's constants (torch.pi, torch.inf, x[:, torch.newaxis])
pi = 3.141592653589793
e = 2.718281828459045
inf = _math.inf  # (`float` here is torch.float)
nan = _math.nan
newaxis = None

# the legacy tensor types (torch.FloatTensor...) and torch's process-wide switches
from .core.ops.legacy_types import LEGACY_TYPES as _LEGACY_TYPES  # noqa: E402
from .core.ops.legacy_types import set_default_tensor_type  # noqa: E402,F401
from .core.settings import *  # noqa: E402,F401,F403
globals().update(_LEGACY_TYPES)


def is_tensor(obj):
    """True if obj is a gradsh tensor."""
    return isinstance(obj, Tensor)


def is_floating_point(input):
    return input.is_floating_point()


def numel(input):
    return input.numel()


def typename(obj):
    """'torch.FloatTensor' for a tensor (its legacy type name); for a class, its own name, for
    anything else its class's name, each as PyTorch names the class gradsh offers under the
    same path ('torch.nn.parameter.Parameter', 'torch.nn.modules.linear.Linear')."""
    if isinstance(obj, Tensor):
        return obj.type()
    cls = obj if isinstance(obj, type) else type(obj)
    if cls.__module__ in ("builtins", "__builtin__", None):
        return cls.__qualname__
    own = cls.__module__ + "." + cls.__qualname__
    return _TORCH_CLASS_NAMES.get(own, own)


def is_inference(input):
    """input.is_inference(): made in inference mode (or a view of such a tensor)."""
    return input.is_inference()


def get_device(input):
    """-1: a tensor on the CPU (the device index of a CUDA tensor in PyTorch)."""
    return input.get_device()


def is_storage(obj):
    """True for what Tensor.untyped_storage() and Tensor.storage() give."""
    return isinstance(obj, (UntypedStorage, TypedStorage))




def _first_use(name):
    """torch.name of a first-use op module: the module loaded, and its functions (and those of
    any module it imported) given the layers below the others got at import, in that order."""
    _bindings.load(_ops_index.FUNCTIONS[name])
    here = globals()
    return _layer({n: _bindings.TORCH_FUNCTIONS[n] for n in _ops_index.FUNCTIONS
                   if n in _bindings.TORCH_FUNCTIONS and n not in here})[name]


def _layer(new):
    """{name: torch.* function} given the layers below, in their order, as the module's own names
    got them at import, and put into the module; returns the module's globals."""
    here = globals()
    _keywords.guard(new, "torch")
    _number_slots.guard(new, "torch")
    here.update(new)
    _overrides.wrap_functions(here, list(new))
    new = {n: here[n] for n in new}
    _library_errors.install(_library_errors.public_functions(new))
    _function_names.give(new, "torch")
    here.update(new)
    return here


def _layer_all():
    """Every op function not yet read given its layers (a dispatching Tensor subclass's
    `func` and the nn layers' public versions need them all: core/overrides.py)."""
    if _UNLAYERED:
        new = dict(_UNLAYERED)
        _UNLAYERED.clear()
        _layer(new)


# The op functions (core/torch_functions.py) that are this module's names get the layers below
# when first read (__getattr__): a .grad program names a few of some 450, and layering all of
# them cost about 64 million instructions of the pipe's start-up (docs/speed.md, the nineteenth
# pass). A dispatching Tensor subclass layers them all (_layer_all).
_UNLAYERED = {n: globals().pop(n) for n in _TORCH_FUNCTION_NAMES
              if globals().get(n) is _bindings.TORCH_FUNCTIONS.get(n)}
_LAYERED_ON_READ = frozenset(_UNLAYERED)  # (a session's builtins resolve them when named too)
_overrides.FIRST_DISPATCH.append(_layer_all)
# PyTorch's keyword names where an op's own differ (core/keywords.py), PyTorch's refusal of a
# tensor in a number slot (core/number_slots.py), then its argument
# errors for a Python program's calls (core/library_errors.py)
_keywords.guard(globals(), "torch")
_keywords.guard(vars(Tensor), "Tensor", lambda name, fn: setattr(Tensor, name, fn))
_number_slots.guard(globals(), "torch")
_number_slots.guard(vars(Tensor), "Tensor", lambda name, fn: setattr(Tensor, name, fn))
# __torch_function__'s dispatch, outermost: a handler's `func` is the public torch.name
# (the names read later are listed too: the first listing of a function names its public
# version for the nn layers, core/overrides.py, whatever order the names are read in)
_overrides.wrap_functions(globals(), _TORCH_FUNCTION_NAMES)
_library_errors.install(_library_errors.public_functions(globals()))
_library_errors.install(_library_errors.public_functions(vars(Tensor)))
_overrides.METHODS_SWAPPED.append(  # (the methods' dispatching wrappers: core/overrides.py)
    lambda: _library_errors.install(_library_errors.public_functions(vars(Tensor))))
# PyTorch's __name__ where gradsh's function is named otherwise (core/function_names.py)
_function_names.give(globals(), "torch")
_function_names.give(vars(Tensor), "Tensor", lambda name, fn: setattr(Tensor, name, fn))
