"""PyTorch's longer module paths for names gradsh offers elsewhere (issue #15): a learner's
`from torch.nn.modules.loss import MSELoss` or `torch.utils.data.dataset.Dataset` gives the same
object as torch.nn.MSELoss, torch.utils.data.Dataset.

The paths and names are PyTorch's, swept by tools/record_module_paths.py into
gradsh/module_paths_table.py. Each path is a small module made on first import (an import-system
finder for exactly those names), whose names load on first use from their gradsh home; packages
hand them out as attributes through `submodule()`.
"""

import importlib
import importlib.machinery
import sys

from .module_paths_table import FILES, PATHS

# the private base classes PyTorch programs subclass (`class MyLoss(_Loss)`), where gradsh
# defines them (a .grad program may name these and no other '_' name: lang/importable.py)
PRIVATE_HOMES = {
    "_Loss": "gradsh.core.nn.loss",
    "_WeightedLoss": "gradsh.core.nn.loss",
    "_LRScheduler": "gradsh.optim.lr_scheduler",
    "_BatchNorm": "gradsh.core.nn.normalization",
    "_NormBase": "gradsh.core.nn.normalization",
    "_InstanceNorm": "gradsh.core.nn.normalization",
    "_ConvNd": "gradsh.core.nn.conv",
    "_ConvTransposeNd": "gradsh.core.nn.conv",
    "_MaxPoolNd": "gradsh.core.nn.pooling",
    "_AvgPoolNd": "gradsh.core.nn.pooling",
}


def ours(torch_path):
    """gradsh's name of a torch module path ('torch.nn.modules.loss' -> 'gradsh.nn.modules.loss')."""
    return "gradsh" + torch_path[len("torch"):]


_OURS = {ours(path): path for path in PATHS}
# with gradsh's own files of PyTorch's paths (gradsh.distributions.half_normal), which a package
# need not have imported
# (gradsh's name of a torch path -> the module: torch.distributions.studentT is studentt.py)
_CHILDREN = {**{name: name for name in _OURS},
             **{ours(path): module for path, module in FILES.items()}}


def offers(name):
    """Is `name` (a gradsh module name) one of the recorded paths, made here or a file?"""
    return name in _CHILDREN


def submodule(package, attr):
    """The swept module `attr` of package `package` (its module-level __getattr__ asks), or
    None."""
    name = package + "." + attr
    return importlib.import_module(_CHILDREN[name]) if name in _CHILDREN else None


def swept(package):
    """The names of package `package`'s swept submodules (a .grad program's namespace offers them
    as the package's own submodules)."""
    prefix = package + "."
    return tuple(sorted(n[len(prefix):] for n in _CHILDREN
                        if n.startswith(prefix) and "." not in n[len(prefix):]))


def package_getattr(package, torch_name):
    """A module-level __getattr__ for a package whose only lazy members are swept paths."""
    def __getattr__(attr):
        value = submodule(package, attr)
        if value is None:
            raise AttributeError(f"module '{torch_name}' has no attribute '{attr}'")
        return value
    return __getattr__


class _Loader:
    """(importlib.abc's classes are not subclassed: importing them costs `import gradsh` a
    tenth of its start-up)"""

    def create_module(self, spec):
        return None

    def exec_module(self, module):
        torch_path = _OURS[module.__name__]
        where = {n: home for home, names in PATHS[torch_path].items() for n in names.split()}
        ns = module.__dict__
        ns["__doc__"] = "%s for gradsh: names gradsh offers elsewhere, the same objects." \
            % torch_path
        ns["__all__"] = sorted(n for n in where if not n.startswith("_"))
        # each name's home as PyTorch names it (a .grad program shows a function as there)
        ns["_TORCH_HOMES"] = {n: "torch" + home[len("gradsh"):] for n, home in where.items()}

        def __getattr__(attr):
            if attr not in where:
                raise AttributeError(f"module '{torch_path}' has no attribute '{attr}'")
            value = ns[attr] = getattr(importlib.import_module(where[attr]), attr)
            return value
        ns["__getattr__"] = __getattr__
        ns["__dir__"] = lambda: sorted(set(ns) | set(where))


class _Finder:
    """Finds exactly the swept paths, and nothing else."""

    loader = None

    def find_spec(self, fullname, path=None, target=None):
        if fullname not in _OURS:
            return None
        return importlib.machinery.ModuleSpec(fullname, self.loader)


FINDER = _Finder()
FINDER.loader = _Loader()


def install():
    if not any(isinstance(f, _Finder) for f in sys.meta_path):
        sys.meta_path.append(FINDER)
