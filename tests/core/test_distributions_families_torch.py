"""The distribution families beyond the first six (Exponential, Laplace, Cauchy, Gamma, Beta,
Dirichlet, Poisson, Binomial, Geometric, OneHotCategorical, StudentT, LogNormal, Gumbel,
HalfNormal, TransformedDistribution; Pareto, Weibull, HalfCauchy, InverseGamma, Kumaraswamy,
LogisticNormal, Multinomial, NegativeBinomial, the relaxed two, FisherSnedecor, VonMises,
ContinuousBernoulli, LowRankMultivariateNormal, GeneralizedPareto, Wishart, LKJCholesky and the
straight-through one-hot, with the transforms they are built of) against PyTorch itself: a sweep over
parameters of several shapes and both float dtypes, broadcast values and values at the
support's edges. Reprs, shapes, constraints and grad_fn names must be the same text; numbers
agree to the dtype's precision; draws under manual_seed are PyTorch's."""

import math

import numpy as np
import pytest

import gradsh

torch = pytest.importorskip("torch", reason="PyTorch is the oracle for torch.distributions")


def _params(t, dt):
    """(family, constructor args, values to score) per case."""
    T = lambda v: t.tensor(v, dtype=dt)  # noqa: E731
    return [
        ("Exponential", (T([0.5, 2.0, 3.0]),), T([0.0, 1.5, 4.0])),
        ("Exponential", (2.0,), T([[0.1], [3.0]])),
        ("Laplace", (T([0.0, 1.0]), T([[1.0], [2.0]])), T([-1.0, 3.0])),
        ("Laplace", (0.5, 2.0), T(0.5)),
        ("Cauchy", (T([0.0, -1.0]), 2.0), T([0.0, 10.0])),
        ("Gamma", (T([2.0, 0.5, 1.0]), T([1.0, 3.0, 0.5])), T([0.0, 1.0, 2.5])),
        ("Gamma", (T([[3.0], [0.25]]), 2.0), T([0.5, 4.0])),
        ("Beta", (T([2.0, 0.5]), T([3.0, 0.5])), T([0.3, 0.0])),
        ("Beta", (2.0, 3.0), T([0.25, 1.0])),
        ("Dirichlet", (T([[1.0, 2.0, 3.0], [0.5, 0.5, 4.0]]),), T([0.2, 0.3, 0.5])),
        ("Poisson", (T([0.0, 1.0, 20.0]),), T([0.0, 3.0, 17.0])),
        ("Poisson", (4.0,), T([[0.0], [2.0]])),
        ("Geometric", (T([0.3, 0.6, 1.0]),), T([0.0, 2.0, 0.0])),
        ("Binomial", (T([5.0, 10.0, 10.0]), T([0.3, 0.0, 1.0])), T([2.0, 0.0, 10.0])),
        ("Binomial", (7, T([[0.2], [0.9]])), T([0.0, 7.0])),
        ("StudentT", (T([3.0, 1.0, 1.5]), T([0.0, 1.0, 2.0]), 2.0), T([0.5, -1.0, 3.0])),
        ("StudentT", (T(4.0),), T(0.5)),
        ("Chi2", (T([1.0, 3.0]),), T([0.5, 2.0])),
        ("LogNormal", (T([0.0, 1.0]), T([1.0, 0.5])), T([1.5, 0.2])),
        ("Gumbel", (T([0.0, 1.0]), 2.0), T([0.5, -3.0])),
        ("HalfNormal", (T([1.0, 2.0]),), T([1.5, 0.0])),
        ("Pareto", (T([1.0, 2.0]), T([3.0, 0.5])), T([2.5, 4.0])),
        ("Pareto", (1.0, 2.0), T([1.5, 0.5])),
        ("Weibull", (T([1.0, 2.0]), T([1.5, 0.5])), T([0.5, 3.0])),
        ("HalfCauchy", (T([1.0, 2.0]),), T([0.5, 0.0])),
        ("InverseGamma", (T([3.0, 1.5]), T([1.0, 2.0])), T([0.5, 3.0])),
        ("Kumaraswamy", (T([2.0, 0.5]), T([3.0, 2.0])), T([0.3, 0.8])),
        ("LogisticNormal", (T([0.0, 1.0]), T([1.0, 0.5])), T([0.2, 0.3, 0.5])),
        ("Multinomial", (6, T([0.2, 0.3, 0.5])), T([1.0, 2.0, 3.0])),
        ("Multinomial", (3, None, T([[0.0, 1.0], [2.0, -1.0]])), T([1.0, 2.0])),
        ("NegativeBinomial", (T([3.0, 1.0]), T([0.4, 0.7])), T([2.0, 0.0])),
        ("NegativeBinomial", (2.0, None, T([0.5, -1.0])), T([1.0, 4.0])),
        ("RelaxedBernoulli", (T(0.5), T([0.3, 0.9])), T([0.2, 0.7])),
        ("RelaxedOneHotCategorical", (T(0.7), T([0.2, 0.3, 0.5])), T([0.2, 0.3, 0.5])),
        ("OneHotCategoricalStraightThrough", (T([0.3, 0.5, 0.2]),), T([0.0, 1.0, 0.0])),
        ("FisherSnedecor", (T([2.0, 5.0]), T([3.0, 6.0])), T([0.5, 2.0])),
        # concentrations on both sides of 3.75 (the Bessel polynomials switch) and below
        # 1e-5 (the sampler's proposal takes its Taylor form)
        ("VonMises", (T([0.0, 1.0, -3.0, 3.1]), T([0.5, 4.0, 1e-6, 50.0])),
         T([0.3, 3.0, -2.0, 7.0])),
        ("VonMises", (1.0, T([[2.0], [3.75]])), T([-3.0, 0.5])),
        # probs inside and outside lims (the Taylor forms near 1/2), at the clamped edges
        ("ContinuousBernoulli", (T([0.2, 0.5, 0.4995, 0.9, 0.0, 1.0, 0.5005, 0.499]),),
         T([0.3, 0.5, 0.1, 1.0, 0.0, 0.7, 0.2, 0.9])),
        ("ContinuousBernoulli", (None, T([[0.0], [2.0], [-30.0]])), T([0.25, 1.0])),
        ("ContinuousBernoulli", (T([0.3, 0.6]), None, (0.2, 0.8)), T([0.5, 0.1])),
        # float64 log_prob and cdf raise PyTorch 2.13's "Double did not match Float"
        ("GeneralizedPareto", (T([0.0, 1.0, -1.0, 0.5]), T([1.0, 2.0, 0.5, 1.0]),
                               T([0.0, 0.5, -0.5, 1.5])), T([0.5, 2.0, -0.5, 3.0])),
        ("GeneralizedPareto", (0.0, 1.0, T([[-1.0], [0.3]])), T([0.2, 0.9])),
        # (branch cplxdist) Wishart by each of its three matrices, df a number or a batch
        ("Wishart", (T([4.0, 6.5]), T([[2.0, 0.5, 0.1], [0.5, 1.0, 0.2], [0.1, 0.2, 1.5]])),
         T([[2.7, 0.65, 0.13], [0.65, 1.4, 0.26], [0.13, 0.26, 2.05]])),
        ("Wishart", (T(3.0), None, T([[[2.0, 0.5], [0.5, 1.0]], [[1.0, 0.0], [0.0, 3.0]]])),
         T([[1.5, -0.2], [-0.2, 0.7]])),
        ("Wishart", (5, None, None, T([[1.5, 0.0], [0.3, 0.8]])), T([[2.0, 0.1], [0.1, 1.0]])),
        ("LKJCholesky", (3, T([0.5, 2.0])),
         T([[1.0, 0.0, 0.0], [0.6, 0.8, 0.0], [0.0, 0.6, 0.8]])),
        ("LKJCholesky", (2, T(1.5)), T([[1.0, 0.0], [-0.28, 0.96]])),
        ("Independent", (t.distributions.Bernoulli(T([[0.3, 0.6]])), 1), T([1.0, 0.0])),
        ("Independent", (t.distributions.Bernoulli(T([[0.3, 0.6]])), 0), T([1.0, 0.0])),
    ]


