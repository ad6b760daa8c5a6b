"""Python's class machinery in program classes (branch lang19b): `__slots__`, descriptors
(`__get__`, `__set__`, `__delete__`, `__set_name__`), `__init_subclass__` with class keywords,
dict and property as bases (`__missing__`), typing.Protocol, class annotations. Pure-Python
programs print what Python prints; the hooks never run for an object or class that is not the
program's (docs/security.md, "Branch lang19b")."""

import pytest

from .helpers import new_session, run_error, run_program, run_python

# pure-Python programs: the expected text is Python's own output (run_python)
PROGRAMS = {
    "slots_errors_and_inheritance": (
        "class P:\n    __slots__ = ('x', 'y')\n    def __init__(self):\n        self.x = 1\n"
        "class Q(P):\n    __slots__ = 'z'\n"
        "class R(P):\n    __slots__ = {'w': 'a doc'}\n"
        "q = Q()\nq.z = 3\nprint(q.x, q.z, Q.__slots__, R.__slots__, P.__slots__)\n"
        "for obj, name in [(q, 'y'), (P(), 'y')]:\n"
        "    try:\n        getattr(obj, name)\n    except AttributeError as e:\n"
        "        print('AttributeError:', e)\n"
        "try:\n    q.other = 1\nexcept AttributeError as e:\n    print('AttributeError:', e)\n"
        "print(hasattr(q, '__dict__'), [c.__name__ for c in Q.__mro__])\n"
        "class S:\n    __slots__ = ()\n    __slots__ += ('a',)\ns = S()\ns.a = 5\nprint(s.a, S.__slots__)\n"
        "try:\n    class Bad:\n        __slots__ = ('x',)\n        x = 1\n"
        "except ValueError as e:\n    print('ValueError:', e)\n"
        "try:\n    class Bad2:\n        __slots__ = (1,)\nexcept TypeError as e:\n"
        "    print('TypeError:', e)\n"),
    "descriptor_protocol_order": (
        "log = []\n"
        "class D:\n    def __set_name__(self, owner, name):\n"
        "        log.append(('set_name', owner.__name__, name))\n"
        "    def __get__(self, obj, owner=None):\n"
        "        log.append(('get', type(obj).__name__, owner.__name__))\n"
        "        return self if obj is None else obj.__dict__.get('v', 0)\n"
        "    def __set__(self, obj, value):\n        obj.__dict__['v'] = value * 2\n"
        "    def __delete__(self, obj):\n        obj.__dict__.pop('v')\n"
        "class Base:\n    def __init_subclass__(cls, **kw):\n"
        "        log.append(('init_subclass', cls.__name__, sorted(kw)))\n"
        "        super().__init_subclass__()\n"
        "class C(Base, a=1, b=2):\n    d = D()\n    e = D()\n"
        "c = C()\nc.d = 4\nprint(c.d, C.d is C.__mro__[0].d, vars(c))\ndel c.d\nprint(c.d)\n"
        "for entry in log:\n    print(entry)\n"),
    "descriptor_kinds_and_precedence": (
        "class NonData:\n    def __get__(self, obj, owner):\n        return 'nondata'\n"
        "class Data:\n    def __get__(self, obj, owner):\n        return 'data'\n"
        "    def __set__(self, obj, value):\n        raise AttributeError('read-only')\n"
        "class C:\n    a = NonData()\n    b = Data()\n"
        "c = C()\nc.a = 'instance'\nprint(c.a, c.b, C.a, C.b)\n"
        "try:\n    c.b = 1\nexcept AttributeError as e:\n    print('AttributeError:', e)\n"
        "class Sub(C):\n    pass\nprint(Sub().b, Sub.a)\n"),
    "init_subclass_keywords_and_errors": (
        "class Plugin:\n    plugins = {}\n"
        "    def __init_subclass__(cls, /, key=None, **kwargs):\n"
        "        super().__init_subclass__(**kwargs)\n        Plugin.plugins[key or cls.__name__] = cls\n"
        "class A(Plugin, key='a'):\n    pass\nclass B(A):\n    pass\n"
        "print(sorted(Plugin.plugins), Plugin.plugins['a'] is A)\n"
        "try:\n    class C(Plugin, key='c', other=1):\n        pass\n"
        "except TypeError as e:\n    print('TypeError:', e)\n"
        "try:\n    class D(object, unknown=1):\n        pass\nexcept TypeError as e:\n"
        "    print('TypeError:', e)\n"
        "class Static:\n    @staticmethod\n    def __init_subclass__(**kw):\n"
        "        print('static hook', kw)\n"
        "class T(Static, q=1):\n    pass\n"),
    "set_name_error_is_wrapped": (
        "class D:\n    def __set_name__(self, owner, name):\n        raise ValueError('no ' + name)\n"
        "try:\n    class C:\n        x = D()\nexcept RuntimeError as e:\n"
        "    print(type(e).__name__, e, type(e.__cause__).__name__, e.__cause__)\n"),
    "dict_subclass_missing": (
        "class Default(dict):\n    def __missing__(self, key):\n        return key.upper()\n"
        "d = Default(a='x', b='y')\nprint(d['a'], d['zz'], 'zz' in d, d.get('zz'), len(d))\n"
        "print('{a} {q}'.format_map(d), isinstance(d, dict), Default.mro()[1] is dict)\n"
        "class Counter2(dict):\n    def __init__(self, words):\n        super().__init__()\n"
        "        for w in words:\n            self[w] += 1\n"
        "    def __missing__(self, key):\n        return 0\n"
        "print(sorted(Counter2('a b a c a'.split()).items()))\n"),
    "property_subclass_and_doc": (
        "class logged(property):\n    pass\n"
        "class C:\n    @logged\n    def x(self):\n        'the x'\n        return 1\n"
        "    @property\n    def y(self):\n        return 2\n"
        "    z = property(lambda self: 3, None, None, 'zed')\n"
        "print(C().x, C.x.__doc__, C.y.__doc__, C.z.__doc__, type(C.x).__name__)\n"
        "print(isinstance(C.x, property), [k.__name__ for k in type(C.x).__mro__])\n"),
    "protocol_with_program_classes": (
        "from typing import Protocol, runtime_checkable\n"
        "@runtime_checkable\nclass Sized2(Protocol):\n    def size(self): ...\n"
        "class A:\n    def size(self):\n        return 1\n"
        "class B:\n    size = None\n"
        "class C:\n    pass\n"
        "print(isinstance(A(), Sized2), isinstance(B(), Sized2), isinstance(C(), Sized2))\n"
        "print(issubclass(A, Sized2), issubclass(C, Sized2))\n"
        "class Impl(Sized2):\n    pass\nprint(isinstance(Impl(), Sized2), Impl().size())\n"
        "try:\n    Sized2()\nexcept TypeError as e:\n    print('TypeError:', e)\n"),
    "init_subclass_of_an_enum_class": (
        "from enum import Enum\nclass Base:\n    def __init_subclass__(cls, **kw):\n"
        "        print('hook', cls.__name__, kw)\n        super().__init_subclass__(**kw)\n"
        "class Color(Base, Enum):\n    RED = 1\nprint(list(Color))\n"
        "try:\n    class Shade(Enum, x=1):\n        A = 1\nexcept TypeError as e:\n"
        "    print('TypeError:', e)\n"),
    "class_annotations_and_module": (
        "from typing import Optional\n"
        "class C:\n    a: int\n    b: Optional[str] = None\nclass D(C):\n    pass\n"
        "print(C.__annotations__, D.__annotations__, C.__module__, C.__qualname__)\n"
        "print(ValueError.__module__, type(1).__module__, type(C()).__module__)\n"),
}


