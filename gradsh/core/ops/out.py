"""`out=` for the torch.* functions PyTorch's tutorials call with it (`torch.matmul(a, b,
out=y)`): the result is computed as usual and written into `out`, with PyTorch's checks (no
autograd through `out=`, no float result into an integer `out`) and its resizing of an `out` of
another shape (with its deprecation warning when `out` had elements)."""

import functools
import warnings

from .. import grad_mode
from ..promotion import can_cast
from ..tensor import Tensor

# the functions that take `out=` (each an ordinary torch.* function otherwise)
OUT_FUNCTIONS = frozenset("""add sub mul div matmul mm bmm mv dot cat stack exp log sqrt abs
    neg sin cos tanh sigmoid pow clamp maximum minimum sum mean""".split())


def _shape_text(shape):
    return "[" + ", ".join(str(s) for s in shape) + "]"


def write_out(name, result, out, inputs):
    """Copy result into out, as PyTorch's out= variants do; returns out."""
    if grad_mode.state.enabled and any(isinstance(t, Tensor) and t.requires_grad
                                       for t in inputs + (out,)):
        raise RuntimeError(f"{name}(): functions with out=... arguments don't support automatic "
                           "differentiation, but one of the arguments requires grad.")
    if not can_cast(result.dtype, out.dtype):
        raise RuntimeError(f"result type {result.dtype._short} can't be cast to the desired "
                           f"output type {out.dtype._short}")
    if tuple(out.shape) != tuple(result.shape):
        if out.numel():
            warnings.warn(f"An output with one or more elements was resized since it had shape "
                          f"{_shape_text(out.shape)}, which does not match the required output "
                          f"shape {_shape_text(result.shape)}. This behavior is deprecated, and "
                          "in a future PyTorch release outputs will not be resized unless they "
                          "have zero elements. You can explicitly reuse an out tensor t by "
                          "resizing it, inplace, to zero elements with t.resize_(0).",
                          UserWarning, stacklevel=3)
        out.resize_(*result.shape)
    return out.copy_(result)


def with_out(fn, name):
    """fn taking an `out=` tensor too."""
    @functools.wraps(fn)
    def call(*args, out=None, **kwargs):
        result = fn(*args, **kwargs)
        if out is None:
            return result
        return write_out(name, result, out, args + tuple(kwargs.values()))
    return call
