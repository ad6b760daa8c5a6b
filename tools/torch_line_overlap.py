"""How much of a file reads like PyTorch's own Python sources: for each gradsh file, the share of
its long code lines (over 30 characters; not comments, docstrings, imports, `def` lines, raises,
or lines holding a string, whose messages are PyTorch's facts) that stand letter for letter
somewhere in the installed torch package.

Run with PyTorch 2.13 installed:  python tools/torch_line_overlap.py [FILE_OR_FOLDER ...]
(default: gradsh/). A high share is a place to look, not a verdict: the project's rule is that
code here is written here, with PyTorch's behaviour as the specification (README.md).
"""

import pathlib
import sys

import torch

_SKIP = ("#", '"""', "import", "from", "raise", "return self", "def ")


def code_lines(path):
    out = []
    for line in path.read_text(errors="ignore").splitlines():
        line = line.strip()
        if len(line) > 30 and not line.startswith(_SKIP) and '"' not in line and "'" not in line:
            out.append(line)
    return out


def main(targets):
    theirs = set()
    for f in pathlib.Path(torch.__file__).parent.rglob("*.py"):
        theirs.update(code_lines(f))
    files = []
    for t in targets or ["gradsh"]:
        p = pathlib.Path(t)
        files.extend(sorted(p.rglob("*.py")) if p.is_dir() else [p])
    rows = []
    for f in files:
        mine = code_lines(f)
        if len(mine) >= 15:  # a short file's share says little
            same = sum(line in theirs for line in mine)
            rows.append((same / len(mine), same, len(mine), str(f)))
    for share, same, total, name in sorted(rows, reverse=True):
        print(f"{share:.2f} {same:4d}/{total:4d} {name}")


if __name__ == "__main__":
    main(sys.argv[1:])
