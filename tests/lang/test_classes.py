"""The language's classes, exceptions, generators, scopes and modules: against Python itself
(pure-Python programs), against facts recorded from PyTorch 2.13 (tests/data/), and subclassing
the provider's classes."""

import io
import json
import pathlib
import random

import pytest

from gradsh.lang import GradshError, Session

from .helpers import run_program, run_python

DATA = pathlib.Path(__file__).resolve().parents[1] / "data"

# Pure-Python programs: gradsh prints what Python prints.
PROGRAMS = {
    "class_with_init_methods_and_class_attribute": (
        "class Counter:\n    total = 0\n    def __init__(self, start=0):\n        self.n = start\n"
        "    def inc(self, by=1):\n        self.n += by\n        Counter.total += by\n"
        "        return self\n    def __repr__(self):\n        return f'Counter({self.n})'\n"
        "c = Counter().inc().inc(5)\nprint(c, Counter.total, c.n, Counter(3))"),
    "inheritance_super_and_overriding": (
        "class A:\n    def __init__(self, x):\n        self.x = x\n    def who(self):\n"
        "        return 'A'\n    def show(self):\n        return self.who() + str(self.x)\n"
        "class B(A):\n    def __init__(self, x, y):\n        super().__init__(x)\n        self.y = y\n"
        "    def who(self):\n        return 'B' + super().who()\n"
        "b = B(1, 2)\nprint(b.show(), b.y, isinstance(b, A), isinstance(A(0), B))"),
    "staticmethod_classmethod_property": (
        "class P:\n    unit = 2\n    def __init__(self, v):\n        self.v = v\n    @staticmethod\n"
        "    def zero():\n        return P(0)\n    @classmethod\n    def one(cls):\n"
        "        return cls(cls.unit)\n    @property\n    def double(self):\n"
        "        return self.v * 2\nprint(P.zero().v, P.one().v, P(4).double)"),
    "special_methods": (
        "class V:\n    def __init__(self, *xs):\n        self.xs = list(xs)\n    def __len__(self):\n"
        "        return len(self.xs)\n    def __getitem__(self, i):\n        return self.xs[i]\n"
        "    def __add__(self, o):\n        return V(*[a + b for a, b in zip(self.xs, o.xs)])\n"
        "    def __eq__(self, o):\n        return self.xs == o.xs\n    def __iter__(self):\n"
        "        return iter(self.xs)\n    def __contains__(self, x):\n        return x in self.xs\n"
        "    def __call__(self, k):\n        return [k * x for x in self]\n    def __str__(self):\n"
        "        return 'V' + str(self.xs)\n    def __bool__(self):\n        return bool(self.xs)\n"
        "v = V(1, 2) + V(3, 4)\nprint(v, len(v), v[1], 4 in v, v == V(4, 6), list(v), v(2), "
        "bool(V()), sorted(v, reverse=True))"),
    "context_manager_class": (
        "class Ctx:\n    def __enter__(self):\n        print('enter')\n        return 7\n"
        "    def __exit__(self, kind, value, tb):\n        print('exit', kind is None)\n"
        "        return kind is ValueError\nwith Ctx() as v:\n    print(v)\nwith Ctx():\n"
        "    raise ValueError('swallowed')\nprint('after')"),
    "decorators": (
        "def twice(fn):\n    def wrapper(*a):\n        return fn(fn(*a))\n    return wrapper\n"
        "def tag(name):\n    def deco(fn):\n        def w(x):\n            return name + str(fn(x))\n"
        "        return w\n    return deco\n@tag('r=')\n@twice\ndef inc(x):\n    return x + 1\n"
        "print(inc(1))"),
    "try_except_else_finally_order": (
        "def f(x):\n    try:\n        r = 10 // x\n    except ZeroDivisionError as e:\n"
        "        print('div', e)\n        return -1\n    except (TypeError, ValueError):\n"
        "        print('type')\n        return -2\n    else:\n        print('else', r)\n"
        "        return r\n    finally:\n        print('finally', x)\n"
        "print(f(2), f(0), f('a'))"),
    "raise_from_and_reraise": (
        "class AppError(Exception):\n    pass\ndef load(k):\n    try:\n        return {'a': 1}[k]\n"
        "    except KeyError as e:\n        raise AppError('missing ' + str(e)) from e\n"
        "try:\n    load('b')\nexcept AppError as e:\n    print(e, type(e).__name__, e.args)\n"
        "try:\n    try:\n        raise ValueError('inner')\n    except ValueError:\n        raise\n"
        "except ValueError as e:\n    print('again', e)"),
    "exception_hierarchy_and_bare_except": (
        "for exc in [IndexError('i'), KeyError('k'), ZeroDivisionError('z'), AssertionError('a'),"
        " NotImplementedError('n'), StopIteration(), RuntimeError('r')]:\n    try:\n"
        "        raise exc\n    except LookupError as e:\n        print('lookup', repr(e))\n"
        "    except ArithmeticError as e:\n        print('arith', e)\n    except Exception as e:\n"
        "        print('other', type(e).__name__)\ntry:\n    assert 1 == 2, 'no'\nexcept:\n"
        "    print('bare')"),
    "generators": (
        "def fib(n):\n    a, b = 0, 1\n    for _ in range(n):\n        yield a\n"
        "        a, b = b, a + b\ndef chained():\n    yield from fib(5)\n    yield from 'ab'\n"
        "def echo():\n    got = yield 1\n    print('got', got)\n    yield 2\n"
        "g = echo()\nprint(next(g))\nprint(list(fib(8)), list(chained()), sum(fib(10)))\n"
        "it = iter([1, 2])\nprint(next(it), next(it), next(it, 'end'))"),
    "loop_else_and_walrus": (
        "for n in range(2, 10):\n    for d in range(2, n):\n        if n % d == 0:\n            break\n"
        "    else:\n        print(n, end=' ')\nprint()\ni = 0\nwhile i < 3:\n    i += 1\nelse:\n"
        "    print('done', i)\ndata = [1, 5, 2, 8]\nif (m := max(data)) > 5:\n    print(m)\n"
        "print([y for x in data if (y := x * 2) > 4])"),
    "global_and_nonlocal": (
        "count = 0\ndef bump():\n    global count\n    count += 1\ndef make():\n    total = 0\n"
        "    def add(x):\n        nonlocal total\n        total += x\n        return total\n"
        "    return add\nbump()\nbump()\nadd = make()\nadd(2)\nprint(count, add(3))"),
    "annotations_are_ignored": (
        "from typing import List, Optional\ndef f(xs: List[int], k: int = 2, *a: int, "
        "**kw: str) -> Optional[int]:\n    total: int = 0\n    for x in xs:\n        total += x * k\n"
        "    return total\nn: int\nprint(f([1, 2, 3]))"),
    "functools_and_itertools": (
        "import functools\nimport itertools\nfrom functools import partial, reduce\n"
        "def power(b, e):\n    return b ** e\nsq = partial(power, e=2)\nprint(sq(5), reduce("
        "lambda a, b: a * b, range(1, 6)), reduce(lambda a, b: a + b, [], 0))\n"
        "print(list(itertools.product('ab', repeat=2)), list(itertools.permutations([1, 2, 3], 2)),"
        " list(itertools.combinations(range(4), 2)), list(itertools.accumulate([1, 2, 3])),"
        " list(itertools.chain('ab', [1])), list(itertools.islice(itertools.cycle('xy'), 5)),"
        " [(k, list(g)) for k, g in itertools.groupby('aabbbc')],"
        " list(itertools.zip_longest([1, 2], 'a', fillvalue=0)))\n"
        "def deco(fn):\n    @functools.wraps(fn)\n    def w(*a):\n        return fn(*a)\n"
        "    return w\n@deco\ndef named():\n    'doc'\n    return 1\nprint(named.__name__, named())"),
    "random_is_pythons_mersenne_twister": (
        "import random\nrandom.seed(0)\nprint(random.random(), random.randint(1, 100), "
        "random.uniform(1, 2), random.choice([1, 2, 3]), random.gauss(0, 1))\nxs = list(range(10))\n"
        "random.shuffle(xs)\nprint(xs, random.sample(range(100), 3), random.choices('abc', k=4))\n"
        "random.seed('text')\nprint(random.random(), random.randrange(0, 100, 5))"),
    "format_builtin_and_type_names": (
        "print(format(3.14159, '.2f'), format(42, '>5'), format('x', '^3'), format(7))\n"
        "print(type(1), type('s'), type([]), type(None), type(1.5) == float, type(True).__name__)\n"
        "class K:\n    pass\nprint(type(K()).__name__, type(K()) is K, isinstance(K(), type(K())))"),
}


