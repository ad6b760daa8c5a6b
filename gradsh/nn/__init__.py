"""torch.nn for gradsh: only the functional interface (modules are not part of gradsh)."""

from . import functional  # noqa: F401
