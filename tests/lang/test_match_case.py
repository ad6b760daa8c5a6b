"""match/case (PEP 634) in .grad programs: pure-Python programs print what Python prints for them,
the compile-time errors are Python's, `match` and `case` stay names, and the patterns read
through the sandbox's gate."""

import pytest

from gradsh.lang.runtime.limits import LimitError

from .helpers import run_error, run_program, run_python

PROGRAMS = {
    "literals_captures_wildcard_and_guards": (
        "def f(v):\n"
        "    match v:\n"
        "        case 0 | 0.5:\n            return 'zero or half'\n"
        "        case -1:\n            return 'minus one'\n"
        "        case 1+2j:\n            return 'complex'\n"
        "        case -3-1j:\n            return 'negative complex'\n"
        "        case 'a' 'b':\n            return 'ab'\n"
        "        case None:\n            return 'none'\n"
        "        case True:\n            return 'true'\n"
        "        case n if n > 100:\n            return 'big %d' % n\n"
        "        case _:\n            return 'other'\n"
        "print([f(v) for v in [0, 0.5, 0.0, -1, 1+2j, -3-1j, 'ab', None, True, 1, 101, 5]])"),
    "sequences_stars_and_nesting": (
        "def f(v):\n"
        "    match v:\n"
        "        case []:\n            return 'empty'\n"
        "        case [x]:\n            return ('one', x)\n"
        "        case [1, *rest]:\n            return ('starts 1', rest)\n"
        "        case (a, [b, *_], *mid, c):\n            return ('nested', a, b, mid, c)\n"
        "        case [*_, (x, y)]:\n            return ('ends pair', x, y)\n"
        "        case 'ab':\n            return 'a string is no sequence'\n"
        "    return 'none'\n"
        "for v in [[], (), [5], (1, 2, 3), [0, [9, 8], 2, 3, 4], range(2, 4), [7, (1, 2)], 'ab', 'a',"
        " {1: 2}, iter([1])]:\n"
        "    print(f(v))"),
    "mappings_and_rest": (
        "def f(v):\n"
        "    match v:\n"
        "        case {'lr': float(lr), **rest}:\n            return ('lr', lr, rest)\n"
        "        case {'a': 1, 'b': [x, y]}:\n            return ('ab', x, y)\n"
        "        case {}:\n            return 'any mapping'\n"
        "    return 'no'\n"
        "print(f({'lr': 0.1, 'm': 2}), f({'lr': 1}), f({'a': 1, 'b': [3, 4], 'c': 0}), f({}),"
        " f([1]), f({'a': 2}))"),
    "class_patterns_match_args_keywords_builtins": (
        "class Point:\n"
        "    __match_args__ = ('x', 'y')\n"
        "    def __init__(self, x, y):\n        self.x, self.y = x, y\n"
        "class P3(Point):\n"
        "    def __init__(self, x, y, z):\n        super().__init__(x, y)\n        self.z = z\n"
        "def f(v):\n"
        "    match v:\n"
        "        case P3(0, 0, z=z):\n            return 'axis z %s' % z\n"
        "        case Point(0, y=0):\n            return 'origin'\n"
        "        case Point(x, 0) if x > 0:\n            return 'positive x %s' % x\n"
        "        case Point(x=x, y=y) as p:\n            return 'point %s %s %s' % (x, y, type(p).__name__)\n"
        "        case int(n) | float(n):\n            return 'number %s' % n\n"
        "        case str() as s:\n            return 'str ' + s\n"
        "        case list([a, b]):\n            return 'pair list %s %s' % (a, b)\n"
        "        case bool():\n            return 'unreachable: bool is an int'\n"
        "        case Point(nope=1):\n            return 'no'\n"
        "    return 'nothing'\n"
        "for v in [P3(0, 0, 5), Point(0, 0), Point(2, 0), Point(-1, 0), Point(1, 2), 3, 2.5, True,"
        " 's', [1, 2], [1, 2, 3], None]:\n"
        "    print(f(v))"),
    "or_as_and_bindings_only_on_success": (
        "x = 'unset'\n"
        "match (1, 2):\n"
        "    case (x, 3):\n        print('no')\n"
        "    case ((1 | 2) as a, (2 | 3) as b) if a < b:\n        print('as', a, b)\n"
        "print(x)\n"
        "match [1, [2, 3]]:\n"
        "    case [a, [b, c]] | [a, b, c]:\n        print(a, b, c)\n"
        "y = 0\n"
        "match 5:\n"
        "    case y if y > 9:\n        pass\n"
        "    case _:\n        print('guard failed, bound anyway:', y)"),
    "value_patterns_and_subject_tuples": (
        "class Color:\n    RED = 1\n    GREEN = 2\n"
        "def f(c):\n"
        "    match c:\n"
        "        case Color.RED:\n            return 'red'\n"
        "        case Color.GREEN:\n            return 'green'\n"
        "    return 'unknown'\n"
        "print(f(1), f(2), f(3))\n"
        "match 1, 2:\n"
        "    case a, b:\n        print('open sequence', a, b)\n"
        "match [3]:\n"
        "    case 3,:\n        print('one-item open sequence')\n"
        "def g(v):\n"
        "    for i in range(3):\n"
        "        match i:\n"
        "            case 1:\n                continue\n"
        "            case 2 if v:\n                break\n"
        "        print('loop', i)\n"
        "    else:\n        print('no break')\n"
        "g(True)\ng(False)"),
    "match_and_case_stay_names": (
        "match = 3\ncase = [match]\nprint(match, case)\n"
        "def match(x):\n    return x * 2\n"
        "print(match(4), match (5))\n"
        "class case:\n    match = 1\n"
        "print(case.match)\n"
        "case.match = 2; print(case.match)\n"
        "match: int = 7\nprint(match)\n"
        "match, case = 1, 2\nprint(match, case)\n"
        "match match:\n    case case:\n        print('nested names', case)"),
    "nested_match_statements": (
        "def f(a, b):\n"
        "    match a:\n"
        "        case [x, *_]:\n"
        "            match b:\n"
        "                case {'k': y}:\n                    return (x, y)\n"
        "                case _:\n                    return (x, None)\n"
        "        case _:\n            return None\n"
        "print(f([1], {'k': 2}), f([1], 0), f(0, 0))"),
    "class_pattern_errors": (
        "class A:\n    __match_args__ = ('x',)\n    x = 1\n"
        "class B:\n    __match_args__ = ['x']\n"
        "class C:\n    __match_args__ = (1,)\n"
        "for v, make in [(A(), lambda v: A(x, y)), (A(), lambda v: A(x, x=1)), (B(), lambda v: B(x)),"
        " (C(), lambda v: C(x)), (1, lambda v: int(x, y)), (1, lambda v: print())]:\n"
        "    pass\n"
        "def run(v, kind):\n"
        "    try:\n"
        "        match v:\n"
        "            case A(a, b) if kind == 0:\n                pass\n"
        "            case A(a, x=b) if kind == 1:\n                pass\n"
        "            case B(a):\n                pass\n"
        "            case C(a):\n                pass\n"
        "            case int(a, b):\n                pass\n"
        "    except TypeError as e:\n"
        "        print(type(e).__name__, e)\n"
        "run(A(), 0)\nrun(A(), 1)\nrun(B(), 0)\nrun(C(), 0)\nrun(5, 0)\n"
        "try:\n    match 1:\n        case len():\n            pass\n"
        "except TypeError as e:\n    print(e)"),
}


