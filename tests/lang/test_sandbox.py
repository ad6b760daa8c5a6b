"""Hostile programs: every known way out of a Python-based evaluator is closed, with an error that
says what happened (kind, message, line). The gate is an allowlist, so these are samples."""

import time

import pytest

from gradsh.lang import GradshError, InternalError

from .helpers import run_error, run_program

PRE = "x = torch.ones(2, requires_grad=True)\n"

# (program after PRE, error kind, message fragment, line counted from 1 in the full program)
HOSTILE = [
    # dunder chains: refused before the program runs
    # `x.__class__` is `type(x)`: a view whose class machinery stays out of reach
    ("().__class__.__mro__[-1].__subclasses__()", "AttributeError",
     "'__subclasses__' is not accessible", 2),
    ("getattr(x.__class__.__mro__[-1], '__subclasses__')()", "AttributeError",
     "'__subclasses__' is not accessible", 2),
    ("x.__class__.__dict__", "AttributeError", "'__dict__' is not accessible", 2),
    ("getattr(x.__class__, '__init__').__globals__", "AttributeError",
     "'__globals__' is not accessible", 2),
    ("x.__class__.__class__.__mro__[0].__subclasses__(x.__class__)", "AttributeError",
     "'__subclasses__' is not accessible", 2),
    ("[].__class__.__base__.__subclasses__()", "AttributeError", "is not accessible", 2),
    ("(lambda: 0).__globals__", "AttributeError", "'__globals__' is not accessible", 2),
    ("print.__self__", "AttributeError", "'__self__' is not accessible", 2),
    ("torch.Tensor.__subclasses__()", "AttributeError", "is not accessible", 2),
    ("x._data", "AttributeError", "'_data' is not accessible", 2),
    # (a leaf's grad_fn is None: Python's error, as under PyTorch)
    ("x.grad_fn._saved_self", "AttributeError",
     "'NoneType' object has no attribute '_saved_self'", 2),
    # PyTorch's documented '_' names: readable on their own objects only, never writable
    ("x._saved_self", "AttributeError", "'_saved_self' is not accessible", 2),
    ("(x * 2).grad_fn._version", "AttributeError", "'_version' is not accessible", 2),
    ("(x * x).grad_fn._saved_self._data", "AttributeError", "'_data' is not accessible", 2),
    ("(x * x).grad_fn._raw_saved_self.check", "AttributeError", "is not available in gradsh", 2),
    ("(x * 2)._version = 3", "AttributeError", "'_version' is not accessible", 2),
    ("f'{x.__class__.__init__.__globals__}'", "AttributeError", "'__globals__' is not accessible", 2),
    ("__builtins__", "SyntaxError", "names starting with '__' are reserved", 2),
    ("__import__('os')", "SyntaxError", "names starting with '__' are reserved", 2),
    ("from torch import _C", "ImportError", "names starting with '_' are private", 2),
    # str.format / format_map fields read attributes through the same gate as code
    ("'{0.__class__.__mro__[1].__subclasses__}'.format(1)", "AttributeError",
     "'__subclasses__' is not accessible", 2),
    ("'{x.__class__.__init__.__globals__}'.format(x=x)", "AttributeError",
     "'__init__' is not accessible", 2),
    ("'{0[0].__globals__}'.format([lambda: 0])", "AttributeError", "'__globals__' is not accessible", 2),
    ("'{0:{0.__reduce__}}'.format(1)", "AttributeError", "'__reduce__' is not accessible", 2),
    ("'{0._data}'.format(x)", "AttributeError", "'_data' is not accessible", 2),
    ("'{0.__class__.__init__}'.format(x.untyped_storage())", "AttributeError",
     "'__init__' is not accessible", 2),
    ("'{t.grad_fn._saved_self._data}'.format_map({'t': x * x})", "AttributeError",
     "'_data' is not accessible", 2),
    ("'{0.fget.__globals__}'.format(type(x).shape)", "AttributeError",
     "attribute 'shape' is not available", 2),
    ("'{0:>{1}}'.format(1, 10 ** 9)", "LimitError", "limit", 2),
    ("('{0}' * 10 ** 5).format('x' * 10 ** 5)", "LimitError", "limit", 2),
    # getattr/setattr with a computed name: the same gate as the attribute written out
    ("getattr(getattr(x, '__class__'), '__dict__')", "AttributeError", "'__dict__' is not accessible", 2),
    ("getattr(type(x).__mro__[-1], '__subclasses__')", "AttributeError",
     "'__subclasses__' is not accessible", 2),
    ("getattr(x, '__mro__')", "AttributeError", "'__mro__' is not accessible", 2),
    # (special methods by name run their operator's check: branch lang19a)
    ("[].__setitem__(slice(None), range(10 ** 9))", "LimitError",
     "a slice assignment of 1000000000 items is more than", 2),
    ("x.__format__('>1000000000')", "LimitError", "format width or precision", 2),
    ("torch.Size([1]).__mul__(10 ** 10)", "AttributeError", "'__mul__' is not accessible", 2),
    ("x.__setitem__.__self__", "AttributeError", "'__self__' is not accessible", 2),
    ("getattr(print, '__self__')", "AttributeError", "'__self__' is not accessible", 2),
    ("getattr((i for i in x), 'gi_frame')", "AttributeError", "'gi_frame' is not available", 2),
    ("getattr(torch, '_C')", "AttributeError", "'_C' is not accessible", 2),
    ("setattr(x, '_version', 3)", "AttributeError", "'_version' is not accessible", 2),
    ("x.__cause__", "AttributeError", "'__cause__' is not accessible", 2),
    ("setattr(torch, 'ones', print)", "AttributeError", "the torch namespace is read-only", 2),
    ("getattr(x, 1)", "TypeError", "attribute name must be string, not 'int'", 2),
    ("delattr(x, '_version')", "AttributeError", "'_version' is not accessible", 2),
    ("delattr(torch, 'ones')", "AttributeError", "the torch namespace is read-only", 2),
    ("delattr(x, 1)", "TypeError", "attribute name must be string, not 'int'", 2),
    # the builtins that reach the host do not exist
    ("eval('1 + 1')", "NameError", "name 'eval' is not defined", 2),
    ("exec('y = 1')", "NameError", "name 'exec' is not defined", 2),
    ("open('/etc/passwd')", "NameError", "name 'open' is not defined", 2),
    # (globals() is a copy of the program's names since branch lang19a: no helper, no builtins)
    ("globals()['.ga']", "KeyError", "'.ga'", 2),
    ("globals()['__builtins__']", "KeyError", "'__builtins__'", 2),
    ("breakpoint()", "NameError", "name 'breakpoint' is not defined", 2),
    # type() and object are gradsh's own: a view of the class, and an inert base class
    ("type(x).__mro__[-1].__subclasses__()", "AttributeError",
     "'__subclasses__' is not accessible", 2),
    ("type('').__mro__[0](['a' * 10 ** 7] * 11)", "LimitError", "str() would make a string", 2),
    ("type(1).__mro__[0]('f' * 300000, 16)", "LimitError", "int() would make an integer", 2),
    ("type(()).__mro__[0](range(10 ** 9))", "LimitError", "tuple() of 1000000000 items", 2),
    ("type('')(['a' * 10 ** 7] * 11)", "LimitError", "str() would make a string", 2),
    ("type(x).__subclasses__()", "AttributeError", "'__subclasses__' is not accessible", 2),
    # (type(name, bases, namespace) makes a class since branch lang21: a class statement's bases)
    ("type(type(1))('X', (str,), {})", "TypeError", "cannot inherit from 'str' in gradsh", 2),
    ("type(type(x))('X', (), {})", "TypeError", "cannot create 'torch._C._TensorMeta'", 2),
    ("type(torch.Tensor)('X', (), {})", "TypeError", "cannot create 'torch._C._TensorMeta'", 2),
    ("type(len)(1)", "TypeError", "cannot create 'builtin_function_or_method' instances", 2),
    ("type(lambda: 0).__globals__", "AttributeError", "'__globals__' is not accessible", 2),
    ("object.__subclasses__()", "AttributeError", "'__subclasses__' is not accessible", 2),
    ("getattr(object().__class__, '__subclasses__')", "AttributeError", "is not accessible", 2),
    ("vars(x)", "TypeError", "vars() argument must have __dict__ attribute", 2),
    ("compile('1', 'f', 'eval')", "NameError", "name 'compile' is not defined", 2),
    ("input()", "NameError", "name 'input' is not defined", 2),
    # imports beyond torch and math
    ("import os", "ImportError", "only torch (and its submodules", 2),
    ("import subprocess", "ImportError", "only torch (and its submodules", 2),
    ("from subprocess import run", "ImportError", "cannot import 'subprocess'", 2),
    ("import pandas as pd", "ImportError", "cannot import 'pandas'", 2),
    ("import torch.core", "ModuleNotFoundError", "torch.core is not available in gradsh", 2),
    ("import torch.lang", "ModuleNotFoundError", "torch.lang is not available in gradsh", 2),
    ("import torch.nothing_here", "ModuleNotFoundError", "No module named 'torch.nothing_here'", 2),
    ("from torch import from_file", "ImportError", "torch.from_file is not available", 2),
    # look-alike identifiers (Cyrillic "р", Greek "ο") never become names
    ("\u0440rint(1)", "SyntaxError", "found non-ASCII letter", 2),
    ("t\u03bfrch.ones(1)", "SyntaxError", "found non-ASCII letter", 2),
    # the torch namespace is not the gradsh package
    ("torch.core", "AttributeError", "torch.core is not available in gradsh", 2),
    ("torch.lang", "AttributeError", "torch.lang is not available in gradsh", 2),
    ("torch.from_file", "AttributeError", "torch.from_file is not available", 2),
    # torch.save/torch.load reach the run's in-memory files only, never the host's
    ("torch.load('f.pt')", "FileNotFoundError", "No such file or directory: 'f.pt'", 2),
    ("torch.load('/etc/passwd')", "FileNotFoundError", "No such file or directory: '/etc/passwd'",
     2),
    ("torch.serialization", "AttributeError", "gradsh programs cannot read or write files", 2),
    ("torch.np", "AttributeError", "module 'torch' has no attribute 'np'", 2),
    ("torch.get('ones')", "AttributeError", "module 'torch' has no attribute 'get'", 2),
    ("torch.ones = 1", "AttributeError", "the torch namespace is read-only", 2),
    ("math.pi = 3", "AttributeError", "the math namespace is read-only", 2),
    # numpy's own objects are never handed out: t.numpy() is the program's array, which offers
    # an allow-list (lang/runtime/numpymodule.py)
    ("x.numpy()", "RuntimeError", "Can't call numpy() on Tensor that requires grad", 2),
    ("x.detach().numpy().tofile('f')", "AttributeError",
     "'ndarray' object attribute 'tofile' is not available in gradsh", 2),
    # a storage is a read-only look (branch gaps15): no writing, resizing or raw memory
    ("x.untyped_storage().resize_(100)", "AttributeError", "has no attribute 'resize_'", 2),
    ("x.untyped_storage().copy_(x.untyped_storage())", "AttributeError",
     "has no attribute 'copy_'", 2),
    ("x.storage().fill_(1)", "AttributeError", "has no attribute 'fill_'", 2),
    ("x.untyped_storage()._root", "AttributeError", "'_root' is not accessible", 2),
    ("x.untyped_storage()[0] = 1", "TypeError", "does not support item assignment", 2),
    ("torch.UntypedStorage(10)", "AttributeError", "storages are not available", 2),
    ("torch.float32.np", "AttributeError", "numpy objects are not available", 2),
    ("torch.manual_seed(0).normal", "AttributeError", "object has no attribute 'normal'", 2),
    ("(x * 2).grad_fn.apply", "AttributeError", "'apply' is not available in gradsh", 2),
    # attributes of Python objects outside the per-type allowlists
    ("(i for i in range(3)).gi_frame", "AttributeError", "'gi_frame' is not available", 2),
    ("(lambda: 0).func_globals", "AttributeError", "has no attribute 'func_globals'", 2),
    # (str.encode is offered since branch lang19a; its bytes are within the string limit)
    ("('\\U0001F600' * 30_000_000).encode()", "LimitError", "str.encode() would make a string", 2),
    ("{}.keys().mapping", "AttributeError", "'mapping' is not available in gradsh", 2),
    ("print.name", "AttributeError", "has no attribute 'name'", 2),
    ("float.mro()", "AttributeError", "'mro' is not available in gradsh", 2),
    ("torch.Tensor.mro()", "AttributeError", "has no attribute 'mro'", 2),
    ("x.foo = 1", "AttributeError", "cannot assign attribute 'foo'", 2),
    ("x.is_leaf = False", "AttributeError", "attribute 'is_leaf' of 'torch._C.TensorBase' objects is not writable", 2),
    # (Python's own words since adv13c: an int holds no attributes of its own)
    ("(1).real = 2", "AttributeError", "attribute 'real' of 'int' objects is not writable", 2),
    # `del obj.name` is decided as `obj.name = ...` (del x.grad is allowed, as in PyTorch)
    ("del x.foo", "AttributeError", "cannot delete attribute 'foo' of a 'Tensor' object", 2),
    ("del x.shape", "AttributeError", "attribute 'shape' of 'torch._C.TensorBase' objects is not writable", 2),
    ("del x.data", "RuntimeError", "Deleting tensor data is not allowed", 2),
    ("del math.pi", "AttributeError", "the math namespace is read-only", 2),
    ("del (1).real", "AttributeError", "attribute 'real' of 'int' objects is not writable", 2),
    ("del x.__class__", "AttributeError", "'__class__' is not accessible", 2),
    ("del x._version", "AttributeError", "'_version' is not accessible", 2),
    # values handed out are gradsh values, never the host's objects behind them
    ("getattr(x.tolist().__class__, '__dict__')", "AttributeError", "'__dict__' is not accessible", 2),
    ("torch.Tensor.tolist.__globals__", "AttributeError", "'__globals__' is not accessible", 2),
    ("help.__wrapped__", "AttributeError", "'__wrapped__' is not accessible", 2),
    ("(lambda: 0).__code__", "AttributeError", "'__code__' is not accessible", 2),
    ("getattr((x * 2).grad_fn.next_functions[0][0].__class__, '__dict__')", "AttributeError",
     "is not accessible", 2),
    ("[f for f in [print]][0].__self__", "AttributeError", "'__self__' is not accessible", 2),
    ("f'{0:{x.__class__}}'", "ValueError", "Invalid format specifier", 2),
    ("math.__loader__", "AttributeError", "'__loader__' is not accessible", 2),
    ("torch.nn.functional.np", "AttributeError", "has no attribute 'np'", 2),
    ("x.data.numpy().ctypes", "AttributeError", "attribute 'ctypes' is not available", 2),
    ("'%(a)s' % {'a': x.__dict__}", "AttributeError", "'__dict__' is not accessible", 2),
    # the builtin types' unbound methods and the new modules offer what their values do
    # (str.isprintable is offered since adv13c, as its values offer it)
    ("type(x for x in []).gi_code", "AttributeError",
     "type object 'generator' attribute 'gi_code' is not", 2),
    ("getattr(frozenset().__class__, 'mro')", "AttributeError", "'mro' is not available", 2),
    ("frozenset.add", "AttributeError", "type object 'frozenset' has no attribute 'add'", 2),
    ("import collections\ncollections.namedtuple('P', 'x').__new__", "AttributeError",
     "'__new__' is not accessible", 3),
    ("import collections\ncollections.namedtuple('P', 'x')._make.__func__", "AttributeError",
     "'__func__' is not accessible", 3),
    ("import collections\ngetattr(collections.namedtuple('P', 'x')(1).__class__, '__new__')",
     "AttributeError", "'__new__' is not accessible", 3),
    ("import collections\ncollections.namedtuple('P', 'x', module=torch)", "TypeError",
     "module must be a str", 3),
    ("import dataclasses\ndataclasses.dataclass(torch.nn.Linear)", "TypeError",
     "applies to the program's own classes", 3),
    ("import dataclasses\n@dataclasses.dataclass\nclass A:\n    x: int\nA.__dataclass_fields__",
     "AttributeError", "'__dataclass_fields__' is not accessible", 6),
    ("import dataclasses\ndataclasses.make_dataclass", "AttributeError",
     "has no attribute 'make_dataclass'", 3),
    ("set.mro()", "AttributeError", "type object 'set' attribute 'mro' is not available", 2),
    ("list.nope", "AttributeError", "type object 'list' has no attribute 'nope'", 2),
    ("str.lower.cls", "AttributeError", "'cls' is not available", 2),
    ("str.format('{0.__class__.__base__.__subclasses__}', 1)", "AttributeError",
     "'__subclasses__' is not accessible", 2),
    ("import copy\ncopy.deepcopy(x, {})", "TypeError", "memo) is not supported", 3),
    ("import copy\ncopy.deepcopy(torch)", "TypeError", "cannot pickle 'module' object", 3),
    ("import collections\ngetattr(collections.deque([1]).__class__, '__dict__')", "AttributeError",
     "is not accessible", 3),
    ("import collections\ncollections.defaultdict(torch.zeros).default_factory", "AttributeError",
     "default_factory is not available", 3),
    # output goes where the session says
    ("print('x', file=None)\nprint('y', file=1)", "TypeError", "print(file=...) is not supported", 3),
]


