"""The non-op torch services against PyTorch 2.13: torch.save/load (round trips, views sharing
storage, weights_only refusals), torch.testing.assert_close's messages, the process switches,
torch.compile, the legacy tensor types and torch.distributions (draws under manual_seed,
log_prob, entropy, kl_divergence, gradients, messages). The recorded text is
tests/data/runtime_services.json (tools/record_runtime_services.py); a live check compares with
PyTorch itself when it is installed. The .grad side: tests/lang/test_program_files.py."""

import io
import json
import pathlib
import sys

import pytest

import gradsh

DATA = pathlib.Path(__file__).resolve().parents[1] / "data"
sys.path.insert(0, str(DATA))
from runtime_services_cases import CASES, run_case  # noqa: E402

FACTS = json.loads((DATA / "runtime_services.json").read_text())["facts"]


@pytest.fixture(autouse=True)
def _fresh_switches():
    yield
    gradsh.set_num_threads(1)
    gradsh.set_default_dtype(gradsh.float32)
    from gradsh.core import settings
    settings.reset()


@pytest.mark.parametrize("name", sorted(CASES))
def test_case_prints_what_pytorch_printed(name):
    assert run_case(gradsh, CASES[name]) == FACTS[name]


def test_every_case_is_recorded():
    assert set(FACTS) == set(CASES)


@pytest.mark.parametrize("name", ["save_load_views", "distributions", "legacy_types"])
def test_case_matches_live_pytorch(name):
    torch = pytest.importorskip("torch", reason="PyTorch not installed: live check skipped")
    assert run_case(gradsh, CASES[name]) == run_case(torch, CASES[name])


def test_a_file_of_another_format_is_refused():
    with pytest.raises(Exception, match="not a file written by gradsh's torch.save"):
        gradsh.load(io.BytesIO(b"PK\x03\x04 a zip archive"))


def test_storage_is_written_once_for_many_views():
    base = gradsh.zeros(10_000)
    one, many = io.BytesIO(), io.BytesIO()
    gradsh.save([base], one)
    gradsh.save([base[i:i + 10] for i in range(0, 10_000, 10)], many)
    assert len(many.getvalue()) < 2 * len(one.getvalue())


def test_load_keeps_gradients_flowing_through_loaded_leaves():
    w = gradsh.tensor([1.0, 2.0], requires_grad=True)
    buf = io.BytesIO()
    gradsh.save(w, buf)
    buf.seek(0)
    w2 = gradsh.load(buf)
    (w2 * w2).sum().backward()
    assert w2.grad.tolist() == [2.0, 4.0] and w.grad is None
