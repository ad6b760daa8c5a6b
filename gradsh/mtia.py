"""torch.mtia as on a machine without Meta's MTIA backend: nothing is available; what needs the
device fails with PyTorch's own error."""

__all__ = ["is_available", "device_count", "is_initialized", "manual_seed", "manual_seed_all",
           "seed", "memory_allocated", "current_device", "synchronize", "empty_cache"]

from ._absent_device import (is_available, device_count, is_initialized, manual_seed,  # noqa: F401
                             manual_seed_all, seed, memory_allocated, without_backend)


current_device = synchronize = without_backend("getCurrentDevice", "MTIA")
empty_cache = without_backend("emptyCache", "MTIA")
