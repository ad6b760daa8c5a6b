"""Branch adv14c (a blind round of the Python a PyTorch learner writes around tensors, the
adv14c_* learner programs): each class of difference they found, as a short program. Programs
without torch are compared with CPython itself (this test's own Python); those with tensors with
PyTorch (skipped without it). The limits and the gate keep holding on the new surface:
collections.abc's mixins compare within the budget, a class decorator sets only the special
methods gradsh does not wrap, `torch.Tensor.__add__` checks its first argument."""

import importlib.util
import pathlib
import warnings

import pytest

from .helpers import run_error, run_program, run_python


LIKE_PYTHON = {
    # abc.abstractmethod's mark on the program's functions (and Python's AttributeError when
    # a function has none, which getattr's default then gives)
    "isabstractmethod_of_functions": (
        "from abc import ABC, abstractmethod\n"
        "class A(ABC):\n    @abstractmethod\n    def f(self):\n        ...\n"
        "class B(A):\n    def f(self):\n        return 1\n"
        "print(A.f.__isabstractmethod__, getattr(B.f, '__isabstractmethod__', False))\n"
        "try:\n    B.f.__isabstractmethod__\nexcept AttributeError as e:\n    print(e)\n"),
    # a slotted instance's __dict__: Python's AttributeError; a class under it without slots
    # has one
    "slotted_instance_dict": (
        "class P:\n    __slots__ = ('x',)\n"
        "class Q(P):\n    pass\n"
        "try:\n    P().__dict__\nexcept AttributeError as e:\n    print(e)\n"
        "q = Q()\nq.y = 1\nprint(q.__dict__)\n"),
    # functools' constants and a generator's __name__ (a generator expression's too)
    "wrapper_assignments_generator_names": (
        "import functools\n"
        "print(functools.WRAPPER_ASSIGNMENTS, functools.WRAPPER_UPDATES)\n"
        "def batches():\n    yield 1\n"
        "print(batches().__name__, (x for x in []).__name__)\n"),
    # a class decorator setting, replacing and deleting special methods of the program's class
    "class_decorator_sets_special_methods": (
        "def with_repr(cls):\n"
        "    def __repr__(self):\n        return cls.__name__ + '(' + str(vars(self)) + ')'\n"
        "    cls.__repr__ = __repr__\n    cls.__len__ = lambda self: len(vars(self))\n"
        "    setattr(cls, '__eq__', lambda self, other: vars(self) == vars(other))\n"
        "    return cls\n"
        "@with_repr\nclass P:\n    def __init__(self, **kw):\n        vars(self).update(kw)\n"
        "p = P(a=1, b=2)\nprint(p, len(p), p == P(a=1, b=2), P.__hash__)\n"
        "del P.__repr__\nprint(repr(p).startswith('<__main__.P object at'))\n"),
    # warnings.formatwarning's text (a given line stripped; none read from a file)
    "formatwarning_text": (
        "import warnings\n"
        "print(repr(warnings.formatwarning('m', UserWarning, 'x.py', 3, line='  y = 1  ')))\n"
        "print(repr(warnings.formatwarning(ValueError('v'), DeprecationWarning, 'a', 'b', '')))\n"),
    # collections.abc as bases: the mixins, isinstance, abstract classes, Python's errors
    "collections_abc_subclasses": (
        "from collections.abc import Sequence, MutableSequence, Mapping, MutableMapping, "
        "Iterator, Iterable, Callable, Sized, Container, Reversible, Collection, Hashable\n"
        "class S(Sequence):\n    def __init__(self, *v):\n        self.v = v\n"
        "    def __getitem__(self, i):\n        return self.v[i]\n"
        "    def __len__(self):\n        return len(self.v)\n"
        "s = S(3, [1], 3, 'a')\n"
        "print([1] in s, 'b' in s, s.index(3), s.index(3, 1), s.index(3, -2), s.count(3))\n"
        "print(list(reversed(s)), list(s), S.__mro__, S.__bases__, S.__base__)\n"
        "try:\n    s.index(9)\nexcept ValueError as e:\n    print(repr(e))\n"
        "print(isinstance(s, Sequence), isinstance(s, Reversible), issubclass(S, Collection))\n"
        "class L(MutableSequence):\n    def __init__(self):\n        self.d = []\n"
        "    def __getitem__(self, i):\n        return self.d[i]\n"
        "    def __setitem__(self, i, v):\n        self.d[i] = v\n"
        "    def __delitem__(self, i):\n        del self.d[i]\n"
        "    def __len__(self):\n        return len(self.d)\n"
        "    def insert(self, i, v):\n        self.d.insert(i, v)\n"
        "l = L()\nl.append(2)\nl.extend([3, 4])\nl.remove(3)\nl += [5]\nl.reverse()\n"
        "print(l.d, l.pop(), l.d)\n"
        "class M(Mapping):\n    def __init__(self, **kw):\n        self.kw = kw\n"
        "    def __getitem__(self, k):\n        return self.kw[k]\n"
        "    def __iter__(self):\n        return iter(self.kw)\n"
        "    def __len__(self):\n        return len(self.kw)\n"
        "m = M(a=[1], b=2)\n"
        "print(m == {'a': [1], 'b': 2}, m != M(a=1), m.get('z', 0), list(m.items()))\n"
        "print(('a', [1]) in m.items(), [1] in m.values(), 'b' in m.keys(), 'q' in m)\n"
        "print(type(m.keys()).__name__, type(m.items()).__name__, type(m.values()).__name__)\n"
        "class D(MutableMapping):\n    def __init__(self):\n        self.d = {}\n"
        "    def __getitem__(self, k):\n        return self.d[k]\n"
        "    def __setitem__(self, k, v):\n        self.d[k] = v\n"
        "    def __delitem__(self, k):\n        del self.d[k]\n"
        "    def __iter__(self):\n        return iter(self.d)\n"
        "    def __len__(self):\n        return len(self.d)\n"
        "d = D()\nd.update(a=1, b=2)\nd.setdefault('c', 3)\nprint(d.pop('a'), d.popitem(), dict(d))\n"
        "class It(Iterator):\n    def __init__(self):\n        self.n = 2\n"
        "    def __next__(self):\n        self.n -= 1\n        if self.n < 0:\n"
        "            raise StopIteration\n        return self.n\n"
        "i = It()\nprint(iter(i) is i, list(i), isinstance(i, Iterable))\n"
        "C = type('C', (Callable, Sized, Container, Hashable), {'__call__': lambda self: 5})\n"
        "print(C.__mro__[1:3])\n"
        "for cls in (Sequence, Mapping, Iterator, C):\n"
        "    try:\n        type('X', (cls,), {})()\n    except TypeError as e:\n"
        "        print(e)\n"
        "print(sorted(MutableSequence.__abstractmethods__))\n"),
}


