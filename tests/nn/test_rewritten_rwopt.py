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
