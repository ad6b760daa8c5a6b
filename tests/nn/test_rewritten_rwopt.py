"""The rewritten optimizer plumbing against PyTorch: every scheduler's learning rates over 30
steps (as exact floats, which fixes the order of the float operations), SWA's averaged
parameters and buffers, checkpointed gradients, and the DataLoader's batches with a seeded
shuffle (PyTorch is the oracle; skipped without it)."""

import warnings

import pytest

import gradsh

torch = pytest.importorskip("torch", reason="PyTorch is the oracle for these modules")


def _quiet(run, *args, **kwargs):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return run(*args, **kwargs)


# ----- SWA: AveragedModel, SWALR, update_bn -----

class _Averaging:
    """A model with float32 and float64 parameters, float and integer buffers."""

    @staticmethod
    def model(lib):
        lib.manual_seed(1)
        net = lib.nn.Sequential(lib.nn.Linear(3, 2), lib.nn.BatchNorm1d(2))
        net.register_parameter("wide", lib.nn.Parameter(lib.tensor([0.25, -1.5],
                                                                   dtype=lib.float64)))
        return net


def _averaged_run(lib, kind, use_buffers, steps=6):
    swa = lib.optim.swa_utils
    net = _Averaging.model(lib)
    avg_kw = {
        "swa": {},
        "ema-multi": {"multi_avg_fn": swa.get_ema_multi_avg_fn(0.7)},
        "swa-multi": {"multi_avg_fn": swa.get_swa_multi_avg_fn()},
        "ema": {"avg_fn": swa.get_ema_avg_fn(0.6)},
        "swa-fn": {"avg_fn": swa.get_swa_avg_fn()},
    }[kind]
    averaged = swa.AveragedModel(net, use_buffers=use_buffers, **avg_kw)
    x = lib.randn(5, 2)
    for step in range(steps):
        # elementwise changes of the model (a backward pass through matmul would bring BLAS's
        # last bits into what is meant to test the averages)
        with lib.no_grad():
            for p in net.parameters():
                p.mul_(-0.7).add_(0.3 * step)
            net[1](x * step)  # the batch norm's running statistics and its integer counter
        try:
            averaged.update_parameters(net)
        except RuntimeError as e:  # an integer buffer averaged by addcdiv_
            return type(e).__name__, str(e)
    state = averaged.state_dict()
    return [(k, str(v.dtype), v.tolist()) for k, v in state.items()]


@pytest.mark.parametrize("use_buffers", [False, True])
@pytest.mark.parametrize("kind", ["swa", "ema-multi", "swa-multi", "ema", "swa-fn"])
def test_averaged_model_parameters_and_buffers_are_pytorchs(kind, use_buffers):
    assert _quiet(_averaged_run, gradsh, kind, use_buffers) == \
        _quiet(_averaged_run, torch, kind, use_buffers)


def _update_bn_run(lib):
    lib.manual_seed(4)
    net = lib.nn.Sequential(lib.nn.BatchNorm1d(4, momentum=0.3), lib.nn.ReLU(),
                            lib.nn.BatchNorm1d(4))
    net.eval()
    batches = [(lib.randn(6, 4), 0), [lib.randn(4, 4)], lib.randn(5, 4)]
    lib.optim.swa_utils.update_bn(batches, net)
    norms = [net[0], net[2]]
    return ([(bn.momentum, int(bn.num_batches_tracked)) for bn in norms], net.training,
            [v for bn in norms for v in bn.running_mean.tolist() + bn.running_var.tolist()])


def test_update_bn_averages_every_batch_as_pytorch():
    ours, theirs = _update_bn_run(gradsh), _update_bn_run(torch)
    assert ours[:2] == theirs[:2]
    # the statistics to float32 rounding: the batch norm's own sums are not what is tested here
    assert ours[2] == pytest.approx(theirs[2], rel=1e-6)


def _swalr_run(lib, steps=30, **kwargs):
    params = [lib.nn.Parameter(lib.zeros(1)) for _ in range(2)]
    opt = lib.optim.SGD([{"params": [params[0]], "lr": 0.9}, {"params": [params[1]]}], lr=0.3)
    sched = lib.optim.swa_utils.SWALR(opt, **kwargs)
    lrs = [sched.get_last_lr()]
    for _ in range(steps):
        opt.step()
        sched.step()
        lrs.append(sched.get_last_lr())
    return lrs, str(sched.state_dict())


