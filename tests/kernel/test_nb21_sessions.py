"""Issue 15's notebook and REPL round (branch `nb21`), the notebook half: the sessions of
tests/data/nb21_sessions.py, a cell per execute request, in gradsh's kernel, against what a fresh
IPython kernel with PyTorch showed for each (tests/data/nb21_notebook.json, recorded by
tools/record_nb21_sessions.py --notebook): per cell, the stdout stream, the execute_result's
text/plain (`Out[n]`), the error's ename and evalue, each warning's kind and message (IPython's
stderr lines `FILE:LINE: Kind: message`) and the display_data a cell's own `display(...)` calls
made. One kernel runs every session, with `:reset` between them (the history session first, so
its cells have IPython's numbers). Left out, as documented (docs/jupyter.md): the gradients a
backward changed and the values of expression statements before a cell's last one, which gradsh
shows as display_data where IPython shows nothing (so display_data is compared only in cells
where IPython showed some).
"""

import json
import pathlib
import re
import sys

import pytest

import kernel_helpers  # noqa: F401 (skips without the jupyter extra)

DATA = pathlib.Path(__file__).resolve().parent.parent / "data"
sys.path.insert(0, str(DATA))
from nb21_sessions import SESSIONS  # noqa: E402

FACTS = json.loads((DATA / "nb21_notebook.json").read_text())["facts"]
ADDRESS = re.compile(r"0x[0-9a-fA-F]+")
WARNED = re.compile(r"^.*?:\d+: (\w*Warning: .*)$", re.M)

KNOWN = {
}


def fields(outputs):
    """The compared fields of one cell's outputs, from [kind, ...] entries as recorded."""
    fact = {"stdout": "", "result": None, "error": None, "warnings": [], "display": []}
    for entry in outputs:
        if entry[0] == "stdout":
            fact["stdout"] += entry[1]
        elif entry[0] == "stderr":
            fact["warnings"] += WARNED.findall(entry[1])
        elif entry[0] == "result":
            fact["result"] = entry[1]
        elif entry[0] == "display":
            fact["display"].append(entry[1])
        elif entry[0] == "error":
            fact["error"] = entry[1:]
    return fact


def recorded_form(cell):
    """gradsh's outputs for a cell as the recorder keeps IPython's (gradients left out)."""
    shown = []
    for kind, content in cell.outputs:
        if kind == "stream":
            shown.append([content["name"], ADDRESS.sub("0x0", content["text"])])
        elif kind == "execute_result":
            shown.append(["result", ADDRESS.sub("0x0", content["data"]["text/plain"])])
        elif kind == "display_data" and "gradsh-gradients" not in content["data"].get(
                "text/html", ""):
            shown.append(["display", ADDRESS.sub("0x0", content["data"]["text/plain"])])
        elif kind == "error":
            shown.append(["error", content["ename"], ADDRESS.sub("0x0", content["evalue"])])
    return shown


@pytest.fixture(scope="module")
def outputs(kernel):
    """Every session run in one kernel, in order, with `:reset` before each but the first."""
    shown = {}
    for k, (name, cells) in enumerate(SESSIONS):
        if k:
            assert kernel.run(":reset").status == "ok"
        shown[name] = [recorded_form(kernel.run(code)) for code in cells]
    return shown


def test_every_session_was_recorded():
    assert [name for name, _ in SESSIONS] == list(FACTS)
    assert SESSIONS[0][0] == "nb21_history_numbers"


@pytest.mark.parametrize("name", [
    pytest.param(n, marks=pytest.mark.xfail(strict=True, reason=KNOWN[n])) if n in KNOWN else n
    for n, _ in SESSIONS])
def test_session_in_the_kernel_shows_what_ipython_shows(outputs, name):
    got, expected = [], []
    for ours, theirs in zip(outputs[name], FACTS[name], strict=True):
        ours, theirs = fields(ours), fields(theirs)
        if not theirs["display"]:
            ours["display"] = []
        got.append(ours)
        expected.append(theirs)
    assert got == expected
