"""torch.distributions.transforms: invertible maps y = f(x) that TransformedDistribution
pushes a base distribution through. Each knows its inverse and log |dy/dx| (summed over its
event dims), and its domain and codomain constraints. Reprs are PyTorch's (class name, no
fields; an inverse shows as _InverseTransform(...))."""

import math

from .. import _api as torch
from ..core.torchclass import TorchClass
from . import constraints

__all__ = ["AbsTransform", "AffineTransform", "ExpTransform", "SigmoidTransform",
           "TanhTransform", "Transform"]


class Transform(metaclass=TorchClass):
    bijective = False
    domain = constraints.real
    codomain = constraints.real
    sign = 1  # +1 increasing, -1 decreasing (the CDF of a decreasing map flips)

    def __init__(self, cache_size=0):
        if cache_size not in (0, 1):
            raise ValueError("cache_size must be 0 or 1")
        self._cache_size = cache_size
        self._inv = None

    event_dim = property(lambda self: self.domain.event_dim)

    @property
    def inv(self):
        if self._inv is None:
            self._inv = _InverseTransform(self)
        return self._inv

    def __call__(self, x):
        return self._call(x)

    def _inv_call(self, y):
        raise NotImplementedError

    def log_abs_det_jacobian(self, x, y):
        raise NotImplementedError

    def __eq__(self, other):
        # parameterless transforms of one class are the same map
        return type(self) is type(other)

    def __hash__(self):
        return hash(type(self))

    def __repr__(self):
        return type(self).__name__ + "()"


class _InverseTransform(Transform):
    """The inverse map of `forward`: its call is the other's inverse call, its Jacobian the
    other's negated with x and y swapped."""

    def __init__(self, forward):
        super().__init__(forward._cache_size)
        self._inv = forward

    domain = property(lambda self: self.inv.codomain)
    codomain = property(lambda self: self.inv.domain)
    bijective = property(lambda self: self.inv.bijective)
    sign = property(lambda self: self.inv.sign)
    inv = property(lambda self: self._inv)

    def __call__(self, x):
        return self.inv._inv_call(x)

    def __eq__(self, other):
        return isinstance(other, _InverseTransform) and self.inv == other.inv

    __hash__ = Transform.__hash__

    def log_abs_det_jacobian(self, x, y):
        forward = self.inv
        return -forward.log_abs_det_jacobian(y, x)

    def __repr__(self):
        return f"{type(self).__name__}({self.inv!r})"


_POSITIVE, _UNIT, _SYMMETRIC_UNIT = (constraints.positive, constraints.unit_interval,
                                     constraints.interval(-1.0, 1.0))


class ExpTransform(Transform):
    codomain = _POSITIVE
    bijective = True

    def _call(self, x):
        return x.exp()

    def _inv_call(self, y):
        return y.log()

    def log_abs_det_jacobian(self, x, y):
        return x


class SigmoidTransform(Transform):
    codomain = _UNIT
    bijective = True

    def _call(self, x):
        eps = torch.finfo(x.dtype).eps
        return torch.clamp(torch.sigmoid(x), min=eps, max=1 - eps)

    def _inv_call(self, y):
        eps = torch.finfo(y.dtype).eps
        y = y.clamp(min=eps, max=1 - eps)
        return y.log() - (-y).log1p()

    def log_abs_det_jacobian(self, x, y):
        # log(s (1 - s)) = -softplus(-x) - softplus(x)
        softplus = torch.nn.functional.softplus
        return -softplus(-x) - softplus(x)


class TanhTransform(Transform):
    codomain = _SYMMETRIC_UNIT
    bijective = True

    def _call(self, x):
        return x.tanh()

    def _inv_call(self, y):
        return torch.atanh(y)

    def log_abs_det_jacobian(self, x, y):
        # log(1 - tanh(x)^2) = 2 (log 2 - x - softplus(-2x)), stable for large |x|
        return 2.0 * (math.log(2.0) - x - torch.nn.functional.softplus(-2.0 * x))


class AbsTransform(Transform):
    codomain = _POSITIVE

    def _call(self, x):
        return x.abs()

    def _inv_call(self, y):
        return y  # the non-negative preimage


class AffineTransform(Transform):
    """y = loc + scale * x (event_dim trailing dims are one event)."""
    bijective = True

    def __init__(self, loc, scale, event_dim=0, cache_size=0):
        super().__init__(cache_size)
        self.loc, self.scale, self._event_dim = loc, scale, event_dim

    event_dim = property(lambda self: self._event_dim)

    def __eq__(self, other):
        same_kind = isinstance(other, AffineTransform)
        return same_kind and _same(self.loc, other.loc) and _same(self.scale, other.scale)

    __hash__ = Transform.__hash__

    @property
    def domain(self):
        base = constraints.real
        return constraints.independent(base, self._event_dim) if self._event_dim else base

    codomain = domain

    @property
    def sign(self):
        s = self.scale
        return (1 if s > 0 else -1 if s < 0 else 0) if isinstance(s, (int, float)) else s.sign()

    def _call(self, x):
        return self.loc + self.scale * x

    def _inv_call(self, y):
        shifted = y - self.loc
        return shifted / self.scale

    def log_abs_det_jacobian(self, x, y):
        s = self.scale
        if isinstance(s, (int, float)):
            result = torch.full_like(x, math.log(abs(s)))
        else:
            result = torch.abs(s).log()
        if self._event_dim:
            shape = result.size()[:result.dim() - self._event_dim] + (-1,)
            result = result.view(shape).sum(-1)
            shape = shape[:-1]
        else:
            shape = x.shape
        return result.expand(torch.broadcast_shapes(result.shape, shape))


def _same(a, b):
    """Equal parameters: numbers by value, tensors elementwise (broadcast)."""
    if isinstance(a, (int, float)) and isinstance(b, (int, float)):
        return a == b
    return bool((torch.as_tensor(a) == torch.as_tensor(b)).all())
