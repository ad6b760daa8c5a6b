"""Learning-rate schedulers against PyTorch: the learning rates (and cycled momenta) of every
step as the same floats, state_dict, the step-order warnings and the argument errors
(PyTorch is the oracle; skipped without it)."""

import math
import warnings

import pytest

import gradsh

torch = pytest.importorskip("torch", reason="PyTorch is the oracle for the schedulers")


def _sgd(lib, groups=1):
    params = [lib.nn.Parameter(lib.tensor([1.0, -2.0])) for _ in range(groups)]
    return lib.optim.SGD([{"params": [p], "lr": 0.1 * (i + 1)} for i, p in enumerate(params)],
                         lr=0.1, momentum=0.9), params


def _adam(lib):
    p = lib.nn.Parameter(lib.tensor([1.0, -2.0]))
    return lib.optim.Adam([p], lr=0.01), [p]


S = "lr_scheduler"
# (id, optimizer maker, scheduler maker(lib, optimizer), steps, per-step metric or None)
CASES = [
    ("constant", _sgd, lambda m, o: m.optim.lr_scheduler.ConstantLR(o, factor=0.5,
                                                                    total_iters=4), 8),
    ("polynomial", _sgd, lambda m, o: m.optim.lr_scheduler.PolynomialLR(o, total_iters=6,
                                                                        power=2.0), 9),
    ("multiplicative", _sgd, lambda m, o: m.optim.lr_scheduler.MultiplicativeLR(
        o, lambda epoch: 0.95), 6),
    ("cyclic-triangular", _sgd, lambda m, o: m.optim.lr_scheduler.CyclicLR(
        o, base_lr=0.01, max_lr=0.1, step_size_up=3), 14),
    ("cyclic-triangular2-groups", lambda m: _sgd(m, 2), lambda m, o: m.optim.lr_scheduler.CyclicLR(
        o, base_lr=[0.01, 0.02], max_lr=0.1, step_size_up=2, step_size_down=3,
        mode="triangular2"), 16),
    ("cyclic-exp-range-adam", _adam, lambda m, o: m.optim.lr_scheduler.CyclicLR(
        o, 0.001, 0.01, step_size_up=4, mode="exp_range", gamma=0.9), 12),
    ("cyclic-custom-no-momentum", _sgd, lambda m, o: m.optim.lr_scheduler.CyclicLR(
        o, 0.001, 0.01, step_size_up=2, scale_fn=lambda x: 0.5 ** x, scale_mode="iterations",
        cycle_momentum=False), 9),
    ("onecycle-cos", _sgd, lambda m, o: m.optim.lr_scheduler.OneCycleLR(
        o, max_lr=0.1, total_steps=12), 11),
    ("onecycle-linear-three-phase-adam", _adam, lambda m, o: m.optim.lr_scheduler.OneCycleLR(
        o, max_lr=0.01, epochs=3, steps_per_epoch=5, anneal_strategy="linear",
        three_phase=True), 14),
    ("warm-restarts", _sgd, lambda m, o: m.optim.lr_scheduler.CosineAnnealingWarmRestarts(
        o, T_0=3), 10),
    ("warm-restarts-mult", _sgd, lambda m, o: m.optim.lr_scheduler.CosineAnnealingWarmRestarts(
        o, T_0=2, T_mult=2, eta_min=0.001), 15),
    ("sequential", _sgd, lambda m, o: m.optim.lr_scheduler.SequentialLR(
        o, [m.optim.lr_scheduler.LinearLR(o, start_factor=0.25, total_iters=3),
            m.optim.lr_scheduler.ExponentialLR(o, gamma=0.9)], milestones=[3]), 8),
    ("sequential-three", _sgd, lambda m, o: m.optim.lr_scheduler.SequentialLR(
        o, [m.optim.lr_scheduler.ConstantLR(o, factor=0.1, total_iters=2),
            m.optim.lr_scheduler.CosineAnnealingLR(o, T_max=4),
            m.optim.lr_scheduler.StepLR(o, step_size=2, gamma=0.5)], milestones=[2, 6]), 10),
    ("chained", _sgd, lambda m, o: m.optim.lr_scheduler.ChainedScheduler(
        [m.optim.lr_scheduler.ConstantLR(o, factor=0.1, total_iters=2),
         m.optim.lr_scheduler.ExponentialLR(o, gamma=0.9)]), 6),
]


