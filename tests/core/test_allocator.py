"""Large temporaries are reused: a loop over 10**6-element tensors does not fault their pages in again."""

import resource
import sys

import pytest

import gradsh
from gradsh.core import allocator


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="glibc's mallopt is Linux-only")
def test_a_loop_over_large_tensors_reuses_freed_memory():
    if not allocator.tune():
        pytest.skip("malloc is not glibc's here (no mallopt)")
    x = (gradsh.rand(10 ** 6) * 0.5).requires_grad_()

    def step():
        ((x * x).exp().tanh() * 3 + x).sum().backward()
        x.grad = None

    for _ in range(3):
        step()
    before = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
    for _ in range(10):
        step()
    faults = resource.getrusage(resource.RUSAGE_SELF).ru_minflt - before
    # Each iteration makes about 10 temporaries of 4 MB (about 1,000 pages each): faulting them
    # in again every time would be ~10,000 faults per iteration.
    assert faults < 10 * 1000, f"{faults} page faults in 10 iterations"