def _tensor_methods(d, value):
    probs = value.clamp(0.05, 0.95)
    expanded = lambda: d.expand((4,) + tuple(d.batch_shape))  # noqa: E731
    return [("repr", lambda: d), ("batch", lambda: d.batch_shape),
            ("event", lambda: d.event_shape), ("support", lambda: d.support),
            ("constraints", lambda: d.arg_constraints), ("has_rsample", lambda: d.has_rsample),
            ("mean", lambda: d.mean), ("mode", lambda: d.mode),
            ("variance", lambda: d.variance), ("stddev", lambda: d.stddev),
            ("log_prob", lambda: d.log_prob(value)), ("entropy", d.entropy),
            ("cdf", lambda: d.cdf(value)), ("icdf", lambda: d.icdf(probs)),
            ("expand", lambda: expanded().batch_shape),
            ("expand_lp", lambda: expanded().log_prob(value[..., :1])),
            ("sample", lambda: d.sample((2,))), ("sample_shape", lambda: d.sample().shape),
            # (branch cplxdist) an expanded family's draws take the new batch (StudentT's
            # chi-square did not), and enumerate_support's answer or refusal
            ("expand_sample", lambda: expanded().sample()), ("sample_n", lambda: d.sample_n(2)),
            ("enumerate", lambda: d.enumerate_support()),
            ("enumerate_unexpanded", lambda: d.enumerate_support(expand=False))]


def _outcome(f):
    try:
        return f()
    except Exception as e:  # the type and message are what is compared
        return f"{type(e).__name__}: {e}"


def _sweep(t, dt):
    rows = []
    D = t.distributions
    for family, args, value in _params(t, dt):
        t.manual_seed(7)
        d = getattr(D, family)(*args)
        rows += [(family, k, _outcome(f)) for k, f in _tensor_methods(d, value)]
    return rows


def _as_comparable(v):
    if hasattr(v, "detach") and hasattr(v, "dtype"):
        fn = v.grad_fn
        return ("tensor", str(v.dtype), tuple(v.shape), type(fn).__name__ if fn else None,
                np.asarray(v.detach().tolist(), dtype=float))
    return str(v)


def _agree(ours, theirs, rtol):
    if isinstance(theirs, str) or isinstance(ours, str):
        return ours == theirs
    a, b = ours[4], theirs[4]
    return ours[:4] == theirs[:4] and np.allclose(a, b, rtol=rtol, atol=rtol, equal_nan=True)


@pytest.mark.parametrize("dtype,rtol", [("float32", 2e-6), ("float64", 1e-12)])
def test_family_sweep_matches_pytorch(dtype, rtol):
    ours = _sweep(gradsh, getattr(gradsh, dtype))
    theirs = _sweep(torch, getattr(torch, dtype))
    assert len(ours) == len(theirs)
    bad = [(f, k, _as_comparable(a), _as_comparable(b)) for (f, k, a), (_, _, b)
           in zip(ours, theirs) if not _agree(_as_comparable(a), _as_comparable(b), rtol)]
    assert not bad, bad[:5]


def _kl_pairs(t, D):
    T = t.tensor
    return [
        (D.Exponential(T([0.5, 2.0])), D.Exponential(T([1.0, 1.0]))),
        (D.Gamma(T([2.0, 0.5]), T([1.0, 3.0])), D.Gamma(T([1.0, 2.0]), 2.0)),
        (D.Beta(T([2.0, 0.5]), T([3.0, 0.5])), D.Beta(1.5, T([2.0, 4.0]))),
        (D.Dirichlet(T([[1.0, 2.0, 3.0]])), D.Dirichlet(T([0.5, 0.5, 4.0]))),
        (D.Laplace(T([0.0, 1.0]), 2.0), D.Laplace(0.5, T([1.0, 3.0]))),
        (D.Poisson(T([0.5, 3.0])), D.Poisson(T([1.0, 2.0]))),
        (D.Geometric(T([0.3, 0.6])), D.Geometric(T([0.5, 0.2]))),
        (D.Binomial(5, T([0.3, 0.6])), D.Binomial(5, T([0.5, 0.2]))),
        (D.Binomial(5, T([0.3, 0.6])), D.Binomial(T([4.0, 5.0]), T([0.5, 0.2]))),
        (D.OneHotCategorical(T([0.2, 0.3, 0.5])), D.OneHotCategorical(logits=T([0.0, 1.0, 2.0]))),
        (D.Gumbel(T([0.0, 1.0]), 2.0), D.Gumbel(0.5, T([1.0, 3.0]))),
        (D.Exponential(T([1.0, 3.0])), D.Normal(T([0.0, 1.0]), 2.0)),
        (D.Exponential(T([1.0, 3.0])), D.Gamma(T([2.0, 0.5]), 2.0)),
        (D.Gamma(T([2.0, 0.5]), 2.0), D.Exponential(T([1.0, 3.0]))),
        (D.Chi2(T([3.0])), D.Chi2(T([1.0, 2.0]))),
        (D.Exponential(1.0), D.Laplace(0.0, 1.0)),
        (D.Pareto(T([1.0, 2.0, 0.5]), T([3.0, 0.8, 1.5])),
         D.Pareto(T([0.5, 1.0, 1.0]), T([2.0, 1.0, 1.0]))),
        *[(D.Pareto(T([1.0, 2.0, 0.5, 1.5]), T([3.0, 0.8, 1.5, 2.5])), q)
          for q in (D.Exponential(2.0), D.Gamma(T([2.0, 0.5, 1.0, 3.0]), 3.0),
                    D.Normal(1.0, T([2.0, 0.5, 1.0, 1.0])), D.Beta(2.0, 3.0),
                    D.Uniform(0.0, 5.0))],
        *[(p, D.Pareto(T([1.0, 0.5]), T([2.0, 0.7])))
          for p in (D.Beta(2.0, 3.0), D.Exponential(2.0), D.Gamma(2.0, 3.0), D.Normal(1.0, 2.0),
                    D.Gumbel(1.0, 2.0), D.Laplace(1.0, 2.0))],
        (D.Uniform(T([0.0, 1.0, 0.6]), T([5.0, 4.0, 4.0])),
         D.Pareto(T([1.0, 0.5, 0.5]), T([2.0, 0.7, 3.0]))),
        *[(D.ContinuousBernoulli(T([0.2, 0.4995, 0.9, 0.3])), q)
          for q in (D.ContinuousBernoulli(T([0.7, 0.3, 0.5, 0.0])),
                    D.ContinuousBernoulli(logits=T([0.0, 2.0, -1.0, 0.5])),
                    D.Exponential(T([2.0, 1.0, 0.5, 3.0])), D.Normal(0.5, T([1.0, 2.0, 0.3, 1.0])),
                    D.Uniform(T([-1.0, 0.0, -0.5, -1e-3]), T([1.0, 2.0, 1.5, 1.001])),
                    D.Pareto(1.0, 2.0))],
        *[(p, D.ContinuousBernoulli(T([0.7, 0.3, 0.5, 0.2])))
          for p in (D.Beta(T([2.0, 0.5, 1.0, 3.0]), T([3.0, 0.5, 2.0, 1.0])),
                    D.Uniform(T([0.0, 0.5, 0.1, 0.2]), T([0.5, 1.0, 0.9, 0.3])),
                    D.Exponential(1.0), D.Gamma(1.0, 2.0), D.Gumbel(0.0, 1.0),
                    D.Laplace(0.0, 1.0), D.Normal(0.0, 1.0), D.Pareto(1.0, 2.0))],
        *_gaussian_kl_pairs(T, D),
        # (branch cplxdist) Wishart has no formula of its own: the Bregman divergence of its
        # log normalizer, batched too; against another family it is refused
        (D.Wishart(T(4.0), T([[2.0, 0.5], [0.5, 1.0]])),
         D.Wishart(T(5.0), T([[4.0, 1.0], [1.0, 2.0]]))),
        (D.Wishart(T([4.0, 6.0]), T([[2.0, 0.5], [0.5, 1.0]])),
         D.Wishart(T([5.0, 3.0]), precision_matrix=T([[4.0, 1.0], [1.0, 2.0]]))),
        (D.Wishart(T(4.0), T([[2.0, 0.5], [0.5, 1.0]])), D.Exponential(1.0)),
        (D.LKJCholesky(2, T(1.0)), D.LKJCholesky(2, T(2.0))),
    ]


