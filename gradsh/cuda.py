"""torch.cuda as on a machine without CUDA: nothing is available; asking for a device fails
with PyTorch's own error."""

from .core.device import NO_CUDA, NotCompiledError
from . import cuda_amp as amp
from ._absent_device import (is_available, device_count, is_initialized, manual_seed,  # noqa: F401
                             manual_seed_all, empty_cache)

__all__ = ["is_available", "device_count", "is_initialized", "manual_seed", "manual_seed_all",
           "empty_cache", "current_device", "synchronize", "get_device_name",
           "get_device_properties", "set_device", "amp"]


def _no_cuda(*args, **kwargs):
    raise NotCompiledError(NO_CUDA)


current_device = synchronize = get_device_name = get_device_properties = set_device = _no_cuda
