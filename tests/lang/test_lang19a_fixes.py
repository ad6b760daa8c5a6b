"""Branch lang19a: bytes and bytearray, special methods of Python's values called by name, and
KeyboardInterrupt / GeneratorExit as names a program has (docs/language.md, docs/security.md)."""

import io
import itertools
import re

import pytest

from gradsh.lang import Session
from gradsh.lang.runtime.sandbox import GateError
from gradsh.lang.runtime.specialmethods import SPECIAL_NAMES, SPECIAL_TYPES

from .helpers import run_error, run_program, run_python

# one value of each type whose special methods a program may call, made by a program (each
# expression runs afresh for every call: __setitem__ changes its value)
VALUES = {
    "int": "7", "bool": "True", "float": "2.5", "complex": "(1+2j)", "str": "'abc'",
    "bytes": "b'abc'", "bytearray": "bytearray(b'abc')", "list": "[3, 1, 2]",
    "tuple": "(3, 1, 2)", "dict": "{'a': 1, 'b': 2}", "set": "{1, 2}",
    "frozenset": "frozenset({1, 2})", "range": "range(5)",
    "Counter": "collections.Counter('abca')", "deque": "collections.deque([1, 2])",
    "OrderedDict": "collections.OrderedDict(a=1)",
    "defaultdict": "collections.defaultdict(int, a=1)", "NoneType": "None",
    "list_iterator": "iter([1, 2])", "str_iterator": "iter('ab')",
    "generator": "(i for i in range(3))",
}
# the arguments each special method is called with (several, to meet both Python's answer and
# its TypeError or NotImplemented)
ARGUMENTS = {
    "__format__": ["''", "'>6'"], "__round__": ["", "1"], "__getitem__": ["0", "'a'", "1"],
    "__setitem__": ["0, 9", "'a', 9", "slice(0, 1), [5, 6]"], "__delitem__": ["0", "'a'"],
    "__contains__": ["1", "'a'", "b'a'"], "__pow__": ["2", "2, 5"], "__rpow__": ["2"],
    "__divmod__": ["2"], "__rdivmod__": ["2"],
}
BINARY_OPERANDS = ["2", "2.0", "'ab'", "[1]", "(1,)", "b'x'", "{1}"]


def _calls():
    for (kind, value), name in itertools.product(VALUES.items(), sorted(SPECIAL_NAMES)):
        if name in ARGUMENTS:
            arguments = ARGUMENTS[name]
        elif name.startswith("__") and name[2:-2] in ("eq", "ne", "lt", "le", "gt", "ge") or \
                name in ("__add__", "__radd__", "__sub__", "__rsub__", "__mul__", "__rmul__",
                         "__truediv__", "__rtruediv__", "__floordiv__", "__rfloordiv__",
                         "__mod__", "__rmod__", "__lshift__", "__rlshift__", "__rshift__",
                         "__rrshift__", "__and__", "__rand__", "__or__", "__ror__", "__xor__",
                         "__rxor__"):
            arguments = BINARY_OPERANDS
        else:
            arguments = [""]
        for args in arguments:
            yield kind, value, name, args


def _program(calls):
    lines = ["import collections", "def show(make, name, args):",
             "    try:",
             "        v = make()",
             "        f = getattr(v, name)",
             "        r = f(*args) if f is not None else None",
             "        if type(r).__name__.endswith('iterator'):",
             "            r = list(r)",
             "        if name == '__hash__' and r is not None:",
             "            r = r == hash(v)  # (an iterator's hash is its address)",
             "        print(name, repr(r), repr(v))",
             "    except Exception as e:",
             "        print(name, type(e).__name__)"]
    for kind, value, name, args in calls:
        lines.append("show(lambda: %s, %r, (%s%s))" % (value, name, args,
                                                        "," if args else ""))
    return "\n".join(lines) + "\n"


def test_every_allowed_special_method_is_python_s_own_on_every_type():
    # each allowed name on each type is Python's method (its answer, NotImplemented, its
    # error), called after its operator's check
    calls = list(_calls())
    assert len(calls) > 1500
    source = _program(calls)
    assert _no_address(run_program(source)) == _no_address(run_python(source))


