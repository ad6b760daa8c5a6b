"""torch.nn.utils for gradsh: gradient clipping and parameter vectors, and torch.nn.utils.rnn
(re-exports)."""

from ...core.nn.utils import *  # noqa: F401,F403
from ...core.nn.utils import __all__ as _clipping
from . import rnn

__all__ = _clipping + ["rnn"]  # PyTorch's lists rnn too