SECONDS = 5  # the CPU-time bound of every case (other processes do not count): refusals are immediate


@pytest.mark.parametrize("program, kind, fragment, line", HOSTILE, ids=[h[0][:40] for h in HOSTILE])
def test_hostile_program_fails_with_a_gradsh_error(program, kind, fragment, line):
    start = time.process_time()
    error, _ = run_error(PRE + program + "\n")
    assert time.process_time() - start < SECONDS
    assert not isinstance(error, InternalError), error.render()
    assert error.kind == kind, error.render()
    assert fragment in error.message, error.render()
    assert error.line == line


def test_a_programs_getattr_is_never_asked_for_special_names():
    """Python's machinery (copy.deepcopy's `__deepcopy__`, a display's `_repr_html_`) asks
    objects for special names; a program's __getattr__ answering would have its answer called
    with the machinery's internals (deepcopy's memo). The program is asked only for its names."""
    out = run_program(
        "import copy\nclass A:\n    def __init__(self):\n        self.v = [1]\n"
        "    def __getattr__(self, name):\n        print('asked', name)\n"
        "        return lambda *a: a\n"
        "a = A()\nb = copy.deepcopy(a)\nprint(b.v, b.v is a.v, a.foo(1), hasattr(a, 'bar'))\n")
    assert out == "[1] False asked foo\n(1,) asked bar\nTrue\n" or "asked __" not in out
    assert "asked __" not in out and "asked _" not in out
    assert "[1] False" in out


