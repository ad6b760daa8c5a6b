"""torch.distributions.TransformedDistribution: a base distribution pushed through a list of
transforms. A draw maps a base draw forward; log_prob maps the value back through the
inverses, subtracting each log |Jacobian| (the change of variables)."""

from .. import _api as torch
from . import constraints
from .distribution import Distribution, checked, sum_last_dims
from .transforms import Transform

__all__ = ["TransformedDistribution"]


class TransformedDistribution(Distribution):
    arg_constraints = {}
    _expand_params = {}
    _expand_copy = ("transforms",)
    _expand_inner = ("base_dist",)

    def __init__(self, base_distribution, transforms, validate_args=None):
        steps = [transforms] if isinstance(transforms, Transform) else transforms
        if not (isinstance(steps, list) and all(isinstance(t, Transform) for t in steps)):
            raise ValueError("transforms must be a Transform or a list of Transforms")
        self.base_dist, self.transforms = base_distribution, list(steps)
        # elementwise transforms keep the base's shapes; one acting on vectors (event_dim
        # 1) turns that many batch dims into event dims
        base = base_distribution
        n_event = len(base.event_shape)
        whole = base.batch_shape + base.event_shape
        for step in steps:  # the event dims each step needs, and the shape it makes
            n_event = max(n_event, step.domain.event_dim)
            n_event += step.codomain.event_dim - step.domain.event_dim
            whole = step.forward_shape(whole)
        cut = len(whole) - n_event
        super().__init__(whole[:cut], whole[cut:], validate_args=validate_args)

    def _support(self):
        return self.transforms[-1].codomain if self.transforms else self.base_dist.support

    support = constraints.dependent_property(_support)

    has_rsample = property(lambda self: self.base_dist.has_rsample)

    def _pushed(self, x):
        for step in self.transforms:
            x = step(x)
        return x

    def _pulled_back(self, y):
        for step in self.transforms[::-1]:
            y = step.inv(y)
        return y

    def sample(self, sample_shape=torch.Size()):
        with torch.no_grad():
            return self._pushed(self.base_dist.sample(sample_shape))

    def rsample(self, sample_shape=torch.Size()):
        return self._pushed(self.base_dist.rsample(sample_shape))

    def log_prob(self, value):
        y = checked(self, value)
        n_event = len(self._event_shape)
        total = 0.0
        for step in self.transforms[::-1]:
            x = step.inv(y)
            # a transform's own event dims are summed by it; the rest of ours here
            total = total - sum_last_dims(step.log_abs_det_jacobian(x, y),
                                          n_event - step.codomain.event_dim)
            y = x
        inner = sum_last_dims(self.base_dist.log_prob(y), n_event - len(self.base_dist.event_shape))
        return total + inner

    def _orientation(self):
        """+1 when the composed map increases, -1 when it decreases (a CDF flips then)."""
        sign = 1
        for step in self.transforms:
            sign = sign * step.sign
        return sign

    def cdf(self, value):
        x = checked(self.base_dist, self._pulled_back(value)) if self._validate_args \
            else self._pulled_back(value)
        return _oriented(self.base_dist.cdf(x), self._orientation())

    def icdf(self, value):
        return self._pushed(self.base_dist.icdf(_oriented(value, self._orientation())))


def _oriented(p, sign):
    """p for an increasing map, else reflected about 1/2 where the map decreases (sign may
    be a tensor of signs when an affine scale is)."""
    if type(sign) is int and sign > 0:
        return p
    return sign * (p - 0.5) + 0.5
