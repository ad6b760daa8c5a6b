"""torch.distributions.OneHotCategorical: Categorical's outcome as a one-hot vector (event
shape (K,)). Draws, densities and entropy go through a Categorical it keeps."""

from .. import _api as torch
from . import constraints
from .categorical import Categorical
from .distribution import Distribution, checked

__all__ = ["OneHotCategorical"]


class OneHotCategorical(Distribution):
    arg_constraints = {"probs": constraints.simplex, "logits": constraints.real_vector}
    support = constraints.one_hot
    has_enumerate_support = True

    def __init__(self, probs=None, logits=None, validate_args=None):
        self._categorical = Categorical(probs, logits)
        param = self._categorical._param
        super().__init__(param.shape[:-1], param.shape[-1:], validate_args=validate_args)

    def expand(self, batch_shape, _instance=None):
        new = self._get_checked_instance(OneHotCategorical, _instance)
        batch_shape = torch.Size(batch_shape)
        new._categorical = self._categorical.expand(batch_shape)
        Distribution.__init__(new, batch_shape, self._event_shape, validate_args=False)
        new._validate_args = self._validate_args
        return new

    probs = property(lambda self: self._categorical.probs)
    logits = property(lambda self: self._categorical.logits)
    param_shape = property(lambda self: self._categorical.param_shape)
    mean = property(lambda self: self._categorical.probs)
    variance = property(lambda self: self._categorical.probs * (1 - self._categorical.probs))

    @property
    def mode(self):
        probs = self._categorical.probs
        return torch.nn.functional.one_hot(probs.argmax(-1), probs.shape[-1]).to(probs)

    def sample(self, sample_shape=torch.Size()):
        probs = self._categorical.probs
        index = self._categorical.sample(sample_shape)
        return torch.nn.functional.one_hot(index, probs.shape[-1]).to(probs)

    def log_prob(self, value):
        index = checked(self, value).max(-1)[1]
        return self._categorical.log_prob(index)

    def entropy(self):
        return self._categorical.entropy()

    def enumerate_support(self, expand=True):
        n = self._event_shape[0]
        outcomes = torch.eye(n, dtype=self._categorical._param.dtype)
        outcomes = outcomes.view((n,) + (1,) * len(self._batch_shape) + (n,))
        return outcomes.expand((n,) + self._batch_shape + (n,)) if expand else outcomes