@pytest.mark.parametrize("name", sorted(PROGRAMS))
def test_match_program_prints_what_python_prints(name):
    source = PROGRAMS[name]
    assert run_program(source) == run_python(source)


# (program, Python's compile-time message)
SYNTAX_ERRORS = [
    "match x:\n    case a:\n        pass\n    case 1:\n        pass",
    "match x:\n    case _:\n        pass\n    case 1:\n        pass",
    "match x:\n    case [a, a]:\n        pass",
    "match x:\n    case a | [b]:\n        pass",
    "match x:\n    case [1] | [b]:\n        pass",
    "match x:\n    case C(x=1, x=2):\n        pass",
    "match x:\n    case {1: a, 1: b}:\n        pass",
    "match x:\n    case [*a, *b]:\n        pass",
    "match x:\n    case f'x':\n        pass",
    "match x:\n    case 1 + 1:\n        pass",
    "match x:\n    case 1 as _:\n        pass",
    "match x:\n    case _ | 1:\n        pass",
]


def _python_message(source):
    with pytest.raises(SyntaxError) as info:
        compile(source, "<python>", "exec")
    return info.value.msg


@pytest.mark.parametrize("source", SYNTAX_ERRORS)
def test_pattern_errors_are_pythons_syntax_errors(source):
    error, _ = run_error(source)
    assert error.kind == "SyntaxError", error.render()
    assert error.message == _python_message(source), error.render()


def test_invalid_pattern_shapes_are_located_syntax_errors():
    for source in ["match x:\n    case *a:\n        pass", "match x:\n    case {**_}:\n        pass",
                   "match x:\n    case {a: 1}:\n        pass",
                   "match x:\n    case [1] as x.y:\n        pass",
                   "match x:\n    case 1: pass\n", "match x:\n    pass\n"]:
        error, _ = run_error(source)
        assert error.kind == "SyntaxError" and error.line == 2, (source, error.render())