def _gaussian_kl_pairs(T, D):
    """LowRankMultivariateNormal against itself and MultivariateNormal, batches broadcast,
    and the refusals of differing event sizes."""
    p = D.LowRankMultivariateNormal(T([[0.0, 1.0, 2.0], [1.0, -1.0, 0.5]]),
                                    T([[1.0, 0.0], [0.5, 2.0], [-1.0, 0.3]]), T([0.5, 1.0, 2.0]))
    q = D.LowRankMultivariateNormal(T([1.0, 0.0, 2.0]), T([[1.0], [0.5], [-1.0]]),
                                    T([[1.5, 1.0, 2.0], [1.0, 1.0, 1.0]]))
    r = D.MultivariateNormal(T([1.0, 0.0, 2.0]),
                             scale_tril=T([[1.0, 0.0, 0.0], [0.5, 2.0, 0.0], [-1.0, 0.3, 1.5]]))
    s = D.LowRankMultivariateNormal(T([1.0, 0.0]), T([[1.0], [0.5]]), T([1.0, 1.0]))
    return [(p, q), (q, p), (p, r), (r, p), (r, q), (p, p), (r, s), (s, r), (p, s)]


def test_kl_divergence_of_the_further_families_is_pytorchs():
    def run(t):
        return [_as_comparable(_outcome(lambda: t.distributions.kl_divergence(p, q)))
                for p, q in _kl_pairs(t, t.distributions)]
    ours, theirs = run(gradsh), run(torch)
    assert all(_agree(a, b, 2e-6) for a, b in zip(ours, theirs)), list(zip(ours, theirs))


def _gradient_cases(t, D):
    """Gradients of reparameterized draws and of log-densities, to the parameters."""
    def grads(make, use):
        params = [t.tensor(v, dtype=t.float64, requires_grad=True) for v in make[1]]
        t.manual_seed(11)
        d = make[0](*params)
        use(d).sum().backward()
        return [p.grad for p in params]
    sample = lambda d: d.rsample((3,))  # noqa: E731
    score = lambda d: d.log_prob(d.sample((3,)))  # noqa: E731
    fams = [(D.Exponential, ([0.5, 2.0],)), (D.Laplace, ([0.0, 1.0], [1.0, 2.0])),
            (D.Cauchy, ([0.0, 1.0], [1.0, 2.0])), (D.LogNormal, ([0.0, 1.0], [1.0, 0.5])),
            (D.Gumbel, ([0.0, 1.0], [1.0, 2.0])), (D.HalfNormal, ([1.0, 2.0],)),
            (D.Gamma, ([2.0, 5.0], [1.0, 3.0])), (D.StudentT, ([3.0, 5.0], [0.0, 1.0])),
            (D.Pareto, ([1.0, 2.0], [3.0, 0.5])), (D.Weibull, ([1.0, 2.0], [1.5, 0.5])),
            (D.HalfCauchy, ([1.0, 2.0],)), (D.InverseGamma, ([3.0, 1.5], [1.0, 2.0])),
            (D.Kumaraswamy, ([2.0, 0.5], [3.0, 2.0])), (D.LogisticNormal, ([0.0, 1.0], [1.0, 0.5])),
            (lambda p: D.RelaxedBernoulli(t.tensor(0.5, dtype=t.float64), p), ([0.3, 0.9],)),
            (D.FisherSnedecor, ([2.0, 5.0], [3.0, 6.0]))]
    fams += [(D.ContinuousBernoulli, ([0.2, 0.4995, 0.9],)),
             (lambda p: D.ContinuousBernoulli(logits=p), ([0.0, 2.0, -3.0],))]
    scored_only = [(D.VonMises, ([0.0, 1.0, -2.0], [0.5, 4.0, 10.0]))]
    # PyTorch 2.13's GeneralizedPareto.log_prob raises for float64: draws only
    sampled_only = [(D.GeneralizedPareto, ([0.0, 1.0, 0.2], [1.0, 2.0, 0.5], [0.0, 0.5, -0.3]))]
    sampled_only += [(D.Beta, ([2.0, 0.5, 0.2], [3.0, 0.5, 4.0])),
                     (D.Dirichlet, ([[1.0, 2.0, 0.3], [0.5, 5.0, 1.0]],)), (D.Chi2, ([0.7, 3.0],))]
    out = [grads(f, sample) for f in fams + sampled_only]
    # Wishart's rsample with a sample shape fails in PyTorch 2.13's backward (its redraw's
    # mask is changed in place): one draw of the batch; LKJCholesky has no rsample
    wishart = (lambda df, L: D.Wishart(df, scale_tril=L),
               ([4.0, 6.5], [[1.5, 0.0, 0.0], [0.3, 1.0, 0.0], [-0.2, 0.4, 0.8]]))
    out += [grads(wishart, lambda d: d.rsample()), grads(wishart, score)]
    out += [grads((lambda c: D.LKJCholesky(3, c), ([0.7, 2.0, 5.0],)), score)]
    out += [grads(f, score) for f in fams + scored_only + [(D.Beta, ([2.0, 0.5], [3.0, 0.5])),
                                            (D.Dirichlet, ([1.0, 2.0, 3.0],)),
                                            (D.Poisson, ([1.0, 4.0],)),
                                            (D.Geometric, ([0.3, 0.6],))]]
    return out


def test_gradients_of_draws_and_log_densities_are_pytorchs():
    ours, theirs = _gradient_cases(gradsh, gradsh.distributions), _gradient_cases(
        torch, torch.distributions)
    for a_row, b_row in zip(ours, theirs):
        for a, b in zip(a_row, b_row):
            # the gamma and Dirichlet draws' concentration gradients are the implicit
            # derivatives to about 1e-8; PyTorch's are approximations good to about 1e-3
            # (docs/nn.md), so the two agree to that
            assert np.allclose(a.tolist(), b.tolist(), rtol=2e-3, atol=1e-6), (a, b)


