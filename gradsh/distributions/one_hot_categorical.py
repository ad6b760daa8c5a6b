"""torch.distributions.OneHotCategorical: Categorical's outcome as a one-hot vector (event
shape (K,)). Draws, densities and entropy go through the Categorical it keeps."""

from .. import _api as torch
from . import constraints
from .categorical import Categorical
from .distribution import Distribution, checked

__all__ = ["OneHotCategorical", "OneHotCategoricalStraightThrough"]


def _one_hot_like(index, probs):
    return torch.nn.functional.one_hot(index, probs.shape[-1]).to(probs)


class OneHotCategorical(Distribution):
    arg_constraints = {"probs": constraints.simplex, "logits": constraints.real_vector}
    support = constraints.one_hot
    has_enumerate_support = True
    _expand_params = {}
    _expand_inner = ("_categorical",)

    def __init__(self, probs=None, logits=None, validate_args=None):
        inner = Categorical(probs, logits)
        self._categorical = inner
        super().__init__(inner.batch_shape, inner.param_shape[-1:], validate_args=validate_args)

    probs = property(lambda self: self._categorical.probs)
    logits = property(lambda self: self._categorical.logits)
    param_shape = property(lambda self: self._categorical.param_shape)
    mean = property(lambda self: self.probs)
    variance = property(lambda self: self.probs * (1 - self.probs))
    mode = property(lambda self: _one_hot_like(self.probs.argmax(-1), self.probs))

    def sample(self, sample_shape=torch.Size()):
        return _one_hot_like(self._categorical.sample(sample_shape), self.probs)

    def log_prob(self, value):
        # the position of the one (the first maximum) is the Categorical outcome
        return self._categorical.log_prob(checked(self, value).max(-1)[1])

    def entropy(self):
        return self._categorical.entropy()

    def enumerate_support(self, expand=True):
        k = self._event_shape[0]
        rows = torch.eye(k, dtype=self._categorical._param.dtype)
        rows = rows.view((k,) + (1,) * len(self._batch_shape) + (k,))
        return rows.expand((k,) + self._batch_shape + (k,)) if expand else rows


class OneHotCategoricalStraightThrough(OneHotCategorical):
    """A one-hot draw whose gradient is the probabilities' (the straight-through estimator)."""
    has_rsample = True

    def rsample(self, sample_shape=torch.Size()):
        draw = self.sample(sample_shape)
        p = self._categorical.probs
        return draw + (p - p.detach())
