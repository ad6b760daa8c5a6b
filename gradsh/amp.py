"""torch.amp: autocast regions (gradsh/core/autocast.py) and GradScaler
(gradsh/core/grad_scaler.py), as PyTorch 2.13 offers them on a machine without CUDA."""

from .core.autocast import autocast, custom_bwd, custom_fwd, is_autocast_available
from .core.grad_scaler import GradScaler

__all__ = ["autocast", "custom_bwd", "custom_fwd", "GradScaler", "is_autocast_available"]
