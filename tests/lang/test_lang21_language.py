"""Branch lang21: print() writes each argument's text as Python's print does (a `__repr__` that
prints, or raises, finds the arguments before it written), and handle_torch_function without
an overloaded argument does what PyTorch 2.13 does."""

import pytest

from .helpers import run_program, run_python

PRINT_ORDER = {
    "repr_that_prints": (
        "class A:\n    def __repr__(self):\n        print('inner', B())\n        return 'A!'\n"
        "class B:\n    def __str__(self):\n        print('deep', end='')\n        return 'B!'\n"
        "print('x', A(), 'y', sep='-', end='|\\n')\nprint([A()], {1: A()})\nprint(A())"),
    "str_that_raises": (
        "class Bad:\n    def __str__(self):\n        raise ValueError('no')\n"
        "try:\n    print('a', 'b', Bad(), 'c', sep=', ')\nexcept ValueError as e:\n"
        "    print('|', e)\ntry:\n    print(Bad())\nexcept ValueError as e:\n    print('|', e)"),
    "str_that_prints_and_catches": (
        "class Q:\n    def __str__(self):\n        try:\n            print('in', R())\n"
        "        except KeyError:\n            print('caught')\n        return 'q'\n"
        "class R:\n    def __str__(self):\n        raise KeyError(1)\n"
        "print(1, Q(), 2)\nprint()\nprint('end')"),
}


@pytest.mark.parametrize("name", sorted(PRINT_ORDER))
def test_print_writes_as_python_does(name):
    assert run_program(PRINT_ORDER[name]) == run_python(PRINT_ORDER[name])


HANDLE = (
    "import torch\nfrom torch.overrides import handle_torch_function\n"
    "import torch.nn.functional as F\nclass C:\n    def m(self):\n        pass\n"
    "def f(*a):\n    return 'called'\n"
    "for fn in [torch.add, F.relu, C.m, lambda x: x, print, f]:\n    try:\n"
    "        print(repr(handle_torch_function(fn, ())))\n    except TypeError as e:\n"
    "        print(type(e).__name__, e)\n"
    "for rel in [([torch.ones(1)],), (torch.nn.Parameter(torch.ones(1)),), (1, torch.ones(1)),\n"
    "            (torch.ones(1),), (2,)]:\n    try:\n"
    "        print(repr(handle_torch_function(f, rel, 1, k=2)))\n    except TypeError as e:\n"
    "        print(type(e).__name__, e)\n")


def test_handle_torch_function_without_an_overloaded_argument():
    pytest.importorskip("torch", reason="PyTorch is the oracle")
    assert run_program(HANDLE) == run_python(HANDLE)
