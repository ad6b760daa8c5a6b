"""torch.cuda as on a machine without CUDA: nothing is available; asking for a device fails
with PyTorch's own error."""

from .core.device import NO_CUDA, NotCompiledError
from . import cuda_amp as amp

__all__ = ["is_available", "device_count", "is_initialized", "manual_seed", "manual_seed_all",
           "empty_cache", "current_device", "synchronize", "get_device_name",
           "get_device_properties", "set_device", "amp"]


def is_available():
    """False: gradsh computes on the CPU."""
    return False


def device_count():
    return 0


def is_initialized():
    return False


def manual_seed(seed):
    """Accepted and ignored, as PyTorch does when there is no CUDA device."""


def manual_seed_all(seed):
    """Accepted and ignored, as PyTorch does when there is no CUDA device."""


def empty_cache():
    """Nothing to free."""


def _no_cuda(*args, **kwargs):
    raise NotCompiledError(NO_CUDA)


current_device = synchronize = get_device_name = get_device_properties = set_device = _no_cuda
