"""Branch adv9e (adversarial Python-language programs, round 9): each class of difference the
programs found, checked against what CPython itself prints for the same pure-Python source,
and the sandbox's side of each new door (operator's and functools's additions, `list[int]`,
`{}.fromkeys`)."""

import pytest

from gradsh.lang import GradshError

from .helpers import run_error, run_program, run_python

SAME_AS_PYTHON = {
    # operator: the functions Python 3.11 has that gradsh lacked, and Python's printed getters
    "operator_functions": (
        "import operator as op\n"
        "print(op.countOf([1, 2, 1, 1.0], 1), op.indexOf((3, 4), 4), op.call(max, 1, 5),\n"
        "      op.length_hint([1, 2]), op.ipow(2, 10), op.imod(7, 3), op.ilshift(1, 3),\n"
        "      op.iand(6, 3), op.ior({1}, {2}), op.ixor(6, 3), op.irshift(16, 2))\n"
        "l = [1]\nprint(op.iconcat(l, [2]) is l, l)\n"
        "print(op.attrgetter('real'), op.attrgetter('a', 'b.c'), op.methodcaller('f'),\n"
        "      op.methodcaller('split', ',', maxsplit=1), type(op.attrgetter('a')).__name__)\n"
        "print(op.attrgetter('real', 'imag')(3 + 4j), op.methodcaller('split', ',', 1)('a,b,c'))\n"
        "for bad in [lambda: op.indexOf([1], 2), lambda: op.iconcat(1, [2]),\n"
        "            lambda: op.attrgetter(1), lambda: op.methodcaller(2)]:\n"
        "    try:\n        bad()\n    except (TypeError, ValueError) as e:\n"
        "        print(type(e).__name__, e)"),
    # functools: cmp_to_key and partialmethod (Python's), singledispatch with classes named
    "functools_additions": (
        "from functools import cmp_to_key, partialmethod, singledispatch\n"
        "print(sorted(['bb', 'a', 'ccc', 'dd'], key=cmp_to_key(lambda x, y: len(y) - len(x))))\n"
        "class Layer:\n"
        "    def set_mode(self, mode, verbose=False):\n"
        "        self.mode = mode\n        return (mode, verbose)\n"
        "    train = partialmethod(set_mode, 'train')\n"
        "    eval = partialmethod(set_mode, 'eval', verbose=True)\n"
        "print(Layer().train(), Layer().eval(), Layer().train(verbose=True))\n"
        "@singledispatch\ndef show(x):\n    return 'object ' + type(x).__name__\n"
        "@show.register(int)\ndef _(x):\n    return 'int %d' % x\n"
        "@show.register(list)\n@show.register(tuple)\ndef _(x):\n"
        "    return 'seq ' + ', '.join(show(v) for v in x)\n"
        "def as_float(x):\n    return 'float %.1f' % x\n"
        "print(show.register(float, as_float) is as_float)\n"
        "print(show(3), show(True), show(2.5), show([1, (2.0, 'a')]), show(None))\n"
        "print(show.dispatch(bool) is show.dispatch(int), show.__name__,\n"
        "      sorted(c.__name__ for c in show.registry))\n"
        "for bad in [lambda: show(), lambda: show.register(3), lambda: show.register(as_float)]:\n"
        "    try:\n        bad()\n    except TypeError as e:\n"
        "        print(str(e).split(' at 0x')[0])"),
    # `*x` of a non-iterable: Python's own words for each place it is unpacked
    "star_of_a_non_iterable": (
        "def f(*a, **k):\n    return a\n"
        "for c in [lambda: [*5], lambda: (*None,), lambda: {*3.5}, lambda: print(*5),\n"
        "          lambda: f(*5), lambda: f(**[1]), lambda: max(*7),\n"
        "          lambda: '{}'.format(*1), lambda: f(*[1], *2)]:\n"
        "    try:\n        c()\n    except TypeError as e:\n        print(e)\n"
        "try:\n    a, *b = 5\nexcept TypeError as e:\n    print(e)\n"
        "print(f(*range(3), *'ab'), [*{1: 2}], (*iter([1, 2]),))"),
    # type aliases of Python's generic classes, and classes seen as instances of type
    "generic_aliases": (
        "class A:\n    pass\n"
        "print(list[int], dict[str, list[float]], tuple[int, ...], tuple[()], tuple[A, None],\n"
        "      type(list[int]).__name__, list[int] == list[int], set[int] == list[int])\n"
        "print(list[int]((1, 2)), dict[str, int](a=1), len({list[int], list[int]}))\n"
        "from typing import Generic, TypeVar, List, Optional\nT = TypeVar('T')\n"
        "class Box(Generic[T]):\n    pass\n"
        "print(Box[int].__name__, list[int].__name__, List[int].__name__, Optional[int].__name__)\n"
        "print(isinstance(int, type), isinstance(A, type), isinstance(type(3), type),\n"
        "      isinstance(3, type), isinstance(list, (int, type)))\n"
        "for bad in [lambda: int[3], lambda: list[int][int], lambda: isinstance([], list[int]),\n"
        "            lambda: A[1], lambda: isinstance([], list[[1]])]:\n"
        "    try:\n        bad()\n    except TypeError as e:\n        print(e)"),
    # a program class's __class_getitem__, and a class's first base
    "class_getitem_and_base": (
        "class Registry:\n"
        "    def __class_getitem__(cls, item):\n"
        "        return (cls.__name__, item)\n"
        "class Sub(Registry):\n    pass\n"
        "print(Registry[1], Sub['x'], Registry[int, str])\n"
        "class B(Sub):\n    pass\n"
        "print(Sub.__base__, B.__base__, Registry.__base__, object.__base__, bool.__base__)"),
    # str.format's automatically numbered fields with attributes or items, its numbering
    # errors, and format_map's positional fields
    "format_field_numbering": (
        "print('{.real} {}'.format(5, 6), '{[0]} {.imag:>5}'.format([7], 2j),\n"
        "      '{:{}}|{.real:{}}'.format(1, 3, 4, 5), '{x[0]}{}'.format(1, x='ab'))\n"
        "for t in ['{} {0}', '{0} {}', '{.real} {0}', '{0} {.real}', '{}{x}{0}']:\n"
        "    try:\n        print(t.format(1, x=2))\n    except ValueError as e:\n        print(e)\n"
        "for t in ['{}', '{0}', '{x}', '{x.real}', '{.real}', '{[0]}', '{x[0]}']:\n"
        "    try:\n        print(t.format_map({'x': [5]}))\n"
        "    except Exception as e:\n        print(type(e).__name__, e)"),
    # the data attributes of Python's exceptions: an OSError's numbers and file names, the
    # name a NameError or AttributeError reports
    "exception_data_attributes": (
        "e = OSError(2, 'No such file', 'a.txt')\n"
        "print(e.errno, e.strerror, e.filename, e.filename2, type(e).__name__, str(e))\n"
        "f = FileNotFoundError('plain')\nprint(f.errno, f.strerror, f.filename)\n"
        "try:\n    undefined_thing\nexcept NameError as n:\n    print(n.name)\n"
        "class A:\n    pass\n"
        "try:\n    A().missing\nexcept AttributeError as a:\n    print(a.name)\n"
        "try:\n    ValueError('x').errno\nexcept AttributeError as a:\n    print(a)"),
    # dict's and str's class methods called on an instance, as Python allows
    "class_methods_on_instances": (
        "print({}.fromkeys('ab', 0), {1: 2}.fromkeys([3]), ''.maketrans('a', 'b'),\n"
        "      (1.5).fromhex('0x1p1'), dict.fromkeys([1]))"),
}


