"""Warnings in programs as Python shows PyTorch's: once per place in the program (the non-leaf
`.grad` warning, located at the reading line) or once per run (create_graph=True's, which
PyTorch raises from inside torch)."""

import io

from gradsh.lang import Session

PROGRAM = """\
import torch
x = torch.ones(2, requires_grad=True)
for i in range(3):
    y = x * 2
    print(y.grad)
for i in range(2):
    z = (x * 3).sum()
    z.backward(create_graph=True)
z = (x * 4).sum()
z.backward(create_graph=True)
def f():
    return (x * 2).grad
f()
f()
"""


def test_each_warning_once_per_place():
    err = io.StringIO()
    Session(stdout=io.StringIO(), stderr=err).run(PROGRAM, "w.grad")
    lines = [line for line in err.getvalue().splitlines() if "UserWarning" in line]
    assert [line.split(": UserWarning")[0] for line in lines] == ["w.grad:5", "w.grad:8",
                                                                   "w.grad:12"]
    assert "not a leaf Tensor" in lines[0] and "create_graph=True" in lines[1]
