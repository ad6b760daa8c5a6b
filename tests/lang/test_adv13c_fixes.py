"""Branch adv13c (a blind round on Python's built-in types beside torch, the adv13c_* learner
programs): each class of difference they found, as a short program compared with CPython
itself (this test's own Python runs the same source), or with PyTorch where a tensor is made
(skipped without it). The sweep of argument errors covers every builtin function and method of
Python's types that gradsh writes in Python (builtinfns.python_refusal)."""

import pytest

from .helpers import run_program, run_python


def _each(calls):
    """A program that makes each call and prints the type of what it gave or what it raised,
    one line each."""
    return "".join("try:\n    print('gave', type(%s).__name__)\nexcept Exception as e:\n"
                   "    print(type(e).__name__, e)\n" % call for call in calls)


# builtins written in Python (a def) refuse their arguments in Python's words for its C
# functions: "isinstance expected 2 arguments, got 1", "'foo' is an invalid keyword argument
# for split()", "list.count() takes exactly one argument (0 given)"... Functions are called in
# a loop; methods as programs call them, `[].count()` (Python names the method by its class
# then: `f = [].count; f()` is "count() takes ...")
_FUNCTIONS = ["isinstance", "issubclass", "hash", "format", "repr", "ascii", "round", "pow",
              "sorted", "sum", "min", "max", "list", "tuple", "set", "frozenset", "str", "int",
              "dict", "slice", "bytes", "bytearray", "getattr", "hasattr", "setattr", "delattr",
              "enumerate", "zip", "map", "filter", "type"]
_METHODS = ["[].count", "[].index", "[].remove", "[].sort", "[].extend", "().count",
            "().index", "{}.update", "{}.items", "{}.popitem", "set().update", "set().union",
            "dict.fromkeys", "'a'.split", "'a'.join", "'a'.replace", "'a'.center", "'a'.encode",
            "b'a'.decode", "b'a'.split", "(1).to_bytes", "int.from_bytes",
            "bytearray().extend", "'a'.zfill", "'a'.expandtabs"]
_ARGUMENTS = [((), {}), ((1, 2, 3, 4, 5), {}), ((), {"foo": 1}), ((1,), {"foo": 1}),
              (([1],), {"key": None, "default": 1, "extra": 2}),
              (([3, 1],), {"reverse": True, "key": None, "default": 0})]
ARGUMENT_ERRORS = (
    "for f in [%s]:\n"
    "    for args, kwargs in %r:\n"
    "        try:\n            print('gave', type(f(*args, **kwargs)).__name__)\n"
    "        except Exception as e:\n            print(type(e).__name__, e)\n"
    % (", ".join(_FUNCTIONS), _ARGUMENTS)
    + _each(f"{m}({a})" for m in _METHODS for a in ["", "1, 2, 3, 4, 5", "foo=1"]))

