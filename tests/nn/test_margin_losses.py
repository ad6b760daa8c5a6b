"""The margin, embedding and likelihood losses against PyTorch on random data: values and
gradients bit for bit in float32 and float64, module forms, double backward and errors
(PyTorch is the oracle; skipped without it). The op sweep (tests/core/test_op_sweep.py) covers
their node names and double-backward graphs on its fixed samples."""

import numpy as np
import pytest

import cpu_capability

import gradsh

torch = pytest.importorskip("torch", reason="PyTorch is the oracle for the losses")

RNG = np.random.default_rng(15)
A, B, C = (RNG.standard_normal((6, 5)) for _ in range(3))
SIGNS = np.sign(RNG.standard_normal(6))
CLASSES = np.array([0, 4, 1, 2, 1, 3])
LABELS = np.array([[0, 2, -1, 0, 0], [1, -1, 0, 0, 0], [3, 2, 1, 0, 4], [3, 3, -1, 2, 0],
                   [-1, 0, 0, 0, 0], [4, 0, -1, 1, 1]])

# (function, arrays (the first `grads` of them require grad), keyword arguments)
CASES = [
    ("margin_ranking_loss", (A[:, 0], B[:, 0], SIGNS), 2, dict(margin=0.3)),
    ("hinge_embedding_loss", (A, np.sign(B)), 1, dict(margin=0.7)),
    ("cosine_embedding_loss", (A, B, SIGNS), 2, dict(margin=0.2)),
    ("cosine_embedding_loss", (A[0], B[0], np.array(-1.0)), 2, dict(margin=-0.9)),
    ("triplet_margin_loss", (A, B, C), 3, dict(margin=0.5)),
    ("triplet_margin_loss", (A, B, C), 3, dict(swap=True, p=1.0)),
    ("poisson_nll_loss", (A, np.abs(B) * 3), 1, dict()),
    ("poisson_nll_loss", (np.abs(A) + 0.1, np.abs(B) * 3), 1, dict(log_input=False, full=True)),
    ("gaussian_nll_loss", (A, B, np.abs(C) + 0.1), 3, dict()),
    ("gaussian_nll_loss", (A, B, np.abs(C[:, 0])), 3, dict(full=True)),
    ("soft_margin_loss", (A, np.sign(B)), 1, dict()),
    ("multi_margin_loss", (A, CLASSES), 1, dict()),
    ("multi_margin_loss", (A, CLASSES), 1, dict(p=2, margin=0.5, weight=np.abs(C[0]))),
    ("multi_margin_loss", (A[0], CLASSES[1:2]), 1, dict()),
    ("multilabel_margin_loss", (A, LABELS), 1, dict()),
    ("multilabel_margin_loss", (A[2], LABELS[2]), 1, dict()),
    ("multilabel_soft_margin_loss", (A, (B > 0) * 1.0), 1, dict(weight=np.abs(C[0]))),
]
IDS = [f"{name}-{k}" for k, (name, *_) in enumerate(CASES)]


def _run(lib, name, arrays, grads, kwargs, dtype, reduction):
    def tensor(a):
        return lib.from_numpy(a.astype(dtype) if a.dtype.kind == "f" else a.copy())

    args = [tensor(a) for a in arrays]
    for a in args[:grads]:
        a.requires_grad_()
    kwargs = {k: tensor(v) if isinstance(v, np.ndarray) else v for k, v in kwargs.items()}
    out = getattr(lib.nn.functional, name)(*args, reduction=reduction, **kwargs)
    upstream = lib.from_numpy(np.linspace(-1, 2, out.numel()).astype(dtype)).reshape(out.shape)
    got = lib.autograd.grad(out, args[:grads], upstream)
    return out.detach().numpy(), [g.numpy() for g in got], type(out.grad_fn).__name__


@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("name,arrays,grads,kwargs", CASES, ids=IDS)
def test_values_and_gradients_are_pytorchs_bits(name, arrays, grads, kwargs, dtype, reduction):
    with cpu_capability.may_differ_on_this_cpu(
            "MKL's float32 log and the AVX2 kernels round some terms otherwise (poisson, "
            "gaussian, cosine_embedding, soft_margin cases)"):
        ours = _run(gradsh, name, arrays, grads, kwargs, dtype, reduction)
        theirs = _run(torch, name, arrays, grads, kwargs, dtype, reduction)
        _assert_same(name, dtype, ours[0], theirs[0])
        assert ours[0].dtype == theirs[0].dtype and ours[2] == theirs[2]
        for a, b in zip(ours[1], theirs[1]):
            _assert_same(name, dtype, a, b)


def _assert_same(name, dtype, a, b):
    if name == "multilabel_soft_margin_loss":
        # its logsigmoid rounds as numpy's logaddexp, not as PyTorch's vectorized kernel (an
        # ulp in about one value in ten: docs/nn.md "What differs")
        np.testing.assert_allclose(a, b, rtol=4e-7 if dtype == np.float32 else 1e-15)
    else:
        np.testing.assert_array_equal(a, b)


def _module_run(lib, make, arrays):
    module = make(lib)
    args = [lib.from_numpy(a.copy()) for a in arrays]
    args[0].requires_grad_()
    out = module(*args)
    out.backward()
    return repr(module), out.item(), args[0].grad.numpy(), sorted(module.state_dict())


