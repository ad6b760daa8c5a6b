"""ConstantPad1d/2d/3d and ZeroPad1d/2d/3d: F.pad's constant mode with the padding kept as
PyTorch keeps it (an int is repeated to 2 * n amounts; the repr shows the tuple)."""

from ..ops import padding
from .module import Module


class _ConstantPadNd(Module):
    def __init__(self, padding, value):
        super().__init__()
        amounts = 2 * self.dims
        self.padding = tuple(padding) if isinstance(padding, (tuple, list)) \
            else (padding,) * amounts
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


def _pad_module(name, base, dims):
    return type(name, (base,), {"dims": dims, "__module__": __name__})


ConstantPad1d, ConstantPad2d, ConstantPad3d = (
    _pad_module(f"ConstantPad{n}d", _ConstantPadNd, n) for n in (1, 2, 3))
ZeroPad1d, ZeroPad2d, ZeroPad3d = (_pad_module(f"ZeroPad{n}d", _ZeroPadNd, n) for n in (1, 2, 3))
