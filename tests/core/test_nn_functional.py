"""torch.nn.functional's activations and losses (issue 6's list) through the shared checker:
values, node names and gradients against PyTorch, finite differences in float64, and second
derivatives where PyTorch has them; dropout's seeded masks and training flag."""

import numpy as np
import pytest

import gradsh
from checker import TORCH, check_op, nograd

F = gradsh.nn.functional
LABELS = np.array([0, 2, 1, 2])
PROBS = np.array([[0.2, 0.7, 0.4], [0.9, 0.1, 0.5]])

# name: (fn, input specs, domain, gradgrad)
CASES = {
    "relu": (lambda t, x: t.nn.functional.relu(x), [(2, 3)], None, False),
    "leaky_relu": (lambda t, x: t.nn.functional.leaky_relu(x), [(2, 3)], None, True),
    "leaky_relu slope": (lambda t, x: t.nn.functional.leaky_relu(x, 0.2), [(2, 3)], None, False),
    "elu": (lambda t, x: t.nn.functional.elu(x), [(2, 3)], None, True),
    "elu alpha": (lambda t, x: t.nn.functional.elu(x, alpha=0.5), [(2, 3)], None, False),
    "gelu": (lambda t, x: t.nn.functional.gelu(x), [(2, 3)], None, True),
    "gelu tanh": (lambda t, x: t.nn.functional.gelu(x, approximate="tanh"), [(2, 3)], None,
                  True),
    "silu": (lambda t, x: t.nn.functional.silu(x), [(2, 3)], None, True),
    "softplus": (lambda t, x: t.nn.functional.softplus(x), [(2, 3)], None, True),
    "softplus beta": (lambda t, x: t.nn.functional.softplus(x, beta=2.0, threshold=1.0),
                      [(2, 3)], None, False),
    "sigmoid": (lambda t, x: t.nn.functional.sigmoid(x), [(2, 3)], None, True),
    "tanh": (lambda t, x: t.nn.functional.tanh(x), [(2, 3)], None, True),
    "softmax": (lambda t, x: t.nn.functional.softmax(x, dim=1), [(2, 3)], None, True),
    "softmax dim0": (lambda t, x: t.nn.functional.softmax(x, 0), [(2, 3)], None, False),
    "log_softmax": (lambda t, x: t.nn.functional.log_softmax(x, dim=1), [(2, 3)], None, True),
    "linear": (lambda t, x, w: t.nn.functional.linear(x, w), [(4, 3), (2, 3)], None, True),
    "linear bias": (lambda t, x, w, b: t.nn.functional.linear(x, w, b), [(4, 3), (2, 3), (2,)],
                    None, True),
    "linear batch": (lambda t, x, w, b: t.nn.functional.linear(x, w, b),
                     [(2, 4, 3), (2, 3), (2,)], None, False),
    "linear vector": (lambda t, x, w, b: t.nn.functional.linear(x, w, b), [(3,), (2, 3), (2,)],
                      None, False),
    "mse_loss": (lambda t, x, y: t.nn.functional.mse_loss(x, y), [(2, 3), (2, 3)], None, True),
    "mse_loss sum": (lambda t, x, y: t.nn.functional.mse_loss(x, y, reduction="sum"),
                     [(2, 3), (2, 3)], None, False),
    "mse_loss none": (lambda t, x, y: t.nn.functional.mse_loss(x, y, reduction="none"),
                      [(2, 3), (2, 3)], None, False),
    "l1_loss": (lambda t, x, y: t.nn.functional.l1_loss(x, y), [(2, 3), (2, 3)], None, False),
    "l1_loss none": (lambda t, x, y: t.nn.functional.l1_loss(x, y, reduction="none"),
                     [(2, 3), (2, 3)], None, False),
    "cross_entropy": (lambda t, x, y: t.nn.functional.cross_entropy(x, y),
                      [(4, 3), nograd(LABELS)], None, True),
    "cross_entropy sum": (lambda t, x, y: t.nn.functional.cross_entropy(x, y, reduction="sum"),
                          [(4, 3), nograd(LABELS)], None, False),
    "cross_entropy none": (lambda t, x, y: t.nn.functional.cross_entropy(x, y, reduction="none"),
                           [(4, 3), nograd(LABELS)], None, False),
    "cross_entropy weight": (lambda t, x, y, w: t.nn.functional.cross_entropy(x, y, weight=w),
                             [(4, 3), nograd(LABELS), nograd(np.array([1.0, 2.0, 0.5]))], None,
                             False),
    "cross_entropy ignore_index": (
        lambda t, x, y: t.nn.functional.cross_entropy(x, y, ignore_index=2),
        [(4, 3), nograd(LABELS)], None, False),
    "cross_entropy label_smoothing": (
        lambda t, x, y: t.nn.functional.cross_entropy(x, y, label_smoothing=0.1),
        [(4, 3), nograd(LABELS)], None, False),
    "cross_entropy smoothing weight ignore": (
        lambda t, x, y, w: t.nn.functional.cross_entropy(x, y, weight=w, ignore_index=0,
                                                         label_smoothing=0.2),
        [(4, 3), nograd(LABELS), nograd(np.array([1.0, 2.0, 0.5]))], None, False),
    "cross_entropy smoothing none": (
        lambda t, x, y: t.nn.functional.cross_entropy(x, y, reduction="none", label_smoothing=0.3),
        [(4, 3), nograd(LABELS)], None, False),
    "cross_entropy 1d smoothing": (
        lambda t, x, y: t.nn.functional.cross_entropy(x, y, label_smoothing=0.1),
        [(3,), nograd(np.array(2))], None, False),
    "cross_entropy probabilities smoothing weight": (
        lambda t, x, p, w: t.nn.functional.cross_entropy(x, p, weight=w, label_smoothing=0.1),
        [(2, 3), nograd(PROBS), nograd(np.array([1.0, 2.0, 0.5]))], None, False),
    "cross_entropy probabilities none": (
        lambda t, x, p: t.nn.functional.cross_entropy(x, p, reduction="none"),
        [(2, 3), PROBS], None, False),
    "cross_entropy probabilities": (
        lambda t, x, p: t.nn.functional.cross_entropy(x, p), [(2, 3), nograd(PROBS)], None,
        False),
    "cross_entropy 1d": (lambda t, x, y: t.nn.functional.cross_entropy(x, y),
                         [(3,), nograd(np.array(1))], None, False),
    "nll_loss": (lambda t, x, y: t.nn.functional.nll_loss(x, y), [(4, 3), nograd(LABELS)], None,
                 True),
    "nll_loss none": (lambda t, x, y: t.nn.functional.nll_loss(x, y, reduction="none"),
                      [(4, 3), nograd(LABELS)], None, False),
    "binary_cross_entropy": (lambda t, x, y: t.nn.functional.binary_cross_entropy(x, y),
                             [(2, 3), nograd(PROBS)], (0.1, 0.9), True),
    "binary_cross_entropy target grad": (
        lambda t, x, y: t.nn.functional.binary_cross_entropy(x, y), [(2, 3), PROBS],
        (0.1, 0.9), False),
    "binary_cross_entropy weight": (
        lambda t, x, y, w: t.nn.functional.binary_cross_entropy(x, y, w, reduction="sum"),
        [(2, 3), nograd(PROBS), nograd(np.array([1.0, 0.5, 2.0]))], (0.1, 0.9), False),
    "binary_cross_entropy_with_logits": (
        lambda t, x, y: t.nn.functional.binary_cross_entropy_with_logits(x, y),
        [(2, 3), PROBS], None, True),
    "binary_cross_entropy_with_logits pos_weight": (
        lambda t, x, y, p: t.nn.functional.binary_cross_entropy_with_logits(x, y, pos_weight=p),
        [(2, 3), PROBS, nograd(np.array([1.0, 2.0, 3.0]))], None, False),
    "hardtanh": (lambda t, x: t.nn.functional.hardtanh(x), [(2, 3)], None, False),
    "hardtanh bounds": (lambda t, x: t.nn.functional.hardtanh(x, -0.5, 0.2), [(2, 3)], None,
                        False),
    "logsigmoid": (lambda t, x: t.nn.functional.logsigmoid(x), [(2, 3)], None, True),
    "normalize": (lambda t, x: t.nn.functional.normalize(x), [(2, 3)], None, True),
    "normalize p1 dim0": (lambda t, x: t.nn.functional.normalize(x, p=1.0, dim=0), [(2, 3)],
                          None, False),
}


