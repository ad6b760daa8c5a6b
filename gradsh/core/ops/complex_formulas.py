"""The complex gradients of the common holomorphic ops as PyTorch's derivatives.yaml writes
them (`grad * self.cos().conj()`): under create_graph their backward graphs have PyTorch's
nodes (`MulBackward0` over `ConjBackward0`), where conjugating around the real rule
(node.complex_variant) records `ConjBackward0` on top. The values are the same."""

import numpy as np

from ..node import COMPLEX_FORMULAS
from ..tensor import TENSOR_TYPES
from . import prim as P
from .pointwise import mul_scalar


def cj(x):
    """x.conj() of a tensor (ConjBackward0); a saved number or array conjugated as it is."""
    return x.conj() if type(x) in TENSOR_TYPES else np.conj(x)


def _formula(name):
    def deco(fn):
        COMPLEX_FORMULAS[name] = fn
        return fn
    return deco


@_formula("MulBackward0")
def _mul(need, g, other, self):
    return (g * cj(other) if need[0] else None, g * cj(self) if need[1] else None)


@_formula("DivBackward0")
def _div(need, g, self, other):
    return (g / cj(other) if need[0] else None,
            -g * cj((self / other) / other) if need[1] else None)


@_formula("ExpBackward0")
def _exp(need, g, result):
    return (g * cj(result),)


@_formula("LogBackward0")
def _log(need, g, self):
    return (g / cj(self),)


@_formula("SinBackward0")
def _sin(need, g, self):
    return (g * cj(P.cos(self)),)


@_formula("CosBackward0")
def _cos(need, g, self):
    return (g * -cj(P.sin(self)),)


@_formula("SqrtBackward0")
def _sqrt(need, g, result):
    return (g / mul_scalar(cj(result), 2),)


@_formula("ReciprocalBackward0")
def _reciprocal(need, g, result):
    return (-g * cj(result * result),)


@_formula("PowBackward0")
def _pow(need, g, self, exponent):
    if exponent == 0:
        return (P.zeros_like(g),)
    return (g * cj(mul_scalar(self ** (exponent - 1), exponent)),)
