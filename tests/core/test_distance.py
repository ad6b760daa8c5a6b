"""F.pairwise_distance and F.cosine_similarity (and their modules) against PyTorch: values and
gradients bit for bit, second derivatives, the graphs PyTorch's compositions record."""

import numpy as np
import pytest

import gradsh as G

torch = pytest.importorskip("torch", reason="PyTorch is the oracle for the distances")

CASES = [
    ("pairwise_distance", {}), ("pairwise_distance", dict(p=1.0, keepdim=True)),
    ("pairwise_distance", dict(p=3.0, eps=0.0)), ("cosine_similarity", {}),
    ("cosine_similarity", dict(dim=0)), ("cosine_similarity", dict(dim=-1, eps=0.5)),
]


def _graph(node, depth=0):
    if node is None or depth > 7:
        return []
    return [node.name()] + [n for m, _ in node.next_functions for n in _graph(m, depth + 1)]


def _facts(T, name, kw):
    rng = np.random.default_rng(0)
    a, b = (rng.standard_normal((5, 7)).astype(np.float32) for _ in range(2))
    b[0], a[1] = 0, a[2]  # a zero row (the eps clamp) and two equal rows
    x1, x2 = T.tensor(a, requires_grad=True), T.tensor(b, requires_grad=True)
    y = getattr(T.nn.functional, name)(x1, x2, **kw)
    go = T.tensor(np.linspace(-1, 1, y.numel(), dtype=np.float32).reshape(tuple(y.shape)),
                  requires_grad=True)
    g1, g2 = T.autograd.grad(y, (x1, x2), go, create_graph=True)
    hessian = T.autograd.grad((g1 * g1).sum() + (g2 * g2).sum(), (x1, x2, go))
    return (y.detach().numpy(), g1.detach().numpy(), g2.detach().numpy(), _graph(y.grad_fn),
            _graph(g1.grad_fn)[:6], y.stride()), [h.numpy(force=True) for h in hessian]


@pytest.mark.parametrize("name,kw", CASES)
def test_distances_match_pytorch(name, kw):
    (ours, our_h), (theirs, their_h) = _facts(G, name, kw), _facts(torch, name, kw)
    exact = kw.get("p", 2.0) in (1.0, 2.0)  # a general p-norm (torch.norm's too) rounds as
    for o, t in zip(ours, theirs):          # numpy does: an ulp here and there
        if not isinstance(o, np.ndarray):
            assert o == t
        else:
            assert np.array_equal(o, t) if exact else np.allclose(o, t, rtol=1e-6, atol=0)
    for o, t in zip(our_h, their_h):  # second order: PyTorch's rounding to an ulp or so
        assert np.allclose(o, t, rtol=1e-5, atol=1e-6, equal_nan=True)


def test_cosine_similarity_of_integer_tensors():
    for T in (G, torch):
        y = T.cosine_similarity(T.tensor([1, 2]), T.tensor([2.0, 1.0]), dim=0)
        assert y.dtype == T.float32 and y.item() == pytest.approx(0.8)
    with pytest.raises(RuntimeError, match="expected common dtype to be floating point, yet "
                                           "common dtype is Long"):
        G.cosine_similarity(G.tensor([1, 2]), G.tensor([2, 1]), dim=0)


def test_distance_modules():
    data = [np.random.default_rng(2).standard_normal((3, 4)).astype(np.float32) for _ in "ab"]
    for make in (lambda nn: nn.PairwiseDistance(p=1.0, keepdim=True),
                 lambda nn: nn.CosineSimilarity(dim=0, eps=1e-6)):
        ours, theirs = make(G.nn), make(torch.nn)
        assert repr(ours) == repr(theirs)
        assert np.array_equal(ours(*map(G.tensor, data)).numpy(),
                              theirs(*map(torch.tensor, data)).numpy())
