"""Exception notes and groups (Python 3.11) in .grad programs: `e.add_note()`, `e.__notes__`,
ExceptionGroup, `except*`; gradsh's limits stay uncatchable inside a group; an uncaught group or
note is shown below the error's message as Python shows it."""

import pytest

from .helpers import run_error, run_program, run_python

PROGRAMS = {
    "notes": (
        "try:\n    raise ValueError('bad')\nexcept ValueError as e:\n"
        "    e.add_note('first')\n    e.add_note('second')\n    print(e.__notes__, str(e))\n"
        "class MyError(Exception):\n    pass\n"
        "m = MyError('x')\nm.add_note('mine')\nprint(m.__notes__)\n"
        "try:\n    ValueError().add_note(3)\nexcept TypeError as t:\n    print(t)"),
    "groups_split_by_except_star": (
        "eg = ExceptionGroup('many', [ValueError(1), TypeError(2), ValueError(3),"
        " ExceptionGroup('inner', [KeyError('k'), TypeError(4)])])\n"
        "print(eg, len(eg.exceptions), eg.message, repr(eg.exceptions[0]))\n"
        "try:\n    raise eg\n"
        "except* ValueError as g:\n    print('value', g.exceptions)\n"
        "except* TypeError as g:\n    print('type', repr(g))\n"
        "except* LookupError:\n    print('lookup')\n"
        "else:\n    print('no')\n"
        "finally:\n    print('finally')\n"
        "match_, rest = eg.split(ValueError)\nprint(match_.exceptions, repr(rest))\n"
        "print(eg.subgroup(lambda e: isinstance(e, KeyError)))\n"
        "try:\n    raise TypeError('naked')\n"
        "except* TypeError as g:\n    print('wrapped', repr(g), type(g).__name__)\n"
        "try:\n    try:\n        raise eg\n    except* ValueError:\n        print('some')\n"
        "except ExceptionGroup as rest:\n    print('rest', repr(rest))\n"
        "try:\n    raise BaseExceptionGroup('b', [KeyboardInterrupt()]) if False else "
        "BaseExceptionGroup('b', [ValueError()])\nexcept Exception as e:\n    print(type(e).__name__)"),
    "group_errors": (
        "for make in [lambda: ExceptionGroup('x', []), lambda: ExceptionGroup('x', 1),"
        " lambda: ExceptionGroup(1, [ValueError()])]:\n"
        "    try:\n        make()\n    except (TypeError, ValueError) as e:\n"
        "        print(type(e).__name__, e)\n"
        "try:\n    try:\n        raise ValueError()\n    except* ExceptionGroup:\n        pass\n"
        "except TypeError as e:\n    print(e)"),
}


@pytest.mark.parametrize("name", sorted(PROGRAMS))
def test_group_program_prints_what_python_prints(name):
    source = PROGRAMS[name]
    assert run_program(source) == run_python(source)


def test_except_star_blocks_refuse_break_continue_and_return():
    source = "for i in range(2):\n    try:\n        pass\n    except* ValueError:\n        break\n"
    error, _ = run_error(source)
    with pytest.raises(SyntaxError) as python:
        compile(source, "<python>", "exec")
    assert (error.kind, error.message, error.line) == ("SyntaxError", python.value.msg, 5)


def test_a_limit_inside_a_group_is_not_caught_by_except_star():
    for source in ["try:\n    'a' * 10 ** 10\nexcept* Exception:\n    print('caught')\n",
                   "try:\n    raise ExceptionGroup('g', ['a' * 10 ** 10])\n"
                   "except* Exception:\n    print('caught')\n"]:
        error, out = run_error(source)
        assert "caught" not in out
        assert error.kind in ("LimitError", "RecursionError"), error.render()


