"""PyTorch's longer module paths (issue #15), against the sweep recorded from PyTorch 2.13 in
tests/data/module_paths.json (tools/record_module_paths.py): each path gives the same objects as
the name's home, in a .grad program, under `import gradsh as torch` and under
install_as_torch(); the private base classes a program subclasses, and no other '_' name."""

import importlib
import importlib.util
import json
import pathlib
import subprocess
import sys
import textwrap

import pytest

from gradsh import module_paths
from gradsh._torch_alias import SUBMODULES
from gradsh.lang.importable import PRIVATE_BASES
from gradsh.lang.runtime.namespaces import EXCLUDED
from gradsh.module_paths_table import FILES, PATHS

from .helpers import run_error, run_program

ROOT = pathlib.Path(__file__).resolve().parents[2]
RECORDED = json.loads((ROOT / "tests" / "data" / "module_paths.json").read_text())
FACTS, DECLARED = RECORDED["modules"], RECORDED["declared"]

# torch.nn.functional's functions that PyTorch shares with torch (F.conv1d is torch.conv1d):
# gradsh's are separate functions of the same behaviour (the identity is a known difference)
KNOWN_NOT_SAME = {("torch.nn.functional", n) for n in (
    "adaptive_avg_pool1d", "avg_pool1d", "bilinear", "celu_", "channel_shuffle", "conv1d",
    "conv2d", "conv3d", "conv_transpose1d", "conv_transpose2d", "conv_transpose3d",
    "cosine_similarity", "hardshrink", "native_channel_shuffle", "pairwise_distance", "pdist",
    "pixel_shuffle", "pixel_unshuffle", "prelu", "relu_", "rrelu_", "selu_", "threshold_")}


def _gradsh(torch_path):
    return SUBMODULES.get(torch_path) or module_paths.ours(torch_path)


def _value(torch_path, name):
    try:
        return getattr(importlib.import_module(_gradsh(torch_path)), name)
    except (ImportError, AttributeError):
        return None


def _tool():
    spec = importlib.util.spec_from_file_location(
        "record_module_paths", ROOT / "tools" / "record_module_paths.py")
    tool = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(tool)
    return tool


def test_the_table_is_the_sweeps():
    """gradsh's table is what the recorded sweep gives against gradsh's names today (rerun
    `python tools/record_module_paths.py --table` after adding a name)."""
    tool = _tool()
    assert PATHS == tool.table(RECORDED)
    assert FILES == tool.files(RECORDED)
    for path in ("torch.nn.modules.loss", "torch.nn.modules.linear", "torch.nn.modules.conv",
                 "torch.utils.data.dataset", "torch.utils.data.dataloader",
                 "torch.utils.data.sampler", "torch.optim.sgd"):
        assert path in PATHS


def test_every_declared_name_gradsh_offers_is_the_same_object_at_every_recorded_path():
    served = set(SUBMODULES) | set(PATHS) | set(FILES)
    missing, different = [], []
    for path, names in FACTS.items():
        declared = DECLARED.get(path)
        for name, home in names.items():
            if name.startswith("_") or declared is not None and name not in declared:
                continue
            at_home = _value(home, name)
            if at_home is None:
                continue   # gradsh does not offer it anywhere yet
            here = _value(path, name) if path in served else None
            if here is None:
                missing.append((path, name))
            elif here is not at_home and (path, name) not in KNOWN_NOT_SAME:
                different.append((path, name))
    # torch.fft.Tensor, torch.nn.functional.Tensor: imported helpers gradsh's modules lack;
    # torch.nn.utils.spectral_norm and .weight_norm are modules and functions at once (gradsh
    # keeps the functions: importing a module of that name would replace them)
    assert sorted(missing) == [
        ("torch.fft", "Tensor"), ("torch.nn.functional", "Tensor"),
        ("torch.nn.utils.spectral_norm", "remove_spectral_norm"),
        ("torch.nn.utils.spectral_norm", "spectral_norm"),
        ("torch.nn.utils.weight_norm", "remove_weight_norm"),
        ("torch.nn.utils.weight_norm", "weight_norm")]
    assert different == []


