"""Hostile programs against the new surface (classes, exceptions, generators, type(), dir()):
each ends with a located gradsh error, or the limit's message, never an internal error or a
traceback, and the session goes on afterwards (its variables kept)."""

import io

import pytest

from gradsh.lang import GradshError, InternalError, Session

# (program, error kind, fragment of the message, line of the error)
CASES = [
    # a class that shadows a builtin: the program's own name wins, as in Python
    ("class print:\n    pass\nprint('x')\n", "TypeError", "takes no arguments", 3),
    ("class int:\n    pass\nx = int('3')\n", "TypeError", "takes no arguments", 3),
    ("class Exception(Exception):\n    pass\nraise Exception('own')\n", "Exception", "own", 3),
    ("class A(type):\n    pass\n", "TypeError", "cannot inherit from 'type' in gradsh", 1),
    ("class A(str):\n    pass\n", "TypeError", "cannot inherit from 'str'", 1),
    ("class A(list):\n    pass\n", "TypeError", "cannot inherit from 'list' in gradsh", 1),
    ("class A(type(1)):\n    pass\n", "TypeError", "cannot inherit from 'int' in gradsh", 1),
    ("class A(torch.autograd.graph.Node):\n    pass\n", "TypeError", "cannot inherit", 1),
    ("class A(metaclass=print):\n    pass\n", "SyntaxError", "metaclass", 1),
    ("class A(*[object]):\n    pass\n", "SyntaxError", "unpacked bases", 1),
    # the class machinery stays out of reach
    # (a program class's own __dict__ is a read-only view since branch lang20; torch's stay out)
    ("class A:\n    def __getattr__(self, name):\n        return type(torch.ones(1)).__dict__\n"
     "A().x\n", "AttributeError", "'__dict__' is not accessible", 3),
    ("class A:\n    def __getattr__(self, name):\n        return name\nprint(A().foo)\n"
     "torch.nn.Linear(1, 1).__class__.__dict__\n", "AttributeError",
     "'__dict__' is not accessible", 5),
    ("class A:\n    pass\nA.__dict__['__dict__'].__get__(torch.nn.Linear(1, 1))\n",
     "AttributeError", "'__get__' is not accessible", 3),
    ("class A:\n    pass\nA.__dict__['x'] = 1\n", "TypeError",
     "'mappingproxy' object does not support item assignment", 3),
    ("class A:\n    def __getattribute__(self, name):\n        return 1\n", "SyntaxError",
     "must be one of the special methods", 2),
    ("class A:\n    def __del__(self):\n        pass\n", "SyntaxError",
     "must be one of the special methods", 2),
    ("class A:\n    def __new__(cls):\n        pass\n", "SyntaxError",
     "must be one of the special methods", 2),
    # __slots__ are read within a limit (branch lang19b: program classes may have slots)
    ("class A:\n    __slots__ = tuple('a%d' % i for i in range(5000))\n", "LimitError",
     "__slots__ with more than 1000 names", 2),
    ("class A:\n    pass\nA.__mro__[1].__subclasses__\n", "AttributeError",
     "'__subclasses__' is not accessible", 3),
    ("class A:\n    pass\nA().__mro__\n", "AttributeError", "'__mro__' is not accessible", 3),
    # (a program class's own __subclasses__() lists program classes since adv12c; Python's
    # classes keep theirs)
    ("object.__subclasses__()\n", "AttributeError", "is not accessible", 1),
    ("class A(torch.nn.Module):\n    pass\nA.__mro__[1].__dict__\n", "AttributeError",
     "'__dict__' is not accessible", 3),
    ("class A:\n    def f(self):\n        return getattr(super().__class__, '__dict__')\nA().f()\n",
     "AttributeError", "'__dict__' is not accessible", 3),
    ("class A:\n    pass\nA().__class__ = int\n", "AttributeError", "'__class__' is not accessible",
     3),
    # (`A().__x = 1` on a program's own object is Python's: a private name, branch lang22)
    ("import torch\ntorch.zeros(1).__x = 1\n", "AttributeError", "'__x' is not accessible", 2),
    ("class M(torch.nn.Module):\n    pass\nM()._modules = {}\n", "AttributeError",
     "'_modules' is not accessible", 3),
    ("class T(torch.Tensor):\n    pass\nT()._data\n", "AttributeError", "'_data' is not accessible", 3),
    ("class O(torch.optim.SGD):\n    pass\nO([torch.ones(1, requires_grad=True)], lr=1)._x = 1\n",
     "AttributeError", "'_x' is not accessible", 3),
    ("class A:\n    pass\nsuper(A, A()).__subclasshook__\n", "AttributeError",
     "is not accessible", 3),
    ("class T(torch.Tensor):\n    pass\nT().numpy().base\n", "AttributeError",
     "attribute 'base' is not available", 3),
    ("class E(Exception):\n    pass\ntry:\n    raise E(1)\nexcept E as e:\n"
     "    e.__traceback__.tb_frame\n", "AttributeError",
     "'traceback' object has no attribute 'tb_frame'", 6),  # (a view since lang22)
    ("e = ValueError(print)\ne.args\n", "AttributeError", "args are not available", 2),
    ("e = StopIteration(print)\ne.value\n", "AttributeError", "args are not available", 2),
    ("def g():\n    yield 1\n    return print\ni = g()\nnext(i)\ntry:\n    next(i)\n"
     "except StopIteration as e:\n    e.value\n", "AttributeError", "args are not available", 9),
    ("ValueError(1).value\n", "AttributeError", "has no attribute 'value'", 1),
    ("issubclass(print, int)\n", "TypeError", "issubclass() arg 1 must be a class", 1),
    ("def f():\n    yield 1\nf().gi_frame\n", "AttributeError", "'gi_frame' is not available", 3),
    ("type(1)('1' * 5000)\n", "ValueError", "Exceeds the limit", 1),
    # raise of a non-exception; a hostile __str__
    ("raise 42\n", "TypeError", "exceptions must derive from BaseException", 1),
    ("raise print\n", "TypeError", "exceptions must derive from BaseException", 1),
    ("raise ValueError from 3\n", "TypeError", "exception causes must derive from BaseException",
     1),
    ("class E(Exception):\n    def __str__(self):\n        return 1 / 0\nraise E()\n", "E",
     "<exception str() failed>", 4),
    ("class E(Exception):\n    def __str__(self):\n        return 5\nraise E()\n", "E",
     "<exception str() failed>", 4),
    ("class E(Exception):\n    def __str__(self):\n        return str(self)\nraise E()\n", "E",
     "<exception str() failed>", 4),
    # an infinite __iter__ meets the item limit
    ("class Inf:\n    def __iter__(self):\n        while True:\n            yield 1\n"
     "list(Inf())\n", "LimitError", "list()", 5),
    ("class Inf:\n    def __iter__(self):\n        while True:\n            yield 1\n"
     "torch.tensor(Inf())\n", "RuntimeError", "Could not infer dtype of Inf", 5),
    # limits cannot be caught: not by a bare except, nor BaseException, nor __exit__
    ("while True:\n    try:\n        x = [0] * 10 ** 9\n    except:\n        pass\n",
     "LimitError", "items", 3),
    ("while True:\n    try:\n        x = 'a' * 10 ** 9\n    except BaseException:\n"
     "        pass\n", "LimitError", "characters", 3),
    ("while True:\n    try:\n        x = 2 ** 10 ** 9\n    except Exception as e:\n"
     "        print(e)\n", "LimitError", "bits", 3),
    ("def f():\n    try:\n        f()\n    except:\n        f()\nf()\n", "RecursionError",
     "maximum recursion depth", 3),
    ("def f():\n    try:\n        f()\n    finally:\n        f()\nf()\n", "RecursionError",
     "maximum recursion depth", 3),
    ("def f():\n    try:\n        f()\n    finally:\n        while True:\n            pass\nf()\n",
     "RecursionError", "maximum recursion depth", 3),
    # (since lang22 the depth limit is the program's to catch, as Python's: a handler that
    # calls again at every level meets it 50 times in one descent, and then it is final)
    ("def f():\n    try:\n        f()\n    except RecursionError:\n        for i in range(10):\n"
     "            f()\nf()\n", "RecursionError", "past the limit 50 times", 3),
    ("class Swallow:\n    def __enter__(self):\n        return self\n"
     "    def __exit__(self, *exc):\n        return True\nwith Swallow():\n    x = [0] * 10 ** 9\n",
     "LimitError", "items", 7),
    ("def g():\n    try:\n        yield 1\n    finally:\n        while True:\n            pass\n"
     "def f():\n    for v in g():\n        f()\nf()\n", "RecursionError", "maximum recursion", 9),
]


