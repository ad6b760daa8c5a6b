"""Every learner program (tests/data/learner_programs) through the other ways of running it: piped
into the command (`gradsh < prog.grad`) and as notebook cells in the Jupyter kernel. Each must
print exactly what PyTorch 2.13 printed (NAME.out); a program that PyTorch stopped with an error
(`!! Kind: message`, its last line) stops here with the same kind and message, located at its line
(the pipe: `<stdin>:LINE:COL: Kind: message` on stderr; a notebook: an error output naming the
cell's line), never a Python traceback.

By default each surface runs a fixed third of the programs, two thirds between them (the suite's
ten minutes; every program runs the .grad way and under Python in tests/lang): the pipe
in-process (the command's `main` with stdin injected) for the programs of one third, plus two
through a real `gradsh` process; the kernel, in one kernel (`:reset` between programs), the
programs of another third split into cells at their top-level blank lines, and a sample one
top-level statement per cell. Programs PyTorch stopped with an error (where the surfaces
differ most: the located message) run on both. A program's third is fixed by its name, not by
its neighbours. GRADSH_SURFACES=full runs every program on every surface, and adds a real
process, a whole-program cell and one cell per statement for each.

Programs that differ from PyTorch for a documented reason are strict xfails, as in
tests/lang/test_learner_programs.py (the same KNOWN table).
"""

import ast
import io
import os
import pathlib
import re
import subprocess
import sys
import zlib

import pytest

import kernel_helpers  # noqa: F401 (skips without the jupyter extra)
import gradsh

TESTS = pathlib.Path(__file__).resolve().parent.parent
DATA = TESTS / "data" / "learner_programs"
sys.path.insert(0, str(DATA))
sys.path.insert(0, str(TESTS / "lang"))
import runner  # noqa: E402
from test_learner_programs import KNOWN, KNOWN_AS_GRAD, NAMES  # noqa: E402

FULL = os.environ.get("GRADSH_SURFACES") == "full"
GRADSH = os.path.join(os.path.dirname(sys.executable), "gradsh")
# fresh as a new process (runner.fresh_state), in the program's own language
FRESH_CELL = ("import torch\ntorch.manual_seed(%d)\ntorch.set_printoptions(profile='default')\n"
              "torch.set_grad_enabled(True)\ntorch.autograd.set_detect_anomaly(False)\n"
              % runner.FRESH_SEED)
# where a cell may end: a blank line followed by an unindented line (not inside a def)
CELL_BREAK = re.compile(r"\n[ \t]*\n(?=\S)")
REAL_PIPE = ("inplace_views_grad", "basics_grad_fn_walk")


# programs whose text depends on the surface itself: a notebook cell counts its own lines
KNOWN_IN_CELLS = {
    "lang22_traceback_lines": "a traceback's tb_lineno counts the lines of the cell, as "
                              "IPython's do, not of the whole program",
}

# ... and on the pipe too (every surface that splits the program): a warning's line is counted
# within the input it came in
KNOWN_WHEN_SPLIT = {
    "adv14c_warn_printed_form": "a warning's line number counts the lines of the input it was "
                                "typed in (a piped statement, a cell), as Python's REPL and "
                                "IPython count them, not of the whole program",
}


def _cases(names=NAMES, cells=False, split=True):
    known = {**KNOWN, **KNOWN_AS_GRAD}   # the sandbox's rules hold on every surface
    if split:
        known.update(KNOWN_WHEN_SPLIT)
    if cells:
        known.update(KNOWN_IN_CELLS)
    return [pytest.param(n, marks=pytest.mark.xfail(strict=True, reason=known[n]))
            if n in known else n for n in names]


def _third(residue):
    """The programs of one fixed third (by their names' CRC-32), and every program PyTorch
    stopped with an error; all programs with GRADSH_SURFACES=full."""
    if FULL:
        return NAMES
    return [n for n in NAMES if zlib.crc32(n.encode()) % 3 == residue
            or "\n!! " in "\n" + (DATA / (n + ".out")).read_text()]


