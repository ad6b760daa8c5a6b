"""torch.autograd.graph: the Node class of backward graphs."""

from ..core.node import Node  # noqa: F401
