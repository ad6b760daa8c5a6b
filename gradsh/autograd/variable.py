"""torch.autograd.Variable, the pre-0.4 name: every tensor is a Variable, and Variable(t) is a
tensor sharing t's storage (requires_grad as asked)."""

from ..core.tensor import Tensor


class _VariableMeta(type):
    def __instancecheck__(cls, obj):
        return isinstance(obj, Tensor)


class Variable(metaclass=_VariableMeta):
    """Variable(tensor, requires_grad=False): a new tensor on tensor's storage."""

    def __new__(cls, data, requires_grad=False, volatile=False):
        if not isinstance(data, Tensor):
            raise TypeError(f"Variable data has to be a tensor, but got {type(data).__name__}")
        t = data.detach()
        if requires_grad:
            t.requires_grad_(True)
        return t


Variable.__module__ = "torch.autograd.variable"
