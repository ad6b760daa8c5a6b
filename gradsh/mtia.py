"""torch.mtia as on a machine without Meta's MTIA backend: nothing is available; what needs the
device fails with PyTorch's own error."""

__all__ = ["is_available", "device_count", "is_initialized", "manual_seed", "manual_seed_all",
           "seed", "memory_allocated", "current_device", "synchronize", "empty_cache"]


def is_available():
    """False: gradsh computes on the CPU."""
    return False


def device_count():
    return 0


def is_initialized():
    return False


def manual_seed(seed):
    """Accepted and ignored, as PyTorch does without an MTIA device."""


def manual_seed_all(seed):
    """Accepted and ignored, as PyTorch does without an MTIA device."""


def seed():
    """Accepted and ignored, as PyTorch does without an MTIA device."""


def memory_allocated(device=None):
    return 0


def _without(what):
    def call(*args, **kwargs):
        raise RuntimeError(f"Cannot execute {what}() without MTIA backend.")
    return call


current_device = synchronize = _without("getCurrentDevice")
empty_cache = _without("emptyCache")
