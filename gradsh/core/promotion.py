"""torch.result_type and torch.promote_types: PyTorch's type promotion, asked directly."""

import numpy as np

from . import dtypes
from .ops.base import promote
from .tensor import Tensor


def promote_types(type1, type2):
    """The dtype PyTorch gives an op over tensors of these two dtypes: a float dtype beats every
    integer one (int64 with float16 is float16, where numpy says float64), else numpy's rule."""
    a, b = type1.np, type2.np
    if (a.kind == "f") != (b.kind == "f"):
        return type1 if a.kind == "f" else type2
    return dtypes._BY_NP[np.promote_types(a, b)]


def result_type(tensor, other):
    """The dtype of an op over `tensor` and `other` (tensors or Python numbers)."""
    for x in (tensor, other):
        if not isinstance(x, (Tensor, bool, int, float)):
            raise TypeError(f"result_type() received an invalid combination of arguments - got "
                            f"({type(tensor).__name__}, {type(other).__name__})")
    return dtypes._BY_NP[promote(tensor, other)]
