"""Keep freed tensor memory in the process instead of handing it back to the OS at once.

glibc's malloc serves every request above 128 KiB with a fresh mmap and unmaps it on free, so a
loop over large tensors faults every page of every temporary in again on each iteration (about
8,700 page faults per iteration of a 10**6-element float32 chain here: 3x slower than the
arithmetic itself). Raising malloc's mmap and trim thresholds makes freed blocks reusable, as
PyTorch's caching allocator does for its own tensors. The cost: a process keeps up to
TRIM_THRESHOLD of freed memory for reuse. Set GRADSH_MALLOC=default to leave malloc alone.
"""

import os
import sys

MMAP_THRESHOLD = 256 << 20  # blocks below this come from the reusable heap
TRIM_THRESHOLD = 512 << 20  # free heap memory kept before it is returned to the OS
_M_TRIM_THRESHOLD, _M_MMAP_THRESHOLD = -1, -3  # glibc's mallopt parameter numbers

tuned = False


def tune():
    """Raise glibc's thresholds once per process (a no-op elsewhere); True if they were set."""
    global tuned
    if tuned or not sys.platform.startswith("linux") or os.environ.get("GRADSH_MALLOC") == "default":
        return tuned
    try:
        import ctypes
        mallopt = ctypes.CDLL(None).mallopt
    except (OSError, AttributeError):  # not glibc (musl has no mallopt)
        return False
    tuned = bool(mallopt(_M_MMAP_THRESHOLD, MMAP_THRESHOLD)) and bool(
        mallopt(_M_TRIM_THRESHOLD, TRIM_THRESHOLD))
    return tuned
