"""The seed tutorial's program (tests/data/tutorial.grad), run as Python with `torch` bound
to gradsh, prints what PyTorch 2.13 printed for it (tutorial.expected), addresses aside."""

import contextlib
import io
import re
import sys
from pathlib import Path

import pytest

import gradsh

ORACLE = Path(__file__).resolve().parents[1] / "data"
PROGRAM = ORACLE / "tutorial.grad"
EXPECTED = ORACLE / "tutorial.expected"

ADDR = re.compile(r"0x[0-9a-f]+")


def _run_with(module):
    """Run the program with `import torch` giving `module`; what it prints."""
    out = io.StringIO()
    saved = sys.modules.get("torch")
    sys.modules["torch"] = module
    try:
        with contextlib.redirect_stdout(out):
            exec(compile(PROGRAM.read_text(), str(PROGRAM), "exec"), {"__name__": "__main__"})
    finally:
        if saved is None:
            del sys.modules["torch"]
        else:
            sys.modules["torch"] = saved
    return out.getvalue()


def test_tutorial_prints_what_pytorch_printed():
    # Including the random lines: gradsh's generator gives PyTorch's values for the seed.
    want = ADDR.sub("0x...", EXPECTED.read_text())
    assert ADDR.sub("0x...", _run_with(gradsh)) == want


def test_tutorial_nodes_are_distinct_objects():
    # Each `<... object at 0x...>` line names a live node: the two printed nodes differ.
    addrs = ADDR.findall(_run_with(gradsh))
    assert len(addrs) == 2 and addrs[0] != addrs[1]
