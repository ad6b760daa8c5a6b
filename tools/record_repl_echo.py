"""Record what Python's own REPL (`python -i`, with PyTorch 2.13) echoes for each cell of
tests/data/notebook_display_cases.py, typed line by line, into tests/data/repl_echo.json.

    python tools/record_repl_echo.py

The cells are typed in order into ONE `python -q -i` process (stdin a pipe: Python's basic
REPL, prompts on stderr), each followed by a line printing a separator to stdout and stderr.
Before the first cell the tool types `import sys as _rec_sys` (the separator's stream); a cell's
top-level compound statement (`class`, `def`, `if`, `for`) is followed by an empty line, as it
must be typed. For each cell it keeps stdout (the echoed values, repr, and what was printed)
and, for each error, the traceback's last line (`Kind: message`).
Memory addresses (0x7f...) are written as 0x0.
"""

import pathlib
import re
import subprocess
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests" / "data"))
sys.path.insert(0, str(ROOT / "tools"))

SEPARATOR = "\x1e"
MARK = "print(%r); print(%r, file=_rec_sys.stderr)" % (SEPARATOR, SEPARATOR)
ADDRESS = re.compile(r"0x[0-9a-fA-F]+")
PROMPT = re.compile(r"^(?:(?:>>>|\.\.\.) ?)+")


def main():
    import torch
    import facts_file
    from notebook_display_cases import CELLS
    from repl_echo_input import typed
    assert torch.__version__.startswith("2.13."), torch.__version__
    text = "import sys as _rec_sys\n" + "".join(typed(code) + MARK + "\n" for _, code in CELLS)
    done = subprocess.run([sys.executable, "-q", "-i"], input=text, capture_output=True,
                          text=True, timeout=600)
    outs = done.stdout.split(SEPARATOR + "\n")
    errs = done.stderr.split(SEPARATOR + "\n")
    assert len(outs) == len(errs) == len(CELLS) + 1, (len(outs), len(errs))
    facts = {}
    for (name, _), out, err in zip(CELLS, outs, errs):
        facts[name] = {"stdout": ADDRESS.sub("0x0", out), "errors": errors(err)}
    facts_file.write("repl_echo.json", facts, "%s (Python %s REPL)" % (
        torch.__version__, sys.version.split()[0]))


def errors(err):
    """The last line of each traceback in the REPL's stderr: `Kind: message`."""
    lines = [PROMPT.sub("", line) for line in err.split("\n")]
    found = []
    for k, line in enumerate(lines):
        if line.startswith("Traceback (most recent call last):"):
            end = k + 1
            while end < len(lines) and (lines[end].startswith(" ") or not lines[end]):
                end += 1
            if end < len(lines):
                found.append(ADDRESS.sub("0x0", lines[end]))
    return found


if __name__ == "__main__":
    main()
