"""torch.xpu as on a machine without Intel's XPU backend: nothing is available; asking for a
device fails with PyTorch's own error."""

from ._absent_device import (is_available, device_count, is_initialized, manual_seed,  # noqa: F401
                             manual_seed_all, seed, empty_cache, memory_allocated)
from .core.device import NotCompiledError

__all__ = ["is_available", "device_count", "is_initialized", "is_bf16_supported",
           "manual_seed", "manual_seed_all", "seed", "empty_cache", "memory_allocated",
           "current_device", "synchronize", "get_device_name", "get_device_properties",
           "set_device", "initial_seed", "current_stream"]


def is_bf16_supported(including_emulation=True):
    return False


def _no_xpu(*args, **kwargs):
    raise NotCompiledError("Torch not compiled with XPU enabled")


current_device = synchronize = get_device_name = get_device_properties = set_device = \
    initial_seed = current_stream = _no_xpu
