"""Branch lang20: the introspection ordinary Python code does (a program class's `__dict__`,
bound methods' `__self__`/`__func__`, closures' cells, evaluated annotations, lru_cache's
`__wrapped__`, collections' ChainMap/UserDict/UserList/UserString) prints what Python prints;
torch's objects stay closed (tests/cli/hostile_lang20.py holds the hostile table; the
lang20_* learner programs the PyTorch comparisons)."""

import pytest

from .helpers import run_error, run_program, run_python

PROGRAMS = {
    "class_dict_is_a_read_only_mapping": (
        "class C:\n    x = 1\n    @classmethod\n    def k(cls):\n        return cls\n"
        "    @staticmethod\n    def s():\n        return 2\n    @property\n    def p(self):\n"
        "        return 3\n    def m(self):\n        return 4\n"
        "d = C.__dict__\n"
        "print(type(d).__name__, [k for k in d if not k.startswith('__')], 'x' in d, 'y' in d)\n"
        "print([type(d[k]).__name__ for k in ('x', 'k', 's', 'p', 'm')], d.get('y', 'none'))\n"
        "print(d['k'].__func__(C) is C, d['s'].__func__(), d['p'].fget(C()), d['m'](C()))\n"
        "print(vars(C) == C.__dict__, sorted(k for k, v in d.items() if callable(v)))\n"
        "try:\n    d['x'] = 2\nexcept TypeError as e:\n    print(e)\n"
        "class D(C):\n    y = 5\nprint('x' in D.__dict__, D.__dict__['y'], len(D.__dict__))"),
    "bound_methods_and_closures": (
        "class A:\n    def f(self, v):\n        return v + 1\n"
        "a = A()\nm = a.f\nprint(m.__self__ is a, m.__func__ is A.f, m.__func__(a, 1))\n"
        "def outer(n):\n    k = [n]\n    def inner():\n        return k[0] + n\n    return inner\n"
        "g = outer(3)\nprint([c.cell_contents for c in g.__closure__], outer.__closure__)\n"
        "def h(a, b=2, *, c=3):\n    pass\nprint(h.__defaults__, h.__kwdefaults__)"),
    "annotations_are_evaluated": (
        "def f(x: int, y: 'str' = 'a', *args: float, z: list[int] = None, **kw: dict) -> bool:\n"
        "    return True\nprint(f.__annotations__)\n"
        "def g(x):\n    pass\nprint(g.__annotations__)\n"
        "import functools\n@functools.singledispatch\ndef d(x):\n    return 'obj'\n"
        "@d.register\ndef _(x: int):\n    return 'int'\n@d.register\ndef _(x: list):\n"
        "    return 'list'\nprint(d(1), d([1]), d('s'), d(True), sorted(k.__name__ for k in d.registry))"),
    "lru_cache_wrapped": (
        "import functools\n@functools.lru_cache(maxsize=2)\ndef sq(x):\n    return x * x\n"
        "print(sq(3), sq.__wrapped__(4), sq.cache_info().misses, sq.__name__)"),
    "user_collections": (
        "from collections import ChainMap, UserDict, UserList, UserString\n"
        "c = ChainMap({'a': 1}, {'a': 2, 'b': 3})\n"
        "print(c['a'], c['b'], len(c), list(c), c.new_child()['b'], c.parents, c)\n"
        "class U(UserDict):\n    def __missing__(self, k):\n        return k\n"
        "u = U(a=1)\nu['b'] = 2\nprint(u, u['zz'], u.data, list(u.items()), u == {'a': 1, 'b': 2})\n"
        "l = UserList([3, 1, 2])\nl.sort()\nl.extend(range(2))\n"
        "print(l, l * 2, l + [9], l[1:], type(l[1:]).__name__, l.count(1), 2 in l)\n"
        "s = UserString('Abc')\nprint(s.lower(), s * 2, s + 'd', s[0], len(s), s == 'Abc', "
        "s.split('b'))"),
}


@pytest.mark.parametrize("name", sorted(PROGRAMS))
def test_prints_what_python_prints(name):
    assert run_program(PROGRAMS[name]) == run_python(PROGRAMS[name])


@pytest.mark.parametrize("source, fragment", [
    ("import torch\ntorch.nn.Linear.__dict__\n", "'__dict__' is not accessible"),
    ("import torch\ntorch.nn.Linear(1, 1).forward.__func__\n", "'__func__' is not accessible"),
    ("import torch\ntorch.ones(1).add.__self__\n", "'__self__' is not accessible"),
    ("print.__closure__\n", "'__closure__' is not accessible"),
    ("import functools, torch\nfunctools.lru_cache(torch.relu).__wrapped__\n",
     "'__wrapped__' is not accessible"),
    ("import torch\ntorch.nn.Module.register(int)\n", "'register' is not available"),
])
def test_torchs_objects_stay_closed(source, fragment):
    error, _ = run_error(source)
    assert error.kind == "AttributeError" and fragment in error.message


def test_module_state_views_are_read_only_and_live():
    out = run_program(
        "import torch\nm = torch.nn.Linear(2, 1)\nhooks = m._forward_hooks\n"
        "h = m.register_forward_hook(lambda mod, i, o: None)\nprint(len(hooks))\nh.remove()\n"
        "print(len(hooks), list(m._parameters), m._parameters['bias'] is m.bias)\n"
        "try:\n    m._parameters['w'] = torch.ones(1)\nexcept TypeError as e:\n    print('ro')\n")
    assert out == "1\n0 ['weight', 'bias'] True\nro\n"
