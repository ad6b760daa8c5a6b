"""Branch lang8 (the adv8f_* programs: Python features around torch code): vars()/__dict__ of a
program's instances, `import enum`, `abc`, `contextlib`, `cmath`, typing's TypeVar/Generic,
defaultdict.default_factory, statistics' two-sample functions, and int subclasses as int
arguments. Pure-Python behaviour is compared with CPython running the same program; torch
behaviour with PyTorch (skipped without it); the refusals by their errors."""

import pytest

from .helpers import run_error, run_program, run_python
from .test_adv5d_fixes import run_as_python_with

LIKE_PYTHON = {
    # vars(obj) / obj.__dict__ of a program's instance: a live view, read, written, deleted
    "vars_and_dict_of_instances": (
        "class C:\n"
        "    def __init__(self):\n"
        "        self.a, self.b = 1, [2]\n"
        "        self._own = 3\n"
        "c = C()\n"
        "print(vars(c), c.__dict__ == vars(c), len(vars(c)), sorted(c.__dict__))\n"
        "vars(c)['a'] = 10\n"
        "c.__dict__.update(z=5)\n"
        "print(c.a, c.z, 'z' in vars(c), vars(c).get('q', 0), list(vars(c).items())[-1])\n"
        "del c.__dict__['z']\n"
        "print(hasattr(c, 'z'), vars(c).pop('b'), vars(c).setdefault('n', 7), c.n)\n"
        "print(vars(c).popitem(), dict(vars(c)), {**vars(c)}, vars(c).copy() == vars(c))\n"
        "d = C()\n"
        "d.__dict__.update(vars(c))\n"
        "print(vars(d))\n"
        "c.me = vars(c)\n"
        "print(vars(c))\n"
        "try:\n"
        "    vars(c)['missing']\n"
        "except KeyError as e:\n"
        "    print('KeyError', e)\n"
        "try:\n"
        "    vars(3)\n"
        "except TypeError as e:\n"
        "    print('TypeError', e)\n"),
    # `import enum`: members, lookups, aliases, auto, flags, int/str data types, unique
    "enum_module": (
        "from enum import Enum, IntEnum, Flag, IntFlag, StrEnum, auto, unique\n"
        "class Color(Enum):\n"
        "    RED = 1\n"
        "    GREEN = 2\n"
        "    CRIMSON = 1\n"
        "    def hue(self):\n"
        "        return self.name.lower()\n"
        "class Dim(IntEnum):\n"
        "    B = 0\n"
        "    T = 2\n"
        "class P(Flag):\n"
        "    R = auto()\n"
        "    W = auto()\n"
        "    X = auto()\n"
        "class O(IntFlag):\n"
        "    A = 1\n"
        "    B = 2\n"
        "class S(StrEnum):\n"
        "    UP = auto()\n"
        "class M(str, Enum):\n"
        "    OK = 'ok'\n"
        "class Planet(Enum):\n"
        "    EARTH = (5.97e24, 6.37e6)\n"
        "    def __init__(self, mass, radius):\n"
        "        self.mass = mass\n"
        "print(Color.RED, repr(Color.GREEN), Color(2), Color['RED'], list(Color), len(Color))\n"
        "print(Color.CRIMSON is Color.RED, Color.RED.hue(), Color.RED in Color, hash(Color.RED) == hash('RED'))\n"
        "print(Dim.T + 1, str(Dim.T), repr(Dim.T), f'{Dim.T:>3}', sorted([Dim.T, Dim.B]), Dim(0))\n"
        "rw = P.R | P.W\n"
        "print(rw, repr(rw), P.R in rw, P.X in rw, list(rw), ~P.R, repr(P(0)), str(P(0)), bool(P(0)))\n"
        "print(O.A | O.B, repr(O.A | 4), O(0), repr(O(0)), int(O.A | O.B))\n"
        "print(S.UP, repr(S.UP), S.UP == 'up', M.OK == 'ok', repr(M.OK), str(M.OK), M('ok'))\n"
        "print(Planet.EARTH.mass, Planet.EARTH.value)\n"
        "for bad in [lambda: Color(5), lambda: Color['BLUE'], lambda: P(8), lambda: Color.RED < Color.GREEN]:\n"
        "    try:\n"
        "        bad()\n"
        "    except (ValueError, KeyError, TypeError) as e:\n"
        "        print(type(e).__name__, e)\n"
        "try:\n"
        "    Color.RED = 3\n"
        "except AttributeError as e:\n"
        "    print(e)\n"
        "try:\n"
        "    class More(Color):\n"
        "        BLUE = 3\n"
        "except TypeError as e:\n"
        "    print(e)\n"
        "try:\n"
        "    @unique\n"
        "    class D(Enum):\n"
        "        A = 1\n"
        "        B = 1\n"
        "except ValueError as e:\n"
        "    print(e)\n"
        "try:\n"
        "    class E(Enum):\n"
        "        A = 1\n"
        "        A = 2\n"
        "except TypeError as e:\n"
        "    print(e)\n"),
    # `import abc`: Python's error for a class made while abstract, abstract properties
    "abc_abstract_classes": (
        "from abc import ABC, abstractmethod\n"
        "class Base(ABC):\n"
        "    @abstractmethod\n"
        "    def f(self): ...\n"
        "    @property\n"
        "    @abstractmethod\n"
        "    def size(self): ...\n"
        "class Half(Base):\n"
        "    def f(self):\n"
        "        return 1\n"
        "class Full(Half):\n"
        "    @property\n"
        "    def size(self):\n"
        "        return 2\n"
        "for cls in (Base, Half, Full):\n"
        "    try:\n"
        "        obj = cls()\n"
        "        print(obj.f(), obj.size, isinstance(obj, Base), issubclass(cls, ABC))\n"
        "    except TypeError as e:\n"
        "        print(e)\n"),
    # `import contextlib`
    "contextlib_module": (
        "from contextlib import contextmanager, suppress, ExitStack, nullcontext, closing\n"
        "log = []\n"
        "@contextmanager\n"
        "def tag(n):\n"
        "    log.append('in ' + n)\n"
        "    try:\n"
        "        yield n.upper()\n"
        "    finally:\n"
        "        log.append('out ' + n)\n"
        "with ExitStack() as st:\n"
        "    print([st.enter_context(tag(n)) for n in 'ab'])\n"
        "    st.callback(log.append, 'cb')\n"
        "print(log)\n"
        "with suppress(KeyError):\n"
        "    {}['k']\n"
        "with nullcontext(3) as v:\n"
        "    print(v)\n"
        "class R:\n"
        "    def close(self):\n"
        "        print('closed')\n"
        "with closing(R()):\n"
        "    pass\n"
        "try:\n"
        "    with suppress(KeyError):\n"
        "        raise ValueError('through')\n"
        "except ValueError as e:\n"
        "    print(e)\n"),
    # typing.TypeVar and Generic
    "typing_generic": (
        "from typing import Generic, TypeVar, List\n"
        "T = TypeVar('T')\n"
        "class Box(Generic[T]):\n"
        "    def __init__(self, item: T) -> None:\n"
        "        self.item = item\n"
        "print(Box(3).item, Box[int](4).item, Box[int], T, T.__name__)\n"),
    # str.maketrans and str.translate (a table mapping to longer strings measured as it goes)
    "str_translate": (
        "t = str.maketrans('ab', 'xy', 'c')\n"
        "print(t, 'abcabd'.translate(t), 'ab'.translate({97: 'long', 98: None}))\n"
        "class Upper:\n"
        "    def __getitem__(self, i):\n"
        "        if i == 122:\n"
        "            raise LookupError(i)\n"
        "        return chr(i).upper() * 2\n"
        "print('xyz'.translate(Upper()), str.maketrans({'a': 'b'}))\n"),
    "cmath_statistics_defaultdict": (
        "import cmath, statistics\n"
        "from collections import defaultdict\n"
        "print(cmath.sqrt(-4), cmath.phase(-1), cmath.polar(1j), cmath.isclose(1j, 1j))\n"
        "print(statistics.correlation([1, 2, 3], [2, 4, 7]), statistics.covariance([1, 2, 3], [1, 2, 4]))\n"
        "print(statistics.linear_regression([1, 2, 3], [2, 4, 6]))\n"
        "d = defaultdict(list)\n"
        "print(d.default_factory, d.default_factory('ab'), defaultdict(None).default_factory)\n"),
}


