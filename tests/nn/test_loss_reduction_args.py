"""The reduction arguments of torch.nn.functional's losses and the loss modules against
PyTorch: the deprecated size_average / reduce flags (which win over `reduction`, with
PyTorch's warning), 'elementwise_mean' (the old name of 'mean', with its warning, where
PyTorch still takes it), and the ValueError for other names (gradsh/core/ops/nn_ops.py,
loss_reduction)."""

import warnings

import numpy as np
import pytest

import gradsh

torch = pytest.importorskip("torch", reason="PyTorch is the oracle for the loss arguments")

RNG = np.random.default_rng(3)
X, Y = RNG.random((3, 4)), RNG.random((3, 4))
CLASSES = np.array([0, 1, 2])


def _args(name, T):
    x, y = T.tensor(X), T.tensor(Y)
    classes = T.tensor(CLASSES)
    return {"cross_entropy": (x, classes), "nll_loss": (x, classes),
            "multi_margin_loss": (x, classes),
            "multilabel_margin_loss": (x, T.tensor([[0, 1, -1, 0]] * 3)),
            "margin_ranking_loss": (x, y, T.ones(3, 4)),
            "cosine_embedding_loss": (x, y, T.ones(3)), "triplet_margin_loss": (x, y, x + 1),
            "hinge_embedding_loss": (x, T.ones(3, 4)), "soft_margin_loss": (x, T.ones(3, 4)),
            }.get(name, (x, y))


NAMES = ["binary_cross_entropy", "binary_cross_entropy_with_logits", "cosine_embedding_loss",
         "cross_entropy", "hinge_embedding_loss", "kl_div", "l1_loss", "margin_ranking_loss",
         "mse_loss", "multi_margin_loss", "multilabel_margin_loss",
         "multilabel_soft_margin_loss", "nll_loss", "poisson_nll_loss", "smooth_l1_loss",
         "soft_margin_loss", "triplet_margin_loss", "huber_loss",
         "triplet_margin_with_distance_loss"]
LEGACY = [dict(size_average=False), dict(reduce=False), dict(size_average=True, reduce=True),
          dict(size_average=False, reduce=False), dict(reduction="elementwise_mean"),
          dict(reduction="bogus")]


def _outcome(T, name, kw):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            out = getattr(T.nn.functional, name)(*_args(name, T), **kw)
        except (TypeError, ValueError, RuntimeError) as e:
            return type(e).__name__, str(e)
    return tuple(out.shape), out.tolist(), [str(w.message) for w in caught]


@pytest.mark.parametrize("kw", LEGACY, ids=str)
@pytest.mark.parametrize("name", NAMES)
def test_functional_loss_reads_its_reduction_arguments_as_pytorch(name, kw):
    if name in ("huber_loss", "triplet_margin_with_distance_loss") and "reduction" not in kw:
        pytest.skip("no size_average / reduce arguments")
    ours, theirs = _outcome(gradsh, name, kw), _outcome(torch, name, kw)
    assert ours[:1] == theirs[:1] and ours[2:] == theirs[2:]
    if len(ours) == 3:
        np.testing.assert_allclose(ours[1], theirs[1], rtol=1e-12, atol=1e-15)


@pytest.mark.parametrize("kw", [dict(size_average=False), dict(reduce=False),
                                dict(reduction="elementwise_mean")], ids=str)
@pytest.mark.parametrize("cls", ["MSELoss", "L1Loss", "BCELoss", "SmoothL1Loss", "KLDivLoss",
                                 "BCEWithLogitsLoss", "PoissonNLLLoss"])
def test_loss_module_warns_when_made_with_legacy_flags(cls, kw):
    def made(T):
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            m = getattr(T.nn, cls)(**kw)
        return m.reduction, [str(w.message) for w in caught]
    assert made(gradsh) == made(torch)


def test_smooth_l1_with_beta_zero_is_the_l1_composition():
    for T in (gradsh, torch):
        x = T.tensor([1.0, -2.0], requires_grad=True)
        names = [type(T.nn.functional.smooth_l1_loss(x, T.zeros(2), beta=0.0,
                                                     reduction=r).grad_fn).__name__
                 for r in ("mean", "sum", "none")]
        assert names == ["MeanBackward0", "SumBackward0", "AbsBackward0"]


@pytest.mark.parametrize("call", [
    lambda T: T.nn.functional.smooth_l1_loss(T.ones(2), T.zeros(2), beta=-1.0),
    lambda T: T.nn.functional.huber_loss(T.ones(2), T.zeros(2), delta=0.0),
    lambda T: T.nn.functional.cross_entropy(T.zeros(4, 3), T.zeros(4, 2)),
    lambda T: T.nn.functional.cross_entropy(T.zeros(4, 3), T.zeros(4, 2, dtype=T.long)),
    lambda T: T.nn.functional.cross_entropy(T.zeros(4, 3), T.zeros(2, 3)),
    lambda T: T.nn.functional.nll_loss(T.zeros(4, 3), T.zeros(4, 3, 1)),
])
def test_bad_loss_arguments_raise_pytorchs_error(call):
    def outcome(T):
        with pytest.raises((RuntimeError, ValueError)) as info:
            call(T)
        return info.type.__name__, str(info.value)
    assert outcome(gradsh) == outcome(torch)


DTYPE_PAIRS = [("int64", "float32"), ("float32", "int64"), ("float64", "float32"),
               ("float32", "float64"), ("int64", "int64"), ("float16", "float32"),
               ("int32", "float64")]


def _typed(T, name, a, b, reduction):
    x = T.tensor([1, 0]).to(getattr(T, a))
    y = (T.tensor([1, 0]).to(getattr(T, b)) * 0.5) if b.startswith("float") else \
        T.tensor([1, 0]).to(getattr(T, b))
    try:
        out = getattr(T.nn.functional, name)(x, y, reduction=reduction)
    except (RuntimeError, NotImplementedError) as e:
        return type(e).__name__, str(e)
    return str(out.dtype), out.tolist()


@pytest.mark.parametrize("reduction", ["mean", "none"])
@pytest.mark.parametrize("a, b", DTYPE_PAIRS)
@pytest.mark.parametrize("name", ["mse_loss", "l1_loss", "smooth_l1_loss", "huber_loss"])
def test_pointwise_loss_of_mixed_dtypes_is_pytorchs(name, a, b, reduction):
    """The computation and result dtype (promoted; huber writes into the input's), and the
    refusals of integer-only operands."""
    assert _typed(gradsh, name, a, b, reduction) == _typed(torch, name, a, b, reduction)


@pytest.mark.parametrize("target_dtype", ["int64", "float64", "float16", "float32"])
def test_huber_backward_of_mixed_dtypes_is_pytorchs_error(target_dtype):
    def outcome(T):
        x = T.tensor([0.5, 1.5, 3.0], requires_grad=True)
        loss = T.nn.functional.huber_loss(x, T.tensor([0, 2, 3]).to(getattr(T, target_dtype)))
        try:
            loss.backward()
        except RuntimeError as e:
            return str(loss.dtype), str(e)
        return str(loss.dtype), x.grad.tolist()
    assert outcome(gradsh) == outcome(torch)