@pytest.mark.parametrize("source, kind, message, line", CASES,
                         ids=[c[0].split("\n")[0][:40] + "|" + c[0].split("\n")[-2][-20:]
                              for c in CASES])
def test_hostile_class_and_exception_programs_fail_cleanly(source, kind, message, line):
    session = Session(stdout=io.StringIO(), stderr=io.StringIO(), max_depth=200)
    with pytest.raises(GradshError) as info:
        session.run(source, "t.grad")
    error = info.value
    assert not isinstance(error, InternalError), error.render()
    assert (error.kind, error.line) == (kind, line), error.render()
    assert message in error.message, error.render()
    assert "Traceback" not in error.render()
    # the session goes on
    session.run("ok = 1 + 1\n", "t.grad")
    assert session.globals["ok"] == 2


def test_program_exceptions_are_caught_by_python_rules():
    out = io.StringIO()
    Session(stdout=out).run(
        "class Base(Exception):\n    pass\nclass Sub(Base):\n    pass\n"
        "for exc in (Sub('s'), Base('b'), KeyError('k'), ZeroDivisionError('z')):\n"
        "    try:\n        raise exc\n    except Sub as e:\n        print('sub', e)\n"
        "    except Base as e:\n        print('base', e)\n    except LookupError as e:\n"
        "        print('lookup', e)\n    except:\n        print('other')\n", "t.grad")
    assert out.getvalue() == "sub s\nbase b\nlookup 'k'\nother\n"


def test_issubclass_and_a_generators_return_value_work_as_in_python():
    source = ("import torch\nclass A(torch.nn.Module):\n    pass\nclass B(A):\n    pass\n"
              "print(issubclass(B, A), issubclass(A, B), issubclass(B, (int, torch.nn.Module)),\n"
              "      issubclass(type(3), int), issubclass(type(torch.ones(1)), torch.Tensor))\n"
              "def g():\n    yield 1\n    return 'done'\ni = g()\nnext(i)\ntry:\n    next(i)\n"
              "except StopIteration as e:\n    print(e.value, StopIteration().value)\n")
    out = io.StringIO()
    Session(stdout=out).run(source, "t.grad")
    assert out.getvalue() == "True False True True True\ndone None\n"


def test_a_caught_pytorch_error_prints_pytorch_message():
    out = io.StringIO()
    Session(stdout=out).run(
        "try:\n    torch.ones(2, 3) @ torch.ones(2, 3)\nexcept RuntimeError as e:\n    print(e)\n",
        "t.grad")
    assert out.getvalue() == "mat1 and mat2 shapes cannot be multiplied (2x3 and 2x3)\n"
