"""What hostile round 19 (issue 16, docs/security.md "A nineteenth round") found in the core,
each ending checked against PyTorch 2.13 run on the same call where PyTorch ends (skipped
without it): `torch.overrides.has_torch_function`/`handle_torch_function` given an endless
iterable (read for ever; PyTorch reads it until memory runs out), and a chain of conjugates
kept alive past the limit (PyTorch is superlinear there: 10^4 took minutes)."""

import itertools

import pytest

import gradsh

# (id, call of the module given: gradsh or torch)
CASES = [
    ("has-of-iterator", lambda t: t.overrides.has_torch_function(iter([1, 2]))),
    ("has-of-list", lambda t: t.overrides.has_torch_function([t.ones(1)])),
    ("has-of-int", lambda t: t.overrides.has_torch_function(5)),
    ("has-of-none", lambda t: t.overrides.has_torch_function(None)),
    ("has-of-str", lambda t: t.overrides.has_torch_function("ab")),
    ("has-of-dict", lambda t: t.overrides.has_torch_function({1: 2})),
    ("has-of-generator", lambda t: t.overrides.has_torch_function(x for x in [t.ones(1)])),
    ("handle-of-int", lambda t: t.overrides.handle_torch_function(t.add, 5, 1, 2)),
    ("handle-of-none", lambda t: t.overrides.handle_torch_function(t.add, None, 1, 2)),
]


def _ending(module, call):
    try:
        return "value", repr(call(module))
    except Exception as e:  # noqa: B902 - the ending, whatever it is, is compared
        return type(e).__name__, str(e)


@pytest.mark.parametrize("call", [c[1] for c in CASES], ids=[c[0] for c in CASES])
def test_the_ending_is_pytorchs(call):
    torch = pytest.importorskip("torch", reason="PyTorch is the oracle of these endings")
    assert _ending(gradsh, call) == _ending(torch, call)


@pytest.mark.parametrize("call", [
    lambda: gradsh.overrides.has_torch_function(itertools.repeat(1)),
    lambda: gradsh.overrides.handle_torch_function(gradsh.add, itertools.count(), 1, 2)])
def test_an_endless_relevant_args_is_refused_within_the_reading_budget(monkeypatch, call):
    from gradsh.core import dtypes
    from gradsh.core.dtypes import TooManyItems
    monkeypatch.setattr(dtypes, "READ_SECONDS", 0.05)  # (the budget's length is not the point)
    with pytest.raises(TooManyItems):
        call()


def test_a_chain_of_conjugates_alive_past_the_limit_is_refused(monkeypatch):
    from gradsh.core import tensor
    monkeypatch.setattr(tensor, "MAX_CONJ_LINKS", 50)
    z = gradsh.ones(2, 2, dtype=gradsh.complex64)
    kept = []
    with pytest.raises(tensor.TooManyConjugates, match="more than 50 conjugates"):
        for _ in range(100):
            z = z.conj().t()
            kept.append(z)
    assert len(kept) == 50
    # conjugates that die free their place: a loop that drops each keeps going
    w = gradsh.ones(2, 2, dtype=gradsh.complex64)
    for _ in range(200):
        w.conj().t()
