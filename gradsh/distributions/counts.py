"""torch.distributions.Multinomial (counts of total_count Categorical draws) and
NegativeBinomial (failures before total_count successes: a Poisson of a Gamma rate), drawn as
PyTorch draws them so that the numbers are its under manual_seed."""

import math

from .. import _api as torch
from . import constraints
from .bernoulli import BinaryParameter, one_parameter
from .binomial import Binomial
from .categorical import Categorical
from .distribution import Distribution, broadcast_all, checked
from .gamma import Gamma

__all__ = ["Multinomial", "NegativeBinomial"]


class Multinomial(Distribution):
    arg_constraints = {"probs": constraints.simplex, "logits": constraints.real_vector}
    _expand_params = {}
    _expand_copy = ("total_count",)
    _expand_inner = ("_categorical", "_binomial")

    def __init__(self, total_count=1, probs=None, logits=None, validate_args=None):
        if not isinstance(total_count, int):
            raise NotImplementedError("inhomogeneous total_count is not supported")
        self.total_count = total_count
        self._categorical = Categorical(probs=probs, logits=logits)
        self._binomial = Binomial(total_count=total_count, probs=self._categorical.probs)
        super().__init__(self._categorical.batch_shape, self._categorical.param_shape[-1:],
                         validate_args=validate_args)

    support = constraints.dependent_property(
        lambda self: constraints.multinomial(self.total_count), is_discrete=True, event_dim=1)
    probs = property(lambda self: self._categorical.probs)
    logits = property(lambda self: self._categorical.logits)
    param_shape = property(lambda self: self._categorical.param_shape)
    mean = property(lambda self: self.probs * self.total_count)
    variance = property(lambda self: self.total_count * self.probs * (1 - self.probs))

    def sample(self, sample_shape=torch.Size()):
        sample_shape = torch.Size(tuple(sample_shape))
        # total_count category draws along a new first dim, moved last, then counted
        draws = self._categorical.sample(torch.Size((self.total_count,)) + sample_shape)
        draws = draws.permute(*range(1, draws.dim()), 0)
        counts = torch.zeros(self._extended_shape(sample_shape), dtype=draws.dtype)
        counts.scatter_add_(-1, draws, torch.ones_like(draws))
        return counts.type_as(self.probs)

    def log_prob(self, value):
        checked(self, value)
        logits, value = broadcast_all(self.logits, value)
        logits = logits.clone(memory_format=torch.contiguous_format)
        # n! / prod(x_i!) * prod(p_i ^ x_i), with 0 * log 0 taken as 0
        log_n_factorial = torch.lgamma(value.sum(-1) + 1)
        log_x_factorials = torch.lgamma(value + 1).sum(-1)
        logits[(value == 0) & (logits == -math.inf)] = 0
        return log_n_factorial - log_x_factorials + (logits * value).sum(-1)

    def entropy(self):
        n = torch.tensor(self.total_count)
        # sum over each count's binomial marginal of P(x_i = k) log k!
        ks = self._binomial.enumerate_support(expand=False)[1:]
        weights = torch.lgamma(ks + 1)
        marginal = self._binomial.log_prob(ks).exp()
        return (n * self._categorical.entropy() - torch.lgamma(n + 1)
                + (marginal * weights).sum([0, -1]))


class NegativeBinomial(BinaryParameter, Distribution):
    arg_constraints = {"total_count": constraints.greater_than_eq(0),
                       "probs": constraints.half_open_interval(0.0, 1.0),
                       "logits": constraints.real}
    support = constraints.nonnegative_integer
    _expand_params = {"total_count": 0, "probs": 0, "logits": 0}
    _expand_copy = ("_given",)

    def __init__(self, total_count, probs=None, logits=None, validate_args=None):
        name, given = one_parameter(probs, logits)
        self.total_count, param = broadcast_all(total_count, given)
        self.total_count = self.total_count.type_as(param)
        self.__dict__[name] = param
        self._given = name
        super().__init__(param.size(), validate_args=validate_args)


    mean = property(lambda self: self.total_count * torch.exp(self.logits))
    mode = property(lambda self: ((self.total_count - 1) * self.logits.exp()).floor()
                    .clamp(min=0.0))
    variance = property(lambda self: self.mean / torch.sigmoid(-self.logits))

    def sample(self, sample_shape=torch.Size()):
        with torch.no_grad():
            rate = Gamma(concentration=self.total_count, rate=torch.exp(-self.logits),
                         validate_args=False).sample(sample_shape)
            return torch.poisson(rate)

    def log_prob(self, value):
        checked(self, value)
        logsigmoid = torch.nn.functional.logsigmoid
        k, r = value, self.total_count
        unnormalized = r * logsigmoid(-self.logits) + k * logsigmoid(self.logits)
        # log C(k + r - 1, k), 0 when k + r = 0
        normalizer = -torch.lgamma(r + k) + torch.lgamma(1.0 + k) + torch.lgamma(r)
        normalizer = normalizer.masked_fill(r + k == 0.0, 0.0)
        return unnormalized - normalizer
