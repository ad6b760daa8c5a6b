"""The torch.nn module sweep (branch nnmods, issue 15): every module class of torch.nn that
gradsh has, as a learner meets it, against PyTorch 2.13's printed text in
tests/data/nn_modules_sweep.json (recorded by tools/record_nn_modules_sweep.py; the cases and
what they print are tests/data/nn_modules_sweep_cases.py): construction under manual_seed(0)
bit for bit, repr, parameters/buffers/state_dict order, forward and backward on batchless,
1-sized, empty-batch, float64 and channels_last inputs, running statistics through train and
eval, PyTorch's exception class and message; nn.init's seeded draws and nn.utils. The live test
re-runs PyTorch when it is installed (a re-record that changed would show here first)."""

import json
import pathlib
import sys

import pytest

import gradsh

DATA = pathlib.Path(__file__).resolve().parents[1] / "data"
sys.path.insert(0, str(DATA))
from nn_modules_sweep_cases import CASES, run_case  # noqa: E402

FACTS = json.loads((DATA / "nn_modules_sweep.json").read_text())["facts"]


@pytest.mark.parametrize("name", sorted(CASES))
def test_case_prints_what_pytorch_printed(name):
    assert run_case(gradsh, CASES[name]) == FACTS[name]


def test_every_case_is_recorded():
    assert set(FACTS) == set(CASES)


def test_every_module_class_of_gradsh_nn_is_swept():
    """Each module class gradsh.nn has is named by a case (docs/nn.md lists the few of
    torch.nn that gradsh lacks)."""
    import re
    source = " ".join(CASES.values())
    names = [n for n in dir(gradsh.nn) if isinstance(getattr(gradsh.nn, n), type)
             and issubclass(getattr(gradsh.nn, n), gradsh.nn.Module)]
    unswept = [n for n in names if not re.search(r"nn\.%s\b" % n, source)]
    assert unswept == []


@pytest.mark.parametrize("name", ["Linear", "Conv2d_tuple_args", "LSTM_proj_bidir",
                                  "BatchNorm2d", "MultiheadAttention", "init_08_xavier_uniform_",
                                  "utils_pack_unpack", "Conv2d_wrong_channels"])
def test_live_pytorch_prints_the_recorded_text(name):
    torch = pytest.importorskip("torch", reason="PyTorch is the oracle of the live checks")
    torch.set_num_threads(1)
    assert run_case(torch, CASES[name]) == FACTS[name]
