"""torch.nn.utils for gradsh: gradient clipping and parameter vectors, the hook-based
weight_norm / spectral_norm, and torch.nn.utils.rnn, parametrize, parametrizations
(re-exports)."""

from ... import module_paths as _module_paths
from ...core.nn.utils import *  # noqa: F401,F403
from ...core.nn.utils import __all__ as _clipping
from ...core.nn.legacy_norms import *  # noqa: F401,F403
from ...core.nn.legacy_norms import __all__ as _legacy
from . import fusion, parametrizations, parametrize, prune, rnn
from .fusion import (fuse_conv_bn_eval, fuse_conv_bn_weights,  # noqa: F401 (as torch.nn.utils)
                     fuse_linear_bn_eval, fuse_linear_bn_weights)

__all__ = _clipping + _legacy + ["fuse_conv_bn_eval", "fuse_conv_bn_weights",
                                  "fuse_linear_bn_eval", "fuse_linear_bn_weights","fusion", "parametrizations", "parametrize", "prune", "rnn"]

# torch.distributions.pareto and PyTorch's other longer paths (gradsh/module_paths.py)
_SWEPT = _module_paths.swept(__name__)
__getattr__ = _module_paths.package_getattr(__name__, "torch.nn.utils")
