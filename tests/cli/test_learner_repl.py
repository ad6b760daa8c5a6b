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
    "adv14a_wnr_cnn_lambda_wrapped_loader": "the REPL echoes `loss_batch(...)` in the training "
    "loop: (loss.item(), 6) of a float64 CNN, whose last digit differs by the float64 matmul "
    "rounding (test_learner_programs.MATMUL64; the program itself prints rounded losses and "
    "passes)",
    "adv8a_save_load_whole_model": "torch.save(model) of a class the program defines: in the "
    "recording, Python's REPL (runner.typed_in_repl) fails to pickle the console's class "
    "(PicklingError, then NameErrors); gradsh's REPL saves and loads it as the .grad program "
    "and PyTorch running the file do",
    "adv11a_rc_weights_only_refusal": "torch.save of a dict holding an instance of a class the "
    "program defines: the recording's console fails to pickle the console's class (as "
    "adv8a_save_load_whole_model), so its torch.load gives other errors; gradsh's REPL prints "
    "what the .grad program and PyTorch running the file print",
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


# programs leaving values of many kinds: classes, functions, exceptions, modules, optimizers,
# schedulers, data loaders, distributions, tensors with and without graphs
META_SAMPLE = ("exc_custom_exception_classes", "adv3b_training_loop_clip_sched_accum",
               "adv8a_actor_critic_normal")


def _top_level_names(text):
    import ast
    names = []
    for stmt in ast.parse(text).body:
        for node in [stmt] if isinstance(stmt, (ast.FunctionDef, ast.ClassDef)) else ast.walk(stmt):
            if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store) \
                    or isinstance(node, (ast.FunctionDef, ast.ClassDef)):
                names.append(getattr(node, "id", None) or node.name)
            elif isinstance(node, (ast.Import, ast.ImportFrom)):
                names += [(a.asname or a.name).split(".")[0] for a in node.names]
    return sorted(set(n for n in names if not n.startswith("_")))


@pytest.mark.parametrize("name", NAMES if FULL else META_SAMPLE)
def test_meta_commands_on_every_value_a_program_leaves(name, run_cli):
    """The program typed into the shell, then :vars, :grads, :help and :graph, :trace, :help of
    each of its top-level names: each answers (a view, or a usage line naming what it needs),
    none is an internal error of the shell. (The plain line shell: the meta-commands are the
    REPL's, without the seconds prompt_toolkit spends per prompt.)"""
    text = (DATA / (name + ".grad")).read_text()
    metas = [":vars", ":grads", ":help"] + [":%s %s" % (command, variable)
                                            for variable in _top_level_names(text)
                                            for command in ("graph", "trace", "help")]
    runner.fresh_state(gradsh)
    r = run_cli([], stdin=runner.typed_in_repl(text) + "\n".join(metas) + "\n", tty=True)
    assert r.status == 0
    assert "internal error" not in r.err and "Traceback" not in r.err, r.err
    assert r.err.count(">>> ") >= len(metas)     # the shell read and answered every one
    assert "backward graph of" in r.out or ":graph needs a tensor" in r.err