def test_except_star_catches_the_depth_limit_as_python_does():
    # (since lang22 the depth limit's RecursionError is the program's to catch; Python's
    # `except*` wraps it in a group and catches it)
    source = "def f():\n    f()\ntry:\n    f()\nexcept* RecursionError as g:\n    print('caught', repr(g.exceptions[0]))\n"
    assert run_program(source) == "caught RecursionError('maximum recursion depth exceeded')\n"


def test_a_caught_group_holding_a_limit_error_is_re_raised():
    # a LimitError made into a group by the program itself (it caught nothing: the limit fired
    # in the group's construction) and one that reached except* through a group
    source = ("errors = []\nfor i in range(3):\n    try:\n        'a' * 10 ** 10\n"
              "    except Exception as e:\n        errors.append(e)\nprint('never')\n")
    error, out = run_error(source)
    assert error.kind == "LimitError" and "never" not in out


def test_uncaught_group_and_notes_are_shown_below_the_message():
    error, _ = run_error("e = ValueError('bad')\ne.add_note('note one')\n"
                         "raise ExceptionGroup('many', [e, TypeError('t')])")
    assert error.kind == "ExceptionGroup"
    assert error.message == ("many (2 sub-exceptions)\n"
                             "+-+---------------- 1 ----------------\n"
                             "  | ValueError: bad\n  | note one\n"
                             "  +---------------- 2 ----------------\n"
                             "  | TypeError: t\n"
                             "  +------------------------------------")
    error, _ = run_error("e = KeyError('k')\ne.add_note('see the keys')\nraise e")
    assert error.message == "'k'\nsee the keys"


def test_huge_and_deep_groups_stay_bounded(monkeypatch):
    # 3,000 groups deep: except* splits it, and the uncaught rest is shown 10 levels deep
    error, out = run_error("e = ExceptionGroup('a', [ValueError(1)])\nfor i in range(3000):\n"
                           "    e = ExceptionGroup('n', [e, TypeError(i)])\n"
                           "try:\n    raise e\nexcept* TypeError as g:\n    print(len(g.exceptions))")
    assert out == "2\n"
    assert error.kind == "ExceptionGroup" and "max_group_depth is 10" in error.message
    assert error.message.count("\n") < 100
    # a group of 100,000 exceptions shows 15 of them
    error, _ = run_error("raise ExceptionGroup('wide', [ValueError(i) for i in range(10 ** 5)])")
    assert "and 99985 more exceptions" in error.message and error.message.count("\n") < 100
    # notes are a list within the item limit (made small here: ten million notes take 20 s)
    from gradsh.lang.runtime import sandbox
    monkeypatch.setattr(sandbox, "MAX_ITEMS", 10 ** 4)
    error, _ = run_error("e = ValueError()\nfor i in range(10 ** 9):\n    e.add_note('n')")
    assert error.kind == "LimitError" and "10000 notes" in error.message, error.render()


def test_a_group_python_cannot_split_in_time_is_refused_where_it_is_raised():
    # round 14: 2**40 paths through 41 groups hung except*; each distinct group is read once
    error, out = run_error("g = ExceptionGroup('g', [ValueError()])\nfor i in range(40):\n"
                           "    g = ExceptionGroup('g', [g, g])\ntry:\n    raise g\n"
                           "except* ValueError:\n    print('caught')\n")
    assert error.kind == "LimitError" and error.line == 5 and out == ""
    assert run_program("g = ExceptionGroup('g', [ValueError(1)])\nfor i in range(5):\n"
                       "    g = ExceptionGroup('g', [g, g])\ntry:\n    raise g\n"
                       "except* ValueError as e:\n    print(len(e.exceptions))\n") == "2\n"


def test_a_limit_made_inside_a_group_is_located_at_the_raise():
    # round 14: its own traceback is empty (never raised), the group's is the program's
    error, _ = run_error("x = 1\ntry:\n    raise ExceptionGroup('g', [MemoryError()])\n"
                         "except* MemoryError:\n    print('caught')\n")
    assert error.kind == "MemoryError" and error.line == 3