def test_hostile_dunder_program_does_not_run_at_all():
    error, printed = run_error("print('ran')\ny = ().__globals__\n")
    assert printed == ""
    assert error.kind == "AttributeError"


def test_forbidden_builtin_name_error_has_a_hint():
    error, _ = run_error("memoryview(1)\n")
    assert error.hint == "'memoryview' is a Python builtin that gradsh programs do not have"


def test_getattr_and_setattr_read_and_write_what_the_written_attribute_may():
    out = run_program(
        "class M(torch.nn.Module):\n    def __init__(self):\n        super().__init__()\n"
        "        setattr(self, 'fc', torch.nn.Linear(2, 1))\n"
        "m = M()\nopt = getattr(torch.optim, 'SGD')(m.parameters(), lr=0.5)\n"
        "print(type(getattr(m, 'fc')).__name__, len(list(m.parameters())), opt.defaults['lr'], "
        "getattr(m, 'nope', 7), getattr(x := torch.ones(1), 'grad'), getattr(1, 'real'))\n")
    assert out == "Linear 2 0.5 7 None 1\n"


def test_an_exceptions_chain_is_readable():
    out = run_program("class E(Exception):\n    pass\ntry:\n    try:\n        1 / 0\n"
                      "    except ZeroDivisionError as z:\n        raise E('x') from z\n"
                      "except E as e:\n    print(type(e.__cause__).__name__, e.__cause__, "
                      "e.__context__ is e.__cause__, e.__cause__.__cause__)\n")
    assert out == "ZeroDivisionError division by zero True None\n"


