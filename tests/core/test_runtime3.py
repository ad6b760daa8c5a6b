"""Issue 15's runtime services, third round, against PyTorch 2.13: torch.random,
torch.set_anomaly_enabled / is_inference / get_device,
torch.profiler and torch.autograd.profiler. The recorded text is tests/data/runtime3.json
(tools/record_runtime3.py); a live check compares with PyTorch itself when it is installed.
The .grad side: tests/data/learner_programs/runtime3_*.grad."""

import json
import pathlib
import sys

import pytest

import gradsh

DATA = pathlib.Path(__file__).resolve().parents[1] / "data"
sys.path.insert(0, str(DATA))
from runtime3_cases import CASES, run_case  # noqa: E402

FACTS = json.loads((DATA / "runtime3.json").read_text())["facts"]


@pytest.fixture(autouse=True)
def _fresh_switches():
    yield
    gradsh.set_default_dtype(gradsh.float32)
    gradsh.set_anomaly_enabled(False, True)


@pytest.mark.parametrize("name", sorted(CASES))
def test_case_prints_what_pytorch_printed(name):
    assert run_case(gradsh, CASES[name]) == FACTS[name]


def test_every_case_is_recorded():
    assert set(FACTS) == set(CASES)


def test_fork_rng_restores_the_state_even_when_the_block_raises():
    gradsh.manual_seed(5)
    before = gradsh.get_rng_state()
    with pytest.raises(ValueError):
        with gradsh.random.fork_rng():
            gradsh.rand(10)
            raise ValueError("inside")
    assert gradsh.equal(gradsh.get_rng_state(), before)


def test_profiler_times_nested_regions_and_counts_calls():
    P = gradsh.profiler
    with P.profile() as prof:
        for _ in range(4):
            with P.record_function("outer"):
                with P.record_function("inner"):
                    gradsh.ones(3).sum()
    ka = {e.key: e for e in prof.key_averages()}
    assert ka["outer"].count == 4 and ka["inner"].count == 4
    assert ka["outer"].cpu_time_total >= ka["inner"].cpu_time_total > 0
    table = prof.key_averages().table(sort_by="cpu_time_total")
    assert table.splitlines()[1].split()[:3] == ["Name", "Self", "CPU"]
    assert "Self CPU time total:" in table
    with P.record_function("outside"):  # no profile running: nothing recorded anywhere
        pass
    assert "outside" not in {e.key for e in prof.events()}
