"""torch.distributions in gradsh: Normal, Uniform, Bernoulli, Categorical,
MultivariateNormal, Independent, and kl_divergence between them. Draws under manual_seed,
log_prob, entropy, grad_fn names and gradients print as PyTorch prints them."""

from . import constraints  # noqa: F401
from .bernoulli import Bernoulli
from .categorical import Categorical
from .distribution import Distribution, ExponentialFamily
from .independent import Independent
from .kl import kl_divergence, register_kl
from .multivariate_normal import MultivariateNormal
from .normal import Normal
from .uniform import Uniform

__all__ = ["Bernoulli", "Categorical", "Distribution", "ExponentialFamily", "Independent",
           "MultivariateNormal", "Normal", "Uniform", "constraints", "kl_divergence",
           "register_kl"]