def test_a_class_body_may_assign_its_special_methods():
    out = run_program("class V:\n    def __init__(self, x):\n        self.x = x\n"
                      "    def __mul__(self, k):\n        return V(self.x * k)\n"
                      "    __rmul__ = __mul__\n    __hash__ = None\n"
                      "print((3 * V(2)).x, (V(2) * 4).x)\n")
    assert out == "6 8\n"
    error, _ = run_error("class V:\n    __dict__ = 1\n")
    assert error.kind == "SyntaxError"


def test_allowed_python_methods_work():
    assert run_program("print('a,b'.split(','), [3, 1].index(1), {'k': 2}.get('k'), (1, 2).count(2), "
                       "(5).bit_length(), (2.5).is_integer(), range(3).stop)\n") \
        == "['a', 'b'] 1 2 1 3 False 3\n"


def test_safe_str_format_still_formats():
    assert run_program("print('{} {:.3f} {name!r}'.format(1, 2.0, name='n'), '{1}{0}'.format(1, 2))\n") \
        == "1 2.000 'n' 21\n"


def test_torch_class_attributes_are_those_of_instances():
    assert run_program("x = torch.ones(2)\nprint(torch.Tensor.sum(x), isinstance(x, torch.Tensor))\n") \
        == "tensor(2.) True\n"


