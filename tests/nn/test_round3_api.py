"""API met in the third round of learner programs, each compared with PyTorch on the same calls:
nn.utils clipping and parameter vectors, the chainable lr schedulers, torch.func.functional_call
and grad over a dict, jacfwd over a reverse-mode transform, `out=`, integer scalars that wrap,
and the messages of index_select, softmax without dim and the loss target checks."""

import math

import pytest

import gradsh

torch = pytest.importorskip("torch", reason="PyTorch is the oracle for these calls")


def both(fn):
    """fn(lib) for gradsh and PyTorch."""
    return fn(gradsh), fn(torch)


def _clipped(lib, norm_type, max_norm):
    w = lib.nn.Parameter(lib.tensor([3.0, -4.0, 0.5]))
    b = lib.nn.Parameter(lib.tensor([[12.0, 0.25]]))
    (w * w).sum().backward()
    (b * b * 0.5).sum().backward()
    total = lib.nn.utils.clip_grad_norm_([w, b], max_norm=max_norm, norm_type=norm_type)
    return total.item(), w.grad.tolist(), b.grad.tolist()


@pytest.mark.parametrize("norm_type", [2.0, 1, math.inf, 3.0])
@pytest.mark.parametrize("max_norm", [1.0, 100.0])
def test_clip_grad_norm_as_pytorch(norm_type, max_norm):
    ours, theirs = both(lambda lib: _clipped(lib, norm_type, max_norm))
    assert ours == theirs


def test_clip_grad_value_and_parameter_vectors_as_pytorch():
    def run(lib):
        lib.manual_seed(0)
        m = lib.nn.Linear(3, 2)
        m(lib.ones(1, 3) * 4).sum().backward()
        lib.nn.utils.clip_grad_value_(m.parameters(), 1.5)
        vec = lib.nn.utils.parameters_to_vector(m.parameters())
        lib.nn.utils.vector_to_parameters(lib.arange(8.0), m.parameters())
        return m.weight.grad.tolist(), vec.tolist(), vec.requires_grad, m.weight.tolist()
    ours, theirs = both(run)
    assert ours == theirs


SCHEDULES = [("StepLR", dict(step_size=3, gamma=0.3)),
             ("MultiStepLR", dict(milestones=[2, 5, 5], gamma=0.1)),
             ("ExponentialLR", dict(gamma=0.9)),
             ("LinearLR", dict(start_factor=0.25, total_iters=4)),
             ("LinearLR", dict(start_factor=1.0, end_factor=0.1, total_iters=3)),
             ("CosineAnnealingLR", dict(T_max=4)),
             ("CosineAnnealingLR", dict(T_max=3, eta_min=0.01))]


@pytest.mark.parametrize("name,kwargs", SCHEDULES)
def test_schedulers_give_pytorchs_floats(name, kwargs):
    def run(lib):
        p = lib.nn.Parameter(lib.zeros(1))
        opt = lib.optim.SGD([p, ], lr=0.1)
        sched = getattr(lib.optim.lr_scheduler, name)(opt, **kwargs)
        lrs = []
        for _ in range(12):
            opt.step()
            sched.step()
            lrs.append(sched.get_last_lr()[0])
        return lrs
    ours, theirs = both(run)
    assert ours == theirs


def test_functional_call_and_grad_over_a_dict_as_pytorch():
    def run(lib):
        lib.manual_seed(0)
        m = lib.nn.Linear(2, 1, dtype=lib.float64)
        x = lib.tensor([[1.0, -2.0], [0.5, 3.0]], dtype=lib.float64)
        new = {"weight": lib.tensor([[1.0, 2.0]], dtype=lib.float64),
               "bias": lib.tensor([0.5], dtype=lib.float64)}
        out = lib.func.functional_call(m, new, (x,))
        g = lib.func.grad(lambda p: lib.func.functional_call(m, p, (x,)).pow(2).sum())(new)
        return out.tolist(), m(x).tolist(), {k: v.tolist() for k, v in g.items()}
    ours, theirs = both(run)
    assert ours == theirs


def test_jacfwd_of_jacrev_is_the_hessian():
    def run(lib):
        x = lib.tensor([0.3, -1.2, 2.0], dtype=lib.float64)
        f = lambda t: (t.sin() * t.sum()).sum()  # noqa: E731
        return [v for row in lib.func.jacfwd(lib.func.jacrev(f))(x).tolist() for v in row]
    ours, theirs = both(run)
    assert ours == pytest.approx(theirs, abs=1e-15)
    assert all(v != 0 for v in ours)


def _message(fn):
    try:
        fn()
    except Exception as e:  # noqa: BLE001 - the kind and words are compared
        return type(e).__name__, str(e)
    return None


OUT_CASES = [
    lambda T: T.mul(T.ones(2, requires_grad=True), 2, out=T.zeros(2)),
    lambda T: T.mul(T.ones(2), 2.5, out=T.zeros(2, dtype=T.long)),
    lambda T: T.matmul(T.ones(2, 3), T.ones(3, 2), out=T.zeros(0)).tolist(),
    lambda T: T.add(T.ones(2), 1, out=T.zeros(2, dtype=T.float64)).tolist(),
]
MESSAGE_CASES = [
    lambda T: T.arange(6).reshape(2, 3).index_select(1, T.tensor([0, 5])),
    lambda T: T.zeros(2, 3, 4).index_select(2, T.tensor([4])),
    lambda T: T.softmax(T.ones(2)),
    lambda T: T.log_softmax(T.ones(2)),
    lambda T: T.nn.functional.cross_entropy(T.ones(2, 3), T.tensor([0, 1, 2])),
    lambda T: T.nn.functional.binary_cross_entropy(T.tensor([0.5, 0.5]), T.tensor([1.0])),
    lambda T: T.nn.functional.mse_loss(T.ones(2), T.ones(3)),
    lambda T: (T.tensor([1, 100], dtype=T.int8) + 200).tolist(),
    lambda T: (T.tensor([1, 2], dtype=T.uint8) * 300).tolist(),
]


@pytest.mark.parametrize("case", OUT_CASES + MESSAGE_CASES)
def test_results_and_messages_as_pytorch(case):
    ours, theirs = both(lambda lib: _message(lambda: case(lib)) or case(lib))
    assert ours == theirs


def test_activations_and_their_gradients_as_pytorch():
    def run(lib):
        x = lib.tensor([-4.0, -3.0, -1.5, 0.0, 0.7, 3.0, 5.0], dtype=lib.float64,
                       requires_grad=True)
        out = []
        for name in ("hardsigmoid", "hardswish", "mish", "selu"):
            y = getattr(lib.nn.functional, name)(x)
            g, = lib.autograd.grad(y.sum(), x)
            out.append((y.tolist(), g.tolist()))
        return out
    ours, theirs = both(run)
    for (y1, g1), (y2, g2) in zip(ours, theirs):
        assert y1 == pytest.approx(y2, rel=1e-15) and g1 == pytest.approx(g2, rel=1e-15)
