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


def _adam_made(lib, cls, betas, lr, flags):
    try:
        w = lib.tensor([1.0, 2.0], requires_grad=True)
        opt = getattr(lib.optim, cls)([w], lr=lr(lib), betas=betas(lib), **flags)
        w.grad = lib.tensor([0.5, -1.0])
        opt.step()
        return str(opt.param_groups[0]["betas"]), w.tolist()
    except Exception as error:  # the class and words are what is compared
        return type(error).__name__, str(error)


@pytest.mark.parametrize("cls", ["Adam", "AdamW"])
def test_adam_checks_the_types_of_betas_and_a_tensor_lr_as_pytorch(cls):
    # "betas must be either both floats or both Tensors" (an int beta too), the foreach
    # refusals of tensor hyperparameters, one-element tensors made 0-d; gradsh took them all
    betas = [lambda t: (0.9, 0.99), lambda t: (0, 0.99), lambda t: [0.5, 0.6],
             lambda t: (t.tensor(0.9), t.tensor([0.99])), lambda t: (t.tensor(0.9), 0.9),
             lambda t: (t.tensor([0.9, 0.8]), t.tensor(0.9))]
    lrs = [lambda t: 0.1, lambda t: t.tensor(0.1), lambda t: t.tensor([0.1, 0.2])]
    for flags in [dict(), dict(foreach=True), dict(foreach=True, capturable=True)]:
        for beta in betas:
            for lr in lrs:
                assert _adam_made(gradsh, cls, beta, lr, flags) == \
                    _adam_made(torch, cls, beta, lr, flags)


def _loaded(lib):
    out = []
    w = lib.zeros(2, requires_grad=True)
    opt = lib.optim.SGD([w], lr=0.1)
    for saved in [5, {"state": {}}, {"state": {7: {"x": 1}}, "param_groups": [{"params": [0],
                                                                                "lr": 0.3}]}]:
        try:
            opt.load_state_dict(saved)
            out.append((str(opt.param_groups), sorted(map(str, opt.state))))
        except Exception as error:  # the class and words are what is compared
            out.append((type(error).__name__, str(error)))
    sched = lib.optim.lr_scheduler.LambdaLR(lib.optim.SGD([w], lr=0.1), lambda e: 0.5)
    try:
        sched.load_state_dict({"last_epoch": 4})
    except KeyError as error:
        out.append(("KeyError", str(error)))
    return out


def test_load_state_dict_edges_are_pytorchs():
    # a non-dict is Python's AttributeError from `.copy()`; state saved for no parameter is
    # kept under its key; a group's "params" stays in the saved group's place; LambdaLR wants
    # its "lr_lambdas" entry (KeyError)
    assert _loaded(gradsh) == _loaded(torch)


def _captured(lib, name, foreach):
    w = lib.zeros(2, requires_grad=True)
    w.grad = lib.ones(2)
    try:
        getattr(lib.optim, name)([w], lr=0.1, capturable=True, foreach=foreach).step()
        return "ok"
    except Exception as error:  # the class and words are what is compared
        return type(error).__name__, str(error)


@pytest.mark.parametrize("name", ["Adam", "AdamW", "Adadelta", "Adamax", "ASGD", "NAdam",
                                  "RAdam", "RMSprop", "Rprop"])
def test_capturable_on_cpu_with_foreach_names_the_multi_tensor_kernels_devices(name):
    # foreach=True: most _multi_tensor_* functions leave 'xla' out of the devices (NAdam's
    # words have a comma more); the single-tensor ones keep it
    for foreach in [None, False, True]:
        assert _captured(gradsh, name, foreach) == _captured(torch, name, foreach)
