"""What a notebook shows for a cell, against what a real IPython kernel running PyTorch showed for
the same cell (tests/data/notebook_display.json, recorded by tools/record_notebook_display.py from
the cells of tests/data/notebook_display_cases.py): the execute_result's text/plain (IPython's
pretty printing: containers broken at 79 columns, sets sorted, `<__main__.Foo at 0x...>`,
`<function __main__.f(a)>`; nothing for None or after a trailing `;`), the history (`_`, `__`,
`Out[N]`, `In[N]`), the stdout stream and an error's ename and evalue. Memory addresses are
compared as 0x0. Differences kept on purpose are strict xfails in KNOWN (docs/jupyter.md).
"""

import json
import pathlib
import re
import sys

import pytest

import kernel_helpers  # noqa: F401 (skips without the jupyter extra)

DATA = pathlib.Path(__file__).resolve().parent.parent / "data"
sys.path.insert(0, str(DATA))
from notebook_display_cases import CELLS  # noqa: E402

FACTS = json.loads((DATA / "notebook_display.json").read_text())["facts"]
ADDRESS = re.compile(r"0x[0-9a-fA-F]+")

KNOWN = {
    "hist_two": "`__` and `___` are not reachable: names starting with '__' are reserved in "
                "gradsh's language (docs/jupyter.md)",
    "hist_three": "`__` and `___` are not reachable: names starting with '__' are reserved in "
                  "gradsh's language (docs/jupyter.md)",
    "list_subclass": "a gradsh class may not inherit from list (docs/language.md)",
    "nn_functional": "gradsh's torch.nn.functional functions show as Python's repr "
                     "(`<function relu at 0x...>`): IPython shows PyTorch's module and "
                     "annotated signature, which gradsh's functions do not carry",
    "torch_module": "gradsh's torch module has no file: `<module 'torch'>`",
}


def shown(cell):
    """The recorded fields of one cell's outputs, as the recorder keeps them."""
    fact = {"result": None, "stdout": cell.stdout(), "error": None}
    for content in cell.of("execute_result"):
        fact["result"] = ADDRESS.sub("0x0", content["data"]["text/plain"])
    for content in cell.of("error"):
        fact["error"] = [content["ename"], ADDRESS.sub("0x0", content["evalue"])]
    return fact


@pytest.fixture(scope="module")
def outputs(kernel):
    """Every cell run in order in one kernel, as the recorder ran them (the history cells need
    the execution counts to be the cells' positions)."""
    return {name: shown(kernel.run(code)) for name, code in CELLS}


def test_every_case_was_recorded():
    assert [name for name, _ in CELLS] == list(FACTS)


@pytest.mark.parametrize("name", [
    pytest.param(n, marks=pytest.mark.xfail(strict=True, reason=KNOWN[n])) if n in KNOWN else n
    for n, _ in CELLS])
def test_cell_shows_what_ipython_shows(outputs, name):
    expected = {k: FACTS[name][k] for k in ("result", "stdout", "error")}
    assert outputs[name] == expected


def test_reset_forgets_the_output_history(kernel):
    """IPython's %reset forgets Out and `_`; gradsh's :reset does too (In is kept, as there)."""
    shown_value = kernel.run("41")
    count = shown_value.reply["execution_count"]
    assert kernel.run("Out[%d] + 1" % count).of("execute_result")[0]["data"]["text/plain"] == "42"
    assert kernel.run(":reset").status == "ok"
    assert kernel.run("_").reply["ename"] == "NameError"
    assert kernel.run("Out").of("execute_result")[0]["data"]["text/plain"] == "{}"
    assert kernel.run("In[%d]" % count).of("execute_result")[0]["data"]["text/plain"] == "'41'"


@pytest.mark.parametrize("code", ["1 + 1;", "1 + 1 ;  # quiet", "print('hi')\n2;"])
def test_a_trailing_semicolon_shows_no_value_at_all(kernel, code):
    """Not as the execute_result, and not as a display_data either (IPython shows nothing)."""
    cell = kernel.run(code)
    assert cell.status == "ok"
    assert cell.of("execute_result") == cell.of("display_data") == []
