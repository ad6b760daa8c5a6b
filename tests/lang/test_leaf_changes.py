"""The session's list of leaves a statement changed (LeafChanges, gradsh/lang/runtime/
namespaces.py), built from the engine's calls (engine.subscribe)."""

import gc

import gradsh
from gradsh.core import engine
from gradsh.lang.runtime.namespaces import LeafChanges


def test_leaf_changes_lists_leaves_changed_since_a_count_latest_change_last():
    changes = LeafChanges()
    stop = engine.subscribe(changes.note)
    try:
        a = gradsh.tensor(1.0, requires_grad=True)
        b = gradsh.tensor(2.0, requires_grad=True)
        start = changes.count()
        (a * b).backward()
        first = changes.since(start)
        assert {id(t) for t in first} == {id(a), id(b)}
        mid = changes.count()
        (a * 3).backward()  # a changes again: it is the only one since `mid`, and moves last
        assert changes.since(mid) == [a]
        assert changes.since(start)[-1] is a
        del a, first
        gc.collect()
        assert changes.since(start) == [b]  # a dead leaf is forgotten
    finally:
        stop()
