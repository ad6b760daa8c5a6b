"""PyTorch's argument errors in .grad programs and under `import gradsh as torch` (issues 15 and
16): wrong calls of torch caught by the program's own try/except give PyTorch's exception type
and message.

The sweep's calls and PyTorch 2.13's outcomes are tests/data/argument_errors.json (recorded by
tools/record_signatures.py, beside the signature table gradsh/core/signatures.txt); the cases
gradsh still answers otherwise are listed in tests/data/argument_errors_known.json with why
(docs/autograd.md, "Argument errors"). A sample runs by default; GRADSH_FULL_SWEEP=1 runs all.
"""

import json
import os
import pathlib
import re
import sys

import pytest

from gradsh.core import argcheck

from .helpers import needs_columns, run_error, run_program

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
import argument_sweep  # noqa: E402

KNOWN_PATH = pathlib.Path(__file__).resolve().parent.parent / "data" / \
    "argument_errors_known.json"
SAMPLE_EVERY = 11  # of the ~8,000 calls, each 11th runs by default (a few seconds)


def _sample(facts):
    sources = sorted(facts)
    if os.environ.get("GRADSH_FULL_SWEEP"):
        return sources
    return sources[::SAMPLE_EVERY]


@pytest.fixture(scope="module")
def sweep():
    facts = argument_sweep.recorded()
    sources = _sample(facts)
    got = argument_sweep.run_in_gradsh(sources)
    return facts, dict(zip(sources, got))


@pytest.fixture(scope="module")
def python_sweep():
    facts = argument_sweep.recorded()
    sources = _sample(facts)
    return facts, dict(zip(sources, argument_sweep.run_in_python(sources)))


# Python's own refusal of a call's arguments (a count, a keyword), raised before gradsh's
# function runs: a Python program gets it instead of PyTorch's (docs/autograd.md)
_PYTHON_BINDING = re.compile(r"^\S+\(\) (takes|got|missing) ")


def test_wrong_calls_caught_under_import_gradsh_as_torch_give_pytorchs_type_and_message(
        python_sweep):
    """Every call that reaches gradsh's function gives PyTorch's exception, but for the known
    ones (the same as in a .grad program)."""
    facts, got = python_sweep
    known = json.loads(KNOWN_PATH.read_text())
    differ = {s: (facts[s], mine) for s, mine in got.items()
              if facts[s] is not None and mine is not None and mine != facts[s]
              and s not in known["other"] and not _PYTHON_BINDING.match(mine[1])}
    assert not differ, "\n".join("%s\n  torch:  %s\n  gradsh: %s" % (s, t, m)
                                 for s, (t, m) in sorted(differ.items())[:20])
    accepted = {s for s, mine in got.items() if mine is None and facts[s] is not None}
    assert accepted <= set(known["accepted"])
    assert sum(mine == facts[s] for s, mine in got.items()) > len(got) // 2


@needs_columns
def test_wrong_calls_caught_in_a_program_give_pytorchs_type_and_message(sweep):
    facts, got = sweep
    known = json.loads(KNOWN_PATH.read_text())
    differ = {s: (facts[s], mine) for s, mine in got.items()
              if facts[s] is not None and mine is not None and mine != facts[s]
              and s not in known["other"]}
    assert not differ, "\n".join("%s\n  torch:  %s\n  gradsh: %s" % (s, t, m)
                                 for s, (t, m) in sorted(differ.items())[:20])


@needs_columns
def test_calls_gradsh_accepts_that_pytorch_refuses_are_the_known_ones(sweep):
    """The calls that run in gradsh but not in PyTorch (listed, and counted in the docs): a
    new one is a regression; one that now fails as PyTorch does should leave the list."""
    facts, got = sweep
    known = set(json.loads(KNOWN_PATH.read_text())["accepted"])
    accepted = {s for s, mine in got.items() if mine is None and facts[s] is not None}
    assert accepted - known == set()
    assert {s for s in known if s in got} - accepted == set()


def test_the_recorded_table_is_small_and_names_its_source():
    with open(argcheck._TABLE, encoding="utf-8") as f:
        text = f.read()
    assert text.startswith("# PyTorch 2.13")
    # 947 names (85 kB) on 2026-12-03, 1,081 (101 kB) after the next day's new API: every name
    # gradsh offers as a C function
    assert len(text) < 110_000


