"""The samplers that draw element by element (PyTorch's rejection loops in Python, to keep its
stream) refuse more than MAX_ONE_BY_ONE draws in one call, before the first draw (issue 16:
10**7 gamma draws took 15-20 s); below it they draw as before."""

import time

import pytest

import gradsh as torch
from gradsh.core.ops.sampling import MAX_ONE_BY_ONE, TooManyDraws

N = MAX_ONE_BY_ONE + 1


@pytest.mark.parametrize("call", [
    lambda: torch.poisson(torch.ones(N)),
    lambda: torch.binomial(torch.ones(N), torch.full((N,), 0.5)),
    lambda: torch.distributions.Gamma(torch.tensor(2.0), torch.tensor(1.0)).sample((N,)),
    lambda: torch.distributions.Chi2(torch.tensor(3.0)).sample((N,)),
    lambda: torch.distributions.Dirichlet(torch.ones(N)).sample(),
    lambda: torch.distributions.Beta(torch.tensor(2.0), torch.tensor(2.0)).sample((N // 2 + 1,)),
])
def test_more_draws_than_the_limit_are_refused_before_drawing(call):
    torch.manual_seed(0)
    t = time.process_time()
    with pytest.raises(TooManyDraws, match="draws at once"):
        call()
    assert time.process_time() - t < 3
    torch.manual_seed(0)
    first = torch.rand(3)
    torch.manual_seed(0)
    with pytest.raises(TooManyDraws):
        call()
    assert torch.equal(torch.rand(3), first)  # nothing was drawn


def test_draws_below_the_limit_are_made():
    g = torch.distributions.Gamma(torch.tensor(2.0), torch.tensor(1.0)).sample((1000,))
    assert g.shape == (1000,) and bool((g > 0).all())
    assert torch.poisson(torch.full((1000,), 3.0)).shape == (1000,)
