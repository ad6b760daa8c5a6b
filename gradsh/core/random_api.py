"""torch's seeding functions over gradsh's generator (PyTorch's exact CPU streams)."""

import numpy as np

from .tensor import Tensor


def _gen():
    from . import random as R  # on first use: numpy.random costs 15 ms of start-up
    return R.default_generator


def manual_seed(seed):
    """Seed the generator: later rand/randn/randint give PyTorch's values for this seed."""
    seed = int(seed)
    _gen().manual_seed(seed)
    return _gen()


def seed():
    """Seed the generator from a non-deterministic source; returns the seed."""
    return _gen().seed()


def initial_seed():
    """The seed last set (by manual_seed or seed)."""
    return _gen().initial_seed()


def get_rng_state():
    """The generator's state as a uint8 tensor (restore it with set_rng_state)."""
    return Tensor._make(np.asarray(_gen().get_state(), np.uint8).copy())


def set_rng_state(new_state):
    """Restore a state returned by get_rng_state."""
    _gen().set_state(np.asarray(new_state._data, np.uint8))
