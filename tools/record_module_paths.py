"""Sweep PyTorch 2.13's module paths a learner's program imports (issue #15): every submodule of
torch, torch.nn, torch.nn.modules, torch.utils.data, torch.nn.utils, torch.optim, torch.autograd
and torch.distributions, and in each the public names that are the SAME object as a name at a
shorter "home" path (torch.nn.modules.loss.MSELoss is torch.nn.MSELoss), plus the few private
base classes programs subclass (_Loss, _BatchNorm...).

Writes tests/data/module_paths.json (PyTorch's facts: path -> {name: home path}), then
gradsh/module_paths_table.py: the paths gradsh has no file for, with the names whose home gradsh
offers (gradsh/module_paths.py makes those modules).

Run with PyTorch 2.13 installed:  python tools/record_module_paths.py
(`--table` rewrites the gradsh table from the recorded JSON without PyTorch.)
"""

import importlib
import importlib.util
import json
import pathlib
import pkgutil
import pprint
import sys
import warnings

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent.parent))
from gradsh.lang.importable import PRIVATE_BASES  # noqa: E402

ROOT = pathlib.Path(__file__).resolve().parent.parent
FACTS = ROOT / "tests" / "data" / "module_paths.json"
TABLE = ROOT / "gradsh" / "module_paths_table.py"
ROOTS = ("torch", "torch.nn", "torch.nn.modules", "torch.utils.data", "torch.nn.utils",
         "torch.optim", "torch.autograd", "torch.distributions")
# the private base classes PyTorch programs subclass, offered to .grad programs for that
# (docs/language.md, "Module paths")
PRIVATE = PRIVATE_BASES + ("_DropoutNd",)


def _public(module):
    names = getattr(module, "__all__", None)
    names = set(names) if names is not None else set()
    names.update(n for n in dir(module) if not n.startswith("_"))
    return names


def _declared(module):
    """A home's names: its __all__ when it declares one."""
    names = getattr(module, "__all__", None)
    return set(names) if names is not None else _public(module)


def _torch_value(value):
    """A class or function of PyTorch's (not typing's Optional a module happens to import)."""
    return callable(value) and type(value).__name__ != "module" and (
        getattr(value, "__module__", "") or "").startswith("torch")


def sweep():
    import torch  # noqa: F401  (the oracle)
    sys.path.insert(0, str(ROOT))
    from gradsh._torch_alias import SUBMODULES
    paths = []
    for root in ROOTS:
        module = importlib.import_module(root)
        paths += [root + "." + n for _, n, _ in pkgutil.iter_modules(module.__path__)
                  if not n.startswith("_")]
    modules = {}
    for path in sorted(set(paths)):
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                modules[path] = importlib.import_module(path)
        except Exception:   # a module that needs what this machine lacks (onnx...)
            continue
    # homes: the paths gradsh implements as its own modules, shortest first
    homes = sorted(SUBMODULES, key=lambda p: (p.count("."), p))
    home_modules = {h: importlib.import_module(h) for h in homes}
    facts, declared = {}, {}
    for path, module in modules.items():
        entry = {}
        for name in sorted(_public(module)):
            value = getattr(module, name, None)
            if not _torch_value(value):
                continue
            for home in homes:
                if home.count(".") >= path.count("."):
                    break   # a home is a shorter path
                if getattr(home_modules[home], name, None) is value \
                        and name in _declared(home_modules[home]):
                    entry[name] = home
                    break
        for name in PRIVATE:
            value = module.__dict__.get(name)
            if isinstance(value, type) and value.__module__ == path:
                entry[name] = path   # defined here: its own home
        if entry:
            facts[path] = entry
            if getattr(module, "__all__", None) is not None:
                declared[path] = sorted(module.__all__)
    return {"note": "Recorded from PyTorch %s by tools/record_module_paths.py: for each "
                    "importable module path, its public names that are the same object as the "
                    "name at a shorter home path (name -> home), and the private base classes "
                    "defined there (home = the path itself)." % torch.__version__,
            "modules": facts, "declared": declared}


def gradsh_module(torch_path):
    """The gradsh module gradsh already has for a torch path (a file of its own), or None."""
    from gradsh._torch_alias import SUBMODULES
    from gradsh.module_paths import FINDER, ours
    if torch_path in SUBMODULES:
        return SUBMODULES[torch_path]
    try:
        spec = importlib.util.find_spec(ours(torch_path))
    except ImportError:
        return None
    return None if spec is None or spec.loader is FINDER.loader else ours(torch_path)


def table(facts):
    """path -> {home: names} for the paths gradsh has no module of its own, keeping the names
    gradsh offers at their home (private classes: where gradsh defines them). A path with a
    declared API (__all__) of which gradsh offers nothing is left out: `torch.sparse` with only
    the `Tensor` it imports would be a module that pretends."""
    sys.path.insert(0, str(ROOT))
    import gradsh
    from gradsh.module_paths import PRIVATE_HOMES, ours as gradsh_name
    out = {}
    for path, entry in facts["modules"].items():
        parent, _, last = path.rpartition(".")
        if gradsh_module(path) is not None or not isinstance(
                getattr(importlib.import_module(gradsh_name(parent)), last, importlib), type(importlib)):
            # (torch.nn.utils.spectral_norm is also the function: importing a module of that
            # name would replace gradsh's attribute)
            continue
        groups = {}
        for name, home in entry.items():
            if name.startswith("_"):
                if hasattr(importlib.import_module(PRIVATE_HOMES.get(name, "gradsh")), name):
                    groups.setdefault(PRIVATE_HOMES[name], []).append(name)
                continue
            ours = gradsh_module(home)
            if ours is None:
                continue
            try:
                importlib.import_module(ours)
                getattr(importlib.import_module(ours), name)
            except (ImportError, AttributeError):
                continue
            groups.setdefault(ours, []).append(name)
        offered = {n for names in groups.values() for n in names}
        declared = facts["declared"].get(path)
        if groups and (declared is None or offered & set(declared)):
            out[path] = {home: " ".join(sorted(names)) for home, names in sorted(groups.items())}
    del gradsh
    return out


def files(facts):
    """The recorded paths gradsh has a file of its own for: install_as_torch registers them
    (`import torch.distributions.von_mises`) and their package offers them to a .grad program
    before they are loaded."""
    return {p: gradsh_module(p) for p in sorted(facts["modules"])
            if p != "torch" and gradsh_module(p)}


def main():
    if "--table" not in sys.argv:
        facts = sweep()
        FACTS.write_text(json.dumps(facts, indent=1, sort_keys=True) + "\n")
    facts = json.loads(FACTS.read_text())
    TABLE.write_text(
        '"""Generated by tools/record_module_paths.py from tests/data/module_paths.json: the torch '
        'module\npaths gradsh has no file for, and for each, the gradsh module offering each '
        'name (the same\nobject). gradsh/module_paths.py makes these modules."""\n\n'
        "PATHS = " + pprint.pformat(table(facts), width=100, sort_dicts=True) + "\n\n"
        "# the recorded paths gradsh has a file of its own for\n"
        "FILES = " + pprint.pformat(files(facts), width=100) + "\n")
    print("%d paths recorded, %d in gradsh's table" % (len(facts["modules"]), len(table(facts))))


if __name__ == "__main__":
    main()
