"""Linear, Bilinear, Identity.

Linear and Bilinear share one shape: a weight (out_features, *in sizes) and an optional bias
(out_features,), both drawn from uniform distributions at construction, weight first. The
bounds are PyTorch's documented ones, 1/sqrt(in_features) (1/sqrt(in1_features) for
Bilinear); Linear's weight bound is rounded as kaiming_uniform_ with a = sqrt(5) rounds it,
which differs from 1/sqrt(in_features) in the last bit and so decides the draws' last bits.
"""

import math

from .. import factories
from .. import nn_functional as F
from ..ops.nn_ops import bilinear
from . import init
from .module import Module
from .parameter import Parameter


class Identity(Module):
    def __init__(self, *args, **kwargs):
        super().__init__()

    def forward(self, input):
        return input


def _symmetric_uniform(tensor, bound):
    init.uniform_(tensor, -bound, bound)


class _Affine(Module):
    """out = an affine (or bilinear) map of the inputs. A subclass names its sizes in `_SIZES`
    (the inputs' sizes, then out_features), draws its weight and gives its bias's bound."""

    _SIZES = ()

    def __init__(self, sizes, bias, dtype):
        super().__init__()
        for name, size in zip(self._SIZES, sizes):
            setattr(self, name, size)
        *ins, out = sizes
        self.weight = Parameter(factories.empty(out, *ins, dtype=dtype))
        if bias:
            self.bias = Parameter(factories.empty(out, dtype=dtype))
        else:
            self.register_parameter("bias", None)
        self._check_sizes()
        self.reset_parameters()

    def _check_sizes(self):
        pass

    def reset_parameters(self):
        self._draw_weight()
        if self.bias is not None:
            _symmetric_uniform(self.bias, self._bias_bound())

    def extra_repr(self):
        sizes = ", ".join(f"{name}={getattr(self, name)}" for name in self._SIZES)
        return f"{sizes}, bias={self.bias is not None}"


class Linear(_Affine):
    """y = x W^T + b, W of shape (out_features, in_features)."""

    _SIZES = ("in_features", "out_features")

    def __init__(self, in_features, out_features, bias=True, device=None, dtype=None):
        super().__init__((in_features, out_features), bias, dtype)

    def _draw_weight(self):
        # the bound 1/sqrt(in_features) as kaiming_uniform_ rounds it for a = sqrt(5) (and its
        # warning when there is nothing to draw)
        init.kaiming_uniform_(self.weight, math.sqrt(5))

    def _bias_bound(self):
        return 1 / math.sqrt(self.in_features) if self.in_features > 0 else 0

    def forward(self, input):
        return F.linear(input, self.weight, self.bias)


class Bilinear(_Affine):
    """y = x1^T A x2 + b, A of shape (out_features, in1_features, in2_features)."""

    _SIZES = ("in1_features", "in2_features", "out_features")

    def __init__(self, in1_features, in2_features, out_features, bias=True, device=None,
                 dtype=None):
        super().__init__((in1_features, in2_features, out_features), bias, dtype)

    def _check_sizes(self):
        if self.in1_features <= 0:
            raise ValueError(f"in1_features must be > 0, but got (in1_features="
                             f"{self.in1_features})")

    def _bias_bound(self):
        return 1 / math.sqrt(self.in1_features)

    def _draw_weight(self):
        _symmetric_uniform(self.weight, self._bias_bound())

    def forward(self, input1, input2):
        return bilinear(input1, input2, self.weight, self.bias)
