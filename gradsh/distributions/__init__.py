"""torch.distributions in gradsh: Normal, Uniform, Bernoulli, Categorical, OneHotCategorical,
MultivariateNormal, Independent, Exponential, Laplace, Cauchy, Gamma, Chi2, Beta, Dirichlet,
Poisson, Binomial, Geometric, StudentT, MixtureSameFamily, Multinomial, NegativeBinomial,
FisherSnedecor, OneHotCategoricalStraightThrough, and through TransformedDistribution LogNormal,
Gumbel, HalfNormal, HalfCauchy, Pareto, Weibull, InverseGamma, Kumaraswamy, LogisticNormal,
RelaxedBernoulli and RelaxedOneHotCategorical, VonMises, ContinuousBernoulli,
LowRankMultivariateNormal, GeneralizedPareto, Wishart, LKJCholesky; kl_divergence between them.
Draws under manual_seed,
log_prob, entropy, grad_fn names and gradients print as PyTorch prints them (docs/nn.md lists
the gaps)."""

from . import constraint_registry, constraints, transforms  # noqa: F401
from .. import module_paths as _module_paths
from .bernoulli import Bernoulli
from .beta import Beta
from .binomial import Binomial
from .categorical import Categorical
from .cauchy import Cauchy
from .chi2 import Chi2
from .constraint_registry import biject_to, transform_to
from .continuous_bernoulli import ContinuousBernoulli
from .dirichlet import Dirichlet
from .distribution import Distribution, ExponentialFamily
from .counts import Multinomial, NegativeBinomial
from .exponential import Exponential
from .fishersnedecor import FisherSnedecor
from .gamma import Gamma
from .generalized_pareto import GeneralizedPareto
from .geometric import Geometric
from .gumbel import Gumbel
from .half_normal import HalfNormal
from .heavy_tailed import HalfCauchy, InverseGamma, Kumaraswamy, LogisticNormal, Pareto, Weibull
from .independent import Independent
from .kl import kl_divergence, register_kl
from . import kl_continuous_bernoulli, kl_lowrank, kl_more, kl_pareto
from . import kl as _kl
from .laplace import Laplace
from .lkj_cholesky import LKJCholesky
from .log_normal import LogNormal
from .lowrank_multivariate_normal import LowRankMultivariateNormal
from .mixture_same_family import MixtureSameFamily
from .multivariate_normal import MultivariateNormal
from .normal import Normal
from .one_hot_categorical import OneHotCategorical, OneHotCategoricalStraightThrough
from .poisson import Poisson
from .relaxed import RelaxedBernoulli, RelaxedOneHotCategorical
from .studentt import StudentT
from .transformed_distribution import TransformedDistribution
from .transforms import (AbsTransform, AffineTransform, CatTransform, ComposeTransform,
                         CorrCholeskyTransform, CumulativeDistributionTransform, ExpTransform,
                         IndependentTransform, LowerCholeskyTransform,
                         PositiveDefiniteTransform, PowerTransform, ReshapeTransform,
                         SigmoidTransform, SoftmaxTransform, SoftplusTransform,
                         StackTransform, StickBreakingTransform, TanhTransform, Transform,
                         identity_transform)
from .uniform import Uniform
from .von_mises import VonMises
from .wishart import Wishart

__all__ = ["Bernoulli", "Beta", "Binomial", "Categorical", "Cauchy", "Chi2", "ContinuousBernoulli",
           "Dirichlet",
           "Distribution", "Exponential", "ExponentialFamily", "FisherSnedecor", "Gamma",
           "GeneralizedPareto",
           "Geometric", "Gumbel", "HalfCauchy", "HalfNormal", "Independent", "InverseGamma",
           "Kumaraswamy", "LKJCholesky", "Laplace", "LogNormal",
           "LowRankMultivariateNormal", "LogisticNormal", "MixtureSameFamily",
           "Multinomial", "MultivariateNormal", "NegativeBinomial", "Normal", "OneHotCategorical",
           "OneHotCategoricalStraightThrough", "Pareto", "Poisson", "RelaxedBernoulli",
           "RelaxedOneHotCategorical", "StudentT", "TransformedDistribution", "Uniform", "VonMises",
           "Weibull", "Wishart", "biject_to", "constraint_registry", "constraints", "kl_divergence",
           "register_kl", "transform_to", "transforms",
           "AbsTransform", "AffineTransform", "CatTransform", "ComposeTransform",
           "CorrCholeskyTransform", "StackTransform",
           "CumulativeDistributionTransform", "LowerCholeskyTransform", "PositiveDefiniteTransform",
           "ExpTransform", "IndependentTransform", "PowerTransform", "ReshapeTransform",
           "SigmoidTransform", "SoftmaxTransform", "SoftplusTransform", "StickBreakingTransform",
           "TanhTransform", "Transform", "identity_transform"]

# imported for their register_kl calls (the further families' pairs)
del kl_continuous_bernoulli, kl_lowrank, kl_more, kl_pareto
_kl.keep_built_ins()

# torch.distributions.pareto and PyTorch's other longer paths (gradsh/module_paths.py)
_SWEPT = _module_paths.swept(__name__)
__getattr__ = _module_paths.package_getattr(__name__, "torch.distributions")
