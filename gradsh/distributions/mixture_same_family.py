"""torch.distributions.MixtureSameFamily: a Categorical over K components that all come from
one batched distribution (its rightmost batch dim indexes them), e.g. a Gaussian mixture.
A draw picks the component indices first, then draws every component and keeps the picked
one (the order PyTorch's draws come in); log_prob is the logsumexp over the components."""

from .. import _api as torch
from . import constraints
from .categorical import Categorical
from .distribution import Distribution

__all__ = ["MixtureSameFamily"]


class _MixtureSameFamilyConstraint(constraints.Constraint):
    """The components' support; a value counts once for all components."""

    def __init__(self, inner):
        self.base_constraint = inner

    is_discrete = property(lambda self: self.base_constraint.is_discrete)
    event_dim = property(lambda self: self.base_constraint.event_dim)

    def check(self, value):
        return self.base_constraint.check(value)

    def __repr__(self):
        return f"MixtureSameFamilyConstraint({self.base_constraint!r})"


class MixtureSameFamily(Distribution):
    arg_constraints = {}
    has_rsample = False
    _expand_params = {}
    _expand_copy = ("_num_component", "_event_ndims")
    _expand_inner = ("_mixture_distribution", "_component_distribution")

    def __init__(self, mixture_distribution, component_distribution, validate_args=None):
        mix, comp = mixture_distribution, component_distribution
        if not isinstance(mix, Categorical):
            raise ValueError(" The Mixture distribution needs to be an  instance of "
                             "torch.distributions.Categorical")
        if not isinstance(comp, Distribution):
            raise ValueError("The Component distribution needs to be an instance of "
                             "torch.distributions.Distribution")
        mix_batch, comp_batch = mix.batch_shape, comp.batch_shape[:-1]
        for m, c in zip(reversed(mix_batch), reversed(comp_batch)):
            if m != 1 and c != 1 and m != c:
                raise ValueError(f"`mixture_distribution.batch_shape` ({mix_batch}) is not "
                                 f"compatible with `component_distribution.batch_shape`"
                                 f"({comp_batch})")
        k = mix.logits.shape[-1]  # (reading logits keeps them, as PyTorch)
        if k != comp.batch_shape[-1]:
            raise ValueError(f"`mixture_distribution component` ({k}) does not equal "
                             f"`component_distribution.batch_shape[-1]` ({comp.batch_shape[-1]})")
        self._mixture_distribution, self._component_distribution = mix, comp
        self._num_component, self._event_ndims = k, len(comp.event_shape)
        super().__init__(comp_batch, comp.event_shape, validate_args=validate_args)

    mixture_distribution = property(lambda self: self._mixture_distribution)
    component_distribution = property(lambda self: self._component_distribution)

    def _support(self):
        return _MixtureSameFamilyConstraint(self._component_distribution.support)

    support = constraints.dependent_property(_support)

    def _weights(self):
        """The mixture probabilities shaped to broadcast against a component quantity."""
        probs = self._mixture_distribution.probs
        return probs.reshape(probs.shape + (1,) * self._event_ndims)

    def _component_dim(self):
        return -1 - self._event_ndims

    @property
    def mean(self):
        return torch.sum(self._weights() * self._component_distribution.mean,
                         dim=self._component_dim())

    @property
    def variance(self):
        # the law of total variance: the mean variance plus the variance of the means
        w, comp, dim = self._weights(), self._component_distribution, self._component_dim()
        within = torch.sum(w * comp.variance, dim=dim)
        spread = torch.sum(w * (comp.mean - self._pad(self.mean)).pow(2.0), dim=dim)
        return within + spread

    def _pad(self, x):
        return x.unsqueeze(self._component_dim())

    def cdf(self, x):
        per_component = self._component_distribution.cdf(self._pad(x))
        return torch.sum(per_component * self._mixture_distribution.probs, dim=-1)

    def log_prob(self, x):
        if self._validate_args:
            self._validate_sample(x)
        per_component = self._component_distribution.log_prob(self._pad(x))
        log_weights = torch.log_softmax(self._mixture_distribution.logits, dim=-1)
        return torch.logsumexp(per_component + log_weights, dim=-1)

    def sample(self, sample_shape=torch.Size()):
        with torch.no_grad():
            n_sample = len(tuple(sample_shape))
            index = self._mixture_distribution.sample(sample_shape)
            draws = self._component_distribution.sample(sample_shape)
            # index: sample + batch; shaped to pick along the component dim of the draws
            lead = index.shape
            index = index.reshape(lead + (1,) * (self._event_ndims + 1))
            index = index.expand(lead + (1,) + self._event_shape)
            picked = torch.gather(draws, n_sample + len(self._batch_shape), index)
            return picked.squeeze(n_sample + len(self._batch_shape))

    def __repr__(self):
        return (f"{type(self).__name__}(\n  {self._mixture_distribution},\n"
                f"  {self._component_distribution})")
