"""AdaptiveLogSoftmaxWithLoss, Adafactor, Muon, the hook-based weight_norm/spectral_norm and the
composite schedulers against PyTorch, in more situations than the learner programs: every
number of a few training steps, the parameters' draws, gradients, node names, state and
state_dict keys, and the argument errors (PyTorch is the oracle; skipped without it)."""

import warnings

import numpy as np
import pytest

import gradsh

torch = pytest.importorskip("torch", reason="PyTorch is the oracle for these modules")


def _raised(act):
    """(class name, message) that act(lib) raises in gradsh and in PyTorch."""
    out = []
    for lib in (gradsh, torch):
        with warnings.catch_warnings(), pytest.raises(Exception) as info:
            warnings.simplefilter("ignore")
            act(lib)
        out.append((type(info.value).__name__, str(info.value)))
    return out


def _same(a, b):
    """Equal, float lists within float32 rounding of the other's."""
    if isinstance(a, (list, tuple)) and a and not isinstance(a[0], str):
        if isinstance(b, (list, tuple)) and len(a) == len(b):
            try:
                return np.allclose(np.array(a, float), np.array(b, float), rtol=1e-5, atol=1e-6)
            except (ValueError, TypeError):
                return all(_same(x, y) for x, y in zip(a, b))
        return False
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(_same(a[k], b[k]) for k in a)
    if isinstance(a, float) and isinstance(b, float):
        return abs(a - b) <= 1e-6 + 1e-5 * abs(b)
    return a == b


# ----- AdaptiveLogSoftmaxWithLoss -----

def _asm(lib, targets, cutoffs=(3, 6), n_classes=10, head_bias=False, batched=True):
    lib.manual_seed(3)
    asm = lib.nn.AdaptiveLogSoftmaxWithLoss(8, n_classes, list(cutoffs), div_value=2.0,
                                            head_bias=head_bias)
    x = lib.randn(len(targets), 8, requires_grad=True)
    t = lib.tensor(targets)
    if batched:
        res = asm(x, t)
    else:
        res = asm(x[0], t[0])
    res.loss.backward()
    grads = [p.grad.tolist() if p.grad is not None else None for p in asm.parameters()]
    with lib.no_grad():
        full = asm.log_prob(x)
        pred = asm.predict(x)
    return (repr(asm), [n for n, _ in asm.named_parameters()], res.output.tolist(),
            res.loss.item(), type(res).__name__, res._fields, x.grad.tolist(), grads,
            full.tolist(), pred.tolist(), res.loss.grad_fn.name(),
            res.output.grad_fn.name() if batched else None)


@pytest.mark.parametrize("targets,kw", [
    ([0, 4, 9, 2, 7], {}),
    ([0, 1, 2, 0], {}),                       # only the shortlist: predict never looks further
    ([5, 8, 9, 4], {}),                       # only clusters
    ([1, 5, 11, 14, 3, 7, 0], dict(cutoffs=(2, 4, 9), n_classes=15, head_bias=True)),
    ([4, 2], dict(batched=False)),
])
def test_adaptive_softmax_is_pytorchs(targets, kw):
    ours, theirs = _asm(gradsh, targets, **kw), _asm(torch, targets, **kw)
    for a, b in zip(ours, theirs):
        assert _same(a, b), (a, b)


@pytest.mark.parametrize("make", [
    lambda lib: lib.nn.AdaptiveLogSoftmaxWithLoss(4, 10, []),
    lambda lib: lib.nn.AdaptiveLogSoftmaxWithLoss(4, 10, [5, 3]),
    lambda lib: lib.nn.AdaptiveLogSoftmaxWithLoss(4, 10, [3, 3]),
    lambda lib: lib.nn.AdaptiveLogSoftmaxWithLoss(4, 10, [0, 3]),
    lambda lib: lib.nn.AdaptiveLogSoftmaxWithLoss(4, 10, [3, 10]),
    lambda lib: lib.nn.AdaptiveLogSoftmaxWithLoss(4, 10, [2.5]),
    lambda lib: lib.nn.AdaptiveLogSoftmaxWithLoss(4, 10, [3])(lib.ones(2, 4), lib.tensor([1, 10])),
    lambda lib: lib.nn.AdaptiveLogSoftmaxWithLoss(4, 10, [3])(lib.ones(2, 4), lib.tensor([1])),
    lambda lib: lib.nn.AdaptiveLogSoftmaxWithLoss(4, 10, [3])(lib.ones(2, 2, 4),
                                                              lib.tensor([1, 2])),
    lambda lib: lib.nn.AdaptiveLogSoftmaxWithLoss(4, 10, [3])(lib.ones(2, 4), lib.tensor(1)),
    lambda lib: lib.nn.AdaptiveLogSoftmaxWithLoss(4, 10, [3])(lib.ones(2, 4),
                                                              lib.tensor([[1, 2]])),
])
def test_adaptive_softmax_errors_are_pytorchs(make):
    ours, theirs = _raised(make)
    assert ours == theirs