def test_pytorch_node_api_is_reachable():
    out = run_program(PRE + "y = (x * x).sum()\nacc = y.grad_fn.next_functions[0][0].next_functions[0][0]\n"
                      "print(y.grad_fn.name(), acc.name(), acc.variable is x, y.grad_fn.metadata)\n")
    assert out == "SumBackward0 torch::autograd::AccumulateGrad True {}\n"


def test_pytorchs_documented_underscore_names_are_readable():
    out = run_program(PRE + "y = x * x\nprint(y._version, y.grad_fn._saved_self is x, "
                      "y.grad_fn._raw_saved_other)\n")
    assert out.startswith("0 True <torch._C._autograd.SavedTensor object at 0x")


def test_hasattr_asks_the_gate():
    out = run_program(PRE + "print(hasattr(x, 'grad'), hasattr(x, '_data'), hasattr(x, 'numpy'), "
                      "hasattr(x, '_version'), hasattr(torch, '__builtins__'), hasattr(1, 'real'))\n")
    assert out == "True False True True False True\n"


def test_an_attribute_refused_by_the_gate_is_pythons_attribute_error():
    out = run_program("try:\n    None.zero_()\nexcept AttributeError as e:\n"
                      "    print(type(e).__name__, type(e) == AttributeError, e)\n")
    assert out == "AttributeError True 'NoneType' object has no attribute 'zero_'\n"


