"""What torch.cuda, torch.xpu, torch.mtia, torch.mps and torch.accelerator share on a machine
without their device: nothing is available, and seeding or freeing memory does nothing."""


def is_available():
    """False: gradsh computes on the CPU."""
    return False


def device_count():
    return 0


def is_initialized():
    return False


def manual_seed(seed):
    """Accepted and ignored, as PyTorch does without the device."""


def manual_seed_all(seed):
    """Accepted and ignored, as PyTorch does without the device."""


def seed():
    """Accepted and ignored, as PyTorch does without the device."""


def empty_cache():
    """Nothing to free."""


def memory_allocated(device=None):
    return 0


def without_backend(what, backend):
    """A function that needs the device: PyTorch's RuntimeError naming the call it cannot
    make (`Cannot execute emptyCache() without MPS backend.`)."""
    def call(*args, **kwargs):
        raise RuntimeError(f"Cannot execute {what}() without {backend} backend.")
    call.__name__ = what
    return call
