"""Fixes found by branch adv14d's blind optim/nn programs (tests/data/learner_programs/adv14d_*),
each compared with what PyTorch 2.13 does."""

import itertools

import pytest

import gradsh

torch = pytest.importorskip("torch", reason="PyTorch is the oracle for these fixes")

FUSED = ["SGD", "Adam", "AdamW", "Adagrad"]


def _construct(lib, name, **flags):
    """The class and words of the error constructing the optimizer with these flags, or "ok"."""
    try:
        getattr(lib.optim, name)([lib.zeros(2, requires_grad=True)], lr=0.1, **flags)
        return "ok"
    except Exception as error:  # the class and words are what is compared
        return type(error).__name__, str(error)


@pytest.mark.parametrize("name", FUSED)
def test_fused_flag_checks_are_pytorchs_in_its_order(name):
    # fused=True with differentiable=True is refused before fused with foreach (both set: the
    # differentiable message); gradsh accepted fused with differentiable
    for fused, foreach, differentiable in itertools.product([True, False, None], [True, False, None],
                                                            [True, False]):
        flags = dict(fused=fused, foreach=foreach, differentiable=differentiable)
        assert _construct(gradsh, name, **flags) == _construct(torch, name, **flags), flags


def _extended(lib, container, arg):
    made = {"Sequential": lambda: lib.nn.Sequential(lib.nn.ReLU()),
            "ModuleList": lambda: lib.nn.ModuleList([lib.nn.ReLU()]),
            "ParameterList": lambda: lib.nn.ParameterList([lib.zeros(1)])}[container]()
    try:
        made.extend(arg(lib))
        return "ok", len(made)
    except Exception as error:  # the class and words are what is compared
        return type(error).__name__, str(error)


@pytest.mark.parametrize("container", ["Sequential", "ModuleList", "ParameterList"])
def test_extend_refuses_what_is_not_an_iterable_in_pytorchs_words(container):
    # ModuleList/ParameterList.extend name themselves and the type (a tensor too, for
    # ParameterList); gradsh gave Python's "'int' object is not iterable" and took a tensor
    args = [lambda t: 5, lambda t: None, lambda t: t.zeros(2), lambda t: "ab",
            lambda t: (m for m in [t.nn.ReLU()])]
    for arg in args:
        assert _extended(gradsh, container, arg) == _extended(torch, container, arg)