def _no_address(text):
    return re.sub("0x[0-9a-f]+", "0x...", text)


def test_the_values_above_are_of_every_special_type_but_the_other_iterators():
    import collections
    kinds = {type(eval(value, {"collections": collections})) for value in VALUES.values()}
    assert kinds <= SPECIAL_TYPES
    assert {t for t in SPECIAL_TYPES - kinds if "iterator" not in t.__name__} == set()


# names of Python's objects that reach its machinery, skip a limit or copy internals: refused on
# every type the special methods are offered on
REACHING = ("__reduce__", "__reduce_ex__", "__getattribute__", "__init__", "__setattr__",
            "__delattr__", "__sizeof__", "__subclasshook__", "__init_subclass__", "__new__",
            "__dir__", "__getstate__", "__class_getitem__", "__iadd__", "__imul__",
            "__getnewargs__", "__copy__", "__deepcopy__", "__length_hint__", "__setstate__",
            "__buffer__", "__release_buffer__", "__alloc__", "__bytes__", "__missing__",
            "__self__", "__func__", "__code__", "__globals__", "__closure__", "__module__",
            "__doc__", "__mro__", "__subclasses__", "__weakref__", "__slots__", "gi_frame",
            "gi_code", "__objclass__")


@pytest.mark.parametrize("kind", sorted(VALUES))
def test_names_that_reach_python_s_machinery_stay_refused(kind):
    session = Session(stdout=io.StringIO())
    session.run("import collections\nv = %s\n" % VALUES[kind])
    value = session.variables()["v"]
    gate = session._runtime.gate
    for name in REACHING:
        if not hasattr(value, name):
            continue
        with pytest.raises(AttributeError):
            gate.load_once(value, name)


def test_a_special_method_offers_no_attributes():
    for source in ("[1].__len__.__self__", "(3).__add__.__func__", "'a'.__repr__.__globals__",
                   "{}.__getitem__.__closure__", "[].__iter__().__reduce__"):
        error, _ = run_error(source + "\n")
        assert error.kind == "AttributeError", source


# two lists, each shared with itself at every level (2**100 items to compare)
SHARED = "x, y = [0], [0]\nfor i in range(100):\n    x, y = [x, x], [y, y]\n"


def test_special_methods_keep_the_limits_of_their_operators():
    for source, fragment in [
            ("[0].__mul__(10 ** 9)", "would make 1000000000 items"),
            ("'ab'.__mul__(10 ** 9)", "would make a string of 2000000000"),
            ("b'ab'.__rmul__(10 ** 9)", "would make a string of 2000000000"),
            ("x = [0] * 10 ** 7\nx.__add__(x)", "would make 20000000 items"),
            ("(7).__pow__(10 ** 9)", "would make an integer"),
            ("(7).__lshift__(10 ** 9)", "would make an integer"),
            ("'%0999999d'.__mod__(1) * 200", "would make a string"),
            ("b'%s'.__mod__(b'x' * 10 ** 8 ) + b'x'", "would make a string"),
            (SHARED + "x.__eq__(y)", "item comparisons"),
            (SHARED + "[x].__contains__(y)", "item comparisons"),
            (SHARED + "x.__lt__(y)", "item comparisons"),
            ("x = [0]\nfor i in range(60):\n    x = [x, x]\nx.__repr__()", "repr() would make"),
            ("'{}'.__format__('>9999999999')", "format width or precision"),
            ("x = []\nx.__setitem__(slice(0, 0), range(10 ** 8))", "items is more than")]:
        error, _ = run_error(source + "\n")
        assert error.kind == "LimitError" and fragment in error.message, (source, error.message)


def test_unbound_special_methods_of_python_s_types():
    out = run_program("import functools\nprint(functools.reduce(int.__add__, [1, 2, 3]), "
                      "list(map(str.__len__, ['ab', 'c'])), int.__add__(3, 4.0))\n")
    assert out == run_python("import functools\nprint(functools.reduce(int.__add__, [1, 2, 3]), "
                             "list(map(str.__len__, ['ab', 'c'])), int.__add__(3, 4.0))\n")
    error, _ = run_error("int.__add__('a', 1)\n")
    assert error.kind == "TypeError"