def _error_cases(t, D):
    T = t.tensor
    return [lambda: D.Exponential(T([1.0, -1.0])), lambda: D.Gamma(T([0.0]), 1.0),
            lambda: D.Beta(T([0.5]), T([-1.0])), lambda: D.Dirichlet(T(1.0)),
            lambda: D.Dirichlet(T([1.0, 0.0])), lambda: D.Poisson(T([-1.0])),
            lambda: D.Binomial(5, T([1.5])), lambda: D.Binomial(T([-1.0]), T([0.5])),
            lambda: D.Binomial(5), lambda: D.Geometric(T([0.0])), lambda: D.Geometric(T([1.5])),
            lambda: D.StudentT(T([0.0])), lambda: D.Chi2(T([-1.0])), lambda: D.Laplace(0.0, -1.0),
            lambda: D.Cauchy(0.0, 0.0), lambda: D.LogNormal(0.0, -1.0),
            lambda: D.Gumbel(0.0, 0.0), lambda: D.HalfNormal(T([-1.0])),
            lambda: D.OneHotCategorical(T([0.5, 0.6])),
            lambda: D.Exponential(2.0).log_prob(T(-1.0)),
            lambda: D.Poisson(2.0).log_prob(T(1.5)), lambda: D.Beta(2.0, 2.0).log_prob(T(1.5)),
            lambda: D.Binomial(3, T(0.5)).log_prob(T(4.0)),
            lambda: D.OneHotCategorical(T([0.5, 0.5])).log_prob(T([1.0, 1.0])),
            lambda: D.Dirichlet(T([1.0, 1.0])).log_prob(T([0.5, 0.6])),
            lambda: D.Wishart(T(1.0), T([[1.0, 0.0], [0.0, 1.0]])),
            lambda: D.Wishart(T(3.0), T([1.0, 1.0])), lambda: D.Wishart(T(3.0)),
            lambda: D.Wishart(T(3.0), T([[-1.0, 0.0], [0.0, 1.0]])),
            lambda: D.Wishart(3.0, T([[2.0, 0.0], [0.0, 1.0]])).log_prob(T([[1.0, 2.0], [2.0, 1.0]])),
            lambda: D.LKJCholesky(1), lambda: D.LKJCholesky(3, T(-1.0)),
            lambda: D.LKJCholesky(2, T(1.0)).log_prob(T([[1.0, 0.0], [0.5, 0.5]])),
            lambda: D.HalfNormal(1.0).log_prob(T(-1.0)),
            lambda: D.Gamma(2.0, 1.0).log_prob(T(-1.0)),
            lambda: D.Poisson(2.0).rsample(), lambda: D.Binomial(T([3.0, 4.0]), T(0.5)).entropy(),
            lambda: D.TransformedDistribution(D.Normal(0.0, 1.0), [3]),
            lambda: D.Pareto(1.0, -1.0), lambda: D.Pareto(1.0, 2.0).log_prob(T(0.5)),
            lambda: D.Weibull(T([0.0]), 1.0), lambda: D.Kumaraswamy(-1.0, 1.0),
            lambda: D.Kumaraswamy(2.0, 2.0).log_prob(T(1.5)), lambda: D.HalfCauchy(-1.0),
            lambda: D.InverseGamma(T([1.0]), T([0.0])),
            lambda: D.Multinomial(2.5, T([0.5, 0.5])), lambda: D.Multinomial(3, T([0.5, 0.6])),
            lambda: D.Multinomial(3, T([0.5, 0.5])).log_prob(T([1.0, 1.0, 1.0])),
            lambda: D.Multinomial(3, T([0.5, 0.5])).log_prob(T([-1.0, 1.0])),
            lambda: D.NegativeBinomial(3.0, T([1.5])), lambda: D.NegativeBinomial(-1.0, T([0.5])),
            lambda: D.NegativeBinomial(3.0), lambda: D.NegativeBinomial(3.0, 0.5).log_prob(T(0.5)),
            lambda: D.RelaxedBernoulli(T(0.5)), lambda: D.RelaxedBernoulli(T(0.5), T([1.5])),
            lambda: D.RelaxedOneHotCategorical(T(0.5), T([0.5, 0.6])),
            lambda: D.FisherSnedecor(T([1.0]), T([-2.0])),
            lambda: D.Multinomial(2, T([0.5, 0.5])).rsample(),
            lambda: D.LogisticNormal(0.0, -1.0), lambda: D.VonMises(0.0, T([1.0, 0.0])),
            lambda: D.VonMises(T([0.0, 1.0]), T([1.0, 2.0, 3.0])),
            lambda: D.VonMises(0.0, 1.0).rsample(), lambda: D.ContinuousBernoulli(),
            lambda: D.ContinuousBernoulli(T([0.5]), T([0.0])),
            lambda: D.ContinuousBernoulli(T([0.3])).log_prob(T([1.5])),
            lambda: D.ContinuousBernoulli(T([0.3])).mode,
            lambda: D.GeneralizedPareto(0.0, T([1.0, -1.0]), 0.5),
            lambda: D.GeneralizedPareto(0.0, 1.0, T([0.5, -0.5])).log_prob(T([-1.0, 1.0])),
            lambda: D.GeneralizedPareto(0.0, 1.0, T([0.5, -0.5])).log_prob(T([1.0, 3.0]))]


def test_argument_and_value_errors_are_pytorchs():
    ours = [str(_outcome(f)) for f in _error_cases(gradsh, gradsh.distributions)]
    theirs = [str(_outcome(f)) for f in _error_cases(torch, torch.distributions)]
    assert ours == theirs


def _transform_cases(t, D):
    x = t.tensor([0.3, -1.2], requires_grad=True)
    tr = D.transforms
    base = D.Normal(x, 1.0)
    sig = D.TransformedDistribution(base, [tr.AffineTransform(1.0, 2.0), tr.SigmoidTransform()])
    tanh = D.TransformedDistribution(base, tr.TanhTransform())
    t.manual_seed(2)
    rows = [sig, sig.support, sig.log_prob(t.tensor([0.3, 0.9])), sig.rsample((2,)),
            sig.cdf(t.tensor(0.3)), sig.icdf(t.tensor(0.3)), tanh.support,
            tanh.log_prob(t.tensor(0.3)), tanh.rsample(), tr.ExpTransform().inv,
            tr.TanhTransform(), tr.AffineTransform(0, -1), tr.AbsTransform(),
            isinstance(D.LogNormal(0.0, 1.0), D.TransformedDistribution),
            D.Gumbel(0.0, 1.0).transforms, D.LogNormal(0.0, 1.0).base_dist,
            D.Gumbel(0.0, 2.0).rsample((2,)), D.LogNormal(0.0, 1.0).cdf(t.tensor(2.0)),
            D.Gumbel(x, 2.0).cdf(t.tensor(0.5)), D.Gumbel(x, 2.0).icdf(t.tensor(0.5))]
    return [str(r) for r in rows]


def test_transformed_distributions_print_what_pytorch_prints():
    assert _transform_cases(gradsh, gradsh.distributions) == _transform_cases(
        torch, torch.distributions)


def test_one_hot_categorical_draws_and_support_are_pytorchs():
    def run(t):
        D = t.distributions
        t.manual_seed(3)
        d = D.OneHotCategorical(t.tensor([[0.2, 0.3, 0.5], [0.9, 0.05, 0.05]]))
        return [str(v) for v in (d, d.sample((2,)), d.enumerate_support(),
                                 d.enumerate_support(False).shape, d.mode, d.mean, d.variance,
                                 d.entropy(), d.log_prob(t.tensor([0.0, 1.0, 0.0])),
                                 d.expand((3, 2)).batch_shape, d.param_shape, d.support)]
    assert run(gradsh) == run(torch)


@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_gamma_draws_are_pytorchs_to_the_bit(dtype):
    def draws(t):
        t.manual_seed(3)
        dt = getattr(t, dtype)
        a = t.cat([t.rand(200, dtype=dt) * 3, t.rand(50, dtype=dt) * 0.05,
                   t.tensor([0.0, 1.0, 1e-3, 100.0], dtype=dt)])
        return t.distributions.Gamma(a, 1.0, validate_args=False).sample((2,)).tolist()
    assert draws(gradsh) == draws(torch)
    assert math.isfinite(sum(sum(r) for r in draws(gradsh)))


def _node_names(t, D):
    T = lambda *v: t.tensor(v, requires_grad=True)  # noqa: E731
    fams = [D.Exponential(T(0.5, 2.0)), D.Laplace(T(0.0, 1.0), T(1.0, 2.0)),
            D.Cauchy(T(0.0, 1.0), 2.0), D.Gamma(T(2.0, 0.5), T(1.0, 3.0)),
            D.Chi2(T(3.0, 1.0)), D.Beta(T(2.0, 0.5), T(3.0, 0.5)),
            D.Dirichlet(T([1.0, 2.0, 3.0], [0.5, 0.2, 0.7])), D.StudentT(T(3.0, 5.0)),
            D.LogNormal(T(0.0, 1.0), T(1.0, 0.5)), D.Gumbel(T(0.0, 1.0), T(1.0, 2.0)),
            D.HalfNormal(T(1.0, 2.0)), D.Poisson(T(1.0, 4.0)), D.Geometric(T(0.3, 0.6)),
            D.Binomial(5, T(0.3, 0.6)), D.OneHotCategorical(T(0.2, 0.3, 0.5)),
            D.VonMises(T(0.0, 1.0), T(0.5, 4.0)), D.ContinuousBernoulli(T(0.2, 0.4995)),
            D.ContinuousBernoulli(logits=T(0.0, 3.0)),
            D.GeneralizedPareto(T(0.0, 1.0), T(1.0, 2.0), T(0.0, 0.4))]
    rows = []
    for d in fams:
        t.manual_seed(1)
        x = d.sample()
        for f in (lambda: d.rsample(), lambda: d.log_prob(x), d.entropy, lambda: d.mean,
                  lambda: d.variance, lambda: d.mode):
            v = _outcome(f)
            rows.append(type(v.grad_fn).__name__ if hasattr(v, "grad_fn") and v.grad_fn
                        else str(v)[:60])
    return rows


