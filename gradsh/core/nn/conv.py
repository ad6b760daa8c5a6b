"""Conv1d and Conv2d (groups=1, zero padding), initialised as PyTorch's reset_parameters."""

import math

from .. import factories
from ..ops import nn_ops
from . import init
from .module import Module
from .parameter import Parameter


class _ConvNd(Module):
    _nd = 1

    def __init__(self, in_channels, out_channels, kernel_size, stride=1, padding=0, dilation=1,
                 groups=1, bias=True, padding_mode="zeros", device=None, dtype=None):
        super().__init__()
        nd = self._nd
        if groups != 1:
            raise NotImplementedError("gradsh's convolutions support groups=1 only")
        if padding_mode != "zeros":
            raise NotImplementedError("gradsh's convolutions support padding_mode='zeros' only")
        self.in_channels = in_channels
        self.out_channels = out_channels
        self.kernel_size = nn_ops._tuple(kernel_size, nd)
        self.stride = nn_ops._tuple(stride, nd)
        self.padding = padding if isinstance(padding, str) else nn_ops._tuple(padding, nd)
        self.dilation = nn_ops._tuple(dilation, nd)
        self.transposed = False
        self.output_padding = (0,) * nd
        self.groups = groups
        self.padding_mode = padding_mode
        self.weight = Parameter(factories.empty(out_channels, in_channels // groups,
                                                *self.kernel_size, dtype=dtype))
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

    def extra_repr(self):
        nd = self._nd
        s = (f"{self.in_channels}, {self.out_channels}, kernel_size={self.kernel_size}, "
             f"stride={self.stride}")
        if self.padding != (0,) * nd:
            s += f", padding={self.padding}"
        if self.dilation != (1,) * nd:
            s += f", dilation={self.dilation}"
        if self.groups != 1:
            s += f", groups={self.groups}"
        if self.bias is None:
            s += ", bias=False"
        return s


class Conv1d(_ConvNd):
    _nd = 1

    def forward(self, input):
        return nn_ops.conv1d(input, self.weight, self.bias, self.stride, self.padding,
                             self.dilation, self.groups)


class Conv2d(_ConvNd):
    _nd = 2

    def forward(self, input):
        return nn_ops.conv2d(input, self.weight, self.bias, self.stride, self.padding,
                             self.dilation, self.groups)
