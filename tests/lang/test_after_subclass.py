"""Programs run after another program made a Tensor subclass with `__torch_function__`, in the
same process (the REPL, the kernel, the suite's own workers): the subclass swaps Tensor's methods
for dispatching wrappers process-wide (core/overrides.py), and the programs must still print
PyTorch's text. The class of bug this guards: the argument-error read-back (core/callreader.py)
took the wrapper's frame for a stranger's, and `torch.tensor([1.]).sum(dim="x")` lost PyTorch's
"invalid combination" TypeError for the rest of the process.

The programs are the learner programs whose recorded PyTorch output holds an argument error
(tests/data/learner_programs/*.out, recorded from PyTorch 2.13)."""

import pathlib
import sys

import pytest

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
import test_learner_programs as learner  # noqa: E402

_ARGUMENT_ERRORS = ("received an invalid combination", "must be Tensor, not", "must be int, not",
                    "must be tuple of ints")
NAMES = [n for n in learner.NAMES
         if n not in learner.KNOWN and n not in learner.KNOWN_AS_GRAD
         and any(s in learner.expected(n) for s in _ARGUMENT_ERRORS)]

SUBCLASS = "adv9a_note_extending_torch_function"  # makes a Tensor subclass with a handler


@pytest.fixture(scope="module")
def swapped():
    assert "__torch_function__" in (learner.DATA / (SUBCLASS + ".grad")).read_text()
    assert learner.run_as_grad(SUBCLASS) == learner.expected(SUBCLASS)
    from gradsh.core import overrides
    assert overrides._subclasses  # the methods are the dispatching wrappers from here on


def test_the_sample_is_not_empty():
    assert len(NAMES) >= 10


@pytest.mark.parametrize("name", NAMES)
def test_argument_errors_after_a_subclass(swapped, name):
    assert learner.run_as_grad(name) == learner.expected(name)