def test_grad_fn_names_of_the_families_are_pytorchs():
    assert _node_names(gradsh, gradsh.distributions) == _node_names(torch, torch.distributions)


def test_dirichlet_mode_without_batch_dims_records_pytorchs_node():
    # (an assignment through a 0-dim bool mask: a write into a view, CopySlices, as PyTorch's)
    def name(t):
        c = t.tensor([1.0, 2.0, 3.0], requires_grad=True)
        return type(t.distributions.Dirichlet(c).mode.grad_fn).__name__
    assert name(gradsh) == name(torch)


def _cross_pairs(t, D):
    T = t.tensor
    tr = D.transforms
    ps = {"Normal": D.Normal(T([0.0, 1.0]), T([1.0, 0.5])),
          "Laplace": D.Laplace(T([0.0, 1.0]), 1.5),
          "Gumbel": D.Gumbel(T([0.0, 1.0]), T([1.0, 2.0])),
          "Exponential": D.Exponential(T([1.0, 2.0])),
          "Gamma": D.Gamma(T([1.0, 2.5]), T([1.0, 0.5])),
          "Beta": D.Beta(T([1.0, 2.0]), T([2.0, 0.5])),
          "Uniform": D.Uniform(T([0.0, 0.2]), T([1.0, 0.8])), "Poisson": D.Poisson(T([1.0, 2.0])),
          "Bernoulli": D.Bernoulli(T([0.3, 0.6])), "Binomial": D.Binomial(3, T([0.3, 0.6])),
          "Cauchy": D.Cauchy(T([0.0, 1.0]), 1.0), "HalfNormal": D.HalfNormal(T([1.0, 2.0]))}
    qs = dict(ps, Uniform=D.Uniform(T([-1.0, 0.1]), T([3.0, 0.9])), Normal=D.Normal(0.5, 2.0),
              Gumbel=D.Gumbel(0.5, 1.5), Cauchy=D.Cauchy(2.0, 3.0), HalfNormal=D.HalfNormal(3.0))
    names = sorted(ps)
    pairs = [(ps[a], qs[b]) for a in names for b in names]
    pairs += [(D.Uniform(T([-0.5, 0.1]), T([0.5, 0.9])), D.Beta(2.0, 3.0)),
              (D.Uniform(T([-0.5, 0.0]), T([0.5, 2.0])), D.Gamma(2.0, 3.0)),
              (D.Beta(2.0, 3.0), D.Uniform(T([0.0, -1.0]), T([0.5, 2.0]))),
              (D.LogNormal(0.0, 1.0), D.LogNormal(T([1.0, 0.0]), 2.0)),
              (D.TransformedDistribution(D.Normal(0.0, 1.0), tr.AffineTransform(1.0, 2.0)),
               D.TransformedDistribution(D.Normal(1.0, 1.0), [tr.AffineTransform(1.0, 2.0)])),
              (D.LogNormal(0.0, 1.0),
               D.TransformedDistribution(D.Normal(0.0, 1.0), tr.SigmoidTransform()))]
    return pairs


def test_kl_divergence_across_families_is_pytorchs():
    def run(t):
        return [_as_comparable(_outcome(lambda: t.distributions.kl_divergence(p, q)))
                for p, q in _cross_pairs(t, t.distributions)]
    ours, theirs = run(gradsh), run(torch)
    bad = [(i, a, b) for i, (a, b) in enumerate(zip(ours, theirs)) if not _agree(a, b, 2e-6)]
    assert not bad, bad


def _plain_number_cases(t):
    D = t.distributions
    out = []
    dists = [D.Gamma(2.0, 1.0), D.Exponential(2.0), D.Beta(2.0, 2.0), D.Poisson(2.0),
             D.Laplace(0.0, 1.0), D.StudentT(3.0), D.Gumbel(0.0, 1.0), D.LogNormal(0.0, 1.0),
             D.HalfNormal(1.0), D.Cauchy(0.0, 1.0), D.Geometric(0.3),
             D.Binomial(3, t.tensor(0.5)), D.Chi2(3.0),
             D.Geometric(logits=t.tensor([0.5, -1.0])), D.Binomial(4, logits=t.tensor([0.5]))]
    t.manual_seed(5)
    for d in dists:
        for f in (lambda: d.log_prob(0.5), lambda: d.log_prob(1), lambda: d.sample((2,)),
                  lambda: d.enumerate_support() if d.has_enumerate_support else d.batch_shape,
                  lambda: (d.mean, d.variance)):
            out.append(str(_outcome(f)))
    return out


def test_plain_number_values_logits_and_enumeration_are_pytorchs():
    assert _plain_number_cases(gradsh) == _plain_number_cases(torch)


def _mixture_cases(t):
    D, T = t.distributions, t.tensor
    t.manual_seed(0)
    w = T([0.3, 0.7], requires_grad=True)
    mu = T([-1.0, 2.0], requires_grad=True)
    m = D.MixtureSameFamily(D.Categorical(w), D.Normal(mu, T([1.0, 0.5])))
    lp = m.log_prob(T([0.0, 1.0, 2.0]))
    out = [m, m.batch_shape, m.event_shape, m.support, m.arg_constraints, m.has_rsample,
           m.sample((4,)), lp, m.mean, m.variance, m.cdf(T(0.0)), m.mixture_distribution]
    lp.sum().backward()
    out += [w.grad, mu.grad]
    vectors = D.Independent(D.Normal(t.zeros(1, 2, 3), 1.0), 1)
    m2 = D.MixtureSameFamily(D.Categorical(T([[0.3, 0.7]])), vectors)
    out += [m2, m2.batch_shape, m2.event_shape, m2.sample((2,)), m2.log_prob(t.zeros(3)),
            m2.mean, m2.variance]
    m3 = D.MixtureSameFamily(D.Categorical(t.ones(3, 2)), D.Normal(t.zeros(3, 2), 1.0))
    m3 = m3.expand((4, 3))
    out += [m3.batch_shape, m3.sample().shape, m3]
    bad = [lambda: D.MixtureSameFamily(D.Normal(0.0, 1.0), D.Normal(t.zeros(2), 1.0)),
           lambda: D.MixtureSameFamily(D.Categorical(T([0.5, 0.5])), D.Normal(t.zeros(3), 1.0)),
           lambda: D.MixtureSameFamily(D.Categorical(T([0.5, 0.5])), 3),
           lambda: D.MixtureSameFamily(D.Categorical(t.ones(3, 2)), D.Normal(t.zeros(4, 2), 1.0)),
           lambda: D.MixtureSameFamily(D.Categorical(T([0.5, 0.5])),
                                       D.Normal(t.zeros(2), 1.0)).rsample(),
           lambda: D.MixtureSameFamily(D.Categorical(T([0.5, 0.5])),
                                       D.Gamma(t.ones(2), 1.0)).log_prob(T(-1.0))]
    return [str(x) for x in out] + [str(_outcome(f)) for f in bad]


def test_mixture_same_family_is_pytorchs():
    ours, theirs = _mixture_cases(gradsh), _mixture_cases(torch)
    assert len(theirs) == 30 and ours == theirs


