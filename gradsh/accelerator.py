"""torch.accelerator as on a machine without an accelerator."""

__all__ = ["is_available", "device_count", "current_accelerator"]

from ._absent_device import is_available, device_count  # noqa: F401


def current_accelerator(check_available=False):
    """None: there is no accelerator."""
    return None
