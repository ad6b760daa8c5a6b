"""PyTorch gives some of its C++ warnings once a process (TORCH_WARN_ONCE), others once a line
of the program (TORCH_WARN through Python's warnings filter). Branch nb21 found `x.T` on a
3-d tensor warned at every line in gradsh, where PyTorch warns once (a notebook showed it again
in every cell): each case below runs at two lines of a .grad program and counts the warnings,
as PyTorch 2.13 gives them: each of ONCE_A_PROCESS warned once for this program run by
`python -W default` with PyTorch (observed 2026-12-05; the same count in a fresh IPython kernel,
tests/data/nb21_notebook.json's nb21_transpose_warning), the non-leaf .grad warning once per
line (nb21_warning_nonleaf_grad there)."""

import contextlib
import io
import warnings

import pytest

PROGRAM = """import torch
x3 = torch.zeros(2, 3, 4)
def a():
    return {expr}
def b():
    return {expr}
a()
b()
"""

ONCE_A_PROCESS = ["x3.T", "torch.cross(torch.ones(3, 3), torch.ones(3, 3))",
                  "torch.nuclear_norm(torch.ones(2, 2))"]


def _gradsh_warnings(source):
    """The warning lines a fresh session prints on stderr running `source` as a .grad file."""
    from gradsh.core import errors
    from gradsh.lang import Session
    errors.reset_warned_once()   # as a fresh process
    err = io.StringIO()
    with warnings.catch_warnings(), contextlib.redirect_stderr(err):
        warnings.simplefilter("default")
        Session().run(source, "w.grad")
    return [line for line in err.getvalue().splitlines() if "Warning: " in line]


@pytest.mark.parametrize("expr", ONCE_A_PROCESS)
def test_a_torch_warn_once_warning_is_given_once_a_process(expr):
    assert len(_gradsh_warnings(PROGRAM.format(expr=expr))) == 1


def test_a_per_line_warning_is_still_given_at_each_line():
    """The non-leaf .grad warning is PyTorch's per line (TORCH_WARN): once at each of two lines."""
    source = "import torch\ny = torch.ones(2, requires_grad=True) * 2\ny.grad\ny.grad\n"
    assert len(_gradsh_warnings(source)) == 2
