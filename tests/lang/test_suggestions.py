""""Did you mean" chosen as Python 3.12 chooses it (facts recorded from Python 3.12.1 in
tests/data/python312_suggestions.json), plus gradsh's one addition: a swapped pair of letters."""

import json
import os

import pytest

from gradsh.lang import GradshError, Session
from gradsh.lang.runtime.suggest import edit_distance, suggestion

with open(os.path.join(os.path.dirname(__file__), "..", "data",
                       "python312_suggestions.json")) as f:
    FACTS = json.load(f)


def test_edit_distance_is_pythons_within_the_limit():
    for a, b, limit, python in FACTS["distances"]:
        ours = edit_distance(a, b, limit)
        assert (ours > limit) == (python > limit), (a, b, limit)
        if python <= limit:
            assert ours == python, (a, b, limit)


def test_suggestions_are_pythons_where_python_suggests():
    candidates = sorted(FACTS["candidates"])
    for wrong, python in FACTS["suggestions"]:
        if python is not None:
            assert suggestion(wrong, candidates) == python, wrong


def test_a_swapped_pair_is_suggested_where_python_has_nothing():
    candidates = sorted(FACTS["candidates"])
    assert dict(FACTS["suggestions"])["gard"] is None        # Python 3.12: no suggestion
    assert suggestion("gard", candidates) == "grad"
    assert suggestion("mena", candidates) == "mean"
    assert suggestion("xyz", candidates) is None


@pytest.mark.parametrize("source, message", [
    ("prnt(1)\n", "name 'prnt' is not defined. Did you mean: 'print'?"),
    ("x = torch.ones(2)\nx.backwards()\n",
     "'Tensor' object has no attribute 'backwards'. Did you mean: 'backward'?"),
    ("torch.onez(2)\n", "module 'torch' has no attribute 'onez'. Did you mean: 'ones'?"),
    ("[1].apend(2)\n", "'list' object has no attribute 'apend'. Did you mean: 'append'?"),
    ("def f(value):\n    return valeu\nf(1)\n",
     "name 'valeu' is not defined. Did you mean: 'value'?"),
    ("zzzz\n", "name 'zzzz' is not defined"),
])
def test_program_errors_say_did_you_mean(source, message):
    with pytest.raises(GradshError) as info:
        Session().run(source)
    assert info.value.message == message
