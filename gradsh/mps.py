"""torch.mps as on a machine without Apple's Metal backend: nothing is available; what needs the
device fails with PyTorch's own error."""

__all__ = ["is_available", "device_count", "synchronize", "manual_seed", "seed",
           "empty_cache", "current_allocated_memory", "driver_allocated_memory",
           "recommended_max_memory"]

from ._absent_device import is_available, device_count, manual_seed, without_backend  # noqa: F401


synchronize = without_backend("deviceSynchronize", "MPS")
empty_cache = without_backend("emptyCache", "MPS")
current_allocated_memory = without_backend("getCurrentAllocatedMemory", "MPS")
driver_allocated_memory = without_backend("getDriverAllocatedMemory", "MPS")
recommended_max_memory = without_backend("getRecommendedMaxMemory", "MPS")
seed = without_backend("getDefaultGenerator", "MPS")
