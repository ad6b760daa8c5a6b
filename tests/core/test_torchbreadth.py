"""What the op sweep does not see of branch torchbreadth's names (issue 15): the constants,
augmented assignments that are in place, errors' words, and PyTorch live where installed.
The ops' values, nodes and gradients are in the op, forward-AD, third-order and strides sweeps
(tests/data/op_sweep_cases.py, block `torchbreadth`)."""

import math

import pytest

import gradsh as torch


def test_constants_are_pythons():
    assert torch.pi == math.pi and torch.e == math.e and torch.inf == math.inf
    assert math.isnan(torch.nan) and torch.newaxis is None
    assert torch.arange(3.0)[:, torch.newaxis].shape == (3, 1)


@pytest.mark.parametrize("op", ["//=", "%=", "&=", "|=", "^="])
def test_augmented_assignment_writes_into_a_view(op):
    base = torch.tensor([[6, 7], [8, 9]])
    row = base[0]
    env = {"row": row}
    exec(f"row {op} 4", env)
    assert env["row"] is row  # the same tensor: written in place, so the base sees it
    assert base[0].tolist() == {"//=": [1, 1], "%=": [2, 3], "&=": [4, 4], "|=": [6, 7],
                                "^=": [2, 3]}[op]


def test_vander_backward_is_refused_as_pytorch_refuses_it():
    x = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
    v = torch.vander(x)
    assert type(v.grad_fn).__name__ == "FlipBackward0"
    with pytest.raises(RuntimeError, match="modified by an inplace operation"):
        v.sum().backward()


def test_meshgrid_refuses_a_matrix_in_atens_format():
    with pytest.raises(RuntimeError) as e:
        torch.meshgrid(torch.tensor([[1.5, -2.0], [0.25, 3.0]]))
    assert str(e.value) == ("torch.meshgrid: Expected 0D or 1D tensor in the tensor list but got:"
                            "  1.5000 -2.0000\n 0.2500  3.0000\n[ torch.FloatTensor{2,2} ]")


def test_scatter_reduce_old_names_reduce_but_do_not_derive():
    x = torch.tensor([1.0, 5.0, 2.0], requires_grad=True)
    y = x.scatter_reduce(0, torch.tensor([0, 0, 1]), torch.tensor([3.0, 4.0, 1.0]), "max")
    assert y.tolist() == [4.0, 5.0, 2.0]
    with pytest.raises(RuntimeError, match="Expected 'reduce' to be one of"):
        y.sum().backward()


def test_windows_against_their_formulas():
    n = 6
    w = torch.hann_window(n, periodic=False, dtype=torch.float64)
    want = [0.5 - 0.5 * math.cos(2 * math.pi * k / (n - 1)) for k in range(n)]
    assert max(abs(a - b) for a, b in zip(w.tolist(), want)) < 1e-15


def test_live_pytorch_agrees_on_a_learners_lines():
    real = pytest.importorskip("torch", reason="PyTorch not installed")
    if real is torch:
        pytest.skip("gradsh stands in for torch in this process")
    for lib in (torch, real):
        x = lib.linspace(0, 1, 5, dtype=lib.float64, requires_grad=True)
        y = lib.addcmul(x, x, x, value=0.5).sum() + lib.cov(lib.stack([x, x * x])).sum()
        (g,) = lib.autograd.grad(y, x)
        if lib is torch:
            mine = g.tolist()
        else:
            theirs = g.tolist()
    assert max(abs(a - b) for a, b in zip(mine, theirs)) < 1e-12


@pytest.mark.parametrize("name", ["hann_window", "hamming_window", "blackman_window",
                                  "bartlett_window", "kaiser_window"])
def test_a_window_past_the_memory_limit_is_refused_before_any_work(name):
    # found by the API fuzzer (seed 14): 2**31 values were computed before anything checked
    from gradsh.core.memory import TensorTooLarge
    with pytest.raises(TensorTooLarge):
        getattr(torch, name)(2 ** 31)


def test_cov_weight_errors_name_the_dtype_as_pytorch():
    # PyTorch's ScalarType names (Float, Long) in cov's weight checks
    m = torch.tensor([[1.0, 2.0, 4.0], [0.0, 3.0, 3.0]])
    with pytest.raises(RuntimeError, match="^cov\\(\\): expected fweights to have integral dtype "
                                           "but got fweights with Float dtype$"):
        torch.cov(m, fweights=torch.tensor([1.0, 2.0, 1.0]))
    with pytest.raises(RuntimeError, match="^cov\\(\\): expected aweights to have floating point "
                                           "dtype but got aweights with Long dtype$"):
        torch.cov(m, aweights=torch.tensor([1, 2, 1]))
