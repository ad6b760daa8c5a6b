"""Branch adv4d (issue 15's adversarial Python-language programs): each class of difference the
programs found, checked against what CPython itself prints for the same pure-Python source, and
the sandbox's side of each new door (function attributes, operator, chain.from_iterable,
random.Random)."""

import pytest

from gradsh.lang import GradshError

from .helpers import run_error, run_program, run_python

SAME_AS_PYTHON = {
    # f"{x = }": the spaces around '=' are kept in the text, before a spec or a conversion too
    "fstring_self_documenting_with_spaces": (
        "x = 1.5\nname = 'w'\n"
        "print(f'{x = :.2f}|{x =}|{x= !s}|{ x = }|{x=:>6}|{name = !r:>6}|{x*2 = }')"),
    # positional-only parameters, with defaults, in defs and lambdas, and their errors
    "positional_only_parameters": (
        "def f(a, b=1, /, c=2, *, d): return a, b, c, d\n"
        "print(f(1, d=0), f(1, 2, 3, d=4), f(1, c=5, d=6))\n"
        "g = lambda x, /, y=3: (x, y)\nprint(g(1), g(2, y=5))\n"
        "def h(a, /, **kw): return a, kw\nprint(h(1, a=2))\n"
        "for call in [lambda: f(a=1, d=2), lambda: g(x=1), lambda: f(1, 2, 3, 4, d=1)]:\n"
        "    try:\n        call()\n    except TypeError as e:\n        print(e)"),
    # a program's own functions: attributes it sets, and the data decorators read
    "function_attributes_and_data": (
        "import functools\n"
        "def counted(fn):\n"
        "    @functools.wraps(fn)\n"
        "    def wrapper(*a, **k):\n"
        "        wrapper.calls += 1\n"
        "        return fn(*a, **k)\n"
        "    wrapper.calls = 0\n"
        "    return wrapper\n"
        "@counted\n"
        "def area(w, h=2, *, unit='m'):\n"
        "    'The area.'\n"
        "    return w * h\n"
        "area(3); area(4, 5)\n"
        "print(area.calls, area.__name__, area.__doc__, area.__wrapped__.__name__,\n"
        "      area.__wrapped__.__defaults__, area.__wrapped__.__kwdefaults__, area.__qualname__)\n"
        "lam = lambda x, y=5, *, z=1: x\n"
        "lam.tag = 't'\n"
        "print(lam.__defaults__, lam.__kwdefaults__, lam.__doc__, lam.__qualname__, lam.tag)\n"
        "def outer():\n    def inner(): pass\n    return inner\n"
        "f = outer()\nprint(f.__qualname__, f.__module__, hasattr(f, 'calls'), getattr(f, 'x', 0))\n"
        "setattr(f, 'x', [1])\nprint(f.x)\ndel f.x\n"
        "for bad in [lambda: f.x, lambda: lam.__wrapped__, lambda: f.__wrapped__]:\n"
        "    try:\n        bad()\n    except AttributeError as e:\n        print(e)\n"
        "class C:\n    def m(self):\n        'doc of m'\n"
        "print(C.m.__doc__, C().m.__doc__, C.m.__qualname__)"),
    # comprehensions run as generators fed to a limit-checking helper: a StopIteration raised
    # in one leaves it as Python's comprehension lets it, not as PEP 479's RuntimeError
    "stop_iteration_leaves_comprehensions": (
        "def bad():\n    yield 1\n    raise StopIteration\n"
        "def probe(label, f):\n    try:\n        print(label, f())\n"
        "    except Exception as e:\n"
        "        print(label, repr(e), type(e.__context__).__name__, type(e.__cause__).__name__)\n"
        "it = iter([1])\nprobe('list', lambda: [next(it) for _ in range(3)])\n"
        "it = iter([1])\nprobe('set', lambda: {next(it) for _ in range(3)})\n"
        "it = iter([1])\nprobe('dict', lambda: {i: next(it) for i in range(3)})\n"
        "probe('inner generator', lambda: [x for x in bad()])\n"
        "probe('generator expression', lambda: list(next(iter([])) for _ in range(2)))\n"
        "probe('nested', lambda: [[next(iter([])) for _ in range(1)] for _ in range(2)])\n"
        "probe('condition', lambda: [x for x in range(3) if next(iter([]))])"),
    # the name an except clause binds is deleted after it; `e` is not torch.e then
    "except_name_is_deleted_after_the_block": (
        "try:\n    1 / 0\nexcept ZeroDivisionError as e:\n    print(e)\n"
        "try:\n    print(e)\nexcept NameError as err:\n    print(err)"),
    "dict_items_views_compare_as_sets": (
        "a = {'a': 1}\nb = {'a': 1, 'b': 2}\n"
        "print(a.items() <= b.items(), a.items() < b.items(), b.items() >= a.items(), "
        "a.items() > b.items(), a.items() <= {('a', 1)}, {('a', 1), 3} >= a.items())\n"
        "try:\n    a.items() < 3\nexcept TypeError as e:\n    print(e)"),
    "program_class_doc_qualname_module": (
        "class A:\n    'Doc A.'\n    def __init__(self):\n        self.v = 1\n"
        "class N(A):\n    pass\n"
        "print(A.__doc__, A().__doc__, A.__qualname__, A.__module__, N.__doc__, N().__module__,"
        " type(A()).__doc__)\n"
        "try:\n    A().__qualname__\nexcept AttributeError as e:\n    print(e)"),
    "isinstance_nested_class_tuples": (
        "print(isinstance(1, (str, (float, int))), isinstance('s', ()), "
        "issubclass(bool, ((str,), (list, int))), isinstance(1.5, ((((float,),),),)))"),
    "ordered_dict_popitem_last": (
        "from collections import OrderedDict\n"
        "d = OrderedDict(a=1, b=2, c=3)\nprint(d.popitem(last=False), d.popitem(), d)\n"
        "try:\n    {'a': 1}.popitem(last=False)\nexcept TypeError as e:\n    print(e)"),
    "slice_indices": (
        "print(slice(1, None, 2).indices(5), slice(-1, -10, -1).indices(6), "
        "slice(None).indices(3), slice(2, 100).indices(2 ** 70))\n"
        "try:\n    slice(None, None, 0).indices(3)\nexcept ValueError as e:\n    print(e)"),
    "float_class_methods": (
        "print(float.fromhex('0x1.8p1'), float.is_integer(2.0), float.hex(1.5), "
        "list(map(float.is_integer, [1.0, 1.5])), range.count(range(5), 3))"),
    "itertools_chain_from_iterable": (
        "import itertools\n"
        "print(list(itertools.chain.from_iterable([[1], (2, 3), 'ab', range(2)])))\n"
        "print(list(itertools.islice(itertools.chain.from_iterable([itertools.count()]), 3)))"),
    "functools_total_ordering": (
        "import functools\n"
        "@functools.total_ordering\nclass V:\n"
        "    def __init__(self, v): self.v = v\n"
        "    def __eq__(self, o): return self.v == o.v\n"
        "    def __lt__(self, o): return self.v < o.v\n"
        "    def __repr__(self): return 'V(%r)' % self.v\n"
        "a, b = V(1), V(2)\nprint(a <= b, a > b, b >= a, sorted([b, a]), max(a, b))"),
    "random_random_instances": (
        "import random\nr = random.Random(0)\n"
        "print(r.random(), r.randint(0, 100), r.choices('abc', k=3), r.sample(range(9), 3))\n"
        "print(random.Random(0).random() == random.Random(0).random(), "
        "isinstance(r, random.Random), type(r).__name__)"),
    "exception_args_assignment": (
        "e = ValueError('x')\ne.args = ('changed', 1)\nprint(e, repr(e), e.args)\n"
        "e.args = [3]\nprint(e.args)"),
    # builtins' argument errors name the builtin as Python's do (the invalid-keyword ones in
    # Python's words; the arity ones by the builtin's name, in the words of a Python function)
    "builtin_argument_errors": (
        "calls = [lambda: print('x', badkw=1), lambda: sorted([2, 1], reversed=True),\n"
        "         lambda: [2, 1].sort(reversed=True), lambda: max([1], keys=len),\n"
        "         lambda: min(1, 2, default=0), lambda: isinstance(1),\n"
        "         lambda: getattr(1), lambda: hasattr(1)]\n"
        "for c in calls:\n    try:\n        c()\n    except TypeError as e:\n"
        "        print(str(e).split(' ')[0].replace('()', ''))"),
    "string_module": (
        "import string\n"
        "print(string.ascii_lowercase, string.digits, string.punctuation, len(string.printable),"
        " repr(string.whitespace), string.capwords('hello  grad world'), "
        "string.capwords('a-b c', '-'))"),
    "operator_module": (
        "import operator, functools\n"
        "pairs = [('b', 2), ('a', 3), ('c', 1)]\n"
        "print(sorted(pairs, key=operator.itemgetter(1)), operator.itemgetter(0, 1)('xyz'))\n"
        "print(functools.reduce(operator.mul, [1, 2, 3, 4]), list(map(operator.add, [1, 2], [10, 20])))\n"
        "print(operator.truediv(1, 4), operator.floordiv(-7, 2), operator.mod('%d', 3), "
        "operator.eq(1, 1.0), operator.contains([1, 2], 2), operator.getitem({'a': 1}, 'a'))\n"
        "print(operator.methodcaller('split', ',')('a,b'), operator.attrgetter('real', 'imag')(1+2j),"
        " operator.concat([1], [2]), operator.not_(0), operator.pow(2, 10), operator.neg(3))\n"
        "xs = [1, 2, 3]\noperator.setitem(xs, slice(0, 1), [9, 9])\noperator.delitem(xs, 0)\n"
        "print(xs, operator.add, operator.lt(1, 2), operator.is_(None, None))\n"
        "try:\n    operator.concat(1, 2)\nexcept TypeError as e:\n    print(e)"),
}


