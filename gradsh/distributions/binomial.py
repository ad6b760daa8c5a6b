"""torch.distributions.Binomial: successes among total_count Bernoulli(probs) trials. Draws by
torch.binomial (PyTorch's BTRS / inversion draws under manual_seed)."""

from .. import _api as torch
from . import constraints
from .bernoulli import _outcomes_over_batch, one_parameter
from .distribution import (Distribution, broadcast_all, checked, lazy_property, logits_to_probs,
                           probs_to_logits)

__all__ = ["Binomial"]


class Binomial(Distribution):
    arg_constraints = {"total_count": constraints.nonnegative_integer,
                       "probs": constraints.unit_interval, "logits": constraints.real}
    has_enumerate_support = True
    _expand_params = {"total_count": 0, "probs": 0, "logits": 0}

    def __init__(self, total_count=1, probs=None, logits=None, validate_args=None):
        name, given = one_parameter(probs, logits)
        self.total_count, self.__dict__[name] = broadcast_all(total_count, given)
        self.total_count = self.total_count.type_as(self.__dict__[name])
        super().__init__(self.__dict__[name].size(), validate_args=validate_args)

    def _support(self):
        return constraints.integer_interval(0, self.total_count)

    support = constraints.dependent_property(_support, is_discrete=True, event_dim=0)
    logits = lazy_property(lambda self: probs_to_logits(self.probs, True))
    probs = lazy_property(lambda self: logits_to_probs(self.logits, True))

    param_shape = property(lambda self: (self.__dict__.get("probs")
                                         if "probs" in self.__dict__ else self.logits).size())
    mean = property(lambda self: self.total_count * self.probs)
    mode = property(lambda self: ((self.total_count + 1) * self.probs).floor().clamp(
        max=self.total_count))
    variance = property(lambda self: self.total_count * self.probs * (1 - self.probs))

    def sample(self, sample_shape=torch.Size()):
        full = self._extended_shape(sample_shape)
        with torch.no_grad():
            return torch.binomial(self.total_count.expand(full), self.probs.expand(full))

    def log_prob(self, value):
        k = checked(self, value)
        n, z = self.total_count, self.logits
        # k z - n softplus(z) + log C(n, k), in PyTorch's order of float operations (its
        # float32 digits): softplus(z) = max(z, 0) + log1p(exp(-|z|)), the normalizer
        # n softplus(z) - log n! taken first
        normalizer = (n * z.clamp(min=0) + n * torch.log1p(torch.exp(-z.abs()))
                      - torch.lgamma(n + 1))
        return k * z - torch.lgamma(k + 1) - torch.lgamma(n - k + 1) - normalizer

    def entropy(self):
        n = int(self.total_count.max())
        if not bool((self.total_count == n).all()):
            raise NotImplementedError("Inhomogeneous total count not supported by `entropy`.")
        outcomes = self.enumerate_support(False)
        log_p = self.log_prob(outcomes)
        return -(torch.exp(log_p) * log_p).sum(0)

    def enumerate_support(self, expand=True):
        n = int(self.total_count.max())
        if not bool((self.total_count == n).all()):
            raise NotImplementedError("Inhomogeneous total count not supported by "
                                      "`enumerate_support`.")
        outcomes = torch.arange(1 + n, dtype=self.total_count.dtype)
        return _outcomes_over_batch(outcomes, self._batch_shape, expand)
