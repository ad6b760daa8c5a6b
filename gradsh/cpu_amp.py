"""torch.cpu.amp: PyTorch's deprecated spellings of torch.amp's autocast("cpu") and
GradScaler("cpu"), each with its FutureWarning."""

from .core.autocast import cpu_autocast as autocast
from .core.grad_scaler import CpuGradScaler as GradScaler

__all__ = ["autocast", "GradScaler"]
