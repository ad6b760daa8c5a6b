"""torch.optim.optimizer for gradsh (re-exports)."""

from ..core.optim.optimizer import Optimizer, required  # noqa: F401