@pytest.mark.parametrize("kwargs", [
    dict(swa_lr=0.05), dict(swa_lr=[0.05, 0.7], anneal_epochs=7),
    dict(swa_lr=0.01, anneal_epochs=5, anneal_strategy="linear"),
    dict(swa_lr=0.2, anneal_epochs=0), dict(swa_lr=0.2, anneal_epochs=1, anneal_strategy="linear"),
])
def test_swalr_learning_rates_over_30_steps_are_pytorchs(kwargs):
    assert _quiet(_swalr_run, gradsh, **kwargs) == _quiet(_swalr_run, torch, **kwargs)


# ----- every scheduler over 30 steps -----

def _two_groups(lib, momentum=0.9):
    params = [lib.nn.Parameter(lib.zeros(1)) for _ in range(2)]
    return lib.optim.SGD([{"params": [params[0]], "lr": 0.07}, {"params": [params[1]]}],
                         lr=0.3, momentum=momentum)


L = "lr_scheduler"
SCHEDULES = {  # id -> (scheduler class name, keyword arguments)
    "step": ("StepLR", dict(step_size=4, gamma=0.3)),
    "multistep-repeated": ("MultiStepLR", dict(milestones=[3, 7, 7, 20], gamma=0.7)),
    "constant": ("ConstantLR", dict(factor=0.3, total_iters=9)),
    "exponential": ("ExponentialLR", dict(gamma=0.93)),
    "linear": ("LinearLR", dict(start_factor=0.1, end_factor=0.9, total_iters=17)),
    "linear-down": ("LinearLR", dict(start_factor=1.0, end_factor=0.05, total_iters=25)),
    "polynomial": ("PolynomialLR", dict(total_iters=22, power=1.7)),
    "cosine": ("CosineAnnealingLR", dict(T_max=7, eta_min=0.001)),
    "lambda": ("LambdaLR", dict(lr_lambda=lambda e: 1 / (1 + e) ** 0.5)),
    "multiplicative": ("MultiplicativeLR", dict(lr_lambda=lambda e: 0.97 if e % 3 else 1.01)),
    "cyclic": ("CyclicLR", dict(base_lr=0.01, max_lr=[0.2, 0.1], step_size_up=4,
                                step_size_down=7)),
    "cyclic-triangular2": ("CyclicLR", dict(base_lr=0.01, max_lr=0.3, step_size_up=3,
                                            mode="triangular2", base_momentum=0.7)),
    "cyclic-exp-range": ("CyclicLR", dict(base_lr=0.02, max_lr=0.2, step_size_up=5,
                                          mode="exp_range", gamma=0.97)),
    "onecycle": ("OneCycleLR", dict(max_lr=[0.5, 0.2], total_steps=31)),
    "onecycle-linear": ("OneCycleLR", dict(max_lr=0.4, epochs=4, steps_per_epoch=8,
                                           pct_start=0.2, anneal_strategy="linear",
                                           div_factor=10.0, final_div_factor=100.0)),
    "onecycle-three-phase": ("OneCycleLR", dict(max_lr=0.4, total_steps=33, three_phase=True,
                                                base_momentum=0.8, max_momentum=0.99)),
    "warm-restarts": ("CosineAnnealingWarmRestarts", dict(T_0=6, eta_min=0.002)),
    "warm-restarts-mult": ("CosineAnnealingWarmRestarts", dict(T_0=3, T_mult=3)),
}


def _schedule_run(lib, name, kwargs, steps=30):
    opt = _two_groups(lib)
    sched = getattr(lib.optim.lr_scheduler, name)(opt, **kwargs)
    seen = [sched.get_last_lr()]
    for _ in range(steps):
        opt.step()
        sched.step()
        seen.append((sched.get_last_lr(), [g["momentum"] for g in opt.param_groups]))
    state = {k: v for k, v in sched.state_dict().items() if k != "lr_lambdas"}
    return seen, str(state)


@pytest.mark.parametrize("case", list(SCHEDULES))
def test_scheduler_learning_rates_over_30_steps_are_pytorchs(case):
    name, kwargs = SCHEDULES[case]
    assert _quiet(_schedule_run, gradsh, name, kwargs) == \
        _quiet(_schedule_run, torch, name, kwargs)


def _closed_form_run(lib, name, kwargs, epochs=(0, 3, 4, 11, 7, 29, 2, 15, 30)):
    opt = _two_groups(lib)
    sched = getattr(lib.optim.lr_scheduler, name)(opt, **kwargs)
    seen = []
    for epoch in epochs:
        opt.step()
        sched.step(epoch)
        seen.append(sched.get_last_lr())
    return seen


