"""Dropout, Dropout1d/2d/3d, AlphaDropout and FeatureAlphaDropout: zero elements (or whole
channels) with probability p in training mode, as PyTorch draws them."""

from .. import activations as A
from .. import nn_functional as F
from .module import Module


class Dropout(Module):
    def __init__(self, p=0.5, inplace=False):
        super().__init__()
        if p < 0 or p > 1:
            raise ValueError(f"dropout probability has to be between 0 and 1, but got {p}")
        self.p = p
        self.inplace = inplace

    def forward(self, input):
        return self.function(input, self.p, self.training, self.inplace)

    def extra_repr(self):
        return f"p={self.p}, inplace={self.inplace}"

    function = staticmethod(F.dropout)


def _dropout_class(name, function):
    return type(name, (Dropout,), {"function": staticmethod(function), "__module__": __name__})


Dropout1d = _dropout_class("Dropout1d", A.dropout1d)
Dropout2d = _dropout_class("Dropout2d", A.dropout2d)
Dropout3d = _dropout_class("Dropout3d", A.dropout3d)
AlphaDropout = _dropout_class("AlphaDropout", A.alpha_dropout)
FeatureAlphaDropout = _dropout_class("FeatureAlphaDropout", A.feature_alpha_dropout)
