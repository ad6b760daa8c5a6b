"""Fixes of hostile round 19 (issue 16, docs/security.md "A nineteenth round") in the language:
each checked against what Python itself does with the same program."""

import pytest

from .helpers import run_error, run_program, run_python

# Python's own refusals of an attribute store or deletion on a program's object (the C code of
# setattr/delattr raising right there): an internal error (exit 70) before round 19
REFUSED = {
    "slot missing": "class A:\n    __slots__ = ('x',)\na = A()\na.x = 1\na.y = 2\n",
    "slot deleted unset": "class A:\n    __slots__ = ('x',)\ndel A().x\n",
    "property without setter": "class A:\n    @property\n    def p(self):\n        return 1\n"
                               "A().p = 2\n",
    "property without deleter": "class A:\n    @property\n    def p(self):\n        return 1\n"
                                "del A().p\n",
    "missing attribute deleted": "class A:\n    pass\ndel A().q\n",
    "setattr on a slot class": "class A:\n    __slots__ = ('x',)\nsetattr(A(), 'y', 1)\n",
    "delattr of a missing name": "class A:\n    pass\ndelattr(A(), 'zz')\n",
}


def _pythons_error(source):
    with pytest.raises(AttributeError) as info:
        run_python(source)
    return str(info.value)


@pytest.mark.parametrize("case", REFUSED)
def test_pythons_refusal_of_a_store_is_the_programs_attribute_error(case):
    source = REFUSED[case]
    error, _ = run_error(source)
    assert error.kind == "AttributeError"
    assert error.message == _pythons_error(source)
    assert error.line == source.count("\n")   # the store's own line


def test_the_refusal_is_caught_by_the_program_as_pythons():
    source = ("class A:\n    __slots__ = ('x',)\nfor name in ('x', 'y'):\n    try:\n"
              "        setattr(A(), name, 1)\n        print(name, 'set')\n"
              "    except AttributeError as e:\n        print(name, e)\n")
    assert run_program(source) == run_python(source)


def test_a_programs_own_setattr_error_keeps_its_place():
    error, _ = run_error("class A:\n    def __setattr__(self, n, v):\n"
                         "        raise AttributeError('mine')\nA().y = 1\n")
    assert (error.kind, error.message, error.line) == ("AttributeError", "mine", 3)
