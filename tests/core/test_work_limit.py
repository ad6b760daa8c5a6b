"""The work limit (memory.check_flops): ops whose time grows faster than their data count their
multiply-adds from the shapes and refuse above MAX_WORK before computing (issue 16, round 16);
below it they compute as before."""

import time

import numpy as np
import pytest

import gradsh as torch
from gradsh.core import memory
from gradsh.core.ops.linalg import matmul_work


def _big(*shape):
    """A tensor of the shape without its memory (an expanded scalar)."""
    return torch.ones(*([1] * len(shape))).expand(*shape)


@pytest.mark.parametrize("xs, ys", [((3, 4), (4, 5)), ((2, 3, 4), (4, 5)), ((4,), (4, 5)),
                                    ((3, 4), (4,)), ((7, 1, 3, 4), (6, 4, 5)), ((4,), (4,)),
                                    ((2, 1, 1, 5), (3, 5, 2))])
def test_matmul_work_is_output_size_times_inner_size(xs, ys):
    out = np.matmul(np.ones(xs), np.ones(ys))
    assert matmul_work(xs, ys) == max(out.size, 1) * xs[-1]


@pytest.mark.parametrize("call", [
    lambda: _big(10 ** 4, 10 ** 4) @ _big(10 ** 4, 10 ** 4),
    lambda: torch.mm(_big(10 ** 4, 10 ** 4), _big(10 ** 4, 10 ** 4)),
    lambda: torch.bmm(_big(1000, 500, 1000), _big(1000, 1000, 500)),
    lambda: torch.matmul(_big(10, 3000, 3000), _big(3000, 3000)),
    lambda: torch.linalg.svd(_big(3000, 3000)),
    lambda: torch.linalg.eig(_big(2500, 2500)),
    lambda: torch.linalg.inv(_big(10 ** 4, 10 ** 4)),
    lambda: torch.linalg.det(_big(10 ** 4, 10 ** 4)),
    lambda: torch.linalg.solve(_big(10 ** 4, 10 ** 4), _big(10 ** 4, 1)),
    lambda: torch.linalg.matrix_rank(_big(3000, 3000)),
    lambda: torch.linalg.lu_factor(_big(3000, 3000)),
    lambda: torch.linalg.matrix_power(_big(10 ** 4, 10 ** 4), 2),
    lambda: torch.nn.functional.conv2d(_big(1, 8192, 32, 32), _big(8192, 8192, 3, 3), padding=1),
])
def test_work_above_the_limit_is_refused_before_computing(call):
    t = time.process_time()
    with pytest.raises(memory.TooMuchWork, match="multiply-adds: more than gradsh's limit"):
        call()
    assert time.process_time() - t < 5


def test_work_below_the_limit_computes():
    a = torch.rand(200, 200, dtype=torch.float64)
    assert torch.allclose(torch.linalg.inv(a) @ a, torch.eye(200, dtype=torch.float64), atol=1e-6)
    assert torch.linalg.svd(a)[1].shape == (200,)
    out = torch.nn.functional.conv1d(torch.ones(1, 1, 10), torch.ones(1, 1, 3))
    assert out.tolist() == [[[3.0] * 8]]


@pytest.mark.parametrize("call", [
    lambda: torch.linalg.matrix_power(_big(2000, 2000), 2 ** 62),
    lambda: torch.linalg.matrix_exp(_big(3000, 3000)),
    lambda: torch.diff(torch.zeros(10 ** 5), n=10 ** 5 - 1),
    lambda: torch.nn.functional.max_pool2d(_big(1, 1, 5000, 5000), 2500, stride=1),
    lambda: torch.nn.functional.avg_pool2d(_big(1, 1, 3000, 3000), 300, stride=1),
    lambda: torch.nn.functional.lp_pool2d(_big(1, 1, 4000, 4000), 2, 2000, stride=1),
    lambda: torch.nn.functional.conv1d(_big(1, 10 ** 6, 10), _big(10 ** 6, 1, 10), groups=10 ** 6),
    lambda: torch.zeros(3000, 3000, dtype=torch.int64) @ torch.zeros(3000, 3000, dtype=torch.int64),
])
def test_many_steps_or_slow_kernels_count_their_work(call):
    """Work made of many steps (matrix_power's products, diff's passes, a pool's window offsets,
    a convolution's groups) and numpy's integer matmul (no BLAS) are counted as a whole."""
    t = time.process_time()
    with pytest.raises(memory.TooMuchWork):
        call()
    assert time.process_time() - t < 5


def test_small_pools_diffs_and_powers_still_compute():
    assert torch.diff(torch.arange(10.0), n=2).tolist() == [0.0] * 8
    assert torch.linalg.matrix_power(2 * torch.eye(3), 10)[0, 0].item() == 1024.0
    assert torch.nn.functional.max_pool1d(torch.arange(6.0).view(1, 1, 6), 2).tolist() == \
        [[[1.0, 3.0, 5.0]]]
    x = torch.arange(4, dtype=torch.int64).view(2, 2)
    assert (x @ x).tolist() == [[2, 3], [6, 11]]


@pytest.mark.parametrize("call", [
    lambda: torch.linalg.householder_product(_big(3000, 3000), _big(3000)),
    lambda: torch.ormqr(_big(3000, 3000), _big(3000), _big(3000, 3000)),
    lambda: torch.i0(_big(10 ** 7)),
    lambda: torch.special.i0e(_big(10 ** 7)),
    lambda: torch.special.bessel_y0(_big(10 ** 6)),
    lambda: torch.special.modified_bessel_k1(_big(4 * 10 ** 6)),
    lambda: torch.special.hermite_polynomial_h(_big(10 ** 6) * 10, 10 ** 4),
    lambda: torch.special.zeta(_big(10 ** 7), 1.0),
    lambda: torch.igamma(_big(10 ** 7), torch.ones(1)),
    lambda: torch.nn.functional.embedding_bag(torch.zeros(2 * 10 ** 6, dtype=torch.long),
                                              torch.ones(1, 1), torch.tensor([0]), mode="max"),
])
def test_python_loops_and_special_kernels_count_their_work(call):
    """Round 17: householder_product/ormqr multiply one m x m reflector per column in a loop
    (k m^3: hours at 5000), embedding_bag(mode='max') steps through its indices in Python,
    the special functions are many numpy passes (0.15-18 us an element,
    tools/measure_special_costs.py), a special polynomial's recurrence steps every element n
    times: each counted as a whole before it starts."""
    t = time.process_time()
    with pytest.raises(memory.TooMuchWork):
        call()
    assert time.process_time() - t < 5


def test_small_special_kernels_and_reflectors_still_compute():
    x = torch.tensor([0.0, 1.0])
    assert abs(torch.i0(x)[0].item() - 1.0) < 1e-6  # I0(0) = 1
    assert torch.special.bessel_j0(x)[0].item() == 1.0
    assert torch.special.hermite_polynomial_h(x, 2).tolist() == [-2.0, 2.0]
    a = torch.rand(4, 3, dtype=torch.float64)
    h, tau = torch.geqrf(a)
    q = torch.linalg.householder_product(h, tau)
    assert torch.allclose(q.T @ q, torch.eye(3, dtype=torch.float64), atol=1e-10)
