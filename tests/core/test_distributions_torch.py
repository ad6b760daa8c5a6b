"""torch.distributions against PyTorch itself: the paths the runtime-services snippet does not
reach (expand of every distribution through the generic parameter table, batched and
broadcast MultivariateNormal with gradients, precision matrices, KL edge values, argument
errors, register_kl). Each case prints the same text in both libraries."""

import pytest

import gradsh

torch = pytest.importorskip("torch", reason="PyTorch is the oracle for torch.distributions")


def _expand_cases(t, D):
    n = D.Normal(t.tensor([0.5, -1.0]), t.tensor([1.0, 2.0])).expand((3, 2))
    yield n, n.batch_shape, n.sample(), n.log_prob(t.zeros(3, 2))
    b = D.Bernoulli(logits=t.tensor([0.3, -2.])).expand((2, 2))
    yield b, b.param_shape, b.probs, b.enumerate_support(), b.enumerate_support(False), b.mode
    c = D.Categorical(t.tensor([0.2, 0.3, 0.5])).expand((2,))
    yield c, c.param_shape, c.batch_shape, c.sample((3,)), c.logits, c.mean, c.mode, c.support
    u = D.Uniform(0., t.tensor([1., 2.])).expand((2, 2))
    yield (u, u.support, u.cdf(t.tensor(0.5)), u.icdf(t.tensor(0.5)), u.mode,
           u.log_prob(t.tensor([0.5, 1.5])))
    ind = D.Independent(D.Bernoulli(t.full((2, 3), 0.3)), 2)
    yield ind, ind.support, ind.event_shape, ind.has_enumerate_support, ind.expand((5,)).batch_shape


def _mvn_cases(t, D):
    L = t.tensor([[[1., 0.], [0.3, 2.]], [[2., 0.], [-0.5, 0.7]]], requires_grad=True)
    loc = t.tensor([[0.1, 0.2], [0.3, -0.4], [1., 2.]]).unsqueeze(1)
    m = D.MultivariateNormal(loc, scale_tril=L)
    lp = m.log_prob(t.tensor([[0.5, -0.5], [1.5, 0.2]]))
    yield m, m.batch_shape, lp, m.entropy(), m.variance, m.covariance_matrix, m.precision_matrix
    lp.sum().backward()
    yield (L.grad,)
    prec = t.tensor([[2., 0.3], [0.3, 1.]], dtype=t.float64)
    m3 = D.MultivariateNormal(t.zeros(2, dtype=t.float64), precision_matrix=prec)
    yield m3.scale_tril, m3.covariance_matrix, m3.log_prob(t.ones(2, dtype=t.float64))
    me = m.expand((4, 3, 2))
    yield me.batch_shape, me.loc.shape, me.scale_tril.shape
    m4 = D.MultivariateNormal(t.zeros(2), covariance_matrix=t.tensor([[1., 0.2], [0.2, 3.]]))
    yield D.kl_divergence(m, m4), D.kl_divergence(m4, m)


def _kl_cases(t, D):
    yield (D.Categorical(logits=t.tensor([-float("inf"), 0., 1.])).entropy(),)
    yield (D.kl_divergence(D.Bernoulli(t.tensor([0., 1., 0.3])),
                           D.Bernoulli(t.tensor([0.5, 0., 1.]))),)
    yield (D.kl_divergence(D.Uniform(0., 2.), D.Uniform(0.5, 3.)),)

    class Mine(D.Normal):
        pass
    D.register_kl(Mine, int)(lambda p, q: "any class is accepted")
    yield (D.kl_divergence(Mine(0., 1.), D.Normal(0., 1.)),)
    D.register_kl(Mine, D.Normal)(lambda p, q: "the most specific pair wins")
    yield (D.kl_divergence(Mine(0., 1.), D.Normal(0., 1.)),)


def _error_cases(t, D):
    eye = t.eye
    return [lambda: D.Uniform(0., 1.).log_prob(t.zeros(2, 3)),
            lambda: D.MultivariateNormal(t.zeros(2), eye(2), scale_tril=eye(2)),
            lambda: D.MultivariateNormal(t.zeros(2), precision_matrix=t.ones(2)),
            lambda: D.Categorical(logits=t.tensor(1.)),
            lambda: D.Independent(D.Normal(0., 1.), 1),
            lambda: D.constraints.dependent.check(1),
            lambda: D.register_kl(D.Normal, 3),
            lambda: D.MultivariateNormal(t.zeros(2), t.tensor([[1., 2.], [3., 1.]])),
            lambda: D.Normal("a", 1.),
            lambda: D.MultivariateNormal(t.zeros(3), eye(3)).log_prob(t.zeros(2)),
            lambda: D.kl_divergence(D.MultivariateNormal(t.zeros(3), eye(3)),
                                    D.MultivariateNormal(t.zeros(2), eye(2))),
            lambda: D.constraints.independent(D.constraints.real, 2).check(t.zeros(1)),
            lambda: D.Distribution.set_default_validate_args(3)]


def _subclass_cases(t, D):
    class Plain(D.Distribution):
        arg_constraints = {}

        def __init__(self):
            super().__init__(t.Size([2]))

    class OwnInit(D.Normal):
        def __init__(self, a):
            super().__init__(a, 1.)

    class Inherited(D.Normal):
        pass

    return [lambda: Plain().expand((3, 2)), lambda: OwnInit(0.).expand((2,)),
            lambda: Inherited(0., 1.).expand((2,)), lambda: Plain().mode,
            lambda: D.Categorical(t.ones(2, 3)).expand((4, 2)).sample().shape,
            lambda: D.Uniform(0., 1.).expand((2,)).expand((3, 2)).low.shape,
            lambda: D.Normal(0., 1.).sample([2]).shape]


def _printed(t, cases):
    t.manual_seed(0)
    return [" ".join(str(x) for x in row) for row in cases(t, t.distributions)]


@pytest.mark.parametrize("cases", [_expand_cases, _mvn_cases, _kl_cases])
def test_distributions_print_what_pytorch_prints(cases):
    assert _printed(gradsh, cases) == _printed(torch, cases)


def _outcome(f):
    try:
        return str(f())
    except Exception as e:  # the type and message are what is compared
        return f"{type(e).__name__}: {e}"


@pytest.mark.parametrize("cases", [_error_cases, _subclass_cases])
def test_distribution_errors_and_subclasses_are_pytorchs(cases):
    ours = [_outcome(f) for f in cases(gradsh, gradsh.distributions)]
    theirs = [_outcome(f) for f in cases(torch, torch.distributions)]
    assert ours == theirs