def test_every_tabled_name_is_its_homes_object_by_attribute_and_by_import():
    import gradsh as torch
    for path, homes in PATHS.items():
        module = importlib.import_module(module_paths.ours(path))
        reached = torch
        for part in path.split(".")[1:]:
            reached = getattr(reached, part)
        assert reached is module, path
        for home, names in homes.items():
            for name in names.split():
                assert getattr(module, name) is getattr(importlib.import_module(home), name)
        assert set(module.__all__) <= set(dir(module))


def test_a_missing_name_of_a_swept_path_says_so():
    import gradsh as torch
    with pytest.raises(AttributeError, match="module 'torch.optim.sgd' has no attribute 'sgd'"):
        torch.optim.sgd.sgd
    with pytest.raises(ModuleNotFoundError):
        importlib.import_module("gradsh.nn.modules.not_a_module")


def _grad_program():
    """One .grad program that imports every swept path both ways and checks each name."""
    lines, n, homes = ["import torch", "bad = []"], 0, {}
    for path, names in sorted(FACTS.items()):
        if path.split(".")[1] in EXCLUDED or not (path in PATHS or path in FILES
                                                  or path in SUBMODULES):
            continue
        parent, _, last = path.rpartition(".")
        lines += ["import %s" % path, "import %s as m%d" % (path, n)]
        if path in PATHS:   # (torch.autograd.gradcheck, the attribute, is the function)
            lines += ["from %s import %s as f%d" % (parent, last, n),
                      "if f%d is not m%d or %s is not m%d:" % (n, n, path, n),
                      "    bad.append(%r)" % path]
        declared = DECLARED.get(path) if path not in PATHS else None
        for name, home in sorted(names.items()):
            if name.startswith("_") or declared is not None and name not in declared \
                    or _value(home, name) is None \
                    or _value(path, name) is None or (path, name) in KNOWN_NOT_SAME:
                continue
            if home not in homes:   # (imported: torch.autograd.gradcheck's attribute is the
                homes[home] = "h%d" % len(homes)   # function gradcheck)
                lines.append("import %s as %s" % (home, homes[home]))
            lines += ["if m%d.%s is not %s.%s:" % (n, name, homes[home], name),
                      "    bad.append('%s.%s')" % (path, name)]
        n += 1
    return "\n".join(lines + ["print(bad)"]) + "\n", n


def test_a_program_imports_every_swept_path_and_gets_the_same_objects():
    program, count = _grad_program()
    assert count > 60
    assert run_program(program) == "[]\n"


def test_a_program_imports_the_issues_paths():
    out = run_program(textwrap.dedent("""\
        import torch
        from torch.nn.modules.loss import MSELoss
        from torch.utils.data.dataloader import DataLoader
        from torch.utils.data.dataset import Dataset
        import torch.nn.modules.linear as linear
        from torch.nn.utils.clip_grad import clip_grad_norm_
        print(MSELoss is torch.nn.MSELoss, DataLoader is torch.utils.data.DataLoader,
              Dataset is torch.utils.data.Dataset, linear.Linear is torch.nn.Linear,
              clip_grad_norm_ is torch.nn.utils.clip_grad_norm_,
              torch.utils.data.get_worker_info())
    """))
    assert out == "True True True True True None\n"


def test_a_program_subclasses_the_private_base_classes_pytorch_programs_do():
    out = run_program(textwrap.dedent("""\
        import torch
        from torch.nn.modules.loss import _Loss
        from torch.nn.modules.batchnorm import _BatchNorm
        from torch.optim.lr_scheduler import _LRScheduler
        class L1(_Loss):
            def forward(self, a, b):
                return (a - b).abs().mean() if self.reduction == 'mean' else (a - b).abs()
        print(L1()(torch.tensor([1., 3.]), torch.zeros(2)), L1(reduction='none').reduction)
        print(isinstance(torch.nn.BatchNorm1d(2), _BatchNorm),
              issubclass(torch.optim.lr_scheduler.StepLR, _LRScheduler),
              torch.nn.modules.conv._ConvNd is torch.nn.modules.conv._ConvNd)
    """))
    assert out == "tensor(2.) none\nTrue True True\n"