@pytest.mark.parametrize("name", sorted(PROGRAMS))
def test_program_prints_what_python_prints(name):
    source = PROGRAMS[name]
    assert run_program(source) == run_python(source)


# ------------------------------------------------------------------ the program's own only
DESCRIPTOR = ("import torch\nclass D:\n    def __get__(self, obj, owner=None):\n        return owner\n"
              "    def __set__(self, obj, value):\n        pass\n")


@pytest.mark.parametrize("tail, kind, fragment", [
    # Python 3.11 chains classmethod's __get__: the descriptor would be handed `type`
    ("class C:\n    m = classmethod(D())\nC.m\n", "TypeError", "not for a 'type' object"),
    ("D().__get__(torch.ones(1), torch.Tensor)\n", "TypeError", "not for a 'Tensor' object"),
    ("D().__set__(torch.nn.Linear(1, 1), 0)\n", "TypeError", "not for a 'Linear' object"),
    ("torch.nn.Linear.w = D()\n", "AttributeError", "cannot assign attribute 'w'"),
    ("class M(torch.nn.Module):\n    _parameters = D()\n", "TypeError",
     "'_parameters' is a name its torch base class keeps"),
    ("class M(torch.nn.Module):\n    __slots__ = ('_modules',)\n", "TypeError",
     "__slots__ name '_modules'"),
])
def test_descriptors_run_for_the_programs_own_objects_only(tail, kind, fragment):
    error, _ = run_error(DESCRIPTOR + tail)
    assert error.kind == kind and fragment in error.message


