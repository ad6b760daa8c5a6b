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


# Linear and Bilinear are Modules directly, as PyTorch's (programs read their bases); what they
# share is these functions. Each class names its sizes in `_SIZES` (the inputs' sizes, then
# out_features), draws its weight (`_draw_weight`) and gives its bias's bound (`_bias_bound`).

def _make_affine(module, sizes, bias, dtype):
    for name, size in zip(module._SIZES, sizes):
        setattr(module, name, size)
    *ins, out = sizes
    module.weight = Parameter(factories.empty(out, *ins, dtype=dtype))
    if bias:
        module.bias = Parameter(factories.empty(out, dtype=dtype))
    else:
        module.register_parameter("bias", None)


def _reset_affine(module):
    module._draw_weight()
    if module.bias is not None:
        _symmetric_uniform(module.bias, module._bias_bound())


def _affine_repr(names):
    """extra_repr listing the sizes `names` and the bias, read as PyTorch's reads them (another
    object given as self, `nn.Bilinear.extra_repr(t)`, fails on the first size's name)."""
    def extra_repr(self):
        sizes = ", ".join(f"{name}={getattr(self, name)}" for name in names)
        return f"{sizes}, bias={self.bias is not None}"
    return extra_repr


class Linear(Module):
    """y = x W^T + b, W of shape (out_features, in_features)."""

    _SIZES = ("in_features", "out_features")

    def __init__(self, in_features, out_features, bias=True, device=None, dtype=None):
        super().__init__()
        _make_affine(self, (in_features, out_features), bias, dtype)
        self.reset_parameters()

    reset_parameters = _reset_affine
    extra_repr = _affine_repr(_SIZES)

    def _draw_weight(self):
        # the bound 1/sqrt(in_features) as kaiming_uniform_ rounds it for a = sqrt(5) (and its
        # warning when there is nothing to draw)
        init.kaiming_uniform_(self.weight, math.sqrt(5))

    def _bias_bound(self):
        return 1 / math.sqrt(self.in_features) if self.in_features > 0 else 0

    def forward(self, input):
        return F.linear(input, self.weight, self.bias)


class Bilinear(Module):
    """y = x1^T A x2 + b, A of shape (out_features, in1_features, in2_features)."""

    _SIZES = ("in1_features", "in2_features", "out_features")

    def __init__(self, in1_features, in2_features, out_features, bias=True, device=None,
                 dtype=None):
        super().__init__()
        _make_affine(self, (in1_features, in2_features, out_features), bias, dtype)
        if in1_features <= 0:  # checked once the tensors are made, as PyTorch
            raise ValueError(f"in1_features must be > 0, but got (in1_features={in1_features})")
        self.reset_parameters()

    reset_parameters = _reset_affine
    extra_repr = _affine_repr(_SIZES)

    def _bias_bound(self):
        return 1 / math.sqrt(self.in1_features)

    def _draw_weight(self):
        _symmetric_uniform(self.weight, self._bias_bound())

    def forward(self, input1, input2):
        return bilinear(input1, input2, self.weight, self.bias)
