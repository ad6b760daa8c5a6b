"""torch.optim for gradsh (re-exports, each loaded on first use)."""

from .._lazy import lazy_exports as _lazy_exports

_WHERE = {
    "SGD": "gradsh.core.optim.sgd", "Adam": "gradsh.core.optim.adam",
    "AdamW": "gradsh.core.optim.adam", "RMSprop": "gradsh.core.optim.rmsprop",
    "Adagrad": "gradsh.core.optim.adagrad", "Adadelta": "gradsh.core.optim.adadelta",
    "Adamax": "gradsh.core.optim.adamax", "NAdam": "gradsh.core.optim.nadam",
    "RAdam": "gradsh.core.optim.radam", "ASGD": "gradsh.core.optim.asgd",
    "Rprop": "gradsh.core.optim.rprop", "LBFGS": "gradsh.core.optim.lbfgs",
    "Optimizer": "gradsh.core.optim.optimizer",
    "Adafactor": "gradsh.core.optim.adafactor", "SparseAdam": "gradsh.core.optim.sparse_adam", "Muon": "gradsh.core.optim.muon",
}
_SUBMODULES = ("lr_scheduler", "optimizer", "swa_utils")

__getattr__, __dir__ = _lazy_exports(globals(), "torch.optim", _WHERE, _SUBMODULES)