def test_several_signatures_listed_with_the_mismatches_marked():
    assert argcheck.refusal("Tensor", "pow", ["a"], {}) == (
        "pow() received an invalid combination of arguments - got (str), but expected one of:\n"
        " * (Tensor exponent)\n"
        "      didn't match because some of the arguments have invalid types: (!str!)\n"
        " * (Number exponent)\n"
        "      didn't match because some of the arguments have invalid types: (!str!)\n")


def test_arguments_that_match_a_signature_are_not_refused():
    import gradsh
    t = gradsh.ones(2, 3)
    assert argcheck.refusal("Tensor", "sum", [], {"dim": (0, 1), "keepdims": True}) is None
    assert argcheck.refusal("torch", "add", [t, 1], {}) is None  # a number for a Tensor
    assert argcheck.refusal("Tensor", "view", [2, 3], {}) is None  # view(2, 3): view((2, 3))
    assert argcheck.refusal("Tensor", "not_recorded_name", ["a"], {}) is None


def test_a_list_of_ints_with_another_value_after_the_first():
    assert argcheck.refusal("Tensor", "view", [2, 3.0], {}) == (
        "view(): argument 'size' failed to unpack the object at pos 2 with error \"type must "
        "be tuple of ints,but got float\"")


@needs_columns
def test_an_uncaught_refusal_is_located_at_the_call():
    err, _ = run_error("import torch\nt = torch.ones(2, 3)\nt.mean(dim=1.5)\n")
    assert err.kind == "TypeError"
    assert err.message.startswith("mean() received an invalid combination of arguments - got "
                                  "(dim=float, ), but expected one of:")
    assert (err.line, err.col) == (3, 1)


@needs_columns
def test_a_caught_refusal_has_the_context_pytorchs_has():
    out = run_program(
        "import torch\nt = torch.ones(2, 3)\n"
        "try:\n    torch.zeros_like([1, 2])\nexcept TypeError as e:\n"
        "    print(type(e).__name__, e, e.__context__)\n"
        "try:\n    raise ValueError('first')\nexcept ValueError:\n"
        "    try:\n        t.sum(dim='x')\n    except TypeError as e:\n"
        "        print(repr(e.__context__))\n")
    assert out == ("TypeError zeros_like(): argument 'input' (position 1) must be Tensor, not "
                   "list None\nValueError('first')\n")


@needs_columns
def test_a_program_function_between_the_try_and_the_call():
    out = run_program(
        "import torch\ndef f(x):\n    return x.reshape('a')\n"
        "try:\n    f(torch.ones(2))\nexcept TypeError as e:\n    print(e)\n")
    assert out == "reshape(): argument 'shape' (position 1) must be tuple of ints, not str\n"


@needs_columns
def test_the_programs_own_exceptions_pass_unchanged():
    out = run_program(
        "import torch\ntry:\n    raise TypeError('mine')\nexcept TypeError as e:\n"
        "    print(e)\n")
    assert out == "mine\n"


def test_a_library_call_refused_is_pytorchs_typeerror_and_a_good_call_unchanged():
    import gradsh as torch
    t = torch.ones(2, 3)
    with pytest.raises(TypeError) as info:
        t.sum(dim=1.5)
    assert str(info.value).startswith("sum() received an invalid combination of arguments - "
                                      "got (dim=float, ), but expected one of:")
    with pytest.raises(TypeError, match=r"^maximum\(\): argument 'other' \(position 2\) must "
                       "be Tensor, not float$"):
        torch.maximum(t, 1.5)
    assert t.sum(dim=1).tolist() == [3.0, 3.0]


def test_an_inner_call_of_gradsh_is_not_translated():
    """Only the function the program called answers in PyTorch's words (nansum calls sum,
    which fails first: the message is nansum's)."""
    import gradsh as torch
    with pytest.raises(TypeError, match=r"^nansum\(\): argument 'dim' \(position 1\) must be "
                       r"tuple of ints, not float$"):
        torch.ones(2, 3).nansum(1.5)
