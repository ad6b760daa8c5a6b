"""torch.cpu: the device gradsh computes on (one CPU device, always available, nothing to
synchronize), with torch.cpu.amp's deprecated spellings."""

from . import cpu_amp as amp

__all__ = ["is_available", "device_count", "current_device", "synchronize", "is_initialized",
           "set_device", "amp"]


def is_available():
    """True: the CPU is always there."""
    return True


def device_count():
    """1: PyTorch counts the CPU as one device."""
    return 1


def current_device():
    """'cpu' (a string, as PyTorch's torch.cpu.current_device() returns)."""
    return "cpu"


def is_initialized():
    return True


def synchronize(device=None):
    """Nothing to wait for: the CPU computes synchronously."""


def set_device(device):
    """Accepted and ignored, as in PyTorch (there is one CPU device)."""
