"""torch.autocast on the CPU and torch.amp.GradScaler against PyTorch 2.13: which ops change
dtype in a region, nesting, decorators, the CUDA spellings on a machine without CUDA, and the
scaler's scale/unscale_/step/update/state_dict. The recorded text is tests/data/amp.json
(tools/record_amp.py); the .grad side: learner programs amp_cpu_training_loop and
amp_autocast_rules."""

import json
import pathlib
import sys

import pytest

import gradsh as torch

DATA = pathlib.Path(__file__).resolve().parents[1] / "data"
sys.path.insert(0, str(DATA))
from amp_cases import CASES, run_case  # noqa: E402

FACTS = json.loads((DATA / "amp.json").read_text())["facts"]


@pytest.fixture(autouse=True)
def _no_region_left_open():
    yield
    assert not torch.is_autocast_enabled("cpu")
    assert torch.get_autocast_dtype("cpu") is torch.bfloat16


@pytest.mark.parametrize("name", sorted(CASES))
def test_case_prints_what_pytorch_printed(name):
    assert run_case(torch, CASES[name]) == FACTS[name]


def test_every_case_is_recorded():
    assert set(FACTS) == set(CASES)


def test_a_region_closes_when_its_block_raises():
    with pytest.raises(ValueError):
        with torch.autocast("cpu"):
            assert torch.is_autocast_enabled("cpu")
            raise ValueError("inside")
    assert (torch.ones(2, 2) @ torch.ones(2, 2)).dtype is torch.float32


def test_a_matmul_in_a_region_equals_the_bfloat16_matmul_of_rounded_inputs():
    torch.manual_seed(0)
    a, b = torch.randn(5, 7), torch.randn(7, 3)
    with torch.autocast("cpu"):
        got = a @ b
    assert torch.equal(got, a.bfloat16() @ b.bfloat16())


def test_gradients_reach_float32_leaves_through_the_casts():
    w = torch.tensor([[1.0, 2.0], [3.0, 4.0]], requires_grad=True)
    with torch.autocast("cpu"):
        out = torch.ones(1, 2) @ w
    out.sum().backward()
    assert w.grad.dtype is torch.float32 and w.grad.tolist() == [[1.0, 1.0], [1.0, 1.0]]


def test_the_scaler_skips_a_step_with_a_nan_gradient_and_backs_off():
    p = torch.nn.Parameter(torch.tensor([1.0, 2.0]))
    opt = torch.optim.SGD([p], lr=1.0)
    scaler = torch.amp.GradScaler("cpu", init_scale=8.0)
    scaler.scale((p * torch.tensor([float("nan"), 1.0])).sum()).backward()
    assert scaler.step(opt) is None
    scaler.update()
    assert p.tolist() == [1.0, 2.0] and scaler.get_scale() == 4.0
