"""torch.accelerator as on a machine without an accelerator."""

__all__ = ["is_available", "device_count", "current_accelerator"]


def is_available():
    """False: gradsh computes on the CPU."""
    return False


def device_count():
    return 0


def current_accelerator(check_available=False):
    """None: there is no accelerator."""
    return None
