"""torch.nn.utils.rnn for gradsh: padding and packing sequences (re-exports)."""

from ...core.nn.rnn_utils import *  # noqa: F401,F403
from ...core.nn.rnn_utils import __all__  # noqa: F401
