"""What hostile round 20 (issue 16, docs/security.md "A twentieth round") found in the core,
each ending checked against PyTorch 2.13 run on the same call (skipped without it):
`torch.overrides.handle_torch_function` with nothing among its relevant arguments that
implements `__torch_function__` is PyTorch's TypeError "no implementation found" (it called the
function), and nn.AdaptiveLogSoftmaxWithLoss given a tensor of cutoffs checks the values at
once (element by element, 10^6 0-d tensors took seconds) with PyTorch's ending."""

import pytest

import gradsh
from test_hostile18_endings import _ending  # (the ending of a call: its value or exception)


def _handle(t, fn, relevant, *args):
    return t.overrides.handle_torch_function(fn, relevant, *args)


def _dual_of(t, pick, shape=(2,)):
    """make_dual of (something made from) a dual tensor, in a dual level."""
    fwad = t.autograd.forward_ad
    with fwad.dual_level():
        d = fwad.make_dual(t.ones(2), t.ones(2))
        return fwad.make_dual(pick(d), t.ones(shape))


# (id, call of the module given: gradsh or torch)
CASES = [
    ("handle-empty", lambda t: _handle(t, t.add, (), t.ones(1), 2)),
    ("handle-empty-list", lambda t: _handle(t, t.add, [], t.ones(1), 2)),
    ("handle-ints", lambda t: _handle(t, t.add, (1, 2), 1, 2)),
    ("handle-plain-tensor", lambda t: _handle(t, t.add, (t.ones(1),), t.ones(1), 2)),
    ("handle-tensor-in-list", lambda t: _handle(t, t.mul, [t.ones(2)], t.ones(2), 3)),
    ("handle-functional", lambda t: _handle(t, t.nn.functional.relu, (), t.ones(1))),
    ("handle-parameter", lambda t: _handle(t, t.add, (t.nn.Parameter(t.ones(1)),),
                                           t.ones(1), 1)),
    ("alswl-tensor-from-zero", lambda t: t.nn.AdaptiveLogSoftmaxWithLoss(8, 10, t.arange(5))),
    ("alswl-tensor-big", lambda t: t.nn.AdaptiveLogSoftmaxWithLoss(8, 10, t.arange(10 ** 4))),
    ("alswl-tensor-decreasing", lambda t: t.nn.AdaptiveLogSoftmaxWithLoss(
        8, 10, t.tensor([5, 3]))),
    ("alswl-tensor-past-classes", lambda t: t.nn.AdaptiveLogSoftmaxWithLoss(
        8, 10, t.tensor([2, 10]))),
    ("alswl-tensor-fraction", lambda t: t.nn.AdaptiveLogSoftmaxWithLoss(
        8, 10, t.tensor([1.5, 2.0]))),
    ("alswl-tensor-repeated", lambda t: t.nn.AdaptiveLogSoftmaxWithLoss(
        8, 10, t.tensor([1, 1, 2])).cutoffs),
    ("alswl-list-repeated", lambda t: t.nn.AdaptiveLogSoftmaxWithLoss(8, 10, [1, 1, 2])),
    ("alswl-str", lambda t: t.nn.AdaptiveLogSoftmaxWithLoss(8, 10, "abc")),
    ("alswl-tensor-nan", lambda t: t.nn.AdaptiveLogSoftmaxWithLoss(
        8, 10, t.tensor([1.0, float("nan")]))),
    ("exit-dual-level-none-open", lambda t: t.autograd.forward_ad.exit_dual_level()),
    ("exit-dual-level-other", lambda t: t.autograd.forward_ad.exit_dual_level(level=3)),
    ("make-dual-of-dual", lambda t: _dual_of(t, lambda d: d)),
    ("make-dual-of-dual-op", lambda t: _dual_of(t, lambda d: d * 1.0)),
    ("make-dual-of-dual-view", lambda t: _dual_of(t, lambda d: d[0], ())),
    ("make-dual-of-dual-wrong-size", lambda t: _dual_of(t, lambda d: d, (3,))),
    ("make-dual-of-detached", lambda t: _dual_of(t, lambda d: d.detach()).shape),
    ("sparse-sum-of-dense", lambda t: t.sparse.sum(t.ones(3, requires_grad=True) * 2)),
    ("alswl-tensor-good", lambda t: t.nn.AdaptiveLogSoftmaxWithLoss(
        8, 10, t.tensor([2, 4])).cutoffs),
]


@pytest.mark.parametrize("call", [c[1] for c in CASES], ids=[c[0] for c in CASES])
def test_the_ending_is_pytorchs(call):
    torch = pytest.importorskip("torch", reason="PyTorch is the oracle of these endings")
    assert _ending(gradsh, call) == _ending(torch, call)


def test_a_program_function_is_named_by_its_module():
    def f(x):
        return x
    # (PyTorch 2.13 names it by __module__ and __name__, not the qualified name: a method f of
    # a class A in a script is '__main__.f')
    for fn, name in ((f, __name__ + ".f"), (print, "builtins.print")):
        with pytest.raises(TypeError, match="no implementation found for '%s'" % name):
            gradsh.overrides.handle_torch_function(fn, (), 1)


def test_a_big_bad_tensor_of_cutoffs_is_refused_without_taking_it_apart(monkeypatch):
    from gradsh.core import tensor
    calls = []
    monkeypatch.setattr(tensor.Tensor, "__iter__",
                        lambda self: calls.append(1) or iter(()), raising=True)
    with pytest.raises(ValueError, match="cutoffs should be a sequence"):
        gradsh.nn.AdaptiveLogSoftmaxWithLoss(8, 10, gradsh.arange(10 ** 6))
    assert calls == []


def test_endless_cutoffs_are_refused_within_the_reading_budget(monkeypatch):
    import itertools

    from gradsh.core import dtypes
    from gradsh.core.dtypes import TooManyItems
    monkeypatch.setattr(dtypes, "READ_SECONDS", 0.05)  # (the budget's length is not the point)
    with pytest.raises(TooManyItems):
        gradsh.nn.AdaptiveLogSoftmaxWithLoss(8, 10, itertools.count(1))
