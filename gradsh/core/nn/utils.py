"""nn.utils: gradient clipping and flattening parameters into one vector, as PyTorch 2.13's.

clip_grad_norm_ computes the total norm as PyTorch does (the norm of each gradient, then the
norm of those norms) and scales every gradient in place by min(1, max_norm / (total + 1e-6)).
"""

from ..dtypes import read_items
from ..grad_mode import no_grad
from ..ops.reduce import norm as _norm
from ..ops.shape import cat, stack
from ..tensor import Tensor

__all__ = ["clip_grad_norm_", "clip_grad_value_", "get_total_norm", "clip_grads_with_norm_",
           "parameters_to_vector", "vector_to_parameters"]


def _tensors(parameters):
    if isinstance(parameters, Tensor):
        return [parameters]
    return list(read_items(parameters, "the parameters"))  # an endless iterable stops


def _grads(parameters):
    return [p.grad for p in _tensors(parameters) if p.grad is not None]


def get_total_norm(tensors, norm_type=2.0, error_if_nonfinite=False, foreach=None):
    """The norm_type-norm of the norms of the tensors (tensor(0.) when there are none)."""
    tensors = _tensors(tensors)
    norm_type = float(norm_type)
    if not tensors:
        return Tensor(0.0)
    with no_grad():
        total = _norm(stack([_norm(t, norm_type) for t in tensors]), norm_type)
    if error_if_nonfinite and (bool(total.isnan()) or bool(total.isinf())):
        raise RuntimeError(f"The total norm of order {norm_type} for gradients from `parameters` "
                           "is non-finite, so it cannot be clipped. To disable this error and "
                           "scale the gradients by the non-finite norm anyway, set "
                           "`error_if_nonfinite=False`")
    return total


def clip_grads_with_norm_(parameters, max_norm, total_norm, foreach=None):
    """Scale the gradients in place by min(1, max_norm / (total_norm + 1e-6))."""
    grads = _grads(parameters)
    if not grads:
        return
    with no_grad():
        coef = (float(max_norm) / (total_norm + 1e-6)).clamp(max=1.0)
        for g in grads:
            g.mul_(coef)


def clip_grad_norm_(parameters, max_norm, norm_type=2.0, error_if_nonfinite=False, foreach=None):
    """Clip the gradients' total norm to max_norm; returns the total norm before clipping."""
    parameters = _tensors(parameters)
    total = get_total_norm(_grads(parameters), norm_type, error_if_nonfinite, foreach)
    clip_grads_with_norm_(parameters, max_norm, total, foreach)
    return total


def clip_grad_value_(parameters, clip_value, foreach=None):
    """Clamp every gradient in place to [-clip_value, clip_value]."""
    clip_value = float(clip_value)
    grads = list(_grads(parameters))
    if not grads:  # PyTorch's foreach kernel is handed an empty list, and says so
        raise RuntimeError(_NO_GRADS_TO_CLAMP)
    with no_grad():
        for g in grads:
            g.clamp_(min=-clip_value, max=clip_value)


_NO_GRADS_TO_CLAMP = ("Expected !nested_tensorlist[0].empty() to be true, but got false.  (Could "
                      "this error message be improved?  If so, please report an enhancement "
                      "request to PyTorch.)")


def parameters_to_vector(parameters):
    """The parameters flattened and concatenated into one vector (differentiable)."""
    return cat([p.view(-1) for p in parameters])


def vector_to_parameters(vec, parameters):
    """Copy consecutive slices of vec into the parameters' data."""
    if not isinstance(vec, Tensor):
        raise TypeError(f"expected torch.Tensor, but got: {type(vec).__name__}")
    start = 0
    for p in parameters:
        n = p.numel()
        p.data = vec[start:start + n].view_as(p).data
        start += n
