"""More activation modules (PReLU, SELU, CELU, GLU, Threshold, Hardshrink, Softshrink,
Tanhshrink, Mish, Hardswish, Hardsigmoid, RReLU, Softmax2d): each calls its nn.functional op
and prints PyTorch's extra_repr. Like the functions, `inplace=True` computes out of place."""

from .. import factories
from .. import nn_functional as F
from .. import activations as A
from ..ops.reduce import softmax
from . import init
from .module import Module
from .parameter import Parameter


def _inplace_suffix(module, sep=", "):
    return f"{sep}inplace=True" if module.inplace else ""


class PReLU(Module):
    def __init__(self, num_parameters=1, init=0.25, device=None, dtype=None):
        self.num_parameters = num_parameters
        super().__init__()
        self.init = init
        self.weight = Parameter(factories.empty(num_parameters, dtype=dtype))
        self.reset_parameters()

    def reset_parameters(self):
        init.constant_(self.weight, self.init)

    def forward(self, input):
        return A.prelu(input, self.weight)

    def extra_repr(self):
        return f"num_parameters={self.num_parameters}"


class _Inplace(Module):
    """An activation of one optional `inplace` flag, shown as PyTorch shows it (or not)."""
    shows_inplace = True

    def __init__(self, inplace=False):
        super().__init__()
        self.inplace = inplace

    def forward(self, input):
        return self.function(input)

    def extra_repr(self):
        return _inplace_suffix(self, "") if self.shows_inplace else ""


def _inplace_module(name, function, shows_inplace=True):
    return type(name, (_Inplace,), {"function": staticmethod(function),
                                    "shows_inplace": shows_inplace, "__module__": __name__})


SELU = _inplace_module("SELU", F.selu)
Mish = _inplace_module("Mish", F.mish)
Hardswish = _inplace_module("Hardswish", F.hardswish, shows_inplace=False)
Hardsigmoid = _inplace_module("Hardsigmoid", F.hardsigmoid, shows_inplace=False)


class CELU(Module):
    def __init__(self, alpha=1.0, inplace=False):
        super().__init__()
        self.alpha, self.inplace = alpha, inplace

    def forward(self, input):
        return A.celu(input, self.alpha, self.inplace)

    def extra_repr(self):
        return f"alpha={self.alpha}" + _inplace_suffix(self)


class GLU(Module):
    def __init__(self, dim=-1):
        super().__init__()
        self.dim = dim

    def forward(self, input):
        return A.glu(input, self.dim)

    def extra_repr(self):
        return f"dim={self.dim}"


class Threshold(Module):
    def __init__(self, threshold, value, inplace=False):
        super().__init__()
        self.threshold, self.value, self.inplace = threshold, value, inplace

    def forward(self, input):
        return A.threshold(input, self.threshold, self.value, self.inplace)

    def extra_repr(self):
        return f"threshold={self.threshold}, value={self.value}" + _inplace_suffix(self)


class Hardshrink(Module):
    def __init__(self, lambd=0.5):
        super().__init__()
        self.lambd = lambd

    def forward(self, input):
        return self.function(input, self.lambd)

    def extra_repr(self):
        return f"{self.lambd}"

    function = staticmethod(A.hardshrink)


class Softshrink(Hardshrink):
    function = staticmethod(A.softshrink)


class Tanhshrink(Module):
    def forward(self, input):
        return A.tanhshrink(input)


class RReLU(Module):
    def __init__(self, lower=1.0 / 8, upper=1.0 / 3, inplace=False):
        super().__init__()
        self.lower, self.upper, self.inplace = lower, upper, inplace

    def forward(self, input):
        return A.rrelu(input, self.lower, self.upper, self.training, self.inplace)

    def extra_repr(self):
        return f"lower={self.lower}, upper={self.upper}" + _inplace_suffix(self)


class Softmax2d(Module):
    def forward(self, input):
        if input.ndim not in (3, 4):
            raise ValueError(f"Softmax2d: expected input to be 3D or 4D, got {input.ndim}D "
                             "instead")
        return softmax(input, -3)
