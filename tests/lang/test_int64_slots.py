"""Ints past int64 in PyTorch's int parameters (issue 16, round 10's leftover): for every int
parameter of every signature gradsh offers (gradsh/core/signatures.txt), a call with 2 ** 63,
-2 ** 63 - 1 or a list holding one gives PyTorch's exception and message, in a .grad program
and under `import gradsh as torch`. PyTorch's outcomes are tests/data/int64_slots.json
(tools/record_int64_sweep.py): its parser refuses every one of them before the op runs.

PyTorch's message for a list ends in its C++ stack ("failed to unpack the object at pos 1 with
error \"Overflow when unpacking long long\nException raised from ..."); gradsh's ends after the
first line, with the quote closed (docs/autograd.md, "Argument errors")."""

import json
import os
import pathlib
import sys

import pytest

from gradsh.core import argcheck

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
import argument_sweep  # noqa: E402

DATA = pathlib.Path(__file__).resolve().parent.parent / "data" / "int64_slots.json"
SAMPLE_EVERY = 3  # of the 1,152 calls; GRADSH_FULL_SWEEP=1 runs all


def _facts():
    facts = json.loads(DATA.read_text())["facts"]
    sources = sorted(facts)
    if not os.environ.get("GRADSH_FULL_SWEEP"):
        sources = sources[::SAMPLE_EVERY]
    return facts, sources


def _expected(fact):
    """PyTorch's outcome as gradsh words it: the first line of a list's message, closed."""
    kind, message = fact
    return [kind, message + '"' if message.endswith(argcheck.OVERFLOW) and
            message != argcheck.OVERFLOW else message]


def _differences(facts, sources, got):
    return {s: (_expected(facts[s]), mine) for s, mine in zip(sources, got)
            if mine != _expected(facts[s])}


def _report(differ):
    return "%d differ:\n" % len(differ) + "\n".join(
        "%s\n  torch:  %s\n  gradsh: %s" % (s, t, m) for s, (t, m) in sorted(differ.items())[:25])


def test_every_recorded_call_is_refused_by_pytorch_as_an_overflow():
    facts = json.loads(DATA.read_text())["facts"]
    assert len(facts) > 1000
    assert all(f is not None and argcheck.OVERFLOW in f[1] for f in facts.values())


def test_ints_past_int64_in_int_parameters_in_a_program():
    facts, sources = _facts()
    differ = _differences(facts, sources, argument_sweep.run_in_gradsh(sources))
    assert not differ, _report(differ)


def test_ints_past_int64_in_int_parameters_under_import_gradsh_as_torch():
    facts, sources = _facts()
    differ = _differences(facts, sources, argument_sweep.run_in_python(sources))
    assert not differ, _report(differ)


@pytest.mark.parametrize("value, accepted", [
    (2 ** 63 - 1, True), (-2 ** 63, True), (2 ** 63, False), (-2 ** 63 - 1, False),
    (True, True), (10 ** 100, False)])
def test_the_bounds_are_int64s(value, accepted):
    assert argcheck._overflows(value) is not accepted