@pytest.mark.parametrize("name", sorted(SAME_AS_PYTHON))
def test_prints_what_python_prints(name):
    source = SAME_AS_PYTHON[name]
    assert run_program(source) == run_python(source)


def test_a_program_module_class_gives_its_own_doc_and_module():
    source = ("class M(torch.nn.Module):\n    'Doc M.'\nclass N(M):\n    pass\n"
              "print(M().__doc__, M.__module__, N.__doc__, N.__qualname__)")
    assert run_program(source) == "Doc M. __main__ None N\n"


@pytest.mark.parametrize("source, message", [
    ("def f(/): pass", "invalid syntax"),
    ("def f(a, /, /): pass", "/ may appear only once"),
    ("def f(*, a, /): pass", "/ must be ahead of *"),
    ("def f(a=1, /, b): pass", "non-default argument follows default argument"),
    ("lambda a, /, /: 0", "/ may appear only once"),
])
def test_positional_only_syntax_errors_are_pythons(source, message):
    with pytest.raises(GradshError) as info:
        run_program(source)
    assert info.value.kind == "SyntaxError"
    assert info.value.message == message
    with pytest.raises(SyntaxError) as python:
        compile(source, "<python>", "exec")
    assert python.value.msg == message


# ------------------------------------------------------------------ the sandbox's side
def _attribute_error(source):
    error, _ = run_error(source)
    assert error.kind == "AttributeError", error.message
    return error.message


