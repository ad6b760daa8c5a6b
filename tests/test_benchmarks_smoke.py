"""Each benchmark workload runs once and computes what its numpy floor computes (correctness only)."""

import pathlib
import sys

import pytest

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent.parent / "benchmarks"))

import floor  # noqa: E402
import workloads  # noqa: E402

import gradsh  # noqa: E402


@pytest.mark.parametrize("wid", sorted(workloads.WORKLOADS))
def test_workload_matches_its_numpy_floor(wid):
    _, check = workloads.WORKLOADS[wid](gradsh)
    _, floor_check = floor.FLOORS[wid]()
    got, want = check(), floor_check()
    assert got == pytest.approx(want, rel=1e-4, abs=1e-4)


@pytest.mark.parametrize("wid", sorted(workloads.WORKLOADS))
def test_workload_matches_pytorch(wid):
    torch = pytest.importorskip("torch", reason="PyTorch not installed: differential test skipped")
    _, check = workloads.WORKLOADS[wid](gradsh)
    _, torch_check = workloads.WORKLOADS[wid](torch)
    assert check() == pytest.approx(torch_check(), rel=1e-4, abs=1e-4)


def test_tutorial_graph_gradient_is_4_5_per_element():
    _, check = workloads.make_w1(gradsh)
    assert check() == pytest.approx(4 * 4.5)