LIKE_PYTORCH = {
    # `func is torch.Tensor.__add__` in a __torch_function__; the operator read on the class,
    # called with a tensor first (a Parameter's class too)
    "tensor_special_methods_on_the_class": (
        "import torch\n"
        "print(torch.Tensor.__add__ is torch.Tensor.__add__, torch.Tensor.__mul__.__name__)\n"
        "print(torch.Tensor.__add__(torch.ones(2), 1), torch.Tensor.__rsub__(torch.ones(1), 3))\n"
        "print(torch.nn.Parameter.__neg__(torch.nn.Parameter(torch.ones(1))))\n"
        "try:\n    torch.Tensor.__add__(3, 4)\nexcept TypeError as e:\n    print(e)\n"
        "class D(torch.Tensor):\n    @classmethod\n"
        "    def __torch_function__(cls, func, types, args=(), kwargs=None):\n"
        "        out = super().__torch_function__(func, types, args, kwargs or {})\n"
        "        return out * 2 if func is torch.Tensor.__add__ else out\n"
        "d = torch.tensor([1.0]).as_subclass(D)\nprint(d + 1, torch.add(d, 1))\n"),
    # collections.abc's mixins over tensors: `in` and index compare as the program's `==`
    "sequence_mixins_over_tensors": (
        "from collections.abc import Sequence\nimport torch\n"
        "class T(Sequence):\n    def __init__(self, t):\n        self.t = t\n"
        "    def __getitem__(self, i):\n        return self.t[i]\n"
        "    def __len__(self):\n        return len(self.t)\n"
        "s = T(torch.tensor([1., 2., 3.]))\n"
        "print(2. in s, s.index(3.), s.count(torch.tensor(1.)), list(reversed(s)))\n"
        "try:\n    T(torch.ones(2, 2)).index(torch.ones(2))\nexcept RuntimeError as e:\n"
        "    print(e)\n"),
}


@pytest.mark.parametrize("name", sorted(LIKE_PYTHON) + sorted(LIKE_PYTORCH))
def test_prints_what_python_or_pytorch_prints(name):
    source = LIKE_PYTHON.get(name) or LIKE_PYTORCH[name]
    if name in LIKE_PYTORCH:
        pytest.importorskip("torch", reason="PyTorch is the oracle for these programs")
    assert run_program(source) == run_python(source)


