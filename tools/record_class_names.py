"""Record how PyTorch 2.13 prints its classes and functions, for every one gradsh offers under
the same path: the classes' names (`<class 'torch.nn.modules.linear.Linear'>`) into
gradsh/core/torch_class_names.py (the core's classes print through it: core/torchclass.py), and
which functions are PyTorch's builtins (`<built-in method relu of type object at 0x...>`) into
gradsh/lang/runtime/torch_builtins.py (a .grad program's torch namespaces show them so:
lang/runtime/namespaces.py).

Run with PyTorch 2.13 installed:  python tools/record_class_names.py
"""

import importlib
import pathlib
import pprint

ROOT = pathlib.Path(__file__).resolve().parent.parent
OUT = ROOT / "gradsh" / "core" / "torch_class_names.py"
OUT_FUNCTIONS = ROOT / "gradsh" / "lang" / "runtime" / "torch_builtins.py"
# the namespaces a program reaches, as gradsh's Namespace names them
NAMESPACES = {"torch": "", "torch.nn.functional": ".nn.functional", "torch.linalg": ".linalg",
              "torch.special": ".special", "torch.autograd": ".autograd",
              "torch.nn.init": ".nn.init", "torch.func": ".func", "torch.fft": ".fft"}
MODULES = ("", ".nn", ".nn.functional", ".nn.init", ".nn.utils", ".optim", ".optim.lr_scheduler",
           ".optim.swa_utils", ".autograd", ".autograd.graph", ".autograd.forward_ad",
           ".autograd.functional",
           ".utils.data", ".utils.checkpoint", ".nn.utils.prune", ".distributions",
           ".distributions.transforms", ".linalg", ".special", ".func", ".cuda",
           ".amp", ".cuda.amp", ".cpu", ".cpu.amp", ".xpu", ".mps", ".mtia",
           ".backends", ".return_types")


def _module(name):
    """The module `name`, or the module an attribute path names (gradsh.cuda.amp is the
    attribute `amp` of the module gradsh.cuda)."""
    try:
        return importlib.import_module(name)
    except ImportError:
        parent, _, attr = name.rpartition(".")
        value = getattr(_module(parent), attr, None) if parent else None
        if value is None:
            raise
        return value


def main():
    import torch
    assert torch.__version__.startswith("2.13."), torch.__version__
    names = {}
    for suffix in MODULES:
        try:
            ours = _module("gradsh" + suffix)
            theirs = importlib.import_module("torch" + suffix)
        except ImportError:
            continue
        for attr in dir(ours):
            mine, real = getattr(ours, attr, None), getattr(theirs, attr, None)
            if not (isinstance(mine, type) and isinstance(real, type)):
                continue
            if not mine.__module__.startswith("gradsh."):
                continue
            key = "%s.%s" % (mine.__module__, mine.__qualname__)
            names.setdefault(key, "%s.%s" % (real.__module__, real.__qualname__))
    OUT.write_text('"""The names PyTorch 2.13 prints for the classes gradsh offers under the same '
                   'path\n(gradsh\'s module.qualname -> PyTorch\'s), recorded by '
                   'tools/record_class_names.py."""\n\nNAMES = ' + pprint.pformat(names, width=99)
                   + "\n")
    print("recorded %d class names into %s" % (len(names), OUT))
    record_functions(torch)


def record_functions(torch):
    """namespace name -> {function name: the text PyTorch prints before ` at 0x...` (or
    whole)}, for the functions that are builtins in PyTorch and Python functions in gradsh."""
    import re
    import types
    shown = {}
    for name, suffix in NAMESPACES.items():
        try:
            ours = importlib.import_module("gradsh" + suffix)
            theirs = importlib.import_module("torch" + suffix)
        except ImportError:
            continue
        for attr in dir(ours):
            mine, real = getattr(ours, attr, None), getattr(theirs, attr, None)
            if attr.startswith("_") or not isinstance(mine, types.FunctionType) or \
                    not isinstance(real, types.BuiltinFunctionType):
                continue
            shown.setdefault(name, {})[attr] = re.sub(r" at 0x[0-9a-f]+>$", "", repr(real))
    import gradsh
    # the Tensor methods that are C++ methods in PyTorch (`t.sum` prints `<built-in method sum of
    # Tensor object at 0x...>`); the others are Python functions there (`<bound method
    # Tensor.backward of tensor(...)>`)
    methods = sorted(attr for attr in dir(gradsh.Tensor) if not attr.startswith("_")
                     and callable(getattr(gradsh.Tensor, attr, None))
                     and not isinstance(getattr(gradsh.Tensor, attr), type)
                     and type(getattr(torch.Tensor, attr, None)).__name__ in (
                         "method_descriptor", "builtin_function_or_method"))
    OUT_FUNCTIONS.write_text(
        '"""How PyTorch 2.13 prints the functions that are builtins in PyTorch (its C++ '
        'functions)\nand Python functions in gradsh: namespace -> name -> the text before '
        '` at 0x...>` (or\nthe whole text), recorded by tools/record_class_names.py; and the '
        'Tensor methods\nthat are C++ methods in PyTorch (TENSOR_METHODS)."""\n\n'
        'SHOWN = ' + pprint.pformat(shown, width=99) + "\n\nTENSOR_METHODS = frozenset("
        + pprint.pformat(methods, width=99, compact=True) + ")\n")
    print("recorded %d builtin functions and %d Tensor methods into %s"
          % (sum(map(len, shown.values())), len(methods), OUT_FUNCTIONS))


if __name__ == "__main__":
    main()
