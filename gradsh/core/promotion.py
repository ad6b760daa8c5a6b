"""torch.result_type and torch.promote_types: PyTorch's type promotion, asked directly."""

from . import dtypes
from .ops.base import promote, promote_pair
from .tensor import Tensor


def promote_types(type1, type2):
    """The dtype PyTorch gives an op over tensors of these two dtypes: a float dtype beats every
    integer one (int64 with float16 is float16, where numpy says float64), else numpy's rule."""
    return dtypes._BY_NP[promote_pair(type1.np, type2.np)]


def result_type(tensor, other):
    """The dtype of an op over `tensor` and `other` (tensors or Python numbers)."""
    for x in (tensor, other):
        if not isinstance(x, (Tensor, bool, int, float, complex)):
            raise TypeError(f"result_type() received an invalid combination of arguments - got "
                            f"({type(tensor).__name__}, {type(other).__name__})")
    return dtypes._BY_NP[promote(tensor, other)]


_CATEGORY = {"b": 0, "u": 1, "i": 1, "f": 2, "V": 2, "c": 3}   # bool < integers < floats < complex


def can_cast(from_, to):
    """True when PyTorch's casting rules allow an in-place op to write `from_` into `to`: never
    from a float dtype into an integer or bool one, nor from an integer into bool."""
    return _CATEGORY[from_.np.kind] <= _CATEGORY[to.np.kind]


def broadcast_shapes(*shapes):
    """The shape that tensors of these shapes broadcast to (an int n counts as the shape (n,))."""
    shapes = [(s,) if isinstance(s, int) else s for s in shapes]
    common = [1] * max((len(s) for s in shapes), default=0)
    for arg, shape in enumerate(shapes):
        for i in range(-1, -1 - len(shape), -1):
            if common[i] == 1:
                common[i] = shape[i]
            elif shape[i] != 1 and shape[i] != common[i]:
                raise RuntimeError(
                    f"Attempting to broadcast a dimension of length {shape[i]} at {i}! Mismatching "
                    f"argument at index {arg} had {shape}; but expected shape should be "
                    f"broadcastable to {common}")
    return dtypes.Size.of(common)