@pytest.mark.parametrize("name", list(CASES))
def test_functional_matches_pytorch_and_finite_differences(name):
    fn, specs, domain, gg = CASES[name]
    check_op(fn, *specs, domain=domain or (-2.0, 2.0), gradgrad=gg)


def test_dropout_is_seeded_like_pytorch_and_scales_the_kept_values():
    torch = TORCH or pytest.skip("PyTorch not installed: differential test skipped")
    x = np.linspace(-1, 1, 24).reshape(4, 6).astype(np.float32)
    for p in (0.2, 0.5):
        gradsh.manual_seed(7)
        torch.manual_seed(7)
        gx = gradsh.tensor(x, requires_grad=True)
        tx = torch.tensor(x, requires_grad=True)
        go = F.dropout(gx, p)
        to = torch.nn.functional.dropout(tx, p)
        assert go.tolist() == to.tolist()
        assert type(go.grad_fn).__name__ == type(to.grad_fn).__name__ == "MulBackward0"
        go.sum().backward()
        to.sum().backward()
        assert gx.grad.tolist() == tx.grad.tolist()


def test_dropout_in_eval_mode_or_with_p_0_returns_its_input():
    x = gradsh.ones(3, requires_grad=True)
    assert F.dropout(x, 0.5, training=False) is x
    assert F.dropout(x, 0.0) is x


def test_dropout_with_p_1_zeroes_everything_and_refuses_bad_p():
    x = gradsh.ones(3, requires_grad=True)
    y = F.dropout(x, 1.0)
    assert y.tolist() == [0.0, 0.0, 0.0] and type(y.grad_fn).__name__ == "MulBackward0"
    with pytest.raises(ValueError, match="dropout probability has to be between 0 and 1, but got 1.5"):
        F.dropout(x, 1.5)


def test_functional_is_reachable_as_torch_nn_functional_and_exports_only_its_functions():
    import gradsh.nn.functional as G
    assert G.relu is F.relu and gradsh.nn.functional.cross_entropy is F.cross_entropy
    public = {n for n in dir(G) if not n.startswith("_")}
    assert "record" not in public and "EluBackward0" not in public and "one_hot" in public