PIPE_THIRD, CELLS_THIRD = 0, 1


def recorded(name):
    """(stdout, error) as PyTorch printed them: error is "Kind: message" or None."""
    lines = (DATA / (name + ".out")).read_text().splitlines(True)
    marks = [i for i, line in enumerate(lines) if line.startswith("!! ")]
    if marks:  # (a message of several lines, as gradcheck's, continues to the end)
        error = "".join(lines[marks[-1]:])[3:]
        return "".join(lines[:marks[-1]]), error[:-1] if error.endswith("\n") else error
    return "".join(lines), None


def source(name):
    return (DATA / (name + ".grad")).read_text()


# ---------------------------------------------------------------- the pipe
def located(err, filename):
    """The "Kind: message" of the located error `FILENAME:LINE:COL: Kind: message` on stderr,
    after checking that it is one located error, not a traceback (PyTorch's own anomaly-mode
    warning, which gradsh prints as well, says "Traceback of forward call")."""
    assert "Traceback (most recent call last)" not in err, err
    m = re.search(r"^%s:\d+:\d+: (\w+: .*)$" % re.escape(filename), err, re.M)
    assert m, err
    return m.group(1)


def check_piped(name, status, out, err):
    stdout, error = recorded(name)
    assert runner.normalize(out) == stdout
    if error is None:
        assert (status, err) == (0, "") or status == 0 and "Warning: " in err, err
    else:
        assert status == 1
        assert located(err, "<stdin>") == error.splitlines()[0]  # (the located line)


def pipe_env(program):
    """The command's streams as a pipe gives them: stdin and stdout not terminals."""
    from gradsh.cli.env import Environment
    return Environment(stdin=io.StringIO(), stdout=io.StringIO(), stderr=io.StringIO(),
                       stdin_isatty=False, stdout_isatty=False, environ={},
                       stdin_bytes=io.BytesIO(program))


class OnDemand(dict):
    """A program's result, run the first time a test asks for it: under pytest-xdist each
    worker runs only the programs of its own tests (a sweep of every program in a fixture ran
    on every worker)."""

    def __init__(self, run):
        super().__init__()
        self.run = run

    def __missing__(self, name):
        self[name] = result = self.run(name)
        return result


@pytest.fixture(scope="module")
def piped():
    """`gradsh --no-echo < prog.grad` for every program (a pipe without echo prints as
    `python < prog.py`), run by the command's main() in this process."""
    from gradsh.cli.main import main

    def run(name):
        runner.fresh_state(gradsh)
        env = pipe_env((DATA / (name + ".grad")).read_bytes())
        status = main(["--no-echo"], env)
        return status, env.stdout.getvalue(), env.stderr.getvalue()

    return OnDemand(run)


@pytest.mark.parametrize("name", _cases(_third(PIPE_THIRD)))
def test_piped_program_prints_what_pytorch_printed(name, piped):
    check_piped(name, *piped[name])


@pytest.mark.parametrize("name", _cases(NAMES if FULL else REAL_PIPE))
def test_program_piped_into_a_real_gradsh_process(name):
    with open(DATA / (name + ".grad"), "rb") as program:
        done = subprocess.run([GRADSH, "--no-echo"], stdin=program, capture_output=True, timeout=120)
    check_piped(name, done.returncode, done.stdout.decode(), done.stderr.decode())


# ---------------------------------------------------------------- the kernel
def run_in_cells(kernel, cells):
    """(stdout stream text, the error reply or None) of a program's cells on a fresh session;
    the cells stop at the first error, as Run All does."""
    assert kernel.run(":reset").status == "ok"
    assert kernel.run(FRESH_CELL).status == "ok"
    out = []
    for code in cells:
        cell = kernel.run(code, timeout=120)
        out.append(cell.stdout())
        if cell.status != "ok":
            return "".join(out), cell.reply
    return "".join(out), None


