"""Fixes found by branch adv14d's blind optim/nn programs (tests/data/learner_programs/adv14d_*)
on the language side, compared with what Python and PyTorch 2.13 print."""

import pytest

from .helpers import run_program, run_python

LBFGS_PRIVATE = """import torch
w = torch.tensor([1.0, -2.0, 0.5], dtype=torch.float64, requires_grad=True)
b = torch.zeros(2, 2, dtype=torch.float64, requires_grad=True)
opt = torch.optim.LBFGS([w, b], max_iter=2)
print(opt._numel_cache, len(opt._params), opt._params[0] is w)

def closure():
    opt.zero_grad()
    loss = ((w - 1) ** 2).sum() + (b ** 2).sum()
    loss.backward()
    return loss

opt.step(closure)
print(opt._numel_cache, opt.state[opt._params[0]]["n_iter"])
"""


def test_lbfgs_params_and_numel_cache_are_readable_as_pytorchs():
    # PyTorch's LBFGS keeps `_params` (its one group's list) and `_numel_cache` (None until the
    # first update); a .grad program reads them as it reads other private data of torch objects
    pytest.importorskip("torch", reason="PyTorch is the oracle")
    assert run_program(LBFGS_PRIVATE) == run_python(LBFGS_PRIVATE)
