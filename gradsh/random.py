"""torch.random: the CPU generator's seeding and state (the same functions as torch.manual_seed
...), fork_rng and default_generator, as on a machine without CUDA."""

import contextlib

from .core.random_api import default_generator as _default_generator
from .core.random_api import get_rng_state, initial_seed, manual_seed, seed, set_rng_state



def __getattr__(name):
    """default_generator: torch.Generator's face of the global stream, made on first use (the
    stream's module is not imported at start-up)."""
    if name == "default_generator":
        return _default_generator()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")

__all__ = ["set_rng_state", "get_rng_state", "manual_seed", "seed", "initial_seed", "fork_rng",
           "default_generator"]


@contextlib.contextmanager
def fork_rng(devices=None, enabled=True, _caller="fork_rng", _devices_kw="devices",
             device_type="cuda"):
    """Run the block, then put the CPU generator's state back (no CUDA device has one here)."""
    if not enabled:
        yield
        return
    devices = [] if devices is None else list(devices)
    if devices:
        from .core.device import NO_CUDA, NotCompiledError
        raise NotCompiledError(NO_CUDA)
    state = get_rng_state()
    try:
        yield
    finally:
        set_rng_state(state)
