"""PEP 562 re-exports loaded on first use: what gradsh.nn and gradsh.optim share."""

import importlib

from . import module_paths


def lazy_exports(namespace, torch_name, where, submodules, eager=(), package=None):
    """The module-level __getattr__ and __dir__ of a re-exporting package.

    namespace: the package's globals(); torch_name: its name in messages ('torch.nn');
    where: {public name: module that defines it}; submodules: names imported as package.name;
    eager: names the package already holds that __dir__ should list; package: whose
    submodules they are (default: the module's own name)."""
    package = package or namespace["__name__"]
    namespace.setdefault("_SWEPT", module_paths.swept(package))  # lang/runtime/namespaces.py
    names = sorted(where) + list(submodules) + list(eager)

    def __getattr__(name):
        if name in where:
            value = getattr(importlib.import_module(where[name]), name)
        elif name in submodules:
            value = importlib.import_module(package + "." + name)
        elif module_paths.offers(package + "." + name):  # torch.nn.modules.loss (swept paths)
            value = module_paths.submodule(package, name)
        else:
            raise AttributeError(f"module '{torch_name}' has no attribute '{name}'")
        namespace[name] = value
        return value

    def __dir__():
        return sorted(set(namespace) | set(names))

    return __getattr__, __dir__