@pytest.mark.parametrize("source", [
    # a tensor's special methods are offered by name: not the class machinery, which would run
    # nn.Parameter's hook on nn.Parameter itself (every parameter of the process then printed
    # as `Parameter(Parameter(...))`)
    "p = torch.nn.Parameter(torch.ones(1))\np.__init_subclass__()\n",
    "w = torch.ones(1, requires_grad=True)\nopt = torch.optim.SGD([w], lr=0.1)\n"
    "super(torch.optim.SGD, opt).__init_subclass__()\n",
    "torch.ones(1).__missing__\n",
])
def test_class_machinery_is_not_read_on_torchs_objects(source):
    error, _ = run_error("import torch\n" + source)
    assert error.kind == "AttributeError" and "is not accessible" in error.message
    assert run_program("import torch\nprint(torch.nn.Parameter(torch.ones(1)))\n") == (
        "Parameter containing:\ntensor([1.], requires_grad=True)\n")


def test_init_subclass_skips_a_class_gradsh_remakes():
    # dataclass(slots=True) makes a second class from the program's: Python would call the hook
    # again with a class that is not the program's; gradsh calls it for the class statement only
    out = run_program("import dataclasses\nclass A:\n    seen = []\n"
                      "    def __init_subclass__(cls, **kw):\n        A.seen.append(cls.__name__)\n"
                      "@dataclasses.dataclass(slots=True)\nclass B(A):\n    x: int = 0\n"
                      "print(A.seen, B(), B.__slots__)\n")
    assert out == "['B'] B(x=0) ('x',)\n"


def test_protocol_asks_through_the_gate():
    # a Protocol member starting with '_' is a name the gate refuses on torch's objects: no
    # match there, while the program's own object that has it matches (`_parameters` is
    # readable since branch lang20, PyTorch's other private data since lang21; gradsh's own
    # `_SIZES`, which PyTorch's Linear lacks, is not)
    out = run_program("import torch\nfrom typing import Protocol, runtime_checkable\n"
                      "@runtime_checkable\nclass P(Protocol):\n    _SIZES: set\n"
                      "class Mine:\n    _SIZES = set()\n"
                      "print(isinstance(torch.nn.Linear(1, 1), P), isinstance(Mine(), P))\n")
    assert out == "False True\n"


@pytest.mark.parametrize("source, kind, fragment", [
    ("class A:\n    __slots__ = map(str, range(10 ** 9))\n", "LimitError",
     "__slots__ with more than 1000 names"),
    ("class A:\n    x = (__slots__ := ('a',))\n", "SyntaxError", "__slots__ is set by"),
    ("class A:\n    __slots__ = ('__class__',)\n", "TypeError", "'__class__'"),
    ("class D(dict):\n    pass\nD.mro()[1](zip(range(10 ** 8), range(10 ** 8)))\n", "LimitError",
     "dict() of 100000000 items"),
    ("from typing import TypeVar\nT = TypeVar('T', bound=type)\nT.__bound__('X', (str,), {})\n",
     "TypeError", "cannot inherit from 'str'"),  # (type() with three arguments: branch lang21)
    ("from typing import runtime_checkable, Protocol\nruntime_checkable(Protocol)\n", "TypeError",
     "@runtime_checkable can be only applied to protocol classes"),
    ("from typing import Protocol\nclass P(Protocol):\n    pass\nP.register\n", "AttributeError",
     "attribute 'register' is not available"),
    # a function's annotations are the program's own functions' only (branch lang20)
    ("import torch\ntorch.relu.__annotations__\n", "AttributeError", "is not accessible"),
])
def test_class_machinery_stays_within_limits_and_views(source, kind, fragment):
    error, _ = run_error(source)
    assert error.kind == kind and fragment in error.message


def test_a_torch_class_module_is_pytorchs():
    out = run_program("import torch\nprint(torch.nn.Linear.__module__, type(torch.ones(1)).__module__,"
                      " torch.nn.Parameter.__qualname__, type(ValueError()).__module__)\n")
    assert out == "torch.nn.modules.linear torch Parameter builtins\n"


def test_the_shell_reads_a_slot_but_never_runs_a_descriptor():
    # completion and :vars peek at values without running the program's code: a slot is
    # Python's own storage (shown), a descriptor's __get__ is the program's (not run)
    session = new_session()
    session.run("class D:\n    def __get__(self, obj, owner=None):\n        print('ran')\n"
                "        return 1\nclass P:\n    __slots__ = ('x', 'y')\n    d = D()\n"
                "p = P()\np.x = 3\n", "t.grad")
    p = session.variables()["p"]
    assert session.peek(p, "x") == 3
    for name in ("y", "d"):
        with pytest.raises(AttributeError):
            session.peek(p, name)
    assert session.output.getvalue() == ""
    assert session.attribute_names(p) == ["d", "x", "y"]
