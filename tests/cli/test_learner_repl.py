"""Learner programs typed into the REPL line by line, as into Python's REPL: each line with its own
indentation, an empty line closing each top-level block (runner.typed_in_repl). The REPL must print
what Python's REPL printed with PyTorch for the same keys (tests/data/learner_programs/repl.json,
recorded by `tools/record_learner_programs.py --repl`): the program's output, the value of every
expression statement of the module's own code (in loops too, not in functions), nothing for None,
and an error where Python reported one. The one addition is documented: the gradients panel after
a backward (docs/repl.md), left out of the comparison.

Typing is slow through prompt_toolkit (a second or two per program): by default one program with
blocks, loops that echo and a class; GRADSH_SURFACES=full types every program.
"""

import json
import os
import pathlib
import re
import sys

import pytest
from cli_helpers import body

DATA = pathlib.Path(__file__).resolve().parent.parent / "data" / "learner_programs"
sys.path.insert(0, str(DATA))
sys.path.insert(0, str(DATA.parent.parent / "lang"))
import runner  # noqa: E402
from test_learner_programs import KNOWN, KNOWN_AS_GRAD, NAMES  # noqa: E402

import gradsh  # noqa: E402

RECORDED = json.loads((DATA / "repl.json").read_text())
FULL = os.environ.get("GRADSH_SURFACES") == "full"
SAMPLE = ("basics_grad_accumulates",
          # an outer `except` at column 0 after a nested try's handler (not the inner try's);
          # a for-else's `else:` at column 0 after an `if` in its body; print(..., end=" ")
          "exc_raise_and_reraise", "p8c_while_break_else")
PANEL = re.compile(r"^╭─ gradients.*?^╰─*╯\n"
                   # more than 4 gradients: a table of names, shapes and norms (render.GradSummary)
                   r"|^gradients \(\d+ tensors;.*?values\) *\n *name +shape +norm *\n─+ *\n"
                   # ([^\n]*, not .*: under re.S a row must not run on to a later panel's rows)
                   r"(?:[^\n]*\.grad +\([^)\n]*\) +\S+ *\n)+", re.M | re.S)
ERROR = re.compile(r"^<stdin>:\d+:\d+: (\w+): ", re.M)


# program -> why only its typing into the REPL differs
KNOWN_IN_REPL = {
    "adv8a_lm_word_lstm_bptt": "the REPL echoes `p.data.add_(...)` and `clip_grad_norm_(...)` in "
    "the training loop: whole float32 parameters, whose last digits differ by the float32 "
    "matmul rounding of the LSTM and Linear (test_learner_programs.MATMUL32; the program "
    "itself prints rounded losses and passes)",
    "adv8a_save_load_whole_model": "torch.save(model) of a class the program defines: in the "
    "recording, Python's REPL (runner.typed_in_repl) fails to pickle the console's class "
    "(PicklingError, then NameErrors); gradsh's REPL saves and loads it as the .grad program "
    "and PyTorch running the file do",
}


def _cases(names):
    known = {**KNOWN, **KNOWN_AS_GRAD, **KNOWN_IN_REPL}   # the sandbox's rules hold everywhere
    return [pytest.param(n, marks=pytest.mark.xfail(strict=True, reason=known[n]))
            if n in known else n for n in names]


def test_recording_covers_every_program():
    assert sorted(RECORDED) == NAMES, "run: python tools/record_learner_programs.py --repl"


@pytest.mark.parametrize("name", _cases(NAMES if FULL else SAMPLE))
def test_program_typed_into_the_repl_prints_what_pythons_repl_printed(name, repl):
    typed = runner.typed_in_repl((DATA / (name + ".grad")).read_text())
    runner.fresh_state(gradsh)
    r = repl("".join(line + "\r" for line in typed.split("\n")), width=200)
    assert r.status == 0
    assert runner.normalize(PANEL.sub("", body(r.out))) == RECORDED[name]["out"]
    assert [k for k in ERROR.findall(r.err) if not k.endswith("Warning")] == \
        RECORDED[name]["errors"]
