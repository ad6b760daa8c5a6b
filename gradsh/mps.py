"""torch.mps as on a machine without Apple's Metal backend: nothing is available; what needs the
device fails with PyTorch's own error."""

__all__ = ["is_available", "device_count", "synchronize", "manual_seed", "seed",
           "empty_cache", "current_allocated_memory", "driver_allocated_memory",
           "recommended_max_memory"]


def is_available():
    """False: gradsh computes on the CPU."""
    return False


def device_count():
    return 0


def manual_seed(seed):
    """Accepted and ignored, as PyTorch does without the MPS backend."""


def _without(what):
    def call(*args, **kwargs):
        raise RuntimeError(f"Cannot execute {what}() without MPS backend.")
    return call


synchronize = _without("deviceSynchronize")
empty_cache = _without("emptyCache")
current_allocated_memory = _without("getCurrentAllocatedMemory")
driver_allocated_memory = _without("getDriverAllocatedMemory")
recommended_max_memory = _without("getRecommendedMaxMemory")
seed = _without("getDefaultGenerator")