@pytest.mark.parametrize("name", sorted(SAME_AS_PYTHON))
def test_prints_what_python_prints(name):
    source = SAME_AS_PYTHON[name]
    assert run_program(source) == run_python(source)


def test_singledispatch_dispatches_on_tensor_classes():
    # a Parameter is a Tensor: the nearest registered class in its MRO
    source = ("from functools import singledispatch\n"
              "@singledispatch\ndef kind(x):\n    return 'other'\n"
              "@kind.register(torch.Tensor)\ndef _(x):\n    return 'tensor %s' % (tuple(x.shape),)\n"
              "print(kind(torch.zeros(2)), kind(torch.nn.Parameter(torch.ones(1))), kind(1))")
    assert run_program(source) == "tensor (2,) tensor (1,) other\n"


def test_singledispatch_offers_only_its_three_names():
    error, _ = run_error("from functools import singledispatch\n"
                         "@singledispatch\ndef f(x):\n    return x\nf._registry")
    assert error.kind == "AttributeError"


def test_attrgetter_still_reads_through_the_gate():
    # (`_version`, PyTorch's data, is readable since lang21; a private method is not)
    error, _ = run_error("import operator\noperator.attrgetter('_call_impl')(torch.nn.Linear(1, 1))")
    assert error.kind == "AttributeError"
    error, _ = run_error("import operator\noperator.methodcaller('__reduce__')(torch.ones(1))")
    assert error.kind == "AttributeError"


@pytest.mark.parametrize("source", [
    "list[int](range(10 ** 9))",
    "{}.fromkeys(range(10 ** 9))",
    "import operator\noperator.ipow(10, 10 ** 9)",
])
def test_new_doors_keep_gradshs_limits(source):
    with pytest.raises(GradshError) as info:
        run_program(source)
    assert info.value.kind == "LimitError"


def test_attribute_errors_obj_is_not_handed_out():
    error, _ = run_error("try:\n    torch.ones(1).nope\nexcept AttributeError as e:\n    e.obj")
    assert error.kind == "AttributeError" and "obj" in error.message


def test_class_getitem_is_not_read_on_torch_or_python_classes():
    for source in ("list.__class_getitem__", "torch.Tensor.__class_getitem__",
                   "torch.ones(1).__class_getitem__"):
        error, _ = run_error(source)
        assert error.kind == "AttributeError", source