@pytest.mark.parametrize("name", sorted(PROGRAMS))
def test_program_prints_what_python_prints(name):
    source = PROGRAMS[name]
    assert run_program(source) == run_python(source)


FACTS = json.loads((DATA / "tensor_format_and_type_torch.json").read_text())["cases"]


@pytest.mark.parametrize("expr", sorted(FACTS))
def test_format_and_type_give_pytorchs_text(expr):
    kind, value = FACTS[expr]
    out = io.StringIO()
    session = Session(stdout=out)
    if kind == "ok":
        session.run("print(%s, end='')" % expr, "t.grad")
        assert out.getvalue() == value
    else:
        with pytest.raises(GradshError) as info:
            session.run("print(%s, end='')" % expr, "t.grad")
        assert (info.value.kind, info.value.message) == (kind, value)


def test_dir_lists_the_public_names_a_program_may_use():
    out = io.StringIO()
    s = Session(stdout=out)
    s.run("x = torch.ones(2, requires_grad=True)\nnames = dir(x)\n"
          "class P:\n    k = 1\n    def __init__(self):\n        self.v = 2\n    def m(self):\n"
          "        pass\npn = dir(P())\nmn = dir(math)\n", "t.grad")
    names, pn, mn = s.globals["names"], s.globals["pn"], s.globals["mn"]
    assert {"backward", "grad", "requires_grad", "sum", "shape", "grad_fn"} <= set(names)
    assert not any(n.startswith("_") for n in names)
    assert "numpy" in names and "set_" not in names   # t.numpy(): docs/language.md
    assert names == sorted(names)
    assert pn == ["k", "m", "v"]
    assert "sqrt" in mn and "pi" in mn


