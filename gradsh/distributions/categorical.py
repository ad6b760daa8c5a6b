"""torch.distributions.Categorical: an index in [0, K) drawn with the given probabilities
(normalized over the last dim) or logits (normalized by logsumexp); draws by multinomial."""

import math

from .. import _api as torch
from . import constraints
from .bernoulli import _outcomes_over_batch, one_parameter
from .distribution import Distribution, lazy_property, logits_to_probs, probs_to_logits

__all__ = ["Categorical"]

_NORMALIZE = {"probs": lambda p: p / p.sum(-1, keepdim=True),
              "logits": lambda z: z - z.logsumexp(dim=-1, keepdim=True)}


class Categorical(Distribution):
    arg_constraints = {"probs": constraints.simplex, "logits": constraints.real_vector}
    has_enumerate_support = True
    _expand_params = {"probs": 1, "logits": 1}
    _expand_copy = ("_num_events", "_given")

    def __init__(self, probs=None, logits=None, validate_args=None):
        name, given = one_parameter(probs, logits)
        if given.dim() < 1:
            raise ValueError(f"`{name}` parameter must be at least one-dimensional.")
        self.__dict__[name] = _NORMALIZE[name](given)
        self._given = name
        *batch, self._num_events = given.size()
        super().__init__(torch.Size(batch), validate_args=validate_args)

    @property
    def _param(self):
        return self.__dict__[self._given]

    param_shape = property(lambda self: self._param.size())

    @constraints.dependent_property(is_discrete=True, event_dim=0)
    def support(self):
        return constraints.integer_interval(0, self._num_events - 1)

    @lazy_property
    def logits(self):
        return probs_to_logits(self.probs)

    @lazy_property
    def probs(self):
        return logits_to_probs(self.logits)

    def _undefined(self):
        return torch.full(self._extended_shape(), math.nan, dtype=self.probs.dtype)

    mean = property(_undefined)
    variance = property(_undefined)
    mode = property(lambda self: self.probs.argmax(dim=-1))

    def sample(self, sample_shape=torch.Size()):
        sample_shape = torch.Size(tuple(sample_shape))
        rows = self.probs.reshape(-1, self._num_events)
        draws = torch.multinomial(rows, sample_shape.numel(), True).T
        return draws.reshape(self._extended_shape(sample_shape))

    def log_prob(self, value):
        if self._validate_args:
            self._validate_sample(value)
        index, table = torch.broadcast_tensors(value.long().unsqueeze(-1), self.logits)
        return table.gather(-1, index[..., :1]).squeeze(-1)

    def entropy(self):
        # -sum p log p, with -inf logits clamped so that 0 * log 0 counts as 0
        floor = torch.finfo(self.logits.dtype).min
        return -(torch.clamp(self.logits, min=floor) * self.probs).sum(-1)

    def enumerate_support(self, expand=True):
        outcomes = torch.arange(self._num_events, dtype=torch.long)
        return _outcomes_over_batch(outcomes, self._batch_shape, expand)