HOSTILE = [
    # other '_' names of the same modules stay refused, at compile time and at run time
    ("from torch.nn.modules.loss import _Reduction", "ImportError", "names starting with '_'"),
    ("import torch\nprint(torch.nn.modules.loss._Reduction)", "AttributeError",
     "names starting with '_'"),
    ("import torch\nprint(torch._C)", "AttributeError", "names starting with '_'"),
    ("import torch\nprint(torch._Loss)", "AttributeError", "names starting with '_'"),
    ("import torch\nprint(torch.nn.modules.loss._TORCH_HOMES)", "AttributeError",
     "names starting with '_'"),
    ("import torch\nprint(torch.utils.data.__path__)", "AttributeError", "__path__"),
    ("from torch.nn.modules._functions import x", "ImportError", "cannot import"),
    # the allowed names from anywhere but torch: refused as before
    ("from numpy import _Loss", "ImportError", "names starting with '_'"),
    ("from math import _ConvNd", "ImportError", "names starting with '_'"),
    # an allowed name where torch has none is missing, not reached elsewhere
    ("from torch.nn import _Loss", "ImportError", "cannot import name '_Loss'"),
    ("import torch\nprint(torch.nn.functional._BatchNorm)", "AttributeError", "_BatchNorm"),
    # the class offers nothing private: its internals, its module's globals, its subclasses
    ("from torch.nn.modules.loss import _Loss\nprint(_Loss.__subclasses__())", "AttributeError",
     "__subclasses__"),
    ("from torch.nn.modules.loss import _Loss\nprint(_Loss.__init__.__globals__)",
     "AttributeError", "__globals__"),
    ("from torch.nn.modules.loss import _Loss\nprint(_Loss.__dict__)", "AttributeError",
     "__dict__"),
    ("from torch.nn.modules.loss import _Loss\nprint(_Loss()._get_name())", "AttributeError",
     "_get_name"),
    # the swept modules are read-only and PyTorch's excluded modules stay closed
    ("import torch.nn.modules.loss\ntorch.nn.modules.loss.MSELoss = 1", "AttributeError",
     "read-only"),
    ("import torch.storage", "ModuleNotFoundError", "not available in gradsh"),
    ("import torch.fx", "ModuleNotFoundError", "not available in gradsh"),  # (torch.overrides: tf19)
    ("import torch.utils.data.distributed", "ModuleNotFoundError", "not available in gradsh"),
]


@pytest.mark.parametrize("program, kind, fragment", HOSTILE)
def test_nothing_else_private_opens(program, kind, fragment):
    error, _ = run_error(program + "\n")
    text = str(error)
    assert kind in text and fragment in text, text


def test_install_as_torch_registers_every_swept_path():
    code = textwrap.dedent("""
        import importlib, sys, gradsh
        from gradsh.module_paths_table import FILES, PATHS
        torch = gradsh.install_as_torch()
        from torch.nn.modules.loss import MSELoss, _Loss
        from torch.utils.data.sampler import RandomSampler
        import torch.fft, torch.distributions.von_mises
        bad = [p for p in PATHS if importlib.import_module(p) is not
               importlib.import_module("gradsh" + p[len("torch"):])]
        bad += [p for p, ours in FILES.items()
                if importlib.import_module(p) is not importlib.import_module(ours)]
        print(bad, MSELoss is torch.nn.MSELoss, RandomSampler is torch.utils.data.RandomSampler,
              _Loss.__name__, torch.distributions.von_mises.VonMises is
              torch.distributions.VonMises)
    """)
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert r.returncode == 0, r.stderr
    assert r.stdout == "[] True True _Loss True\n"


def test_private_bases_match_where_gradsh_defines_them():
    assert set(module_paths.PRIVATE_HOMES) <= set(PRIVATE_BASES)
    for name, home in module_paths.PRIVATE_HOMES.items():
        if name != "_WeightedLoss":   # (gradsh has no _WeightedLoss yet)
            assert isinstance(getattr(importlib.import_module(home), name), type), name