def test_random_matches_pythons_random_for_the_same_seed():
    out = io.StringIO()
    Session(stdout=out).run("import random\nrandom.seed(1234)\n"
                            "print([random.random() for _ in range(5)], random.getrandbits(64))\n",
                            "t.grad")
    r = random.Random(1234)
    assert out.getvalue() == "%s %s\n" % ([r.random() for _ in range(5)], r.getrandbits(64))


def test_random_state_is_the_sessions_own():
    random.seed(99)
    before = random.random()
    random.seed(99)
    Session(stdout=io.StringIO()).run("import random\nrandom.seed(0)\nrandom.random()\n", "t.grad")
    assert random.random() == before


def test_time_offers_the_clocks_only():
    out = io.StringIO()
    Session(stdout=out).run("import time\nt = time.perf_counter()\nprint(time.time() > 0, "
                            "time.perf_counter() >= t)\n", "t.grad")
    assert out.getvalue() == "True True\n"
    with pytest.raises(GradshError) as info:
        Session(stdout=io.StringIO()).run("import time\ntime.sleep(1)\n", "t.grad")
    assert info.value.kind == "AttributeError"


def test_numpy_is_the_sandboxed_module_and_its_other_submodules_stay_refused():
    out = io.StringIO()
    Session(stdout=out).run("import numpy as np\nprint(type(np.ones(1)))\n", "t.grad")
    assert out.getvalue() == "<class 'numpy.ndarray'>\n"
    with pytest.raises(GradshError) as info:
        Session(stdout=io.StringIO()).run("import numpy.ctypeslib\n", "t.grad")
    assert info.value.kind == "ImportError" and "cannot import 'numpy.ctypeslib'" in \
        info.value.message


def test_torch_imports_learners_write():
    out = io.StringIO()
    Session(stdout=out).run(
        "from torch import nn\nimport torch.nn.functional as F\n"
        "from torch.autograd import Function, grad\n"
        "x = torch.tensor([1.0, -2.0], requires_grad=True)\ny = F.relu(x).sum()\n"
        "print(grad(y, x), Function.__name__, nn.functional is F, F.__name__)\n", "t.grad")
    assert out.getvalue() == "(tensor([1., 0.]),) Function True torch.nn.functional\n"


def test_no_grad_and_enable_grad_as_decorators():
    out = io.StringIO()
    Session(stdout=out).run(
        "x = torch.ones(2, requires_grad=True)\n@torch.no_grad()\ndef f(v):\n    return v * 2\n"
        "@torch.enable_grad()\ndef g(v):\n    return v * 2\n@torch.no_grad\ndef h(v):\n"
        "    return v * 2\n@torch.enable_grad\ndef k(v):\n    return v * 2\n"
        "with torch.no_grad():\n"
        "    print(f(x).requires_grad, g(x).requires_grad, h(x).requires_grad, k(x).requires_grad)\n",
        "t.grad")
    assert out.getvalue() == "False True False True\n"  # PyTorch 2.13 prints the same