def test_a_class_pattern_reads_attributes_through_the_gate():
    # a keyword pattern naming a refused attribute is refused before the program runs, as
    # `x.__dict__` in code is; __match_args__ naming one is refused when it is read
    error, _ = run_error("match 1:\n    case int(__dict__=d):\n        pass")
    assert error.kind == "AttributeError" and "'__dict__' is not accessible" in error.message
    error, _ = run_error("class A:\n    __match_args__ = ('__weakref__',)\n"
                         "match A():\n    case A(d):\n        print(d)")
    assert error.kind == "AttributeError" and "'__weakref__' is not accessible" in error.message
    error, _ = run_error("import torch\nclass A:\n    __match_args__ = ('_data',)\n"
                         "class B(A, torch.Tensor):\n    pass\n"
                         "match torch.ones(1):\n    case torch.Tensor(_data=d):\n        print(d)")
    assert error.kind == "AttributeError" and "'_data' is not accessible" in error.message
    # the program's own private names are its own
    assert run_program("class A:\n    __match_args__ = ('_v',)\n    _v = 3\n"
                       "match A():\n    case A(v):\n        print(v)") == "3\n"
    # missing attributes make the pattern fail, as in Python
    assert run_program("import torch\nmatch torch.ones(2):\n"
                       "    case torch.Tensor(nope=1):\n        print('no')\n"
                       "    case torch.Tensor(shape=(n,), dtype=torch.float32):\n"
                       "        print('vector', n)") == "vector 2\n"


def test_hostile_patterns_stay_within_the_limits():
    # a long sequence read by a starred pattern is read within the item limit
    error, _ = run_error("match range(10 ** 9):\n    case [first, *rest]:\n        print(first)")
    assert error.kind == "LimitError", error.render()
    # without a star only the length is asked
    assert run_program("match range(10 ** 9):\n    case [a, b]:\n        print('no')\n"
                       "    case _:\n        print('len only')") == "len only\n"
    # patterns nested as deep as brackets go compile and run
    deep = "[" * 150 + "x" + "]" * 150
    value = "[" * 150 + "7" + "]" * 150
    assert run_program("match %s:\n    case %s:\n        print(x)" % (value, deep)) == "7\n"
    # many alternatives and many cases compile within the token budget
    alts = " | ".join(str(i) for i in range(2000))
    assert run_program("match 1999:\n    case %s:\n        print('found')" % alts) == "found\n"
    cases = "".join("    case %d:\n        print(%d)\n" % (i, i) for i in range(1000))
    assert run_program("match 999:\n" + cases) == "999\n"
    # a recursive pattern match over a self-containing list ends at the recursion limit
    error, _ = run_error("a = []\na.append(a)\ndef f(v):\n    match v:\n"
                         "        case [inner]:\n            return f(inner)\nf(a)")
    assert error.kind == "RecursionError", error.render()


def test_limit_errors_inside_a_match_are_not_patterns():
    assert issubclass(LimitError, Exception)
    error, _ = run_error("match 'a' * 10 ** 10:\n    case _:\n        pass")
    assert error.kind == "LimitError"


TORCH_PROGRAM = """import dataclasses
import torch
@dataclasses.dataclass
class Cfg:
    lr: float
    steps: int = 10
for c in [Cfg(0.1), Cfg(1.0, 3), 5]:
    match c:
        case Cfg(lr, steps=10):
            print("default steps", lr)
        case Cfg(lr, s):
            print("custom", lr, s)
        case _:
            print("not a config")
match torch.max(torch.tensor([[1., 5.], [7., 2.]]), dim=1):
    case (values, indices):
        print(values, indices)
match torch.ones(2, 3).shape:
    case torch.Size([a, b]):
        print("size", a, b)
match torch.nn.Linear(2, 3):
    case torch.nn.Linear(in_features=i, out_features=o, bias=torch.Tensor(shape=(n,))):
        print(i, o, n)
for v in [torch.float64, torch.ones(3, requires_grad=True), torch.tensor(2), [torch.tensor(1.)]]:
    match v:
        case torch.float32 | torch.float64 as dt:
            print("dtype", dt)
        case torch.Tensor(requires_grad=True, shape=torch.Size([n])):
            print("trainable vector", n)
        case torch.Tensor(ndim=0) as t if t.item() > 1:
            print("scalar", t)
        case [torch.Tensor() as first]:
            print("one tensor", first)
"""


def test_torch_values_match_as_under_pytorch():
    pytest.importorskip("torch", reason="PyTorch is the oracle of this test")
    assert run_program(TORCH_PROGRAM) == run_python(TORCH_PROGRAM)
