"""torch.backends.cudnn: not available."""

__all__ = ["is_available", "version"]


def is_available():
    return False


def version():
    return None