def test_warning_goes_into_redirect_stderr_in_pythons_form():
    """A program's warning (and one of the core's) is written to its redirect_stderr target
    as Python's warnings.formatwarning writes it: file, line, category, message, source."""
    source = ("import contextlib, io, warnings\nimport torch\nbuf = io.StringIO()\n"
              "with contextlib.redirect_stderr(buf):\n    warnings.warn('lr is large')\n"
              "    torch.tensor(torch.ones(1))\nprint(buf.getvalue(), end='')\n")
    copy_text = ("To copy construct from a tensor, it is recommended to use sourceTensor.detach()."
                 "clone() or sourceTensor.detach().clone().requires_grad_(True), rather than "
                 "torch.tensor(sourceTensor).")
    assert run_program(source) == (
        warnings.formatwarning("lr is large", UserWarning, "t.grad", 5,
                               line="warnings.warn('lr is large')")
        + warnings.formatwarning(copy_text, UserWarning, "t.grad", 6,
                                 line="torch.tensor(torch.ones(1))"))




# collections.abc's mixins comparing two lists that hold the same list at every level, sixty
# deep (Python's would compare them 2**60 times in C): the hostile table's rows, every one
_HOSTILE = importlib.util.spec_from_file_location(
    "hostile_lang23", pathlib.Path(__file__).parent.parent / "cli" / "hostile_lang23.py")
_ROWS = importlib.util.module_from_spec(_HOSTILE)
_HOSTILE.loader.exec_module(_ROWS)
_SHARED_ROWS = [row[1] for row in _ROWS.LANG23_CASES
                if row[0].endswith("-shared") and row[3] == "LimitError"]


@pytest.mark.parametrize("source", _SHARED_ROWS + [
    # torch.utils.data's collate reads a program Sequence's length before its items
    "from collections.abc import Sequence\nfrom torch.utils.data import default_collate\n"
    "class S(Sequence):\n    def __getitem__(self, i):\n        return i\n"
    "    def __len__(self):\n        return 10 ** 9\n"
    "default_collate([S(), S()])\n",
])
def test_limits_hold(source):
    error, _ = run_error(source)
    assert error.kind == "LimitError", (error.kind, error.message)


@pytest.mark.parametrize("source, kind, message", [
    # ABCMeta's own attributes stay out of reach, on the program's class and on Python's ABC
    ("from collections.abc import Sequence\nSequence.register(int)\n", "AttributeError",
     "is not available in gradsh"),
    ("from collections.abc import Sequence\nclass S(Sequence):\n    pass\nS.register(int)\n",
     "AttributeError", "is not available in gradsh"),
    ("from collections.abc import Mapping\nclass S(Mapping):\n    pass\nS._abc_impl\n",
     "AttributeError", "is not accessible"),
    ("from collections.abc import Set\nclass S(Set):\n    pass\n", "TypeError",
     "cannot inherit from 'Set'"),
    ("from collections.abc import Sequence\nprint(Sequence.__subclasses__())\n",
     "AttributeError", "is not accessible"),
    # a class decorator cannot set what gradsh wraps when a class is made, nor on other classes
    ("class C:\n    pass\nC.__exit__ = lambda *a: True\n", "AttributeError", "is not accessible"),
    ("class C:\n    pass\nC.__getattr__ = lambda s, n: 1\n", "AttributeError",
     "is not accessible"),
    ("class C:\n    pass\nsetattr(C, '__init_subclass__', print)\n", "AttributeError",
     "is not accessible"),
    ("class C(dict):\n    pass\nC.__init__ = print\n", "AttributeError", "is not accessible"),
    ("class C:\n    pass\nC.__getattribute__ = print\n", "AttributeError", "is not accessible"),
    ("import torch\ntorch.Tensor.__add__ = print\n", "AttributeError", "is not accessible"),
    ("int.__repr__ = print\n", "AttributeError", "is not accessible"),
    ("class C:\n    pass\ndel C.__class__\n", "AttributeError", "is not accessible"),
    # the tensor class's other private names stay refused
    ("import torch\ntorch.Tensor.__init__\n", "AttributeError", "is not accessible"),
    ("import torch\ntorch.Tensor.__getattr__\n", "AttributeError", "is not accessible"),
    # a program's own metaclass stays refused (docs/language.md, "Branch adv14c")
    ("class M(type):\n    pass\n", "TypeError", "cannot inherit from 'type'"),
    ("import abc\nclass A(metaclass=abc.ABCMeta):\n    pass\n", "SyntaxError", "metaclass"),
])
def test_refused(source, kind, message):
    error, _ = run_error(source)
    assert error.kind == kind and message in error.message, (error.kind, error.message)


def test_formatwarning_reads_no_file():
    """Python's formatwarning reads the named file for the source line; gradsh's never does:
    the text of a file that exists (this test's own) is Python's text given no line."""
    source = "import warnings\nprint(warnings.formatwarning('m', UserWarning, %r, 1), end='')\n" \
        % __file__
    assert run_program(source) == warnings.formatwarning("m", UserWarning, __file__, 1, line="")
