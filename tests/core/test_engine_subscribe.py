"""The engine tells subscribers of each leaf whose .grad a backward run changed, and keeps no
list of its own (the REPL's report of changed gradients subscribes: tests/lang)."""

import gradsh
from gradsh.core import engine


def test_subscribers_hear_of_each_leaf_a_backward_changes_until_they_unsubscribe():
    heard = []
    stop = engine.subscribe(heard.append)
    try:
        a = gradsh.tensor([1.0, 2.0], requires_grad=True)
        b = gradsh.tensor(3.0, requires_grad=True)
        (a * b).sum().backward()
        assert sorted(map(id, heard)) == sorted([id(a), id(b)])
        gradsh.autograd.grad((a * 2).sum(), a)  # returns gradients, changes no .grad
        assert len(heard) == 2
    finally:
        stop()
    (a * b).sum().backward()
    assert len(heard) == 2
