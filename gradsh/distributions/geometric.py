"""torch.distributions.Geometric: the number of failures before the first success of
Bernoulli(probs) trials (k = 0, 1, ...). A draw is floor(log(u) / log(1 - p)) for a uniform u
kept above the smallest normal number (PyTorch's draws under manual_seed)."""

from .. import _api as torch
from . import constraints
from .bernoulli import one_parameter
from .distribution import (Distribution, batch_shape_of, broadcast_all, checked, lazy_property,
                           logits_to_probs, probs_to_logits)

__all__ = ["Geometric"]


class Geometric(Distribution):
    arg_constraints = {"probs": constraints.unit_interval, "logits": constraints.real}
    support = constraints.nonnegative_integer
    _expand_params = {"probs": 0, "logits": 0}

    def __init__(self, probs=None, logits=None, validate_args=None):
        name, given = one_parameter(probs, logits)
        (param,) = broadcast_all(given)
        self.__dict__[name] = param
        super().__init__(batch_shape_of((given,), param), validate_args=validate_args)
        if name == "probs" and self._validate_args and not bool((param > 0).all()):
            # probability 0 is inside [0, 1] but never succeeds
            raise ValueError(f"Expected parameter probs ({type(param).__name__} of shape "
                             f"{tuple(param.shape)}) of distribution {self!r} to be "
                             f"positive but found invalid values:\n{param}")

    logits = lazy_property(lambda self: probs_to_logits(self.probs, True))
    probs = lazy_property(lambda self: logits_to_probs(self.logits, True))

    mean = property(lambda self: 1.0 / self.probs - 1.0)
    mode = property(lambda self: torch.zeros_like(self.probs))
    variance = property(lambda self: (1.0 / self.probs - 1.0) / self.probs)

    def sample(self, sample_shape=torch.Size()):
        p = self.probs
        with torch.no_grad():
            u = torch.rand(self._extended_shape(sample_shape), dtype=p.dtype)
            u = u.clamp(min=torch.finfo(p.dtype).tiny)
            return (u.log() / torch.log1p(-p)).floor()

    def log_prob(self, value):
        k, p = broadcast_all(checked(self, value), self.probs)
        # a certain success (p = 1) at k = 0 is log(1) = 0, not 0 * log(0)
        p = p.clone()
        p[(p == 1) & (k == 0)] = 0
        return k * (-p).log1p() + self.probs.log()

    def entropy(self):
        bce = torch.nn.functional.binary_cross_entropy_with_logits
        return bce(self.logits, self.probs, reduction="none") / self.probs