@pytest.mark.parametrize("name", sorted(LIKE_PYTHON))
def test_prints_what_python_prints(name):
    source = LIKE_PYTHON[name]
    assert run_program(source) == run_python(source)


def test_int_subclass_is_an_int_argument_like_pytorch():
    pytest.importorskip("torch", reason="PyTorch is the oracle of this program")
    source = ("import torch\n"
              "from enum import IntEnum\n"
              "class D(IntEnum):\n    A = 1\n"
              "x = torch.ones(2, 3)\n"
              "print(x.sum(D.A), x.size(D.A), x.softmax(D.A).shape, x.unsqueeze(D.A).shape,\n"
              "      x.transpose(D.A, 0).shape, torch.cat([x, x], D.A).shape, x.select(D.A, 0),\n"
              "      x.cumsum(D.A)[0], x.topk(1, D.A).values.shape)\n"
              "try:\n    x.size(True)\nexcept TypeError as e:\n    print(e)\n")
    expected = run_as_python_with(source, "torch")
    assert run_program(source) == expected
    assert run_as_python_with(source, "gradsh") == expected


REFUSED = {
    # another object's dict would reach Python's or gradsh's internals (a program class's own
    # `__dict__`, torch modules' vars() and their state views are read-only views since lang20)
    "import torch\nprint(torch.nn.Linear.__dict__)\n": ("AttributeError", "the program's own instances"),
    "def f():\n    pass\nprint(f.__dict__)\n": ("AttributeError", "the program's own instances"),
    "import torch\nprint(torch.optim.SGD([torch.ones(1, requires_grad=True)], lr=1).__dict__)\n":
        ("AttributeError", "own instances"),
    "import torch\nprint(torch.ones(1).__dict__)\n": ("AttributeError", "'__dict__' is not accessible"),
    "import torch\nprint(vars(torch.ones(1)))\n": ("TypeError", "must have __dict__"),
    "class C:\n    pass\nc = C()\nc.__dict__ = {}\n": ("AttributeError", "'__dict__'"),
    "class C:\n    pass\nvars(C())['__class__'] = int\n": ("AttributeError", "cannot be written"),
    "import torch\nclass N(torch.nn.Module):\n    pass\n"
    "print(vars(N())['_non_persistent_buffers_set'])\n": ("KeyError", "_non_persistent_buffers_set"),
    # (a module's private data PyTorch's module has, `_non_persistent_buffers_set`, is readable
    # since lang21; its private methods stay refused)
    "import torch\nclass N(torch.nn.Module):\n    pass\nprint(N()._call_impl)\n":
        ("AttributeError", "_call_impl"),
    # (vars() alone is a copy of the caller's names since branch lang19a)
    "vars(1, 2)\n": ("TypeError", "vars expected at most 1 argument"),
    # the enum base classes are shared by every session
    "from enum import Enum\nEnum.name = 5\n": ("AttributeError", "cannot set attributes"),
    "from enum import Enum\nclass C(Enum):\n    A = 1\ntype(C)('X', (), {})\n":
        ("TypeError", "cannot create"),
    "from enum import Enum\nclass C(Enum):\n    A = 1\nprint(C.A.__format__('>1000000000'))\n":
        ("LimitError", "format width"),
    "from abc import abstractmethod\nimport torch\nabstractmethod(torch.nn.Linear)\n":
        ("TypeError", "the program's own functions"),
    "from abc import ABC\nABC.x = 1\n": ("AttributeError", "cannot assign"),
    "class T:\n    def __getitem__(self, i):\n        return 'y' * 10 ** 7\n"
    "print(('a' * 1000).translate(T()))\n": ("LimitError", "str.translate()"),
    # gradsh's limits go through a context manager's __exit__
    "from contextlib import suppress\nwith suppress(BaseException):\n    x = [0] * 10 ** 9\n":
        ("LimitError", "repeating a list"),
    "from contextlib import ExitStack\nwith ExitStack() as s:\n    s.push(lambda *a: True)\n"
    "    x = 'a' * 10 ** 9\n": ("LimitError", "repeating a string"),
}


@pytest.mark.parametrize("source", sorted(REFUSED))
def test_refused_with_a_located_error(source):
    error, _ = run_error(source)
    kind, fragment = REFUSED[source]
    assert error.kind == kind and fragment in error.message, error
