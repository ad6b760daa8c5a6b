"""Issue 15's second notebook and REPL round (branch `nb23`), the REPL half: each session of
tests/data/nb23_sessions.py typed cell by cell, line by line, into a fresh line shell, against
what a fresh `python -q -i` with PyTorch showed for the same keys (tests/data/nb23_repl.json,
recorded by `tools/record_nb21_sessions.py --set nb23 --repl`), compared as nb21's round
compares (tests/cli/test_nb21_repl_sessions.py: per cell the echoed and printed text, each
error's kind and message, each warning's; the gradient lines after a backward left out). The
sessions' complete/inspect requests are the notebook's only. nb23_sessions.SAMPLE by default,
every session with GRADSH_SURFACES=full; cells that differ on purpose are in KNOWN (and must
still differ).
"""

import json
import os
import pathlib
import sys

import pytest
from test_nb21_repl_sessions import SUGGESTION, check_session, typed_session

DATA = pathlib.Path(__file__).resolve().parent.parent / "data"
sys.path.insert(0, str(DATA))
from nb23_sessions import LANGUAGE_KNOWN, SAMPLE, SESSIONS, cells_typed, typed  # noqa: E402

FULL = os.environ.get("GRADSH_SURFACES") == "full"
RUN = [(n, c) for n, c in SESSIONS if FULL or n in SAMPLE]
FACTS = json.loads((DATA / "nb23_repl.json").read_text())["facts"]

# (session, index among the session's typed cells) -> why that cell differs
KNOWN = {
    **LANGUAGE_KNOWN,
    ("nb23_matplotlib_magic_first", 0): "both refuse IPython's `%matplotlib inline`; gradsh's "
                                        "syntax errors say what was found and expected "
                                        "(docs/repl.md), Python's says `invalid syntax`",
    ("nb23_double_question_mark", 1): "`f??`: gradsh's syntax error wording (found '?'), as "
                                      "`%matplotlib` above",
    ("nb23_double_question_mark", 2): "`?f` shows help(f) in gradsh's REPL (IPython's habit); "
                                      "Python's REPL reports a SyntaxError",
    ("nb23_underscore_chain", 4): "`__` and `___` are names Python's REPL does not define either, "
                                  "but gradsh refuses them as reserved (a SyntaxError, not a "
                                  "NameError): names starting with `__` are reserved",
    ("nb23_underscore_chain", 5): "as `__`",
    ("nb23_question_mark_help", 1): "`NAME?` shows help(NAME) in gradsh's REPL (IPython's habit, "
                                    "docs/repl.md); Python's REPL reports a SyntaxError",
    ("nb23_question_mark_help", 3): "as `x.backward?`",
}


def test_every_session_was_recorded():
    assert [name for name, _ in SESSIONS] == list(FACTS)
    assert set(SAMPLE) <= set(FACTS)


@pytest.mark.parametrize("name", [n for n, _ in RUN])
def test_session_typed_into_the_repl_shows_what_pythons_repl_shows(name):
    cells = cells_typed(dict(SESSIONS)[name])
    expected = [dict(fact, errors=[SUGGESTION.sub("", e) for e in fact["errors"]])
                for fact in FACTS[name]]
    check_session(name, typed_session(cells, typed), expected, KNOWN)


# --- the classes behind the first run's differences

def test_a_refused_import_inside_try_waits_for_the_except_line():
    """A statement the compiler refuses (an import gradsh does not offer) inside an open block:
    the input waited for no more lines, so `try:` ran alone and the `except` line was a
    SyntaxError of its own. Now the block is read whole and its one error reported."""
    [shown] = typed_session(["try:\n    import not_a_module\nexcept ImportError:\n    pass"],
                            typed)
    assert [e.split(":")[0] for e in shown["errors"]] == ["ImportError"]


def test_help_of_a_programs_function_is_pythons_text(run_cli):
    """help(f) of a function the program defined prints pydoc's text, as Python's help() does
    (Python itself is the oracle): lambdas, defaults, a docstring of several paragraphs; typed
    into the shell (whose help is reflowed for the screen) and run as a program."""
    import subprocess
    cells = ["def area(r, pi=3.14):\n    \"\"\"Area of a circle.\n    Uses pi.\"\"\"\n"
             "    return pi * r * r", "help(area)", "help(lambda v, *a, k=1, **kw: v)",
             "def bare():\n    pass", "help(bare)",
             "def two(a):\n    \"\"\"First.\n\n    Second.\"\"\"\n    return a", "help(two)"]
    python = subprocess.run([sys.executable, "-c", "\n".join(cells)], capture_output=True,
                            text=True, timeout=60, check=True).stdout
    assert python.startswith("Help on function area in module __main__:")
    assert run_cli(["-c", "\n".join(cells)]).out == python
    typed_cells = cells[:5]  # (the keys of a cell drop its blank lines, a docstring's too)
    shown = typed_session(typed_cells, typed)
    assert "".join(cell["stdout"] for cell in shown) == python[:python.index("Help on function two")]


def test_dict_key_completion_is_bounded():
    """A dict's keys are offered from its first 1000, and never a key too long to show."""
    from prompt_toolkit.completion import CompleteEvent
    from prompt_toolkit.document import Document

    from gradsh.cli.completer import GradshCompleter
    from test_nb21_repl_sessions import _shell
    state, _, _ = _shell()
    state.session.run("d = {i: i for i in range(5000)}\nd['x' * 10 ** 6] = 1\nd[10 ** 4000] = 2\n"
                      "e = {'ab': 1, 'x' * 300: 2, 5: 3}")
    offered = GradshCompleter(state).get_completions
    tab = CompleteEvent(completion_requested=True)
    assert len(list(offered(Document("d["), tab))) == 1000
    assert [c.text for c in offered(Document("e["), tab)] == ["'ab'", "5"]
    assert [c.text for c in offered(Document("e['"), tab)] == ["ab"]
