"""torch.autograd.graph: the Node class of backward graphs and the saved-tensor hooks."""

from ..core.node import Node  # noqa: F401
from ..core.saved_hooks import (disable_saved_tensors_hooks, save_on_cpu,  # noqa: F401
                                saved_tensors_hooks)
