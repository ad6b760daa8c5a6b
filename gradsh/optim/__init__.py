"""torch.optim for gradsh (re-exports, each loaded on first use)."""

import importlib as _importlib

_WHERE = {
    "SGD": "gradsh.core.optim.sgd", "Adam": "gradsh.core.optim.adam",
    "AdamW": "gradsh.core.optim.adam", "RMSprop": "gradsh.core.optim.rmsprop",
    "Adagrad": "gradsh.core.optim.adagrad", "Optimizer": "gradsh.core.optim.optimizer",
}
_SUBMODULES = ("lr_scheduler", "optimizer")

_NAMES = sorted(_WHERE) + list(_SUBMODULES)


def __getattr__(name):
    if name in _WHERE:
        value = getattr(_importlib.import_module(_WHERE[name]), name)
    elif name in _SUBMODULES:
        value = _importlib.import_module(__name__ + "." + name)
    else:
        raise AttributeError(f"module 'torch.optim' has no attribute '{name}'")
    globals()[name] = value
    return value


def __dir__():
    return sorted(set(globals()) | set(_NAMES))