@pytest.mark.parametrize("make,arrays", [
    (lambda m: m.nn.MarginRankingLoss(margin=0.1), (A[:, 0], B[:, 0], SIGNS)),
    (lambda m: m.nn.HingeEmbeddingLoss(reduction="sum"), (A, np.sign(B))),
    (lambda m: m.nn.CosineEmbeddingLoss(0.1), (A, B, SIGNS)),
    (lambda m: m.nn.TripletMarginLoss(margin=2.0, p=3.0), (A, B, C)),
    (lambda m: m.nn.PoissonNLLLoss(full=True), (A, np.abs(B) * 3)),
    (lambda m: m.nn.GaussianNLLLoss(eps=0.5), (A, B, np.abs(C))),
    (lambda m: m.nn.MultiMarginLoss(p=2, weight=m.ones(5, dtype=m.float64)), (A, CLASSES)),
    (lambda m: m.nn.SoftMarginLoss(), (A, np.sign(B))),
    (lambda m: m.nn.MultiLabelMarginLoss(), (A, LABELS)),
    (lambda m: m.nn.MultiLabelSoftMarginLoss(weight=m.ones(5, dtype=m.float64)),
     (A, (B > 0) * 1.0)),
])
def test_modules_are_pytorchs(make, arrays):
    ours, theirs = _module_run(gradsh, make, arrays), _module_run(torch, make, arrays)
    assert ours[0] == theirs[0] and ours[1] == theirs[1] and ours[3] == theirs[3]
    np.testing.assert_allclose(ours[2], theirs[2], rtol=1e-15)


def _double_backward(lib, name, target):
    x = lib.from_numpy(A.copy()).requires_grad_()
    out = getattr(lib.nn.functional, name)(x, lib.from_numpy(target))
    g, = lib.autograd.grad(out, x, create_graph=True)
    try:
        gg, = lib.autograd.grad((g * g).sum(), x)
    except RuntimeError as e:
        return type(g.grad_fn).__name__, str(e)
    return type(g.grad_fn).__name__, gg.numpy()


@pytest.mark.parametrize("name,target", [("soft_margin_loss", np.sign(B)),
                                         ("multi_margin_loss", CLASSES),
                                         ("multilabel_margin_loss", LABELS)])
def test_double_backward_is_pytorchs(name, target):
    ours, theirs = _double_backward(gradsh, name, target), _double_backward(torch, name, target)
    assert ours[0] == theirs[0]
    if isinstance(theirs[1], str):
        assert ours[1] == theirs[1]
    else:
        np.testing.assert_allclose(ours[1], theirs[1], rtol=1e-13, atol=1e-18)


BAD = [
    ("multilabel_margin_loss", (A, LABELS[:, :3]), {}),
    ("multilabel_margin_loss", (A, LABELS + 5), {}),
    ("multilabel_margin_loss", (np.zeros((2, 3, 4)), np.zeros((2, 3, 4), np.int64)), {}),
    ("multi_margin_loss", (A, CLASSES[:3]), {}),
    ("multi_margin_loss", (A, CLASSES + 5), {}),
    ("multi_margin_loss", (A, CLASSES), dict(weight=np.ones(3))),
    ("multi_margin_loss", (A, CLASSES), dict(p=3)),
    ("multi_margin_loss", (A, CLASSES), dict(weight=np.ones(5, np.float32))),
    ("multi_margin_loss", (A, CLASSES * 1.0), {}),
    ("soft_margin_loss", (A, np.ones(3)), {}),
    ("margin_ranking_loss", (A[0], A[1], np.ones(3)), {}),
    ("margin_ranking_loss", (A, A[1], np.ones(5)), {}),
    ("cosine_embedding_loss", (A, A, np.ones((6, 1))), {}),
    ("cosine_embedding_loss", (A[0], A[0], np.ones(6)), {}),
    ("triplet_margin_loss", (A, A, A), dict(margin=0.0)),
    ("poisson_nll_loss", (A, A), dict(reduction="avg")),
    ("gaussian_nll_loss", (A, A, np.ones(2)), {}),
    ("gaussian_nll_loss", (A, A, -np.ones((6, 5))), {}),
    ("gaussian_nll_loss", (A, A, np.ones((6, 5))), dict(reduction="avg")),
    ("multilabel_soft_margin_loss", (A, A), dict(reduction="x")),
]


@pytest.mark.parametrize("name,arrays,kwargs", BAD)
def test_bad_arguments_raise_pytorchs_errors(name, arrays, kwargs):
    raised = []
    for lib in (gradsh, torch):
        args = [lib.from_numpy(a.copy()) for a in arrays]
        kw = {k: lib.from_numpy(v) if isinstance(v, np.ndarray) else v for k, v in kwargs.items()}
        with pytest.raises(Exception) as info:
            getattr(lib.nn.functional, name)(*args, **kw)
        raised.append((type(info.value).__name__, str(info.value)))
    assert raised[0] == raised[1]


def test_module_argument_errors_are_pytorchs():
    for make in (lambda m: m.nn.TripletMarginLoss(margin=-1),
                 lambda m: m.nn.MultiMarginLoss(p=3),
                 lambda m: m.nn.MultiMarginLoss(weight=m.ones(2, 2))):
        raised = []
        for lib in (gradsh, torch):
            with pytest.raises(ValueError) as info:
                make(lib)
            raised.append(str(info.value))
        assert raised[0] == raised[1]


def test_multi_margin_gradient_without_active_margins_is_positive_zero():
    # PyTorch's kernel subtracts each active margin's share from 0 at the target class
    def grad(T):
        x = T.tensor([[0.5, -1.0, 2.0], [1.5, 0.0, -0.5]], requires_grad=True)
        T.nn.functional.multi_margin_loss(x, T.tensor([2, 0])).backward()
        return [str(v) for v in x.grad.reshape(-1).tolist()]
    assert grad(gradsh) == grad(torch)