def test_tensor_text_by_name_is_repr_str_and_format():
    out = run_program("import torch\nt = torch.tensor([1.5, 2.0])\n"
                      "print(t.__repr__() == repr(t), t.__str__() == str(t), "
                      "torch.tensor(2.5).__format__('.2f'))\n")
    assert out == "True True 2.50\n"
    error, _ = run_error("import torch\ntorch.tensor(2.5).__format__('>9999999999')\n")
    assert error.kind == "LimitError"


# ------------------------------------------------------------ bytes and bytearray
BYTES_PROGRAM = r"""
b = b"ab\x00\xff" + bytes([1, 2]) + bytes(2) + bytearray(b"z")
print(b, len(b), b[0], b[-1], list(b[1:3]), b"a" in b, 255 in b, b * 2, b.hex(), b.hex(":", 2))
ba = bytearray(b"hello")
ba[0] = 74
ba += b"!"
ba.extend([33, 34])
ba.insert(0, 32)
del ba[1:2]
print(ba, ba.pop(), ba.upper(), ba.find(b"l"), bytes(ba), ba == b" ello!!", ba * 2)
print("é€".encode(), "é€".encode("utf-16-le"), "é".encode("latin-1"), "x".encode("ascii"))
print(b"\xc3\xa9".decode(), b"\xff".decode("latin-1"), b"\xff".decode("utf-8", "replace"))
print((1024).to_bytes(4, "little"), int.from_bytes(b"\x00\x04", "big"),
      (-2).to_bytes(2, "big", signed=True), int.from_bytes([255, 255], "little", signed=True))
print(bytes.fromhex("de ad"), bytearray.fromhex("00ff"), b"a,b".split(b","), b" x ".strip())
print(b"%s-%d" % (b"k", 3), b"abc".center(7, b"*"), b"-".join([b"a", b"b"]), repr(b"'\""))
print(isinstance(b, bytes), type(ba) is bytearray, bytes is type(b""), sorted([b"b", b"a"]))
print(str(b"x"), f"{b'y'!r}", "%s" % b"z", {b"k": 1}[b"k"], hash(b"h") == hash(b"h"))
for kind, args in [(bytes, ("x",)), (bytes, ([256],)), (bytearray, (-1,)), (bytes, (1.5,))]:
    try:
        kind(*args)
    except (TypeError, ValueError) as e:
        print(type(e).__name__, e)
try:
    b"x".decode("ascii") + b"\xff".decode("ascii")
except UnicodeDecodeError as e:
    print(type(e).__name__, e.reason, e.start)
try:
    "é".encode("ascii")
except UnicodeEncodeError as e:
    print(type(e).__name__, e)
"""


def test_bytes_and_bytearray_are_python_s():
    assert run_program(BYTES_PROGRAM) == run_python(BYTES_PROGRAM)


def test_bytes_stay_within_the_string_limit():
    for source in ["bytes(10 ** 9)", "bytearray(10 ** 9)", "b'x' * 10 ** 9",
                   "bytearray(b'x') * 10 ** 9", "b = bytearray(b'x' * 10 ** 8)\nb += b",
                   "b = bytearray(b'x' * 10 ** 8)\nb.extend(b)", "(1).to_bytes(10 ** 9, 'big')",
                   "b'x'.ljust(10 ** 9)", "b'x'.zfill(10 ** 9)", "b'\\t'.expandtabs(10 ** 9)",
                   "(b'x' * 10 ** 8).replace(b'x', b'yy')", "b''.join([b'x' * 10 ** 8] * 2)",
                   "(b'x' * 6 * 10 ** 7).hex()", "b'%999999999d' % 1",
                   "('\\U0001F600' * 3 * 10 ** 7).encode()",
                   "(b'\\xff' * 3 * 10 ** 7).decode('utf-8', 'backslashreplace')",
                   "repr(b'\\x00' * 3 * 10 ** 7)", "str([b'\\x00' * 3 * 10 ** 7])",
                   "int.from_bytes(b'\\xff' * 10 ** 6, 'big')",
                   "bytes(range(10 ** 9))"]:
        error, _ = run_error(source + "\n")
        assert error.kind == "LimitError", (source, error.kind, error.message)


