"""torch.backends: what a program checks before choosing a device (nothing but the CPU here)."""

from . import cuda, cudnn, mps  # noqa: F401

__all__ = ["cuda", "cudnn", "mps"]