def test_a_classs_mro_shows_its_classes_as_type_does():
    # issue 16: PyTorch programs read __mro__; object is there but offers nothing, and Python's
    # classes are views whose calls are the checked builtins
    out = run_program("class A(torch.nn.Module):\n    pass\nm = A.__mro__\n"
                      "print(m, m[0] is A, m[-1] is object, type(1).__mro__)\n"
                      "print(hasattr(m[-1], '__subclasses__'), type('').__mro__[0](3))\n")
    assert out == ("(<class '__main__.A'>, <class 'torch.nn.modules.module.Module'>, "
                   "<class 'object'>) True True (<class 'int'>, <class 'object'>)\nFalse 3\n")


def test_a_tensors_special_methods_are_callable_by_name():
    # `w.__setitem__(i, v)` is `w[i] = v` (PyTorch code writes it); the bound method offers
    # nothing further
    out = run_program("w = torch.zeros(3)\nw.__setitem__(0, 5.0)\n"
                      "print(w, w.__getitem__(0), w.__len__(), w.__mul__(2))\n")
    assert out == "tensor([5., 0., 0.]) tensor(5.) 3 tensor([10.,  0.,  0.])\n"


def test_type_of_a_tensor_is_torch_tensor():
    out = run_program(PRE + "print(type(x) is torch.Tensor, type(x), torch.Tensor, type(torch.Tensor))\n")
    assert out == ("True <class 'torch.Tensor'> <class 'torch.Tensor'> "
                   "<class 'torch._C._TensorMeta'>\n")