def _run(lib, make_opt, make_sched, steps):
    opt, params = make_opt(lib)
    sched = make_sched(lib, opt)
    seen = [sched.get_last_lr()]
    for _ in range(steps):
        opt.zero_grad()
        sum((p ** 2).sum() for p in params).backward()
        opt.step()
        sched.step()
        seen.append((sched.get_last_lr(), [g.get("momentum", g.get("betas"))
                                           for g in opt.param_groups]))
    return seen, str(sched.state_dict()), repr(opt)


@pytest.mark.parametrize("make_opt,make_sched,steps", [c[1:] for c in CASES],
                         ids=[c[0] for c in CASES])
def test_learning_rates_and_state_are_pytorchs(make_opt, make_sched, steps):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        ours = _run(gradsh, make_opt, make_sched, steps)
        theirs = _run(torch, make_opt, make_sched, steps)
    assert ours == theirs


def _plateau_run(lib, metrics, **kwargs):
    opt, _ = _sgd(lib, 2)
    sched = lib.optim.lr_scheduler.ReduceLROnPlateau(opt, **kwargs)
    lrs = []
    for value in metrics:
        sched.step(lib.tensor(value))
        lrs.append((sched.get_last_lr(), sched.num_bad_epochs, sched.cooldown_counter))
    return lrs, str(sched.state_dict())


PLATEAU_METRICS = [1.0, 0.9, 0.95, 0.9, 0.91, 0.92, 0.5, 0.6, 0.7, 0.8, 0.9, 0.49999, 1.0, 1.0]


@pytest.mark.parametrize("kwargs", [
    dict(patience=1), dict(mode="max", patience=0, factor=0.5, cooldown=2),
    dict(patience=2, threshold=0.05, threshold_mode="abs", min_lr=[0.05, 0.01]),
    dict(mode="max", threshold_mode="abs", patience=1, eps=0.02, min_lr=0.03),
])
def test_reduce_on_plateau_follows_pytorch(kwargs):
    assert _plateau_run(gradsh, PLATEAU_METRICS, **kwargs) == \
        _plateau_run(torch, PLATEAU_METRICS, **kwargs)


def _warnings_of(lib, scheduler_first):
    opt, params = _sgd(lib)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        sched = lib.optim.lr_scheduler.ConstantLR(opt)
        if not scheduler_first:
            opt.step()
        sched.step()
        sched.step(3)
        sched.get_lr()
    return [str(w.message) for w in caught]


@pytest.mark.parametrize("scheduler_first", [True, False])
def test_step_order_epoch_and_get_lr_warnings_are_pytorchs(scheduler_first):
    ours = _warnings_of(gradsh, scheduler_first)
    assert ours == _warnings_of(torch, scheduler_first)
    assert any("before `optimizer.step()`" in m for m in ours) == scheduler_first


def _closed_forms(lib, name, kwargs):
    opt, _ = _sgd(lib)
    sched = getattr(lib.optim.lr_scheduler, name)(opt, **kwargs)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return [sched.step(epoch) or sched.get_last_lr() for epoch in (3, 1, 7, 5)]


@pytest.mark.parametrize("name,kwargs", [
    ("StepLR", dict(step_size=2)), ("MultiStepLR", dict(milestones=[2, 5, 5])),
    ("ConstantLR", dict()), ("LinearLR", dict()), ("ExponentialLR", dict(gamma=0.8)),
    ("PolynomialLR", dict(power=1.5)), ("CosineAnnealingLR", dict(T_max=4)),
    ("CosineAnnealingWarmRestarts", dict(T_0=2, T_mult=3)),
])
def test_step_with_an_epoch_uses_pytorchs_closed_form(name, kwargs):
    assert _closed_forms(gradsh, name, kwargs) == _closed_forms(torch, name, kwargs)


