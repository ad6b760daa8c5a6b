"""gradsh: PyTorch's autograd on numpy. `import gradsh as torch` runs torch programs.

Importing the package costs nothing: the torch-like API (gradsh/_api.py, which imports numpy and
the core) loads on the first attribute asked for, so the REPL can show its prompt first.
"""

import importlib
import sys as _sys

from . import _machine

_machine.pin_numpy_kernels()  # before numpy loads: the same digits on every machine

from . import module_paths as _module_paths  # noqa: E402

_module_paths.install()  # torch.nn.modules.loss and PyTorch's other longer paths (issue #15)

__version__ = "0.1.0"
# the PyTorch release whose behaviour gradsh reproduces: what a .grad program's
# `torch.__version__` gives (a CPU build's tag, as PyTorch's CPU wheel prints it)
PYTORCH_VERSION = "2.13.0+cpu"

# the torch sub-packages, imported on first use (gradsh/_api.py); a program's builtins name
# them without importing them (gradsh/lang/runtime/namespaces.py reads this list)
_SUBMODULES = ("accelerator", "amp", "autograd", "backends", "compiler", "cpu", "cuda", "distributions", "fft", "func", "functional",
               "jit", "linalg", "mps", "mtia", "nn", "optim", "overrides", "profiler", "random", "return_types", "serialization", "signal", "sparse", "special",
               "testing", "utils", "version", "xpu")
# names defined in a sub-package, loaded on first use too (and listed without loading)
_LAZY_NAMES = {"vmap": "gradsh.func", "compile": "gradsh.compiler", "save": "gradsh.serialization",
               "load": "gradsh.serialization", "default_generator": "gradsh.random"}


def _assert(condition, message):
    """torch._assert: Python's `assert condition, message` as a function (PyTorch documents it
    as symbolically traceable); a tensor condition is tested by its truth value."""
    if not condition:
        raise AssertionError(message)


def install_as_torch():
    """Stand in for PyTorch in this process: afterwards `import torch`, `import
    torch.nn.functional as F`, `from torch.autograd import grad`, `from torch import optim` ...
    all give gradsh's modules (one copy of them). Raises RuntimeError if PyTorch is loaded."""
    from ._torch_alias import install_as_torch as install
    return install()


def _load_api():
    # (sys.modules first: a session's builtins read some 650 names through here at start-up,
    # and import_module's own checks of a loaded module cost more than the read)
    return _sys.modules.get("gradsh._api") or importlib.import_module("gradsh._api")


def _shown_name():
    # (adv13c) standing in for torch (install_as_torch), a missing name is PyTorch's message
    return "torch" if _sys.modules.get("torch") is _sys.modules[__name__] else "gradsh"


def __getattr__(name):
    if name.startswith("_"):
        raise AttributeError(f"module '{_shown_name()}' has no attribute '{name}'")
    try:
        value = getattr(_load_api(), name)
    except AttributeError:
        raise AttributeError(f"module '{_shown_name()}' has no attribute '{name}'") from None
    globals()[name] = value
    return value


def __dir__():
    return sorted(set(globals()) | {n for n in dir(_load_api()) if not n.startswith("_")})
