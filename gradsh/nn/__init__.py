"""torch.nn for gradsh: modules, parameters, init and the functional interface (re-exports).

The module classes load on first use (PEP 562), so `import gradsh` stays as quick as before nn
existed; `torch.nn.Linear` reads the same either way.
"""

import importlib as _importlib

from . import functional  # noqa: F401

_HOME = {
    "gradsh.core.nn.activation": ("ELU", "GELU", "LeakyReLU", "LogSoftmax", "ReLU", "SiLU",
                                  "Sigmoid", "Softmax", "Softplus", "Tanh"),
    "gradsh.core.nn.container": ("ModuleDict", "ModuleList", "ParameterList", "Sequential"),
    "gradsh.core.nn.conv": ("Conv1d", "Conv2d"),
    "gradsh.core.nn.dropout": ("Dropout",),
    "gradsh.core.nn.flatten": ("Flatten", "Unflatten"),
    "gradsh.core.nn.linear": ("Bilinear", "Identity", "Linear"),
    "gradsh.core.nn.loss": ("BCELoss", "BCEWithLogitsLoss", "CrossEntropyLoss", "HuberLoss",
                            "KLDivLoss", "L1Loss", "MSELoss", "NLLLoss", "SmoothL1Loss"),
    "gradsh.core.nn.module": ("Module",),
    "gradsh.core.nn.normalization": ("BatchNorm1d", "LayerNorm"),
    "gradsh.core.nn.parameter": ("Parameter",),
    "gradsh.core.nn.sparse": ("Embedding",),
}
_WHERE = {name: module for module, names in _HOME.items() for name in names}
_SUBMODULES = ("init", "parameter")

_NAMES = sorted(_WHERE) + ["functional", "init", "parameter"]


def __getattr__(name):
    if name in _WHERE:
        value = getattr(_importlib.import_module(_WHERE[name]), name)
    elif name in _SUBMODULES:
        value = _importlib.import_module(__name__ + "." + name)
    else:
        raise AttributeError(f"module 'torch.nn' has no attribute '{name}'")
    globals()[name] = value
    return value


def __dir__():
    return sorted(set(globals()) | set(_NAMES))
