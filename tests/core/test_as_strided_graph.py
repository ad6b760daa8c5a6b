"""torch.as_strided's and as_strided_scatter's gradients under create_graph=True are built as
PyTorch's as_strided_backward builds them (a zero storage written with the gradient, read back
in the input's geometry), so their double-backward graphs, strides and second derivatives are
PyTorch's; checked live against PyTorch 2.13 (skipped without it)."""

import pytest

import gradsh


@pytest.fixture(scope="module")
def torch():
    return pytest.importorskip("torch", reason="PyTorch not installed: differential test skipped")


def walk(node, depth=0):
    if node is None or depth > 4:
        return []
    return [(depth, node.name())] + [x for n, _ in node.next_functions for x in walk(n, depth + 1)]


VIEWS = {
    "transposed": lambda x: x.as_strided((2, 3), (1, 2)),
    "offset": lambda x: x.as_strided((3, 2), (2, 1), 1),
    "of a transposed view": lambda x: x.view(3, 4).t().as_strided((2, 2), (4, 1)),
    "overlapping output": lambda x: x.as_strided((3, 3), (1, 1)),
    "column major": lambda x: x.as_strided((4, 3), (1, 4)),
}


def as_strided_facts(T, f):
    x = T.arange(12., requires_grad=True)
    y = f(x)
    w = T.ones_like(y, requires_grad=True)
    g, = T.autograd.grad(y, x, w, create_graph=True)
    h, = T.autograd.grad((g * T.arange(12.)).sum(), w)
    return g.stride(), walk(g.grad_fn), g.tolist(), h.tolist()


@pytest.mark.parametrize("view", sorted(VIEWS))
def test_as_strided_double_backward_is_pytorchs(torch, view):
    assert as_strided_facts(gradsh, VIEWS[view]) == as_strided_facts(torch, VIEWS[view])


def scatter_facts(T, size, stride, offset):
    s = T.zeros(12, requires_grad=True)
    src = T.arange(float(size[0] * size[1])).reshape(size).requires_grad_()
    o = T.as_strided_scatter(s, src, size, stride, offset)
    gs = T.autograd.grad(o, (s, src), T.arange(12.).requires_grad_(), create_graph=True)
    return [(g.stride(), walk(g.grad_fn), g.tolist()) for g in gs]


@pytest.mark.parametrize("size, stride, offset", [((2, 3), (1, 2), 0), ((2, 2), (3, 1), 2)])
def test_as_strided_scatter_double_backward_is_pytorchs(torch, size, stride, offset):
    assert scatter_facts(gradsh, size, stride, offset) == scatter_facts(torch, size, stride, offset)
