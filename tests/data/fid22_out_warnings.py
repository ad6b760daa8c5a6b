"""out='s resize warning, once per program line as PyTorch gives it (branch fid22): PROGRAM runs
under Python with PyTorch (tools/record_fid22.py records the lines warned into
fid22_out_warnings.json) and in gradsh, as a Python program over `import gradsh as torch` and
as a .grad program (tests/core/test_fid22.py)."""

import linecache
import warnings

PROGRAM = """\
o = torch.zeros(2)
for k in range(3):
    torch.add(torch.ones(3), 1, out=o)
    o = torch.zeros(2)
torch.add(torch.ones(3), 1, out=torch.zeros(2))
torch.add(torch.ones(3), 1, out=torch.zeros(2))
def grow():
    torch.mul(torch.ones(4), 2, out=torch.zeros(1))
grow(); grow()
torch.sub(torch.ones(2), 1, out=torch.empty(0))
for k in range(2):
    torch.sum(torch.ones(2, 2), 0, out=torch.zeros(5))
"""
NAME = "fid22_out_warnings.py"
TEXT = "An output with one or more elements was resized"


def warned_lines(torch):
    """The lines warned about a resize, in order, under Python's default filter."""
    linecache.cache[NAME] = (len(PROGRAM), None, PROGRAM.splitlines(True), NAME)
    env = {"torch": torch, "__name__": "fid22_out_warnings"}
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("default")
        exec(compile(PROGRAM, NAME, "exec"), env)
    return [w.lineno for w in caught if TEXT in str(w.message)]
