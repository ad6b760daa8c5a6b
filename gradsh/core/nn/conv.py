"""Conv1d/2d/3d and ConvTranspose1d/2d/3d, initialised as PyTorch's reset_parameters, printed
as PyTorch's _ConvNd.extra_repr. A padding_mode other than 'zeros' pads the input first
(F.pad with that mode) and convolves without padding, as PyTorch's _ConvNd does."""

import math

from .. import factories
from ..ops import conv
from ..ops.padding import pad
from . import init
from .module import Module
from .parameter import Parameter

_PADDING_MODES = {"zeros", "reflect", "replicate", "circular"}
_PADDING_STRINGS = {"same", "valid"}  # (a set, printed in its hash order as PyTorch prints it)


def _check_settings(in_channels, out_channels, stride, padding, groups, padding_mode):
    if groups <= 0:
        raise ValueError("groups must be a positive integer")
    if in_channels % groups != 0:
        raise ValueError("in_channels must be divisible by groups")
    if out_channels % groups != 0:
        raise ValueError("out_channels must be divisible by groups")
    if isinstance(padding, str):
        if padding not in _PADDING_STRINGS:
            raise ValueError(f"Invalid padding string {padding!r}, should be one of "
                             f"{_PADDING_STRINGS}")
        if padding == "same" and any(s != 1 for s in stride):
            raise ValueError("padding='same' is not supported for strided convolutions")
    if padding_mode not in _PADDING_MODES:
        raise ValueError(f"padding_mode must be one of {_PADDING_MODES}, but got "
                         f"padding_mode='{padding_mode}'")


def _reversed_padding_repeated_twice(padding, kernel_size, dilation):
    """F.pad's argument for the module's padding: last dim first, (left, right) for each; a
    list for 'same' and 'valid', a tuple for numbers, as PyTorch keeps them."""
    padding_given = padding
    if padding == "valid":
        padding = (0,) * len(kernel_size)
    if padding == "same":
        pairs = []
        for d, k in zip(dilation, kernel_size):
            total = d * (k - 1)
            pairs.append((total // 2, total - total // 2))
    else:
        pairs = [(p, p) for p in padding]
    flat = [n for pair in reversed(pairs) for n in pair]
    return flat if isinstance(padding_given, str) else tuple(flat)  # (PyTorch's types)


class _ConvNd(Module):
    _nd = 1
    _function = None  # the functional op the module runs
    transposed = False

    def __init__(self, in_channels, out_channels, kernel_size, stride=1, padding=0, dilation=1,
                 groups=1, bias=True, padding_mode="zeros", device=None, dtype=None):
        super().__init__()
        nd = self._nd
        stride = conv._tuple(stride, nd)
        _check_settings(in_channels, out_channels, stride, padding, groups, padding_mode)
        self.in_channels = in_channels
        self.out_channels = out_channels
        self.kernel_size = conv._tuple(kernel_size, nd)
        self.stride = stride
        self.padding = padding if isinstance(padding, str) else conv._tuple(padding, nd)
        self.dilation = conv._tuple(dilation, nd)
        self.output_padding = (0,) * nd
        self.groups = groups
        self.padding_mode = padding_mode
        self._reversed_padding_repeated_twice = _reversed_padding_repeated_twice(
            self.padding, self.kernel_size, self.dilation)
        channels = (in_channels, out_channels // groups) if self.transposed else \
            (out_channels, in_channels // groups)
        self.weight = Parameter(factories.empty(*channels, *self.kernel_size, dtype=dtype))
        if bias:
            self.bias = Parameter(factories.empty(out_channels, dtype=dtype))
        else:
            self.register_parameter("bias", None)
        self.reset_parameters()

    def reset_parameters(self):
        init.kaiming_uniform_(self.weight, a=math.sqrt(5))
        if self.bias is not None:
            fan_in, _ = init._fan_in_and_fan_out(self.weight)
            if fan_in != 0:
                bound = 1 / math.sqrt(fan_in)
                init.uniform_(self.bias, -bound, bound)

    def forward(self, input):
        if self.padding_mode != "zeros":
            return self._function(pad(input, self._reversed_padding_repeated_twice,
                                      mode=self.padding_mode),
                                  self.weight, self.bias, self.stride, 0, self.dilation,
                                  self.groups)
        return self._function(input, self.weight, self.bias, self.stride, self.padding,
                              self.dilation, self.groups)

    def extra_repr(self):
        nd = self._nd
        s = (f"{self.in_channels}, {self.out_channels}, kernel_size={self.kernel_size}, "
             f"stride={self.stride}")
        if self.padding != (0,) * len(self.padding):
            s += f", padding={self.padding}"
        if self.dilation != (1,) * nd:
            s += f", dilation={self.dilation}"
        if self.output_padding != (0,) * nd:
            s += f", output_padding={self.output_padding}"
        if self.groups != 1:
            s += f", groups={self.groups}"
        if self.bias is None:
            s += ", bias=False"
        if self.padding_mode != "zeros":
            s += f", padding_mode={self.padding_mode}"
        return s


class _ConvTransposeNd(_ConvNd):
    transposed = True

    def __init__(self, in_channels, out_channels, kernel_size, stride=1, padding=0,
                 output_padding=0, groups=1, bias=True, dilation=1, padding_mode="zeros",
                 device=None, dtype=None):
        if padding_mode != "zeros":
            raise ValueError(f'Only "zeros" padding mode is supported for '
                             f'{type(self).__name__}')
        super().__init__(in_channels, out_channels, kernel_size, stride, padding, dilation,
                         groups, bias, padding_mode, device, dtype)
        self.output_padding = conv._tuple(output_padding, self._nd)

    def _output_padding(self, input, output_size):
        """output_padding, or the one that gives `output_size` (PyTorch's checks and words)."""
        nd = self._nd
        if output_size is None:
            return self.output_padding
        leading = 2 if input.ndim == nd + 2 else 1
        if len(output_size) == leading + nd:
            output_size = output_size[leading:]
        if len(output_size) != nd:
            raise ValueError(f"ConvTranspose{nd}D: for {input.ndim}D input, output_size must "
                             f"have {nd} or {leading + nd} elements (got {len(output_size)})")
        smallest = [(input.shape[leading + d] - 1) * self.stride[d] - 2 * self.padding[d]
                    + self.dilation[d] * (self.kernel_size[d] - 1) + 1 for d in range(nd)]
        largest = [m + s - 1 for m, s in zip(smallest, self.stride)]
        for size, lo, hi in zip(output_size, smallest, largest):
            if size < lo or size > hi:
                raise ValueError(f"requested an output size of {output_size}, but valid sizes "
                                 f"range from {smallest} to {largest} (for an input of "
                                 f"{input.shape[2:]})")
        return [size - lo for size, lo in zip(output_size, smallest)]

    def forward(self, input, output_size=None):
        return self._function(input, self.weight, self.bias, self.stride, self.padding,
                              self._output_padding(input, output_size), self.groups,
                              self.dilation)


def _conv_module(name, base, nd, function):
    """The module `name`: its base class's settings and forward over nd dims, with the op."""
    return type(name, (base,), {"_nd": nd, "_function": staticmethod(getattr(conv, function)),
                                "__module__": __name__})


Conv1d, Conv2d, Conv3d = (_conv_module(f"Conv{n}d", _ConvNd, n, f"conv{n}d") for n in (1, 2, 3))
ConvTranspose1d, ConvTranspose2d, ConvTranspose3d = (
    _conv_module(f"ConvTranspose{n}d", _ConvTransposeNd, n, f"conv_transpose{n}d")
    for n in (1, 2, 3))
