"""Python's `int`, `float` and `bool` where PyTorch takes a dtype: PyTorch reads them as
torch.int64, torch.float64 and torch.bool, in every dtype argument; a .grad program's `int` (a
checked stand-in for Python's, pybuiltins.py) is read as Python's."""

import pytest

import gradsh
from .helpers import run_program

AS = {"int": "torch.int64", "float": "torch.float64", "bool": "torch.bool"}
# (expression with T for the Python type): each of PyTorch's ways to give a dtype
ENTRY_POINTS = ["torch.zeros(2, dtype=T)", "torch.ones(2, dtype=T)", "torch.tensor([1.5], dtype=T)",
                "torch.full((2,), 1, dtype=T)", "torch.empty(2, dtype=T)",
                "torch.arange(3, dtype=T)", "torch.eye(2, dtype=T)", "x.to(T)", "x.to(dtype=T)",
                "x.new_zeros(2, dtype=T)", "torch.zeros_like(x, dtype=T)",
                "torch.as_tensor([1.7], dtype=T)", "x.new_tensor([1], dtype=T)"]
REDUCTIONS = ["x.sum(dtype=T)", "torch.cumsum(x, 0, dtype=T)", "x.prod(dtype=T)"]


@pytest.mark.parametrize("python_type", sorted(AS))
def test_a_programs_python_types_are_read_as_pytorch_reads_them(python_type):
    entry_points = [e for e in ENTRY_POINTS if python_type != "bool" or "arange" not in e]
    lines = ["print(%s.dtype)" % e.replace("T", python_type) for e in entry_points]
    printed = run_program("x = torch.ones(2)\n" + "\n".join(lines) + "\n")
    assert printed.split() == [AS[python_type]] * len(entry_points)


def test_arange_of_bools_is_pytorchs_error():
    # PyTorch 2.13: NotImplementedError (a RuntimeError): "arange_cpu" not implemented for 'Bool'
    for dtype in ("bool", "torch.bool"):
        printed = run_program("try:\n    torch.arange(3, dtype=%s)\nexcept RuntimeError as e:\n"
                              "    print(e)\n" % dtype)
        assert printed == "\"arange_cpu\" not implemented for 'Bool'\n"


@pytest.mark.parametrize("python_type", ["int", "float"])
def test_reductions_take_python_types_as_dtypes(python_type):
    lines = ["print(%s.dtype)" % e.replace("T", python_type) for e in REDUCTIONS]
    printed = run_program("x = torch.ones(2)\n" + "\n".join(lines) + "\n")
    assert printed.split() == [AS[python_type]] * len(REDUCTIONS)


def test_the_library_reads_them_alike():
    x = gradsh.ones(2)
    assert (x.to(int).dtype, x.to(bool).dtype, x.to(float).dtype) == (
        gradsh.int64, gradsh.bool, gradsh.float64)
    assert x.sum(dtype=int).tolist() == 2


def test_type_with_a_python_type_is_pytorchs_error():
    # PyTorch: x.type(int) -> ValueError: invalid type: 'int'
    printed = run_program("try:\n    torch.ones(1).type(int)\nexcept ValueError as e:\n"
                          "    print(e)\n")
    assert printed == "invalid type: 'int'\n"