def test_a_lambdas_wrapped_function_is_not_handed_out():
    # the runtime's depth-counting wrapper keeps the compiled lambda: calling it directly
    # would recurse past the 1000-call limit
    assert "__wrapped__" in _attribute_error("f = lambda n: n\nf.__wrapped__")


def test_wraps_copies_of_a_torch_class_dict_are_not_handed_out():
    source = ("import functools\ndef g(): pass\nh = functools.wraps(torch.Tensor)(g)\n"
              "print(h.__wrapped__ is torch.Tensor, hasattr(h, 'set_'), hasattr(h, 'add'))\n"
              "h.set_")
    error, out = run_error(source)
    assert out == "True False False\n"
    assert error.kind == "AttributeError" and "set_" in error.message


def test_attributes_of_functions_not_the_programs_stay_refused():
    assert "__doc__" in _attribute_error("torch.relu.__doc__")
    assert "__doc__" in _attribute_error("torch.Tensor.__doc__")
    assert "__doc__" in _attribute_error("ValueError('x').__doc__")
    # (a class's __module__ is PyTorch's since branch lang19b: test_lang19b_class_machinery)
    assert "__module__" in _attribute_error("torch.relu.__module__")
    assert "cannot assign" in _attribute_error("torch.relu.calls = 1")
    assert "cannot assign" in _attribute_error("print.x = 1")
    assert "__code__" in run_error("def f(): pass\nf.__code__")[0].message
    assert "__globals__" in run_error("def f(): pass\nf.__globals__")[0].message


def test_operator_attrgetter_and_methodcaller_go_through_the_gate():
    assert "_data" in _attribute_error(
        "import operator\noperator.attrgetter('_data')(torch.ones(1))")
    assert "_saved" in _attribute_error(
        "import operator\noperator.methodcaller('_saved_foo')(torch.ones(1))")


@pytest.mark.parametrize("source", [
    "import operator\noperator.mul('a', 10 ** 12)",
    "import operator\noperator.pow(2, 10 ** 10)",
    "import operator\noperator.setitem([], slice(0, 0), range(10 ** 9))",
    "import random\nrandom.Random(0).choices([1], k=10 ** 9)",
])
def test_operator_and_random_instances_keep_the_limits(source):
    error, _ = run_error(source)
    assert error.kind == "LimitError", error.message


def test_chain_from_iterable_counts_its_nesting():
    source = ("import itertools\nit = iter([1])\nfor i in range(2000):\n"
              "    it = itertools.chain.from_iterable([it])\nprint(list(it))")
    error, _ = run_error(source)
    assert error.kind == "LimitError" and "nested" in error.message


def test_random_instances_offer_no_private_names_and_cannot_be_subclassed():
    assert "_randbelow" in _attribute_error("import random\nrandom.Random(0)._randbelow(3)")
    error, _ = run_error("import random\nclass R(random.Random):\n    pass")
    assert error.kind == "TypeError"


@pytest.mark.parametrize("call", ["isinstance(1)", "getattr(1)", "hash()", "format()", "dir(1, 2)",
                                  "help(1, 2)", "'a'.join()", "[].extend()", "{}.update(1, 2)",
                                  "sorted()", "repr()"])
def test_builtin_argument_errors_never_name_gradsh_internals(call):
    error, _ = run_error(call)
    assert error.kind == "TypeError"
    assert "<locals>" not in error.message and not error.message.startswith("_"), error.message
