"""torch.autograd.graph: the Node class of backward graphs and the saved-tensor hooks."""

from ..core.node import Node  # noqa: F401
from ..core.saved_hooks import (disable_saved_tensors_hooks, save_on_cpu,  # noqa: F401
                                saved_tensors_hooks)
from ..core.tensor import Tensor


def increment_version(tensor):
    """Mark `tensor` (or each tensor of an iterable) as changed in place, for a change autograd
    cannot see (data written through numpy): backward then refuses values saved before it."""
    for t in [tensor] if isinstance(tensor, Tensor) else tensor:
        if not t.is_inference():
            t._vc[0] += 1
