"""`a is b` in a program: what `type(x)` gives for a torch or Python class (a view, docs/
security.md) is that class, as in Python (`type(m) is nn.Linear`, `type(3) is int`)."""

import pytest

from .helpers import run_program, run_python

PURE_PYTHON = [
    "print(type(3) is int, type(3) is float, type([]) is list, type({}) is not dict)",
    "x = None\ny = [1]\nz = y\nprint(x is None, y is z, y is not [1], None is x)",
    "class A:\n    pass\na = A()\nprint(type(a) is A, type(a) is not A, a is a, A is type(a))",
    "print(type('s') is str, type(1.5) is type(2.5), type(True) is bool, type(1) is bool)",
]


@pytest.mark.parametrize("source", PURE_PYTHON)
def test_is_as_python(source):
    assert run_program(source) == run_python(source)


def test_type_of_a_torch_object_is_its_class():
    out = run_program("import torch.nn as nn\nm = nn.Linear(2, 2)\n"
                      "print(type(m) is nn.Linear, type(m) is not nn.Linear, type(m) is nn.ReLU,"
                      " type(torch.ones(1)) is torch.Tensor, type(m))\n")
    assert out == "True False False True <class 'torch.nn.modules.linear.Linear'>\n"


def test_type_of_a_parameter_is_pytorchs_parameter_class():
    """gradsh's Parameter is a Tensor in a registry (docs/nn.md); a program sees PyTorch 2.13's
    answers: the class prints as torch.nn.parameter.Parameter, `is` and `==` hold for
    nn.Parameter and not for torch.Tensor, and an op on a parameter gives a Tensor."""
    out = run_program(
        "import torch.nn as nn\nw = nn.Linear(2, 2).weight\n"
        "print(type(w), type(w) is nn.Parameter, type(w) == nn.Parameter, type(w) is torch.Tensor,"
        " type(w * 2) is torch.Tensor)\nprint(type(w)(torch.ones(2)).requires_grad)\n")
    assert out == "<class 'torch.nn.parameter.Parameter'> True True False True\nTrue\n"
