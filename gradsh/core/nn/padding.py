"""ConstantPad1d/2d/3d, ZeroPad1d/2d/3d, ReflectionPad1d/2d/3d, ReplicationPad1d/2d/3d and
CircularPad1d/2d/3d: F.pad's modes with the padding kept as PyTorch keeps it (an int is
repeated to 2 * n amounts; the repr shows the tuple)."""

from ..ops import padding
from .module import Module


def _amounts(padding, dims):
    return tuple(padding) if isinstance(padding, (tuple, list)) else (padding,) * (2 * dims)


class _ConstantPadNd(Module):
    def __init__(self, padding, value):
        super().__init__()
        self.padding = _amounts(padding, self.dims)
        self.value = value

    def forward(self, input):
        return padding.pad(input, self.padding, "constant", self.value)

    def extra_repr(self):
        return f"padding={self.padding}, value={self.value}"


class _ZeroPadNd(_ConstantPadNd):
    def __init__(self, padding):
        super().__init__(padding, 0.0)

    def extra_repr(self):
        return f"{self.padding}"


class _ModePadNd(Module):
    """F.pad in the class's `mode`; CircularPad*d first checks the input's dims as PyTorch."""

    def __init__(self, padding):
        super().__init__()
        self.padding = _amounts(padding, self.dims)

    def forward(self, input):
        if self.mode == "circular" and input.ndim not in (self.dims + 1, self.dims + 2):
            raise ValueError(f"expected {self.dims + 1}D or {self.dims + 2}D input (got "
                             f"{input.ndim}D input)")
        return padding.pad(input, self.padding, self.mode)

    def extra_repr(self):
        return f"{self.padding}"


def _pad_module(name, base, dims, **attrs):
    return type(name, (base,), {"dims": dims, "__module__": __name__, **attrs})


ConstantPad1d, ConstantPad2d, ConstantPad3d = (
    _pad_module(f"ConstantPad{n}d", _ConstantPadNd, n) for n in (1, 2, 3))
ZeroPad1d, ZeroPad2d, ZeroPad3d = (_pad_module(f"ZeroPad{n}d", _ZeroPadNd, n) for n in (1, 2, 3))
ReflectionPad1d, ReflectionPad2d, ReflectionPad3d = (
    _pad_module(f"ReflectionPad{n}d", _ModePadNd, n, mode="reflect") for n in (1, 2, 3))
ReplicationPad1d, ReplicationPad2d, ReplicationPad3d = (
    _pad_module(f"ReplicationPad{n}d", _ModePadNd, n, mode="replicate") for n in (1, 2, 3))
CircularPad1d, CircularPad2d, CircularPad3d = (
    _pad_module(f"CircularPad{n}d", _ModePadNd, n, mode="circular") for n in (1, 2, 3))
