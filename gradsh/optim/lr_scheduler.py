"""torch.optim.lr_scheduler for gradsh (re-exports)."""

from ..core.optim.lr_compose import ChainedScheduler, SequentialLR  # noqa: F401
from ..core.optim.lr_cycles import (CosineAnnealingWarmRestarts, CyclicLR,  # noqa: F401
                                    OneCycleLR)
from ..core.optim.lr_plateau import ReduceLROnPlateau  # noqa: F401
from ..core.optim.lr_scheduler import (ConstantLR, CosineAnnealingLR, ExponentialLR,  # noqa: F401
                                       LambdaLR, LinearLR, LRScheduler, MultiplicativeLR,
                                       MultiStepLR, PolynomialLR, StepLR, _LRScheduler)