def _more_transforms(t):
    """Each further transform: repr, domain and codomain, its value, inverse, log |det J| and
    that's gradient; then distributions pushed through them (shapes, densities, draws)."""
    D, T = t.distributions, t.distributions.transforms
    x = t.tensor([[0.5, -1.0, 2.0], [0.1, 0.2, -0.3]], requires_grad=True)
    out = []
    for tr in [T.PowerTransform(2.0), T.PowerTransform(t.tensor(-0.5)), T.SoftplusTransform(),
               T.ComposeTransform([T.ExpTransform(), T.AffineTransform(1.0, 2.0)]),
               T.SoftmaxTransform(), T.StickBreakingTransform(),
               T.IndependentTransform(T.ExpTransform(), 1), T.ReshapeTransform((3,), (3, 1)),
               T.CumulativeDistributionTransform(D.Normal(0.0, 1.0)), T.identity_transform,
               T.ComposeTransform([T.StickBreakingTransform(), T.ExpTransform()])]:
        out += [repr(tr), str(tr.domain), str(tr.codomain), tr.bijective, repr(tr.inv),
                str(tr.inv.domain), str(tr.inv.codomain)]
        given = x.abs() if isinstance(tr, T.PowerTransform) else x
        y = tr(given)
        out.append(y)
        if tr.bijective:
            out.append(tr.inv(y))
            jac = tr.log_abs_det_jacobian(given, y)
            out.append(jac)
            if jac.requires_grad:
                out.append(t.autograd.grad(jac.sum(), x)[0])
    simplex = D.TransformedDistribution(D.Normal(t.zeros(2), t.ones(2)),
                                        [T.StickBreakingTransform()])
    out += [simplex.batch_shape, simplex.event_shape,
            simplex.log_prob(t.tensor([0.2, 0.3, 0.5]))]
    t.manual_seed(0)
    out.append(simplex.sample((2,)))
    squared = D.TransformedDistribution(
        D.Normal(0.0, 1.0), T.ComposeTransform([T.SoftplusTransform(), T.PowerTransform(2.0)]))
    out += [squared.log_prob(t.tensor([0.5, 2.0])), squared.rsample((3,))]
    out += [T.PowerTransform(2.0) == T.PowerTransform(2.0),
            T.PowerTransform(2.0) == T.PowerTransform(3.0), T.PowerTransform(-2.0).sign]
    return out


def test_the_further_transforms_are_pytorchs():
    ours = [_as_comparable(v) for v in _more_transforms(gradsh)]
    theirs = [_as_comparable(v) for v in _more_transforms(torch)]
    assert len(ours) == len(theirs)
    bad = [(i, a, b) for i, (a, b) in enumerate(zip(ours, theirs)) if not _agree(a, b, 2e-6)]
    assert not bad, bad[:5]


def test_element_by_element_samplers_leave_the_generator_as_pytorchs():
    """poisson, binomial, Gamma and Dirichlet read their uniforms from blocks drawn ahead (issue
    16, round 15): the draws, and the generator after them (the cached Box-Muller normal too),
    are PyTorch's, across more than one block."""
    def run(t):
        t.manual_seed(3)
        out = [t.poisson(t.rand(40000) * 20).tolist(),
               t.distributions.Gamma(t.tensor([0.3, 2.0, 7.0]), t.tensor(1.0))
               .sample((7000,)).tolist(), t.randn(3).tolist(),
               t.distributions.Dirichlet(t.tensor([0.5, 1.0, 3.0], dtype=t.float64))
               .sample((9000,)).tolist(),
               t.binomial(t.ones(20001) * 30, t.rand(20001)).tolist(), t.randn(5).tolist()]
        return out, t.get_rng_state().tolist()
    assert run(gradsh) == run(torch)


def _lowrank_cases(t, dt):
    """LowRankMultivariateNormal: batched, broadcast (cov_diag with more batch dims than loc),
    rank above n; every property, draws, expand, and the gradients to all three parameters."""
    D, T = t.distributions, lambda v: t.tensor(v, dtype=dt)  # noqa: E731
    loc = t.tensor([[0.0, 1.0, 2.0], [1.0, -1.0, 0.5]], dtype=dt, requires_grad=True)
    W = t.tensor([[1.0, 0.0], [0.5, 2.0], [-1.0, 0.3]], dtype=dt, requires_grad=True)
    d = t.tensor([0.5, 1.0, 2.0], dtype=dt, requires_grad=True)
    m = D.LowRankMultivariateNormal(loc, W, d)
    t.manual_seed(0)
    out = [m, m.batch_shape, m.event_shape, m.support, m.arg_constraints, m.has_rsample, m.mean,
           m.mode, m.variance, m.stddev, m.covariance_matrix, m.precision_matrix, m.scale_tril,
           m.log_prob(T([0.3, 0.2, 1.0])), m.entropy(), m.rsample((2,)), m.sample()]
    out += t.autograd.grad((m.log_prob(T([[0.3, 0.2, 1.0]])) + m.entropy()
                            + m.rsample().sum(-1)).sum(), [loc, W, d])
    e = m.expand((4, 2))
    out += [e, e.log_prob(T([0.3, 0.2, 1.0])), e.sample().shape]
    for m in (D.LowRankMultivariateNormal(T([0.0, 1.0, 2.0]), T([[1.0], [0.5], [-1.0]]),
                                          T([[0.5, 1.0, 2.0], [1.0, 1.0, 1.0]])),
              D.LowRankMultivariateNormal(T([0.0, 1.0]), T([[1.0, 0.0, 2.0], [0.5, 2.0, 1.0]]),
                                          T([0.5, 1.0]))):
        out += [m, m.log_prob(T([[0.3, 0.2, 1.0][:m.event_shape[0]]])), m.entropy(),
                m.covariance_matrix, m.precision_matrix, m.scale_tril, m.rsample()]
    W, d = T([[1.0, 0.0], [0.5, 2.0], [-1.0, 0.3]]), T([0.5, 1.0, 2.0])
    bad = [lambda: D.LowRankMultivariateNormal(T(0.0), W, d),
           lambda: D.LowRankMultivariateNormal(T([0.0, 1.0, 2.0]), T([1.0, 2.0, 3.0]), d),
           lambda: D.LowRankMultivariateNormal(T([0.0, 1.0, 2.0]), W, T(1.0)),
           lambda: D.LowRankMultivariateNormal(T([0.0, 1.0]), W, d),
           lambda: D.LowRankMultivariateNormal(T([0.0, 1.0, 2.0]), W, T([1.0, 1.0])),
           lambda: D.LowRankMultivariateNormal(T([0.0, 1.0, 2.0]), W, T([1.0, -1.0, 1.0])),
           lambda: D.LowRankMultivariateNormal(T([0.0, 1.0, 2.0]), W, T([1.0, 0.5, -0.1])),
           lambda: D.LowRankMultivariateNormal(T([0.0, 1.0, 2.0]), W, T([1.0, 1.0, -100.0])),
           lambda: D.LowRankMultivariateNormal(T([0.0, 1.0, 2.0]), W, d).log_prob(T([1.0, 2.0])),
           lambda: D.LowRankMultivariateNormal(T([0.0, 1.0, 2.0]), W, d).log_prob(
               T([[1.0], [2.0]]))]
    return out + [_outcome(f) for f in bad]


@pytest.mark.parametrize("dtype,rtol", [("float32", 2e-6), ("float64", 1e-12)])
def test_low_rank_multivariate_normal_is_pytorchs(dtype, rtol):
    ours = [_as_comparable(v) for v in _lowrank_cases(gradsh, getattr(gradsh, dtype))]
    theirs = [_as_comparable(v) for v in _lowrank_cases(torch, getattr(torch, dtype))]
    assert len(ours) == len(theirs) == 47
    bad = [(i, a, b) for i, (a, b) in enumerate(zip(ours, theirs)) if not _agree(a, b, rtol)]
    assert not bad, bad[:5]


