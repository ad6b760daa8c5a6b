"""torch.optim.lr_scheduler for gradsh (re-exports)."""

from ..core.optim.lr_scheduler import LambdaLR, LRScheduler, StepLR, _LRScheduler  # noqa: F401
