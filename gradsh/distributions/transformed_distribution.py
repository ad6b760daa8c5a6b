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

    def __init__(self, base_distribution, transforms, validate_args=None):
        if isinstance(transforms, Transform):
            transforms = [transforms]
        elif not (isinstance(transforms, list)
                  and all(isinstance(t, Transform) for t in transforms)):
            raise ValueError("transforms must be a Transform or a list of Transforms")
        self.transforms = list(transforms)
        self.base_dist = base_distribution
        # the transforms here act elementwise or on the base's own event dims
        event_dim = max([len(base_distribution.event_shape)]
                        + [t.codomain.event_dim for t in self.transforms])
        shape = base_distribution.batch_shape + base_distribution.event_shape
        split = len(shape) - event_dim
        super().__init__(shape[:split], shape[split:], validate_args=validate_args)

    def expand(self, batch_shape, _instance=None):
        new = self._get_checked_instance(TransformedDistribution, _instance)
        batch_shape = torch.Size(batch_shape)
        new.base_dist = self.base_dist.expand(batch_shape + self.base_dist.batch_shape[
            len(self._batch_shape):])
        new.transforms = self.transforms
        Distribution.__init__(new, batch_shape, self._event_shape, validate_args=False)
        new._validate_args = self._validate_args
        return new

    @constraints.dependent_property(is_discrete=False)
    def support(self):
        return self.transforms[-1].codomain if self.transforms else self.base_dist.support

    has_rsample = property(lambda self: self.base_dist.has_rsample)

    def sample(self, sample_shape=torch.Size()):
        with torch.no_grad():
            x = self.base_dist.sample(sample_shape)
            for t in self.transforms:
                x = t(x)
            return x

    def rsample(self, sample_shape=torch.Size()):
        x = self.base_dist.rsample(sample_shape)
        for t in self.transforms:
            x = t(x)
        return x

    def log_prob(self, value):
        y = checked(self, value)
        event_dim = len(self._event_shape)
        lp = 0.0
        for t in reversed(self.transforms):
            x = t.inv(y)
            jac = t.log_abs_det_jacobian(x, y)
            lp = lp - sum_last_dims(jac, event_dim - t.codomain.event_dim)
            y = x
        base_lp = self.base_dist.log_prob(y)
        return lp + sum_last_dims(base_lp, event_dim - len(self.base_dist.event_shape))

    def _monotone_sign(self):
        sign = 1
        for t in self.transforms:
            sign = sign * t.sign
        return sign

    def cdf(self, value):
        for t in reversed(self.transforms):
            value = t.inv(value)
        if self._validate_args:
            self.base_dist._validate_sample(value)
        value = self.base_dist.cdf(value)
        sign = self._monotone_sign()
        return value if _is_one(sign) else sign * (value - 0.5) + 0.5

    def icdf(self, value):
        sign = self._monotone_sign()
        value = value if _is_one(sign) else sign * (value - 0.5) + 0.5
        value = self.base_dist.icdf(value)
        for t in self.transforms:
            value = t(value)
        return value


def _is_one(sign):
    return sign == 1 if isinstance(sign, int) else False