def _generalized_pareto_cases(t):
    """GeneralizedPareto around xi = 0 (taken as 0 within isclose's 1e-8), both signs, heavy
    tails; values below loc and beyond the support (unmasked, as PyTorch's); gradients to
    all three parameters of every quantity, in float32 (PyTorch's float64 log_prob raises)."""
    T = t.tensor
    xi = T([0.0, 1e-8, 1e-6, 1e-4, 0.3, -0.5, 2.0], requires_grad=True)
    scale, loc = T(1.5, requires_grad=True), T(0.2, requires_grad=True)
    g = t.distributions.GeneralizedPareto(loc, scale, xi, validate_args=False)
    out = []
    for f in [lambda: g.log_prob(T(1.3)), lambda: g.cdf(T(1.3)), lambda: g.icdf(T(0.3)),
              lambda: g.mean, lambda: g.variance, g.entropy, lambda: g.mode,
              lambda: g.rsample((2,)), lambda: g.log_prob(T([[-1.0], [0.0], [5.0], [100.0]])),
              lambda: g.cdf(T([[-1.0], [0.0], [5.0], [100.0], [0.20001]])),
              lambda: g.icdf(T([[1e-6], [0.3], [0.999]]))]:
        t.manual_seed(0)
        v = f()
        out += [v, *t.autograd.grad(v.sum(), [loc, scale, xi], allow_unused=True,
                                    materialize_grads=True)]
    return out


def test_generalized_pareto_values_and_gradients_are_pytorchs():
    ours = [_as_comparable(v) for v in _generalized_pareto_cases(gradsh)]
    theirs = [_as_comparable(v) for v in _generalized_pareto_cases(torch)]
    assert len(ours) == len(theirs) == 44
    bad = [(i, a, b) for i, (a, b) in enumerate(zip(ours, theirs)) if not _agree(a, b, 2e-6)]
    assert not bad, bad[:5]


def _matrix_transform_cases(t, dt):
    """LowerCholeskyTransform, PositiveDefiniteTransform and CorrCholeskyTransform: reprs,
    (co)domains, values both ways, gradients, log |det J| to x and to y, shapes and their
    errors, and the corr_cholesky constraint's tolerance."""
    T, C = t.distributions.transforms, t.distributions.constraints
    out = []
    x = t.tensor([[[0.5, -1.0, 2.0], [0.1, 0.2, -0.3], [1.0, 0.4, 0.7]],
                  [[0.0, 0.0, 0.0], [1.0, -2.0, 0.5], [3.0, -1.0, -0.2]]],
                 dtype=dt, requires_grad=True)
    for tr, codomain in [(T.LowerCholeskyTransform(), C.lower_cholesky),
                         (T.PositiveDefiniteTransform(), C.positive_definite)]:
        y = tr(x)
        out += [repr(tr), tr.domain, tr.codomain, tr.bijective, repr(tr.inv), tr.inv.domain, y,
                tr.inv(y), t.autograd.grad(y.sum(), x)[0], codomain.check(y),
                _outcome(lambda: tr.log_abs_det_jacobian(x, y))]
    c = T.CorrCholeskyTransform()
    # (partial correlations near +-1 are kept moderate: the float64 inverse there amplifies
    # the last-ulp differences of gradsh's float64 tanh from PyTorch's)
    for v in [[0.5, -1.0, 2.0], [30.0, -30.0, 1.0], [[5.0, 3.0, 4.0, 0.1, -0.2, 0.3],
                                                       [0.0, 1.0, -1.0, 2.0, -2.0, 0.5]], [0.7]]:
        v = t.tensor(v, dtype=dt, requires_grad=True)
        y = c(v)
        jac = c.log_abs_det_jacobian(v, y)
        out += [repr(c), c.domain, c.codomain, c.bijective, repr(c.inv), y, c.inv(y), jac,
                C.corr_cholesky.check(y),
                t.autograd.grad(jac.sum() + (y * y.detach().neg().exp()).sum(), v)[0]]
        y2 = y.detach().requires_grad_()
        out += [t.autograd.grad(c.log_abs_det_jacobian(v.detach(), y2).sum(), y2)[0], c.inv(y2)]
    empty = t.zeros(0, dtype=dt)
    out += [c(empty), c.inv(c(empty)), _outcome(lambda: c.log_abs_det_jacobian(empty, c(empty)))]
    out += [_outcome(f) for f in [lambda: c.forward_shape((2, 4)), lambda: c.inverse_shape((3, 2)),
                                  lambda: c.inverse_shape((3, 3)), lambda: c(t.tensor([1.0, 2.0])),
                                  lambda: c.forward_shape((2, 6)),
                                  lambda: c.inv.forward_shape((4, 4))]]
    eps = t.finfo(dt).eps
    for k in [0, 19, 21, 40]:
        m = t.tensor([[1.0, 0.0], [0.6, 0.8]], dtype=dt)
        m[1, 1] = 0.8 + k * eps
        out.append(C.corr_cholesky.check(m))
    return out + [C.corr_cholesky]


@pytest.mark.parametrize("dtype,rtol", [("float32", 2e-6), ("float64", 1e-12)])
def test_matrix_transforms_are_pytorchs(dtype, rtol):
    ours = [_as_comparable(v) for v in _matrix_transform_cases(gradsh, getattr(gradsh, dtype))]
    theirs = [_as_comparable(v) for v in _matrix_transform_cases(torch, getattr(torch, dtype))]
    assert len(ours) == len(theirs) == 84
    bad = [(i, a, b) for i, (a, b) in enumerate(zip(ours, theirs)) if not _agree(a, b, rtol)]
    assert not bad, bad[:5]


def _blockwise_transform_cases(t, dt):
    """CatTransform and StackTransform (and the cat/stack constraints they take their domains
    from): blocks along batch and event dims, mixed event dims, inverses, Jacobians, gradients,
    equality by identity and the errors."""
    T, C = t.distributions.transforms, t.distributions.constraints
    x = t.tensor([[0.5, -1.0, 2.0, 0.3], [0.1, 0.2, -0.3, 4.0]], dtype=dt, requires_grad=True)
    cat = T.CatTransform([T.ExpTransform(), T.AffineTransform(1.0, 2.0), T.SigmoidTransform()],
                         dim=1, lengths=[1, 2, 1])
    indep = T.IndependentTransform(T.ExpTransform(), 1)
    stack = T.StackTransform([T.ExpTransform(), T.AffineTransform(1.0, 2.0)], dim=0)
    out = []
    for tr in [cat, T.CatTransform([indep, T.ExpTransform()], dim=0),
               T.CatTransform([indep, T.ExpTransform()], dim=-1, lengths=[2, 2]), stack,
               T.StackTransform([T.ExpTransform(), T.SoftplusTransform(), T.ExpTransform(),
                                 T.AffineTransform(0.0, -1.0)], dim=1)]:
        y = tr(x)
        jac = tr.log_abs_det_jacobian(x, y)
        out += [repr(tr), tr.domain, tr.codomain, tr.bijective, tr.event_dim, repr(tr.inv), y,
                tr.inv(y), jac, t.autograd.grad((y.sum() + jac.sum()), x)[0],
                tr.domain.event_dim, _outcome(lambda: tr.codomain.check(y))]
    out += [cat.length, cat.lengths, cat.dim, cat.transforms, cat == cat, stack == stack,
            cat == T.CatTransform(cat.transforms, 1, [1, 2, 1]), stack.transforms, stack.dim,
            T.CatTransform([T.ExpTransform()]).lengths,
            T.StackTransform([T.AbsTransform()]).bijective,
            T.CatTransform([T.ExpTransform(), T.AbsTransform()]).bijective]
    checks = [C.cat([C.positive, C.real, C.unit_interval], dim=1, lengths=[1, 2, 1]),
              C.stack([C.positive, C.unit_interval], dim=0)]
    value = t.tensor([[1.0, -5.0, 3.0, 0.5], [-1.0, 0.0, 0.0, 2.0]], dtype=dt)
    out += [checks[0], checks[0].event_dim, checks[0].is_discrete, checks[0].check(value),
            checks[1], checks[1].event_dim, checks[1].check(value)]
    bad = [lambda: T.CatTransform([T.ExpTransform(), T.ExpTransform()], dim=-1)(x),
           lambda: stack(t.ones(3, 2)), lambda: T.CatTransform([T.ExpTransform()], 0, [1, 2]),
           lambda: T.CatTransform([1]), lambda: T.StackTransform([2]),
           lambda: T.CatTransform([T.ExpTransform()], dim=1, lengths=[2])(x),
           lambda: T.CatTransform([T.StickBreakingTransform(), T.ExpTransform()], dim=-1,
                                  lengths=[2, 2]).log_abs_det_jacobian(x, t.ones(2, 5))]
    return out + [_outcome(f) for f in bad]