@pytest.mark.parametrize("case", ["step", "multistep-repeated", "constant", "exponential",
                                  "linear", "polynomial", "cosine", "lambda", "warm-restarts",
                                  "warm-restarts-mult"])
def test_scheduler_step_with_an_epoch_is_pytorchs(case):
    name, kwargs = SCHEDULES[case]
    assert _quiet(_closed_form_run, gradsh, name, kwargs) == \
        _quiet(_closed_form_run, torch, name, kwargs)


# ----- checkpoint -----

def _checkpoint_run(lib, use_reentrant, segments):
    from importlib import import_module
    cp = import_module(lib.__name__ + ".utils.checkpoint")
    lib.manual_seed(2)
    # stages whose float results are exact (transcendental ones differ by libm's last bits)
    model = lib.nn.Sequential(lib.nn.Hardtanh(-0.5, 2.0), lib.nn.Dropout(0.5), lib.nn.ReLU6(),
                              lib.nn.Identity(), lib.nn.Hardtanh(0.1, 1.0))
    x = lib.randn(3, 4, requires_grad=True)
    scale = lib.tensor(1.5, requires_grad=True)

    def block(a, k, b):
        return (model[1](a * b) ** k).sum(0)

    out = cp.checkpoint(block, x, 3, scale, use_reentrant=use_reentrant)
    out.sum().backward()
    grads = [x.grad.tolist(), scale.grad.item()]
    try:
        seq = cp.checkpoint_sequential(model, segments, x.detach().requires_grad_(),
                                       use_reentrant=use_reentrant)
    except ValueError as e:
        return grads, str(e)
    return grads, seq.tolist(), seq.grad_fn is not None


@pytest.mark.parametrize("segments", [1, 2, 3, 6])
@pytest.mark.parametrize("use_reentrant", [True, False])
def test_checkpoint_gradients_with_dropout_are_pytorchs(use_reentrant, segments):
    ours = _quiet(_checkpoint_run, gradsh, use_reentrant, segments)
    theirs = _quiet(_checkpoint_run, torch, use_reentrant, segments)
    assert ours == theirs


# ----- DataLoader with a seeded shuffle -----

def _loader_run(lib, seed, **kwargs):
    from importlib import import_module
    data = import_module(lib.__name__ + ".utils.data")
    lib.manual_seed(seed)
    dataset = data.TensorDataset(lib.arange(26.0).reshape(13, 2), lib.arange(13))
    loader = data.DataLoader(dataset, **kwargs)
    epochs = [[[t.tolist() for t in batch] for batch in loader] for _ in range(3)]
    return epochs, lib.rand(2).tolist()  # the default generator's state after the epochs


@pytest.mark.parametrize("kwargs", [
    dict(batch_size=4, shuffle=True), dict(batch_size=5, shuffle=True, drop_last=True),
    dict(batch_size=1, shuffle=True), dict(batch_size=13, shuffle=False),
    dict(batch_size=3, sampler="with-replacement"), dict(batch_size=3, sampler="subset"),
    dict(batch_size=2, shuffle=True, generator=7), dict(batch_size=None, shuffle=True),
])
@pytest.mark.parametrize("seed", [0, 123])
def test_dataloader_batches_with_a_seeded_shuffle_are_pytorchs(kwargs, seed):
    def run(lib):
        from importlib import import_module
        data = import_module(lib.__name__ + ".utils.data")
        kw = dict(kwargs)
        if kw.get("sampler") == "with-replacement":
            kw["sampler"] = data.RandomSampler(range(13), replacement=True, num_samples=40)
        elif kw.get("sampler") == "subset":
            kw["sampler"] = data.SubsetRandomSampler([12, 0, 5, 3, 9, 1, 2])
        if "generator" in kw:
            kw["generator"] = lib.Generator().manual_seed(kw["generator"])
        return _loader_run(lib, seed, **kw)
    assert run(gradsh) == run(torch)


def _split_run(lib, lengths):
    from importlib import import_module
    data = import_module(lib.__name__ + ".utils.data")
    parts = data.random_split(range(11), lengths, generator=lib.Generator().manual_seed(3))
    return [list(part) for part in parts]


@pytest.mark.parametrize("lengths", [[3, 8], [0.5, 0.3, 0.2], [0.25, 0.25, 0.25, 0.25],
                                     [1.0, 0.0]])
def test_random_split_is_pytorchs(lengths):
    assert _quiet(_split_run, gradsh, lengths) == _quiet(_split_run, torch, lengths)