def test_markup_in_strings_is_printed_verbatim():
    assert run_program("print('[bold red]not markup[/] \\x1b[31m')\n") == "[bold red]not markup[/] \x1b[31m\n"


def test_program_cannot_reach_helpers_by_name():
    # the helpers are named ".ga", ".sa"...: not identifiers, so no program can write them
    error, _ = run_error("x = 1\nx.ga\n")
    assert error.kind == "AttributeError"


def test_shadowing_a_builtin_only_affects_the_program():
    assert run_program("print = len\nx = print([1, 2])\ndel print\nprint(x)\n") == "2\n"


@pytest.mark.parametrize("program", [
    "torch.ones(2).numpy().base", "torch.ones(2).__array__", "torch.ones(2).__array_interface__",
    "torch.ones(2).numpy().__array__", "torch.ones(2).numpy().view()",
    "torch.Tensor.numpy(torch.ones(2))",
])
def test_no_path_from_a_tensor_to_numpy(program):
    with pytest.raises(GradshError) as info:
        run_program(program + "\n")
    assert info.value.kind == "AttributeError"


def test_torch_version_is_the_pytorch_release_gradsh_follows():
    out = run_program("import torch\nprint(torch.__version__, torch.__version__ >= '2')\n"
                      "try:\n    torch.nn.__version__\nexcept AttributeError as e:\n"
                      "    print(e)\n")
    major, minor = out.split()[0].split("+")[0].split(".")[:2]
    assert (int(major), int(minor)) >= (2, 13) and out.split()[1] == "True"
    assert out.split("\n")[1] == "module 'torch.nn' has no attribute '__version__'"
    with pytest.raises(GradshError, match="'__version__' is not accessible"):
        run_program("class A:\n    pass\nprint(A().__version__)\n")
    with pytest.raises(GradshError, match="not accessible"):
        run_program("import torch\ntorch.__version__ = '3'\n")


def test_a_module_is_of_pythons_class_module():
    """type(torch) is <class 'module'> as in Python, and messages name it as Python does."""
    program = ("import torch\nimport math\nimport torch.nn as nn\n"
               "print(type(torch), type(nn), type(math).__name__)\n"
               "for call in (lambda: torch(), lambda: len(math)):\n"
               "    try:\n        call()\n    except TypeError as e:\n        print(e)\n")
    expected = ["<class 'module'> <class 'module'> module",
                "'module' object is not callable", "object of type 'module' has no len()"]
    assert run_program(program).splitlines() == expected
