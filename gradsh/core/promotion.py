"""torch.result_type and torch.promote_types: PyTorch's type promotion, asked directly."""

from collections.abc import Sequence

from . import dtypes
from .errors import TorchAssertionError
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
    """The shape that tensors of these shapes broadcast to, checked in PyTorch's order: an int n
    counts as the shape (n,), None is skipped, and anything but a sequence (a tensor, a numpy
    integer, a dict) is refused before any size is read, so a tensor of 10^6 elements is not
    walked element by element. A comparison of sizes must give a bool (PyTorch's guard)."""
    shapes = [(s,) if isinstance(s, int) else s for s in shapes if s is not None]
    for shape in shapes:
        if not isinstance(shape, Sequence):
            raise RuntimeError("Input shapes should be of type ints, a tuple of ints, or a list "
                               f"of ints, got {shape}")
    common = [1] * max((len(s) for s in shapes), default=0)
    for arg, shape in enumerate(shapes):
        for i in range(-1, -1 - len(shape), -1):
            size = shape[i]
            if _decided(size == common[i]):
                continue
            if _decided(common[i] == 1):
                if size < 0:
                    raise ValueError("Attempting to broadcast a dimension with negative length!")
                common[i] = size
            if not _decided(size == 1) and not _decided(common[i] == size):
                raise RuntimeError(
                    f"Attempting to broadcast a dimension of length {size} at {i}! Mismatching "
                    f"argument at index {arg} had {shape}; but expected shape should be "
                    f"broadcastable to {common}")
    return dtypes.Size(common)


def _decided(answer):
    """A comparison of two sizes as a bool; anything else (a tensor's or numpy's elementwise
    answer) is PyTorch's AssertionError."""
    if type(answer) is not bool:
        raise TorchAssertionError(f"Expected bool, got {type(answer)!r}")
    return answer
