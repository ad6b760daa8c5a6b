"""torch.optim.lr_scheduler for gradsh (re-exports)."""

from ..core.optim.lr_scheduler import (CosineAnnealingLR, ExponentialLR, LambdaLR,  # noqa: F401
                                       LinearLR, LRScheduler, MultiStepLR, StepLR,
                                       _LRScheduler)