BAD = [
    ("ConstantLR", dict(factor=1.5)),
    ("CyclicLR", dict(base_lr=0.1, max_lr=1.0, mode="cubic")),
    ("CyclicLR", dict(base_lr=[0.1, 0.2], max_lr=1.0)),
    ("OneCycleLR", dict(max_lr=0.1)),
    ("OneCycleLR", dict(max_lr=0.1, total_steps=0)),
    ("OneCycleLR", dict(max_lr=0.1, epochs=2, steps_per_epoch=-1)),
    ("OneCycleLR", dict(max_lr=0.1, total_steps=5, pct_start=1)),
    ("OneCycleLR", dict(max_lr=0.1, total_steps=5, anneal_strategy="cubic")),
    ("CosineAnnealingWarmRestarts", dict(T_0=0)),
    ("CosineAnnealingWarmRestarts", dict(T_0=2, T_mult=0)),
    ("ReduceLROnPlateau", dict(factor=1.0)),
    ("ReduceLROnPlateau", dict(mode="up")),
    ("ReduceLROnPlateau", dict(min_lr=[0.1, 0.2])),
    ("MultiplicativeLR", dict(lr_lambda=0.5)),
    ("SequentialLR", dict(schedulers=[], milestones=[])),
    ("ChainedScheduler", dict(schedulers=[])),
]


def _errors(act):
    """(class, message) of what act(lib, optimizer) raises, in gradsh and in PyTorch."""
    raised = []
    for lib in (gradsh, torch):
        opt, _ = _sgd(lib)
        with warnings.catch_warnings(), pytest.raises(Exception) as info:
            warnings.simplefilter("ignore")
            act(lib, opt)
        raised.append((type(info.value).__name__, str(info.value)))
    return raised


@pytest.mark.parametrize("name,kwargs", BAD)
def test_bad_arguments_raise_pytorchs_errors(name, kwargs):
    args = (lambda opt: ()) if name == "ChainedScheduler" else (lambda opt: (opt,))
    ours, theirs = _errors(
        lambda lib, opt: getattr(lib.optim.lr_scheduler, name)(*args(opt), **kwargs))
    assert ours == theirs


def _three_steps_of_two(lib, opt):
    sched = lib.optim.lr_scheduler.OneCycleLR(opt, max_lr=0.1, total_steps=2)
    for _ in range(3):
        sched.step()


def test_onecycle_past_its_total_steps_raises_as_pytorch():
    ours, theirs = _errors(_three_steps_of_two)
    assert ours == theirs and "Tried to step 3 times" in ours[1]


def test_sequential_rejects_a_plateau_member_as_pytorch():
    ours, theirs = _errors(lambda lib, opt: lib.optim.lr_scheduler.ChainedScheduler(
        [lib.optim.lr_scheduler.ReduceLROnPlateau(opt)]))
    assert ours == theirs and ours[0] == "ValueError"


def test_load_state_dict_resumes_a_one_cycle_schedule():
    lrs = []
    for lib in (gradsh, torch):
        opt, _ = _sgd(lib)
        first = lib.optim.lr_scheduler.OneCycleLR(opt, max_lr=0.1, total_steps=10)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            for _ in range(4):
                first.step()
            opt2, _ = _sgd(lib)
            second = lib.optim.lr_scheduler.OneCycleLR(opt2, max_lr=0.1, total_steps=10)
            second.load_state_dict(first.state_dict())
            second.step()
        lrs.append(second.get_last_lr())
    assert lrs[0] == lrs[1] and not math.isclose(lrs[0][0], 0.1 / 25)


def test_lambda_scheduler_load_state_dict_refuses_what_is_not_a_dict_as_pytorch():
    # found by the API fuzzer (seed 14): a list holding an endless iterable was read for ever
    # by dict(); PyTorch's first step, state_dict.pop("lr_lambdas"), fails at once
    model = gradsh.nn.Linear(2, 2)
    sched = gradsh.optim.lr_scheduler.LambdaLR(gradsh.optim.SGD(model.parameters(), lr=0.1),
                                               lambda epoch: 0.5)
    with pytest.raises(TypeError, match="^'str' object cannot be interpreted as an integer$"):
        sched.load_state_dict([iter(int, 1), 2])
    with pytest.raises(AttributeError, match="^'int' object has no attribute 'pop'$"):
        sched.load_state_dict(3)
    sched.load_state_dict(sched.state_dict())