# ----- Adafactor and Muon -----

def _train(lib, make_opt, shapes, steps=4, fn=None):
    lib.manual_seed(0)
    params = [lib.randn(*s, requires_grad=True) for s in shapes]
    opt = make_opt(lib, params)
    seen = [repr(opt)]
    for _ in range(steps):
        opt.zero_grad()
        loss = sum(((p * 2 - 1) ** 2).sin().sum() for p in params)
        loss.backward()
        opt.step()
        seen.append([p.tolist() for p in params])
    state = {k: (v.tolist() if hasattr(v, "tolist") else v)
             for p in params for k, v in opt.state[p].items()}
    seen.append(state)
    seen.append(list(opt.state_dict()["state"][0].keys()))
    return seen


OPTS = [
    ("adafactor", lambda m, ps: m.optim.Adafactor(ps, lr=0.05, weight_decay=0.01),
     [(4, 3), (3,)]),
    ("adafactor-3d-maximize", lambda m, ps: m.optim.Adafactor(ps, maximize=True, d=2.0,
                                                              eps=(1e-5, 1e-2)),
     [(2, 3, 4), (5,)]),
    ("adafactor-tensor-lr", lambda m, ps: m.optim.Adafactor(ps, lr=m.tensor(0.2),
                                                            beta2_decay=-0.5), [(3, 5)]),
    ("muon", lambda m, ps: m.optim.Muon(ps, lr=0.02), [(5, 3), (3, 4)]),
    ("muon-plain-rms", lambda m, ps: m.optim.Muon(ps, lr=0.1, nesterov=False, momentum=0.5,
                                                  adjust_lr_fn="match_rms_adamw",
                                                  weight_decay=0.0), [(6, 2), (2, 2)]),
    ("muon-original-steps", lambda m, ps: m.optim.Muon(ps, adjust_lr_fn="original",
                                                       ns_steps=2, eps=1e-3), [(2, 7)]),
]


@pytest.mark.parametrize("make,shapes", [c[1:] for c in OPTS], ids=[c[0] for c in OPTS])
def test_optimizer_steps_are_pytorchs(make, shapes):
    ours, theirs = _train(gradsh, make, shapes), _train(torch, make, shapes)
    assert len(ours) == len(theirs)
    for a, b in zip(ours, theirs):
        assert _same(a, b), (a, b)


@pytest.mark.parametrize("make", [
    lambda m: m.optim.Adafactor([m.zeros(2, requires_grad=True)], lr=-1.0),
    lambda m: m.optim.Adafactor([m.zeros(2, requires_grad=True)], beta2_decay=0.5),
    lambda m: m.optim.Adafactor([m.zeros(2, requires_grad=True)], eps=(-1.0, 1e-3)),
    lambda m: m.optim.Adafactor([m.zeros(2, requires_grad=True)], eps=(None, -1.0)),
    lambda m: m.optim.Adafactor([m.zeros(2, requires_grad=True)], d=0.5),
    lambda m: m.optim.Adafactor([m.zeros(2, requires_grad=True)], weight_decay=-0.1),
    lambda m: m.optim.Adafactor([m.zeros(2, requires_grad=True)], lr=m.tensor([0.1, 0.2])),
    lambda m: m.optim.Muon([m.zeros(2, 2, requires_grad=True)], lr=-1.0),
    lambda m: m.optim.Muon([m.zeros(2, 2, requires_grad=True)], momentum=-1.0),
    lambda m: m.optim.Muon([m.zeros(2, 2, requires_grad=True)], weight_decay=-1.0),
    lambda m: m.optim.Muon([m.zeros(2, 2, requires_grad=True)], adjust_lr_fn="other"),
    lambda m: m.optim.Muon([m.zeros(2, 2, 2, requires_grad=True)]),
])
def test_optimizer_argument_errors_are_pytorchs(make):
    ours, theirs = _raised(make)
    assert ours == theirs


# ----- weight_norm and spectral_norm hooks -----

def _normed(lib, which, make_module, **kw):
    lib.manual_seed(1)
    norm = getattr(lib.nn.utils, which)
    remove = getattr(lib.nn.utils, "remove_" + which)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        m = norm(make_module(lib), **kw)
    seen = [repr(m), [n for n, _ in m.named_parameters()], [n for n, _ in m.named_buffers()],
            list(m.state_dict().keys())]
    x = lib.randn(2, *m.weight.shape[1:2]) if which == "weight_norm" else None
    for _ in range(2):
        w = m.weight
        seen.append(w.tolist())
        m(m.weight.new_ones(*_input_shape(m))).sum().backward()
        seen.append([p.grad.tolist() for p in m.parameters()])
        seen.append([b.tolist() for b in m.buffers()])
    m.eval()
    seen.append(m(m.weight.new_ones(*_input_shape(m))).tolist())
    remove(m, kw.get("name", "weight"))
    seen += [[n for n, _ in m.named_parameters()], m.weight.tolist(), x is None]
    return seen