def test_bytes_never_read_a_buffer():
    # bytes(x) of anything but a count, a str, bytes or a bytearray reads x's items: a numpy
    # array or a tensor gives its values, never its memory; memoryview does not exist
    out = run_program("import torch\nimport numpy as np\n"
                      "print(bytes(torch.tensor([1, 2], dtype=torch.uint8)), "
                      "bytes(np.array([3, 4], dtype=np.uint8)), bytearray(torch.tensor([5])))\n")
    # (a one-element tensor is a count, as its __index__ makes it for PyTorch's too)
    assert out == "b'\\x01\\x02' b'\\x03\\x04' bytearray(b'\\x00\\x00\\x00\\x00\\x00')\n"
    for source, kind in [("memoryview(b'x')", "NameError"),
                         ("import torch\ntorch.frombuffer(bytearray(4), dtype=torch.uint8)",
                          "AttributeError"),
                         ("import torch\nbytes(torch.ones(2, 2))", "TypeError")]:
        error, _ = run_error(source + "\n")
        assert error.kind == kind, (source, error.kind, error.message)


# ------------------------------------------------------------ KeyboardInterrupt, GeneratorExit
def test_a_program_catches_the_keyboard_interrupt_it_raises():
    source = ("try:\n    raise KeyboardInterrupt('stop')\nexcept KeyboardInterrupt as e:\n"
              "    print(repr(e), type(e), type(e) is KeyboardInterrupt, KeyboardInterrupt.__mro__)\n"
              "class Quit(KeyboardInterrupt):\n    pass\n"
              "try:\n    raise Quit\nexcept BaseException as e:\n"
              "    print(type(e).__name__, isinstance(e, Exception), Quit.__mro__)\n"
              "def g():\n    try:\n        yield 1\n    except GeneratorExit:\n"
              "        print('closing')\n        raise\n"
              "it = g()\nnext(it)\nit.close()\nprint(GeneratorExit.__mro__)\n")
    assert run_program(source) == run_python(source)
    error, _ = run_error("raise KeyboardInterrupt('by the program')\n")
    assert (error.kind, error.message, error.line) == ("KeyboardInterrupt", "by the program", 1)


class _CtrlC(io.StringIO):
    """A stream where every write is interrupted, as a real Ctrl-C arriving during print."""

    def write(self, text):
        raise KeyboardInterrupt


@pytest.mark.parametrize("handler", ["except KeyboardInterrupt", "except BaseException",
                                     "except (KeyboardInterrupt, Exception)", "except"])
def test_no_program_swallows_a_real_ctrl_c(handler):
    # Python's own KeyboardInterrupt (the signal's) is no instance of the program's class and
    # is re-raised at the top of every except block: the loop ends at the first Ctrl-C
    session = Session(stdout=_CtrlC())
    source = ("n = 0\nwhile True:\n    try:\n        n += 1\n        print(n)\n"
              "    %s:\n        pass\n" % handler)
    with pytest.raises(KeyboardInterrupt) as info:
        session.run(source, "t.grad")
    assert type(info.value) is KeyboardInterrupt
    assert session.variables()["n"] == 1


def test_no_generator_holds_a_real_ctrl_c_open():
    session = Session(stdout=_CtrlC())
    source = ("def g():\n    while True:\n        try:\n            yield print('x')\n"
              "        except (GeneratorExit, KeyboardInterrupt):\n            pass\n"
              "for _ in g():\n    pass\n")
    with pytest.raises(KeyboardInterrupt):
        session.run(source, "t.grad")


def test_a_limit_in_a_generator_is_not_held_by_except_generator_exit():
    error, _ = run_error("def g():\n    while True:\n        try:\n            yield [0] * 10 ** 9\n"
                         "        except GeneratorExit:\n            pass\nfor x in g():\n"
                         "    pass\n")
    assert error.kind == "LimitError"


def test_gate_error_is_an_attribute_error():
    assert issubclass(GateError, AttributeError)
