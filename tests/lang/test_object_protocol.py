"""A program's own classes and Python's attribute protocol: `object.__setattr__(self, ...)` in a
`__setattr__`, `super().__setattr__`, `object.__getattribute__`, `object.__delattr__`, a class's
special methods read as attributes (`C.__hash__`), a property's `fget`/`fset`/`fdel`. Each is
checked by the gate as `self.name = value` (or `self.name`) in the program's text would be."""

import pytest

from .helpers import run_error, run_program, run_python

PROGRAMS = {
    "setattr_intercepting_writes": (
        "class Logged:\n"
        "    def __init__(self):\n        object.__setattr__(self, 'log', [])\n        self.a = 1\n"
        "    def __setattr__(self, name, value):\n"
        "        self.log.append(name)\n        object.__setattr__(self, name, value)\n"
        "    def __delattr__(self, name):\n"
        "        self.log.append('del ' + name)\n        object.__delattr__(self, name)\n"
        "x = Logged()\nx.b = 2\nx._private = 3\nsetattr(x, 'c', 4)\ndel x.b\n"
        "print(x.log, x.a, x._private, x.c, hasattr(x, 'b'))\n"
        "print(object.__getattribute__(x, 'a'), Logged.__setattr__ is not None)\n"
        "class Child(Logged):\n"
        "    def __setattr__(self, name, value):\n"
        "        super().__setattr__(name, value * 10 if name == 'n' else value)\n"
        "c = Child()\nc.n = 5\nprint(c.n, c.log)\n"
        "try:\n    object.__getattribute__(x, 'missing')\n"
        "except AttributeError as e:\n    print('AttributeError', e)\n"
        "try:\n    object.__setattr__(x, 5, 1)\nexcept TypeError as e:\n    print(e)"),
    "frozen_by_setattr": (
        "class Frozen:\n"
        "    def __init__(self, v):\n        object.__setattr__(self, 'v', v)\n"
        "    def __setattr__(self, name, value):\n"
        "        raise AttributeError(f'{type(self).__name__} is frozen ({name})')\n"
        "f = Frozen(3)\ntry:\n    f.v = 4\nexcept AttributeError as e:\n    print(e)\nprint(f.v)"),
    "class_special_methods_and_hash": (
        "class A:\n    pass\n"
        "class B:\n    def __eq__(self, other):\n        return True\n"
        "class C(B):\n    def __hash__(self):\n        return 7\n"
        "print(B.__hash__ is None, C.__hash__(C()), A.__hash__ is not None, hash(C()),"
        " A.__init__ is not None, B.__eq__(B(), 1))\n"
        "try:\n    {B()}\nexcept TypeError as e:\n    print(e)"),
    "property_parts": (
        "class P:\n"
        "    def __init__(self):\n        self._v = 1\n"
        "    @property\n    def v(self):\n        return self._v\n"
        "    @v.setter\n    def v(self, value):\n        self._v = value\n"
        "    w = property(lambda self: 2)\n"
        "print(P.v.fget.__name__, P.v.fset.__name__, P.v.fdel, P.w.fget(P()), P.w.fset)\n"
        "p = P()\nP.v.fset(p, 5)\nprint(P.v.fget(p))"),
    "format_fields_with_attributes_and_indexes": (
        "class Pt:\n    def __init__(self):\n        self.x, self.y = 1.5, [10, 20]\n"
        "d = {'k': 'v', 2: 'two'}\np = Pt()\n"
        "print('{0.x} {0.y[1]} {d[k]} {d[2]} {1[0]:>4}'.format(p, [7], d=d))\n"
        "print('{p.x:.3f} {p.y!r}'.format_map({'p': p}), '{0.real}'.format(3),"
        " str.format('{0.imag}', 2j), '{:{0.x}}'.format(p, 'x') if False else '')\n"
        "for bad in ['{0.nope}', '{0[5]}', '{0[x]}', '{1}', '{0.y[}']:\n"
        "    try:\n        print(bad.format(p))\n"
        "    except (AttributeError, IndexError, KeyError, TypeError, ValueError) as e:\n"
        "        print(type(e).__name__, e)"),
}


