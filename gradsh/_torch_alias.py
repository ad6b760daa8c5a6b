"""gradsh standing in for PyTorch in an ordinary Python process: `gradsh.install_as_torch()`.

Registering only `sys.modules["torch"] = gradsh` is not enough: `import torch.nn.functional`
would then load gradsh's files a second time under the name `torch.*`, with a second Tensor
class. So every submodule a torch program imports is registered under its torch name, pointing
at the one copy already loaded; and gradsh.core refuses to be imported under another name (see
the check at the top of gradsh/core/__init__.py).
"""

import importlib
import sys

from . import module_paths
from .module_paths_table import FILES, PATHS

# torch name -> gradsh module
SUBMODULES = {
    "torch": "gradsh",
    "torch.nn": "gradsh.nn",
    "torch.nn.functional": "gradsh.nn.functional",
    "torch.nn.init": "gradsh.nn.init",
    "torch.nn.parameter": "gradsh.nn.parameter",
    "torch.nn.utils": "gradsh.nn.utils",
    "torch.nn.utils.rnn": "gradsh.nn.utils.rnn",
    "torch.nn.utils.parametrize": "gradsh.nn.utils.parametrize",
    "torch.nn.utils.parametrizations": "gradsh.nn.utils.parametrizations",
    "torch.nn.utils.prune": "gradsh.nn.utils.prune",
    "torch.nn.utils.fusion": "gradsh.nn.utils.fusion",
    "torch.nn.modules": "gradsh.nn.modules",
    "torch.nn.parallel": "gradsh.nn.parallel",
    "torch.nn.modules.module": "gradsh.nn.modules.module",
    "torch.optim": "gradsh.optim",
    "torch.optim.lr_scheduler": "gradsh.optim.lr_scheduler",
    "torch.optim.swa_utils": "gradsh.optim.swa_utils",
    "torch.optim.optimizer": "gradsh.optim.optimizer",
    "torch.autograd": "gradsh.autograd",
    "torch.autograd.functional": "gradsh.autograd.functional",
    "torch.autograd.function": "gradsh.autograd.function",
    "torch.autograd.gradcheck": "gradsh.autograd.gradcheck",
    "torch.autograd.graph": "gradsh.autograd.graph",
    "torch.autograd.forward_ad": "gradsh.autograd.forward_ad",
    "torch.autograd.variable": "gradsh.autograd.variable",
    "torch.func": "gradsh.func",
    # devices, as on a machine without an accelerator (torch.cuda and torch.mps: FILES)
    "torch.accelerator": "gradsh.accelerator",
    "torch.backends": "gradsh.backends",
    "torch.backends.cuda": "gradsh.backends.cuda",
    "torch.backends.cudnn": "gradsh.backends.cudnn",
    "torch.backends.mps": "gradsh.backends.mps",
    "torch.cpu": "gradsh.cpu",
    "torch.cpu.amp": "gradsh.cpu_amp",
    "torch.cuda.amp": "gradsh.cuda_amp",
    "torch.xpu": "gradsh.xpu",
    "torch.return_types": "gradsh.return_types",
    "torch.linalg": "gradsh.linalg",
    "torch.special": "gradsh.special",
    "torch.sparse": "gradsh.sparse",
    "torch.version": "gradsh.version",
    "torch.overrides": "gradsh.overrides",
    "torch.signal": "gradsh.signal",
    "torch.signal.windows": "gradsh.signal.windows",
    "torch.utils": "gradsh.utils",
    "torch.utils.data": "gradsh.utils.data",
    "torch.utils.checkpoint": "gradsh.utils.checkpoint",
    "torch.distributions": "gradsh.distributions",
    "torch.distributions.constraints": "gradsh.distributions.constraints",
    "torch.distributions.distribution": "gradsh.distributions.distribution",
    "torch.distributions.normal": "gradsh.distributions.normal",
    "torch.distributions.uniform": "gradsh.distributions.uniform",
    "torch.distributions.bernoulli": "gradsh.distributions.bernoulli",
    "torch.distributions.categorical": "gradsh.distributions.categorical",
    "torch.distributions.multivariate_normal": "gradsh.distributions.multivariate_normal",
    "torch.distributions.independent": "gradsh.distributions.independent",
    "torch.distributions.kl": "gradsh.distributions.kl",
    "torch.distributions.exponential": "gradsh.distributions.exponential",
    "torch.distributions.laplace": "gradsh.distributions.laplace",
    "torch.distributions.cauchy": "gradsh.distributions.cauchy",
    "torch.distributions.gamma": "gradsh.distributions.gamma",
    "torch.distributions.chi2": "gradsh.distributions.chi2",
    "torch.distributions.beta": "gradsh.distributions.beta",
    "torch.distributions.dirichlet": "gradsh.distributions.dirichlet",
    "torch.distributions.poisson": "gradsh.distributions.poisson",
    "torch.distributions.binomial": "gradsh.distributions.binomial",
    "torch.distributions.geometric": "gradsh.distributions.geometric",
    "torch.distributions.one_hot_categorical": "gradsh.distributions.one_hot_categorical",
    "torch.distributions.studentT": "gradsh.distributions.studentt",
    "torch.distributions.log_normal": "gradsh.distributions.log_normal",
    "torch.distributions.gumbel": "gradsh.distributions.gumbel",
    "torch.distributions.half_normal": "gradsh.distributions.half_normal",
    "torch.distributions.transformed_distribution": "gradsh.distributions.transformed_distribution",
    "torch.distributions.transforms": "gradsh.distributions.transforms",
    "torch.distributions.mixture_same_family": "gradsh.distributions.mixture_same_family",
    "torch.testing": "gradsh.testing",
    "torch.profiler": "gradsh.profiler",
    "torch.random": "gradsh.random",
    "torch.functional": "gradsh.functional",
    "torch.autograd.profiler": "gradsh.autograd.profiler",
    "torch.jit": "gradsh.jit",
    "torch.compiler": "gradsh.compiler",
    "torch.serialization": "gradsh.serialization",
}


def install_as_torch():
    """Make `import torch` (and torch.nn, torch.nn.functional, torch.optim, torch.autograd,
    torch.linalg, ...) give gradsh in this process. Refuses if the real PyTorch is loaded."""
    present = sys.modules.get("torch")
    gradsh = importlib.import_module("gradsh")
    if present is not None and present is not gradsh:
        raise RuntimeError(
            "gradsh.install_as_torch(): a module named 'torch' is already imported "
            f"({getattr(present, '__file__', present)!r}); call install_as_torch() before "
            "anything imports torch, in a process that does not use PyTorch itself")
    importlib.import_module("gradsh._api")  # loads the core once, under its own name
    for torch_name, ours in SUBMODULES.items():
        sys.modules[torch_name] = importlib.import_module(ours)
    for torch_name in PATHS:   # torch.nn.modules.loss... (gradsh/module_paths.py)
        sys.modules[torch_name] = importlib.import_module(module_paths.ours(torch_name))
    for torch_name, ours in FILES.items():   # torch.fft, torch.distributions.von_mises...
        sys.modules[torch_name] = importlib.import_module(ours)
    return gradsh