class StandInModule:
    """A stand-in for torch.nn.Module until it lands (its registration and __call__ through
    __getattr__/__setattr__, the way nn.Module works): a provider class a program subclasses."""

    def __init__(self):
        object.__setattr__(self, "_params", {})

    def __setattr__(self, name, value):
        if getattr(value, "requires_grad", False):
            self._params[name] = value
        else:
            object.__setattr__(self, name, value)

    def __getattr__(self, name):
        try:
            return self.__dict__["_params"][name]
        except KeyError:
            raise AttributeError("'%s' object has no attribute '%s'"
                                 % (type(self).__name__, name)) from None

    def parameters(self):
        return list(self._params.values())

    def __call__(self, *args):
        return self.forward(*args)


StandInModule.__module__ = "gradsh.nn.standin"  # a provider class, as gradsh.nn's will be


def test_a_program_class_subclasses_a_provider_module_class():
    import gradsh.nn
    gradsh.nn.StandInModule = StandInModule
    try:
        out = io.StringIO()
        Session(stdout=out).run(
            "class Net(torch.nn.StandInModule):\n    def __init__(self, n):\n"
            "        super().__init__()\n        self.w = torch.ones(n, requires_grad=True)\n"
            "        self.n = n\n    def forward(self, x):\n        return (self.w * x).sum()\n"
            "net = Net(3)\nloss = net(torch.arange(3.0))\nloss.backward()\n"
            "print(loss, net.n, len(net.parameters()), net.w.grad)\n"
            "print(type(net).__name__, isinstance(net, torch.nn.StandInModule))\n", "t.grad")
        assert out.getvalue() == ("tensor(3., grad_fn=<SumBackward0>) 3 1 tensor([0., 1., 2.])\n"
                                  "Net True\n")
        with pytest.raises(GradshError) as info:
            Session(stdout=io.StringIO()).run(
                "class Net(torch.nn.StandInModule):\n    pass\nNet()._params\n", "t.grad")
        assert "'_params' is not accessible" in info.value.message
    finally:
        del gradsh.nn.StandInModule


@pytest.mark.parametrize("source, col", [("x := 1\n", 1), ("y = x := 1\n", 5),
                                         ("a, b = c := (1, 2)\n", 8)])
def test_a_bare_assignment_expression_needs_parentheses_as_in_python(source, col):
    with pytest.raises(SyntaxError):
        compile(source, "t.py", "exec")
    with pytest.raises(GradshError) as info:
        Session(stdout=io.StringIO()).run(source, "t.grad")
    assert (info.value.kind, info.value.line, info.value.col) == ("SyntaxError", 1, col)
    assert "needs parentheses" in info.value.message


def test_a_programs_own_objects_have_underscore_names():
    """`self._cache`, `_helper` methods and `Model._count` are a program's own (Python's
    semantics), on its plain classes and on its nn.Module subclasses; nn.Module's own '_' names
    (`_parameters`, `_modules`...) and torch's internals stay hidden (test_classes_hostile)."""
    source = (
        "class Counter_:\n    _made = 0\n    def __init__(self):\n        self._n = 0\n"
        "        Counter_._made += 1\n    def _bump(self):\n        self._n += 1\n"
        "        return self._n\n    @property\n    def n(self):\n        return self._n\n"
        "    @n.setter\n    def n(self, v):\n        self._n = v\n"
        "c = Counter_()\nc._bump()\nc.n = c.n + 5\nsetattr(c, '_extra', 1)\n"
        "print(c._n, c.n, Counter_._made, hasattr(c, '_n'), getattr(c, '_extra'), c._bump())\n")
    assert run_program(source) == run_python(source)
    out = run_program(
        "import torch.nn as nn\nclass Net(nn.Module):\n    def __init__(self):\n"
        "        super().__init__()\n        self._width = 3\n        self.fc = nn.Linear(2, self._width)\n"
        "    def _double(self):\n        return 2 * self._width\n"
        "n = Net()\nprint(n._width, n._double(), [k for k, _ in n.named_parameters()])\n")
    assert out == "3 6 ['fc.weight', 'fc.bias']\n"
