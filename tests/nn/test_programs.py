"""The nn/optim golden programs (tests/data/nn_programs) run with `gradsh --python` print what
PyTorch 2.13 printed: the same text, and numbers equal up to float32 summation order (relative
difference below 1e-5; the largest seen is reported in the failure message and by -s)."""

import os
import re
import subprocess
import sys

import pytest

HERE = os.path.dirname(os.path.abspath(__file__))
PROGRAMS = os.path.join(os.path.dirname(HERE), "data", "nn_programs")
NAMES = sorted(f[:-3] for f in os.listdir(PROGRAMS) if f.endswith(".py"))
NUMBER = re.compile(r"-?\d+\.\d+(?:e[-+]?\d+)?|-?\d+e[-+]?\d+")


def compare(ours, theirs):
    """The largest relative difference between the numbers of two outputs whose text outside
    the numbers is identical; raises AssertionError (with the line) otherwise."""
    worst = 0.0
    a_lines, b_lines = ours.splitlines(), theirs.splitlines()
    assert len(a_lines) == len(b_lines), (ours, theirs)
    for a, b in zip(a_lines, b_lines):
        if a == b:
            continue
        assert NUMBER.sub("#", a) == NUMBER.sub("#", b), f"\ngradsh:  {a}\npytorch: {b}"
        for x, y in zip(NUMBER.findall(a), NUMBER.findall(b)):
            x, y = float(x), float(y)
            if x != y:
                worst = max(worst, abs(x - y) / max(abs(y), 1e-30))
    return worst


@pytest.mark.parametrize("name", NAMES)
def test_program_prints_pytorchs_output(name):
    path = os.path.join(PROGRAMS, name + ".py")
    with open(os.path.join(PROGRAMS, name + ".out")) as f:
        expected = f.read()
    run = subprocess.run([sys.executable, "-m", "gradsh", "--python", path],
                         capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr
    worst = compare(run.stdout, expected)
    print(f"{name}: largest relative difference {worst:.3g}")
    assert worst < 1e-5


def test_compare_refuses_a_text_difference():
    with pytest.raises(AssertionError):
        compare("Linear(in_features=3)", "Linear(in_features=4)")
    assert compare("loss 1.5", "loss 1.5000001") < 1e-6
