"""What hostile round 19 (issue 16, docs/security.md "A nineteenth round") found in the core,
each ending checked against PyTorch 2.13 run on the same call where PyTorch ends (skipped
without it): `torch.overrides.has_torch_function`/`handle_torch_function` given an endless
iterable (read for ever; PyTorch reads it until memory runs out), and a chain of conjugates
kept alive past the limit (PyTorch is superlinear there: 10^4 took minutes)."""

import itertools

import pytest

import gradsh
from test_hostile18_endings import _ending  # (the ending of a call: its value or exception)

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


SPARSE = [  # (indices, size): duplicates, several sparse dims, a dense dim, unsorted
    ([[2, 0, 2, 1, 0]], (3,)),
    ([[1, 1, 0, 1], [2, 0, 1, 2]], (2, 3)),
    ([[0, 0, 0], [1, 1, 1], [0, 1, 0]], (1, 2, 2)),
    ([[3, 1, 3, 3], [0, 2, 0, 0]], (4, 3, 2)),
]


@pytest.mark.parametrize("indices, size", SPARSE)
def test_coalesce_sums_duplicates_in_pytorchs_order(indices, size):
    torch = pytest.importorskip("torch", reason="PyTorch is the oracle of coalesce")
    ends = []
    for t in (gradsh, torch):
        n = len(indices[0])
        values = t.arange(1.0, n * 2 + 1).reshape(n, 2)[:, : (2 if len(size) > len(indices)
                                                               else 1)]
        if len(size) == len(indices):
            values = values[:, 0]
        c = t.sparse_coo_tensor(t.tensor(indices), values, size).coalesce()
        ends.append((c.indices().tolist(), c.values().tolist(), c.is_coalesced()))
    assert ends[0] == ends[1]


def test_coalescing_a_million_duplicates_costs_a_sort_of_ints():
    """numpy's unique over an axis compared the columns as raw bytes: 10^6 equal indices took
    8 s of CPU, 10^7 80 s; one int per column sorts in milliseconds."""
    import time
    i = gradsh.zeros(2, 10 ** 6, dtype=gradsh.long)
    started = time.process_time()
    c = gradsh.sparse_coo_tensor(i, gradsh.ones(10 ** 6), (3, 3)).coalesce()
    assert time.process_time() - started < 2.0
    assert c.values().tolist() == [1e6] and c.indices().tolist() == [[0], [0]]
