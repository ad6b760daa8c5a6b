"""torch.cuda.amp: PyTorch's deprecated spellings of torch.amp's autocast("cuda") and
GradScaler("cuda"), each with its FutureWarning; without CUDA both warn and disable themselves."""

from .core.autocast import cuda_autocast as autocast
from .core.grad_scaler import CudaGradScaler as GradScaler

__all__ = ["autocast", "GradScaler"]
