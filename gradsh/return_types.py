"""torch.return_types for gradsh: the classes of the named-tuple results (`torch.return_types.max`,
`.sort`, `.topk`, `.linalg_slogdet`, ... and their `_out` forms), for isinstance checks and
printing (core/return_types.py)."""

from . import _api, linalg  # noqa: F401  (every op, so every result class, is declared)
from .core import return_types as _return_types


def __getattr__(name):
    if name.endswith("_out") and name[:-4] in _return_types.CLASSES:
        return _return_types.out_type(_return_types.CLASSES[name[:-4]])
    try:
        return _return_types.CLASSES[name]
    except KeyError:
        raise AttributeError("module 'torch.return_types' has no attribute '%s'" % name) \
            from None


def __dir__():
    names = sorted(_return_types.CLASSES)
    return names + [n + "_out" for n in names]