LIKE_PYTHON = {
    "argument_errors_in_pythons_words": ARGUMENT_ERRORS,
    # list.sort and sorted: positional arguments, too many keywords, an unknown one
    "sort_arguments": _each(["[3, 1].sort(lambda v: v)", "[3, 1].sort(1, 2, 3)",
                             "sorted([1], key=None, reverse=False, cmp=None)",
                             "sorted(1, foo=1)", "sorted([2, 1], reverse=True)"]),
    # min/max: no positional argument, more than two keywords, an unknown one
    "min_max_arguments": _each(["min()", "max(foo=1)", "min([1, 2], key=None, default=3, x=1)",
                                "max([1], extra=1)", "min(1, 2, default=0)",
                                "max([], default=None)", "min([3, 1], key=lambda v: -v)"]),
    # slice assignment of a value that is no iterable (list, extended slice, bytearray)
    "slice_assignment_of_non_iterables": (
        "xs = [1, 2, 3]\nba = bytearray(b'abc')\n"
        "for target, key, value in [(xs, slice(1, 2), 5), (xs, slice(None, None, 2), 5),\n"
        "        (xs, slice(1, 2), None), (ba, slice(1, 2), 5), (ba, slice(1, 2), None),\n"
        "        (ba, slice(None, None, 2), 5.5)]:\n"
        "    try:\n        target[key] = value\n"
        "    except TypeError as e:\n        print(type(e).__name__, e)\n"
        "xs[1:2] = iter([7, 8])\nba[0:1] = [65, 66]\nprint(xs, ba)\n"),
    # `x.name = value` and `del x.name` on Python's values (no attributes of their own)
    "attribute_stores_on_pythons_values": (
        "for obj in [None, 5, 1.5, 's', [1], (1,), {}, {1}, b'x', range(2), object(), True,\n"
        "            1j, ...]:\n"
        "    for name in ['attr', 'real', 'append', 'count']:\n"
        "        try:\n            setattr(obj, name, 1)\n"
        "        except AttributeError as e:\n            print(type(e).__name__, e)\n"
        "        try:\n            delattr(obj, name)\n"
        "        except AttributeError as e:\n            print(type(e).__name__, e)\n"
        "try:\n    None.x = 1\nexcept AttributeError as e:\n    print(e)\n"),
    # classes Python itself refuses as bases
    "bases_python_refuses": (
        "for base in [bool, type(None), range, slice, type(...), type(len), type(lambda: 0)]:\n"
        "    try:\n        class B(base):\n            pass\n"
        "    except TypeError as e:\n        print(type(e).__name__, e)\n"),
    # bool.from_bytes is a classmethod of bool: a bool
    "bool_from_bytes": "print(bool.from_bytes(b'\\x00', 'big'), bool.from_bytes(b'\\x02', 'big'),"
                       " type(bool.from_bytes(b'\\x01')).__name__, int.from_bytes(b'\\x01\\x00'))\n",
    # the methods gradsh wraps (size checks) show as Python's C methods, class methods too;
    # a dict's items view is a dict_items
    "method_reprs": (
        "import collections\n"
        "for obj, names in [([1], 'count index remove sort extend append'), ((1,), 'count index'),\n"
        "        ({1: 2}, 'update items popitem get'), ({1}, 'update union add'),\n"
        "        (frozenset({1}), 'union'), ('a', 'split join replace encode format format_map center'),\n"
        "        (b'a', 'decode split hex'), (bytearray(b'a'), 'extend append'), (1, 'to_bytes'),\n"
        "        (collections.deque([1]), 'extend append')]:\n"
        "    for name in names.split():\n"
        "        m = getattr(obj, name)\n"
        "        print(repr(m).split(' at 0x')[0], type(m).__name__, m.__name__)\n"
        "for m in [dict.fromkeys, int.from_bytes, {}.fromkeys, collections.OrderedDict.fromkeys]:\n"
        "    print(repr(m).split(' at 0x')[0], type(m).__name__)\n"
        "print(type({1: 2}.items()), type({}.items()).__name__, '{}'.format(*'a'))\n"
        "try:\n    '{}'.format(*1)\nexcept TypeError as e:\n    print(e)\n"),
    # isinstance/issubclass of an unhashable second argument; bytearray.extend and
    # int.from_bytes of what they refuse (found by sweeps after the round)
    "classinfo_extend_from_bytes": "import itertools\n" + _each([
        "isinstance(1, [int])", "issubclass(int, {1: 2})", "isinstance(1, (int, [str]))",
        "bytearray(b'ab').extend(1.5)", "bytearray(b'ab').extend('a')",
        "bytearray(b'ab').extend('')", "bytearray(b'ab').extend(None)",
        "bytearray(b'ab').extend(5)", "bytearray(b'ab').extend([300])",
        "bytearray(b'ab').extend(iter([1, 2]))", "int.from_bytes(1)", "int.from_bytes('a')",
        "int.from_bytes([1, 2])", "int.from_bytes(None)", "int.from_bytes(1.5)",
        "list(itertools.product('ab', repeat='ab'))", "itertools.product('ab', repeat=1.5)",
        "list(itertools.product('ab', repeat=None))"]),
    # the keyword module and str.isprintable
    "keyword_and_isprintable": (
        "import keyword\n"
        "print(keyword.iskeyword('class'), keyword.iskeyword('match'),\n"
        "      keyword.issoftkeyword('match'), 'lambda' in keyword.kwlist, len(keyword.kwlist),\n"
        "      keyword.softkwlist)\n"
        "print([s.isprintable() for s in ['abc', '', 'a\\n', '\\xa0', '\\t', 'é']])\n"),
}


@pytest.mark.parametrize("name", sorted(LIKE_PYTHON))
def test_like_python(name):
    source = LIKE_PYTHON[name]
    printed = run_program(source)
    assert printed == run_python(source)
    if name == "argument_errors_in_pythons_words":
        # the sweep compares something: most calls fail (in Python's words), and none names
        # one of gradsh's own functions (`checked_bytes()`, `type_()`)
        lines = printed.splitlines()
        assert len(lines) == len(_FUNCTIONS) * len(_ARGUMENTS) + len(_METHODS) * 3
        assert sum(line.startswith("TypeError") for line in lines) > len(lines) * 3 // 4
        assert "checked_" not in printed and "<locals>" not in printed


def test_torch_tensor_of_a_bytearray_as_pytorch():
    """torch.tensor reads a bytearray as a sequence of ints (and refuses bytes), as PyTorch."""
    torch = pytest.importorskip("torch", reason="PyTorch is the oracle")
    import gradsh

    def each(lib):
        out = []
        for data in [bytearray(b"\x05\x06"), [bytearray(b"\x01\x02"), bytearray(b"\x03\x04")],
                     bytearray(), b"ab", [b"ab"]]:
            try:
                out.append(repr(lib.tensor(data)))
            except (TypeError, RuntimeError) as e:
                out.append("%s %s" % (type(e).__name__, e))
        out.append(repr(lib.tensor(bytearray(b"\x05"), dtype=lib.float32)))
        return out
    assert each(gradsh) == each(torch)
