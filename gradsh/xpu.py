"""torch.xpu as on a machine without Intel's XPU backend: nothing is available; asking for a
device fails with PyTorch's own error."""

from .core.device import NotCompiledError

__all__ = ["is_available", "device_count", "is_initialized", "is_bf16_supported",
           "manual_seed", "manual_seed_all", "seed", "empty_cache", "memory_allocated",
           "current_device", "synchronize", "get_device_name", "get_device_properties",
           "set_device", "initial_seed", "current_stream"]


def is_available():
    """False: gradsh computes on the CPU."""
    return False


def device_count():
    return 0


def is_initialized():
    return False


def is_bf16_supported(including_emulation=True):
    return False


def manual_seed(seed):
    """Accepted and ignored, as PyTorch does without an XPU device."""


def manual_seed_all(seed):
    """Accepted and ignored, as PyTorch does without an XPU device."""


def seed():
    """Accepted and ignored, as PyTorch does without an XPU device."""


def empty_cache():
    """Nothing to free."""


def memory_allocated(device=None):
    return 0


def _no_xpu(*args, **kwargs):
    raise NotCompiledError("Torch not compiled with XPU enabled")


current_device = synchronize = get_device_name = get_device_properties = set_device = \
    initial_seed = current_stream = _no_xpu
