"""torch's seeding functions over gradsh's generator (PyTorch's exact CPU streams)."""

from .torchclass import TorchClass

import numpy as np

from . import device as _device
from .tensor import Tensor


def _gen():
    from . import random as R  # on first use: numpy.random costs 15 ms of start-up
    return R.default_generator


def manual_seed(seed):
    """Seed the generator: later rand/randn/randint give PyTorch's values for this seed. Returns
    torch.default_generator, as PyTorch's does."""
    seed = int(seed)
    _gen().manual_seed(seed)
    return default_generator()


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
    _gen().set_state(_state_array(new_state))


def _state_array(new_state):
    """A state tensor's values as they are: the stream refuses another dtype than uint8 with
    PyTorch's TypeError (a float tensor is not converted to bytes first)."""
    if not isinstance(new_state, Tensor):
        raise TypeError(f"expected a torch.ByteTensor, but got {type(new_state).__name__}")
    return new_state._data


class Generator(metaclass=TorchClass):
    """torch.Generator: its own PyTorch CPU stream, passed as generator= to the random
    functions (`torch.Generator().manual_seed(0)`). It holds a gradsh.core.random.Generator
    (made on first use of one, as numpy.random stays off start-up) and hands it the draws."""

    __slots__ = ("_stream",)

    def __init__(self, device="cpu"):
        if _device.device(device).type != "cpu":
            raise RuntimeError(f"gradsh computes on the CPU only: no generator for device "
                               f"'{device}'")
        self._stream = type(_gen())()

    def __getattr__(self, name):
        # the draws the factories ask a generator for (uniform, normal, randint, _unit, ...);
        # never Python's protocol names (copy.deepcopy asks for __setstate__ before the
        # stream is set: asking the stream would recurse)
        if name.startswith("__") or name == "_stream":
            raise AttributeError("'torch._C.Generator' object has no attribute '%s'" % name)
        return getattr(self._stream, name)

    @property
    def device(self):
        return _device.CPU

    def manual_seed(self, seed):
        self._stream.manual_seed(seed)
        return self

    def seed(self):
        return self._stream.seed()

    def initial_seed(self):
        return self._stream.initial_seed()

    def get_state(self):
        """The state as a uint8 tensor, as torch.Generator.get_state returns it."""
        return Tensor._make(self._stream.get_state())

    def set_state(self, new_state):
        self._stream.set_state(_state_array(new_state))
        return self

    def __repr__(self):
        return f"<torch._C.Generator object at {hex(id(self))}>"


_DEFAULT = []


def default_generator():
    """torch.default_generator: the one torch.Generator over the global stream (what
    torch.manual_seed returns), made on first use as the stream is."""
    if not _DEFAULT:
        g = object.__new__(Generator)
        g._stream = _gen()
        _DEFAULT.append(g)
    return _DEFAULT[0]
