"""F.rms_norm: PyTorch's CPU composition, x * rsqrt(mean(x^2) + eps) (* weight), so the graph
has its nodes: MulBackward0 over RsqrtBackward0, AddBackward1, MeanBackward1, PowBackward0."""

from .pointwise import add_scalar
from .registry import declare
from ..dtypes import float32, np_finfo, read_items

_F32 = float32.np


def _shape_error(shape, input):
    return RuntimeError(f"Given normalized_shape={list(shape)}, expected input with shape "
                        f"[*{', '.join(str(s) for s in shape)}], but got input of size"
                        f"{list(input.shape)}")


@declare(method=False, nn=True, tensor_first=True)
def rms_norm(input, normalized_shape, weight=None, eps=None):
    """input / sqrt(mean(input^2 over the last len(normalized_shape) dims) + eps) * weight."""
    shape = (normalized_shape,) if isinstance(normalized_shape, int) else \
        tuple(read_items(normalized_shape, "normalized_shape"))
    n = len(shape)
    if n == 0 or input.ndim < n or tuple(input.shape[-n:]) != shape:
        raise _shape_error(shape, input)
    if weight is not None and tuple(weight.shape) != shape:
        raise RuntimeError(f"Expected weight to be of same shape as normalized_shape, but got "
                           f"weight of shape {list(weight.shape)} and normalized_shape = "
                           f"{list(shape)}")
    if input._data.dtype.kind not in "fcV":   # ATen dispatches floating types only
        raise NotImplementedError('"rms_norm" not implemented for \'%s\''
                                  % input.dtype._short)
    # (float16 and bfloat16 compute in float32, ATen's upcast)
    low = input.dtype if input._data.dtype.kind == "V" or input._data.dtype.name == "float16" \
        else None
    if eps is None:  # (bfloat16 computes in float32, with float32's eps)
        eps = float(np_finfo(input._data.dtype if low is None else _F32).eps)
    dims = list(range(input.ndim - n, input.ndim))
    x = input if low is None else input.float()  # ATen upcasts bfloat16 (ToCopyBackward0s)
    out = x * add_scalar(x.pow(2).mean(dims, keepdim=True), eps).rsqrt()
    out = out if weight is None else out * weight
    if low is None and out.dtype != input.dtype:  # (a weight of another dtype: the input's)
        low = input.dtype
    # ATen's composite ends in .contiguous() (a CloneBackward0 when the input was not)
    return (out if low is None else out.to(low)).contiguous()