@pytest.mark.parametrize("dtype,rtol", [("float32", 2e-6), ("float64", 1e-12)])
def test_cat_and_stack_transforms_are_pytorchs(dtype, rtol):
    ours = [_as_comparable(v) for v in _blockwise_transform_cases(gradsh, getattr(gradsh, dtype))]
    theirs = [_as_comparable(v)
              for v in _blockwise_transform_cases(torch, getattr(torch, dtype))]
    assert len(ours) == len(theirs)
    bad = [(i, a, b) for i, (a, b) in enumerate(zip(ours, theirs)) if not _agree(a, b, rtol)]
    assert not bad, bad[:5]


def _registry_cases(t):
    """biject_to and transform_to over every constraint gradsh has: which transform, its
    parameters, its values; refusals; registering new classes (in a registry of its own, so
    the shared ones stay as they are)."""
    D, C = t.distributions, t.distributions.constraints
    x = t.tensor([0.5, -2.0, 1.0])
    cases = [C.real, C.real_vector, C.positive, C.nonnegative, C.greater_than(2.0),
             C.greater_than_eq(t.tensor([1.0, 2.0, 3.0])), C.less_than(3.0), C.unit_interval,
             C.interval(-1.0, 3.0), C.interval(0, 1), C.half_open_interval(0.0, 2.0),
             C.interval(t.tensor([0.0, 1.0, 2.0]), t.tensor([2.0, 5.0, 3.0])), C.simplex,
             C.independent(C.positive, 1), C.cat([C.positive, C.real], 0, [1, 2]),
             C.stack([C.positive, C.real, C.unit_interval]), C.lower_cholesky,
             C.positive_definite, C.corr_cholesky, C.positive_semidefinite, C.square,
             C.symmetric, C.lower_triangular, C.boolean, C.integer_interval(0, 3),
             C.nonnegative_integer, C.one_hot, C.multinomial(3), C.dependent]
    out = []
    for c in cases:
        for registry in (D.biject_to, D.transform_to):
            tr = _outcome(lambda: registry(c))
            out.append(repr(tr))
            if isinstance(tr, str):
                continue
            parts = getattr(tr, "parts", [])
            out += [[(p.loc, p.scale) for p in parts if hasattr(p, "loc")], tr.bijective]
            if c.event_dim == 2 and c is not C.corr_cholesky:
                out.append(tr(t.tensor([[0.5, 0.0], [1.0, -1.0]])))
            elif c is C.corr_cholesky:
                out.append(tr(x))
            elif c.event_dim == 0 or c is C.simplex or c is C.real_vector:
                out.append(tr(x))
    out += [D.biject_to(C.real) is D.transforms.identity_transform,
            D.biject_to(C.real_vector).base_transform is D.transforms.identity_transform]
    mine = D.constraint_registry.ConstraintRegistry()

    class Odd(C.Constraint):
        pass

    @mine.register(Odd)
    def _odd(constraint):
        return D.transforms.ExpTransform()
    mine.register(C.positive, lambda c: D.transforms.SoftplusTransform())
    out += [mine(Odd()), mine(C.greater_than(1.0)), _outcome(lambda: mine(C.real)),
            _outcome(lambda: mine.register(int, _odd)), _outcome(lambda: mine.register(3, _odd)),
            _outcome(lambda: D.biject_to(3))]
    return [str(v) for v in out]


def test_biject_to_and_transform_to_are_pytorchs():
    ours, theirs = _registry_cases(gradsh), _registry_cases(torch)
    assert len(ours) == len(theirs)
    assert ours == theirs


def _kl_nodes(t):
    """The node each new KL pair's result records, and its value, with parameters that
    require grad."""
    D = t.distributions

    def T(v):
        return t.tensor(v, requires_grad=True)
    low_rank = D.LowRankMultivariateNormal(T([0.0, 1.0]), T([[1.0], [2.0]]), T([1.0, 2.0]))
    full = D.MultivariateNormal(T([1.0, 1.0]), T([[2.0, 0.5], [0.5, 1.0]]))
    pareto = D.Pareto(T([1.0, 2.0]), T([3.0, 4.0]))
    cb = D.ContinuousBernoulli(T([0.2, 0.9]))
    pairs = [(D.ContinuousBernoulli(T([0.2, 0.5, 0.9])),
              D.ContinuousBernoulli(T([0.5, 0.5, 0.3]))),
             (D.Beta(T([2.0, 1.0]), T([3.0, 1.0])), cb),
             (D.Uniform(T([0.1, 0.2]), T([0.9, 0.5])), cb), (cb, D.Exponential(T([1.0, 2.0]))),
             (cb, D.Normal(T([0.0, 1.0]), T([1.0, 2.0]))),
             (cb, D.Uniform(T([-1.0, -1.0]), T([2.0, 2.0]))),
             (pareto, D.Pareto(T([0.5, 1.0]), T([2.0, 1.0]))),
             (pareto, D.Exponential(T([1.0, 2.0]))),
             (pareto, D.Gamma(T([1.0, 2.0]), T([1.0, 2.0]))),
             (pareto, D.Normal(T([0.0, 1.0]), T([1.0, 2.0]))),
             (D.Uniform(T([1.0, 2.0]), T([3.0, 4.0])), D.Pareto(T([0.5, 1.0]), T([2.0, 1.0]))),
             (pareto, D.Beta(T([1.0, 2.0]), T([1.0, 2.0]))),
             (D.Normal(T([0.0, 1.0]), T([1.0, 2.0])), pareto),
             (low_rank,
              D.LowRankMultivariateNormal(T([1.0, 1.0]), T([[0.5], [2.0]]), T([2.0, 2.0]))),
             (low_rank, full), (full, low_rank)]
    return [_as_comparable(D.kl_divergence(p, q)) for p, q in pairs]


def test_kl_nodes_of_the_new_pairs_are_pytorchs():
    ours, theirs = _kl_nodes(gradsh), _kl_nodes(torch)
    bad = [(i, a, b) for i, (a, b) in enumerate(zip(ours, theirs)) if not _agree(a, b, 2e-6)]
    assert not bad, bad


def _matrix_constraint_cases(t):
    C = t.distributions.constraints
    batch = t.tensor([[[1.0, 2.0], [2.0, 1.0]], [[2.0, 0.0], [1e-7, 1.0]],
                      [[1.0, 0.0], [0.5, 1.0]]])
    out = []
    for c in [C.square, C.symmetric, C.lower_triangular, C.positive_semidefinite,
              C.positive_definite, C.lower_cholesky]:
        out += [c, c.event_dim, c.is_discrete, c.check(batch), c.check(batch[:2]),
                c.check(t.ones(2, 3))]
    out += [C.positive_semidefinite.check(t.tensor([[1.0, 0.0], [0.0, 0.0]])),
            C.positive_semidefinite.check(t.tensor([[1.0, 0.0], [0.0, -1e-9]])),
            C.symmetric.check(t.tensor([[1.0, 1e-6], [0.0, 0.0]])),
            C.symmetric.check(t.tensor([[1.0, 2e-6], [0.0, 0.0]]))]
    return [str(v) for v in out]


def test_matrix_constraints_are_pytorchs():
    assert _matrix_constraint_cases(gradsh) == _matrix_constraint_cases(torch)