@pytest.mark.parametrize("name", sorted(PROGRAMS))
def test_program_prints_what_python_prints(name):
    source = PROGRAMS[name]
    assert run_program(source) == run_python(source)


HOSTILE = [
    # the name is decided as `obj.name = value` in the program's text would be
    ("class A:\n    pass\nobject.__setattr__(A(), '__class__', int)", "'__class__' is not accessible"),
    ("class A:\n    pass\nobject.__setattr__(A(), '__dict__', {})", "'__dict__' is not accessible"),
    ("class A:\n    pass\nobject.__getattribute__(A(), '__weakref__')", "'__weakref__' is not accessible"),
    ("class A:\n    pass\nobject.__delattr__(A(), '__class__')", "'__class__' is not accessible"),
    # only the program's own objects: Python's slot wrappers would skip the gate on any other
    ("object.__setattr__(torch.ones(1), '_data', 1)", "applies in gradsh to instances of the "
                                                      "program's own classes"),
    ("object.__getattribute__(torch.ones(1), 'grad')", "program's own classes"),
    ("object.__setattr__(torch.nn.Linear(1, 1), 'weight', 1)", "program's own classes"),
    ("class A:\n    pass\nobject.__setattr__(A, 'x', 1)", "program's own classes"),
    # torch base classes keep their private names, whichever way they are written
    ("class M(torch.nn.Module):\n    pass\nobject.__setattr__(M(), '_parameters', {})",
     "'_parameters' is not accessible"),
    ("class M(torch.nn.Module):\n    def f(self):\n        super().__setattr__('_modules', 1)\n"
     "M().f()", "'_modules' is not accessible"),
    ("class M(torch.nn.Module):\n    pass\nM().__setattr__('_buffers', 1)",
     "'_buffers' is not accessible"),
    # what is handed out is the gate's checked function, not Python's slot wrapper
    ("object.__setattr__.__self__", "'__self__' is not accessible"),
    ("object.__setattr__.__call__.__globals__", "is not accessible"),
    ("class A:\n    pass\nA().__setattr__.func", "has no attribute 'func'"),
    # a class's special methods are readable on the program's classes only
    # (int.__hash__, int.__add__... are Python's special methods unbound since branch lang19a,
    # each call the operator's: tests/lang/test_lang19a_fixes.py)
    ("int.__reduce__", "'__reduce__' is not accessible"),
    ("torch.Tensor.__init__", "'__init__' is not accessible"),
    ("object.__init__", "'__init__' is not accessible"),
    ("object.__getattribute__.gate", "is not available"),
    # a torch base class's special methods stay refused on the class (its code, any object)
    ("class M(torch.nn.Module):\n    pass\nM.__call__(torch.ones(1))", "'__call__' is not accessible"),
    ("class T(torch.Tensor):\n    pass\nT.__add__", "'__add__' is not accessible"),
    # a property's functions are handed out when they are the program's
    ("class A:\n    @property\n    def v(self):\n        return 1\nA.v.fget.__globals__",
     "'__globals__' is not accessible"),
]


@pytest.mark.parametrize("source, fragment", HOSTILE, ids=[h[0][-40:] for h in HOSTILE])
def test_hostile_uses_of_the_protocol_are_refused(source, fragment):
    error, _ = run_error("import torch\n" + source)
    assert error.kind in ("AttributeError", "TypeError"), error.render()
    assert fragment in error.message, error.render()


def test_module_subclass_setattr_sees_what_pytorchs_does():
    # nn.Module's own machinery stores its private names past the program's __setattr__ (they
    # reach the program no value of gradsh's internals); public names reach it, as in PyTorch
    pytest.importorskip("torch", reason="PyTorch is the oracle of this test")
    source = ("import torch\nclass M(torch.nn.Module):\n"
              "    def __init__(self):\n        super().__init__()\n"
              "        self.lin = torch.nn.Linear(1, 1)\n"
              "    def __setattr__(self, name, value):\n"
              "        print('set', name, type(value).__name__)\n"
              "        super().__setattr__(name, value)\n"
              "m = M()\nm.train(False)\nm.scale = 2.0\ndel m.scale\n"
              "print(m.training, [n for n, _ in m.named_parameters()])")
    assert run_program(source) == run_python(source)