def check_cells(name, out, reply):
    stdout, error = recorded(name)
    assert runner.normalize(out) == stdout
    if error is None:
        assert reply is None, reply
        return
    assert reply is not None and reply["status"] == "error"
    assert "%s: %s" % (reply["ename"], reply["evalue"]) == error
    # the located headline: the first line, or after the frames' "in f" lines when the error
    # was raised in a function the program called
    located = [line for line in reply["traceback"] if re.match(r"<cell \d+>:\d+:\d+: ", line)]
    frames = [line for line in located if re.match(r"<cell \d+>:\d+:\d+: in \S+$", line)]
    assert located and located[len(frames)] == located[-1], located
    assert re.match(r"<cell \d+>:\d+:\d+: %s$" % re.escape(error.splitlines()[0]),
                    located[-1]), located[-1]
    assert not any("Traceback" in line for line in reply["traceback"])


@pytest.fixture(scope="module")
def split_cells(kernel):
    return OnDemand(lambda name: run_in_cells(
        kernel, [c for c in CELL_BREAK.split(source(name)) if c.strip()]))


@pytest.mark.parametrize("name", _cases(_third(CELLS_THIRD), cells=True))
def test_program_in_notebook_cells_prints_what_pytorch_printed(name, split_cells):
    check_cells(name, *split_cells[name])


def statement_cells(text):
    """The program pasted into a notebook one top-level statement (or whole block) per cell, the
    comments and blank lines before a statement in its cell (Python's parser finds the
    statements: every learner program is Python too)."""
    lines = text.split("\n")
    ends = [stmt.end_lineno for stmt in ast.parse(text).body]
    cells = ["\n".join(lines[start:end]) for start, end in zip([0] + ends, ends)]
    cells[-1:] = ["\n".join([cells[-1]] + lines[ends[-1]:])] if cells else []
    return [c for c in cells if c.strip()]


# a fixed sample by default (a program in every 150, nested blocks and for-else among them)
STATEMENT_SAMPLE = NAMES[::150] + ["exc_raise_and_reraise", "p8c_while_break_else"]


@pytest.mark.parametrize("name", _cases(NAMES if FULL else STATEMENT_SAMPLE, cells=True))
def test_program_in_one_cell_per_statement_prints_what_pytorch_printed(name, kernel):
    check_cells(name, *run_in_cells(kernel, statement_cells(source(name))))


def test_statement_cells_are_the_program_in_order():
    text = "# head\nimport torch\n\n\nfor i in range(2):\n    print(i)\n\nx = 1  # one\n# tail\n"
    assert statement_cells(text) == ["# head\nimport torch", "\n\nfor i in range(2):\n    print(i)",
                                     "\nx = 1  # one\n# tail\n"]
    for name in STATEMENT_SAMPLE:
        assert "\n".join(statement_cells(source(name))).strip() == source(name).strip()


@pytest.mark.skipif(not FULL, reason="GRADSH_SURFACES=full: one cell per whole program too")
@pytest.mark.parametrize("name", _cases(cells=True, split=False))
def test_whole_program_in_one_cell_prints_what_pytorch_printed(name, kernel):
    check_cells(name, *run_in_cells(kernel, [source(name)]))


def test_programs_split_into_several_cells():
    """The split sweep is a real one: most programs become several cells."""
    counts = [len([c for c in CELL_BREAK.split(source(n)) if c.strip()]) for n in NAMES]
    assert sum(c > 1 for c in counts) >= len(NAMES) // 2


def test_the_sampled_thirds_cover_two_thirds_and_every_error():
    """The default samples are what the docstring says: disjoint thirds (but for the programs
    that end in an error, which both run), together about two thirds of the programs."""
    if FULL:
        pytest.skip("GRADSH_SURFACES=full runs every program on every surface")
    pipe, cells = set(_third(PIPE_THIRD)), set(_third(CELLS_THIRD))
    errors = {n for n in NAMES if "\n!! " in "\n" + (DATA / (n + ".out")).read_text()}
    assert errors and errors <= pipe & cells and pipe & cells == errors
    assert 0.6 < len(pipe | cells) / len(NAMES) < 0.75