def _input_shape(m):
    if isinstance(m, (gradsh.nn.Linear, torch.nn.Linear)):
        return (2, m.in_features)
    return (1, m.in_channels) + (4,) * (m.weight.dim() - 2)


NORMED = [
    ("weight_norm", lambda m: m.nn.Linear(3, 2), {}),
    ("weight_norm", lambda m: m.nn.Linear(3, 2), dict(dim=1)),
    ("weight_norm", lambda m: m.nn.Conv2d(2, 3, 2), dict(dim=None)),
    ("weight_norm", lambda m: m.nn.Conv1d(2, 3, 2), dict(name="bias", dim=0)),
    ("spectral_norm", lambda m: m.nn.Linear(4, 3), {}),
    ("spectral_norm", lambda m: m.nn.Conv2d(2, 3, 2), dict(n_power_iterations=3, eps=1e-6)),
    ("spectral_norm", lambda m: m.nn.ConvTranspose1d(2, 3, 2), {}),
    ("spectral_norm", lambda m: m.nn.Linear(4, 3), dict(dim=1)),
]


@pytest.mark.parametrize("which,make,kw", NORMED)
def test_norm_hooks_are_pytorchs(which, make, kw):
    ours, theirs = _normed(gradsh, which, make, **kw), _normed(torch, which, make, **kw)
    for a, b in zip(ours, theirs):
        assert _same(a, b), (a, b)


def _twice(lib, which):
    m = getattr(lib.nn.utils, which)(lib.nn.Linear(2, 2))
    getattr(lib.nn.utils, which)(m)


@pytest.mark.parametrize("act", [
    lambda m: _twice(m, "weight_norm"),
    lambda m: _twice(m, "spectral_norm"),
    lambda m: m.nn.utils.remove_weight_norm(m.nn.Linear(2, 2)),
    lambda m: m.nn.utils.remove_spectral_norm(m.nn.Linear(2, 2)),
    lambda m: m.nn.utils.spectral_norm(m.nn.Linear(2, 2), n_power_iterations=0),
    lambda m: m.nn.utils.spectral_norm(m.nn.Linear(2, 2, bias=False), name="bias"),
    lambda m: m.nn.utils.weight_norm(m.nn.Linear(2, 2), name="nothing"),
])
def test_norm_hook_errors_are_pytorchs(act):
    ours, theirs = _raised(act)
    assert ours == theirs


def test_weight_norm_warns_as_pytorch():
    seen = []
    for lib in (gradsh, torch):
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            lib.nn.utils.weight_norm(lib.nn.Linear(2, 2))
        seen.append([(w.category, str(w.message)) for w in caught])
    assert seen[0] == seen[1]


# ----- SequentialLR and ChainedScheduler: state_dict round trip -----

def _composite(lib, kind):
    def make(opt):
        sch = lib.optim.lr_scheduler
        members = [sch.LinearLR(opt, start_factor=0.5, total_iters=2),
                   sch.ExponentialLR(opt, gamma=0.8)]
        if kind == "sequential":
            return sch.SequentialLR(opt, members, milestones=[2])
        return sch.ChainedScheduler(members)
    out = []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        p = lib.nn.Parameter(lib.ones(2))
        opt = lib.optim.SGD([p], lr=0.1)
        first = make(opt)
        for _ in range(3):
            opt.step()
            first.step()
        state = first.state_dict()
        out.append(sorted(state.keys()))
        out.append([sorted(s.keys()) for s in state["_schedulers"]])
        p2 = lib.nn.Parameter(lib.ones(2))
        opt2 = lib.optim.SGD([p2], lr=0.1)
        second = make(opt2)
        second.load_state_dict(state)
        for _ in range(3):
            opt2.step()
            second.step()
            out.append(second.get_last_lr())
    return out


@pytest.mark.parametrize("kind", ["sequential", "chained"])
def test_composite_schedulers_state_dict_is_pytorchs(kind):
    assert _composite(gradsh, kind) == _composite(torch, kind)


def test_sequential_member_of_another_optimizer_is_refused_as_pytorch():
    def act(lib):
        a = lib.optim.SGD([lib.nn.Parameter(lib.ones(1))], lr=0.1)
        b = lib.optim.SGD([lib.nn.Parameter(lib.ones(1))], lr=0.1)
        sch = lib.optim.lr_scheduler
        sch.SequentialLR(a, [sch.StepLR(a, 1), sch.StepLR(b, 1)], milestones=[1])
    ours, theirs = _raised(act)
    assert ours[0] == theirs[0] and ours[1].split(" has ")[0] == theirs[1].split(" has ")[0]


def test_sequential_milestone_count_is_checked_as_pytorch():
    def act(lib):
        opt = lib.optim.SGD([lib.nn.Parameter(lib.ones(1))], lr=0.1)
        sch = lib.optim.lr_scheduler
        sch.SequentialLR(opt, [sch.StepLR(opt, 1), sch.StepLR(opt, 1)], milestones=[1, 2])
    ours, theirs = _raised(act)
    assert ours == theirs
