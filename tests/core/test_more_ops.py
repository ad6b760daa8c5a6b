"""The ops of issue 6's lists (math, shape and indexing, sorting), each through the shared checker
(tests/core/checker.py): values, grad_fn names and gradients against PyTorch, gradients against
finite differences in float64, and second derivatives (gradgradcheck) on a representative set."""

import numpy as np
import pytest

import gradsh
from checker import TORCH, check_op, nograd

POS = (0.5, 2.0)
UNIT = (-0.9, 0.9)
IDX = np.array([[0, 1, 1], [1, 0, 0]])

# name: (fn, input specs, domain, gradgrad)
MATH = {
    "log1p": (lambda t, x: x.log1p(), [(2, 3)], POS, True),
    "expm1": (lambda t, x: t.expm1(x), [(2, 3)], None, True),
    "log2": (lambda t, x: x.log2(), [(2, 3)], POS, True),
    "log10": (lambda t, x: t.log10(x), [(2, 3)], POS, False),
    "tan": (lambda t, x: x.tan(), [(2, 3)], UNIT, True),
    "asin": (lambda t, x: x.asin(), [(2, 3)], UNIT, True),
    "acos": (lambda t, x: t.acos(x), [(2, 3)], UNIT, True),
    "atan": (lambda t, x: x.atan(), [(2, 3)], None, True),
    "sinh": (lambda t, x: x.sinh(), [(2, 3)], None, True),
    "cosh": (lambda t, x: t.cosh(x), [(2, 3)], None, True),
    "rsqrt": (lambda t, x: x.rsqrt(), [(2, 3)], POS, True),
    "reciprocal": (lambda t, x: x.reciprocal(), [(2, 3)], POS, True),
    "square": (lambda t, x: x.square(), [(2, 3)], None, True),
    "sign": (lambda t, x: x.sign(), [(2, 3)], None, False),
    "floor": (lambda t, x: x.floor(), [(2, 3)], None, False),
    "ceil": (lambda t, x: t.ceil(x), [(2, 3)], None, False),
    "round": (lambda t, x: x.round(), [(2, 3)], None, False),
    "round decimals": (lambda t, x: x.round(decimals=1), [(2, 3)], None, False),
    "trunc": (lambda t, x: x.trunc(), [(2, 3)], None, False),
    "erf": (lambda t, x: x.erf(), [(2, 3)], None, True),
    "maximum": (lambda t, x, y: t.maximum(x, y), [(2, 3), (3,)], None, True),
    "minimum": (lambda t, x, y: x.minimum(y), [(2, 3), (2, 3)], None, True),
    "hypot": (lambda t, x, y: t.hypot(x, y), [(2, 3), (2, 3)], POS, True),
    "atan2": (lambda t, x, y: x.atan2(y), [(2, 3), (2, 3)], POS, True),
    "lerp scalar": (lambda t, x, y: x.lerp(y, 0.3), [(2, 3), (2, 3)], None, True),
    "lerp tensor": (lambda t, x, y, w: t.lerp(x, y, w), [(2, 3), (2, 3), (2, 3)], None, True),
    "logsumexp": (lambda t, x: x.logsumexp(1), [(2, 3)], None, True),
    "logsumexp keepdim": (lambda t, x: t.logsumexp(x, 0, keepdim=True), [(2, 3)], None, False),
    "cumsum": (lambda t, x: x.cumsum(1), [(2, 3)], None, True),
    "cumprod": (lambda t, x: x.cumprod(0), [(3, 2)], None, True),
    "dot": (lambda t, x, y: t.dot(x, y), [(3,), (3,)], None, True),
    "mv": (lambda t, x, y: t.mv(x, y), [(2, 3), (3,)], None, True),
    "outer": (lambda t, x, y: t.outer(x, y), [(2,), (3,)], None, True),
    "bmm": (lambda t, x, y: t.bmm(x, y), [(2, 2, 3), (2, 3, 2)], None, True),
    "einsum mm": (lambda t, x, y: t.einsum("ij,jk->ik", x, y), [(2, 3), (3, 2)], None, True),
    "einsum batch": (lambda t, x, y: t.einsum("bij,bjk->bik", x, y), [(2, 2, 3), (2, 3, 2)],
                     None, False),
    "einsum dot": (lambda t, x, y: t.einsum("i,i->", x, y), [(3,), (3,)], None, False),
    "einsum outer": (lambda t, x, y: t.einsum("i,j->ij", x, y), [(2,), (3,)], None, False),
    "einsum transpose": (lambda t, x: t.einsum("ij->ji", x), [(2, 3)], None, False),
    "einsum sum": (lambda t, x: t.einsum("ij->j", x), [(2, 3)], None, False),
    "einsum implicit": (lambda t, x, y: t.einsum("ij,jk", x, y), [(2, 3), (3, 2)], None, False),
    "einsum three": (lambda t, x, y, z: t.einsum("ij,jk,kl->il", x, y, z),
                     [(2, 3), (3, 2), (2, 2)], None, False),
    "einsum ellipsis batch": (lambda t, x, y: t.einsum("...ij,...jk->...ik", x, y),
                              [(2, 2, 3), (1, 3, 2)], None, False),
    "einsum ellipsis implicit": (lambda t, x: t.einsum("i...", x), [(2, 3, 4)], None, False),
    "einsum ellipsis middle": (lambda t, x, y: t.einsum("b...i,b...i->b", x, y),
                               [(2, 3, 4), (2, 1, 4)], None, False),
    "einsum diagonal": (lambda t, x: t.einsum("ii->i", x), [(3, 3)], None, True),
    "einsum batch diagonal": (lambda t, x: t.einsum("...ii->...i", x), [(2, 3, 3)], None, False),
    "einsum repeated with other": (lambda t, x, y: t.einsum("iij,j->i", x, y), [(3, 3, 2), (2,)],
                                   None, False),
    "diag of matrix": (lambda t, x: x.diag(), [(3, 3)], None, False),
    "diag of vector": (lambda t, x: t.diag(x), [(3,)], None, True),
    "diag offset": (lambda t, x: t.diag(x, 1), [(3, 3)], None, False),
    "diagonal": (lambda t, x: x.diagonal(), [(3, 3)], None, True),
    "diagonal offset dims": (lambda t, x: t.diagonal(x, -1, 2, 0), [(3, 2, 4)], None, False),
    "diagonal wide offset": (lambda t, x: x.diagonal(2), [(2, 4)], None, False),
    "trace": (lambda t, x: x.trace(), [(3, 3)], None, False),
    "tril": (lambda t, x: x.tril(), [(3, 3)], None, False),
    "triu": (lambda t, x: t.triu(x, 1), [(3, 3)], None, False),
}

SHAPE = {
    "repeat": (lambda t, x: x.repeat(2, 1, 3), [(2, 3)], None, True),
    "split": (lambda t, x: x.split(2, 1), [(2, 5)], None, True),
    "split sizes": (lambda t, x: t.split(x, [1, 3], 1), [(2, 4)], None, False),
    "chunk": (lambda t, x: x.chunk(2), [(4, 2)], None, False),
    "narrow": (lambda t, x: x.narrow(1, 1, 2), [(2, 4)], None, True),
    "gather": (lambda t, x, i: x.gather(1, i), [(2, 3), nograd(IDX)], None, True),
    "scatter": (lambda t, x, i, s: x.scatter(1, i[:, :2], s), [(2, 3), nograd(IDX), (2, 2)],
                None, False),
    "scatter value": (lambda t, x, i: t.scatter(x, 0, i[:1], 5.0), [(2, 3), nograd(IDX)], None,
                      False),
    "index_select": (lambda t, x, i: x.index_select(1, i), [(2, 3), nograd(np.array([2, 0, 2]))],
                     None, True),
    "masked_fill": (lambda t, x, m: x.masked_fill(m, 0.5),
                    [(2, 3), nograd(np.array([[True, False, True], [False, False, True]]))],
                    None, False),
    "masked_fill tensor value": (lambda t, x, m, v: x.masked_fill(m, v),
                                 [(2, 3), nograd(np.array([[True, False, True],
                                                           [False, False, True]])), ()],
                                 None, True),
    "masked_fill broadcasting self": (lambda t, x, m: x.masked_fill(m, 0.5),
                                      [(3,), nograd(np.array([[True, False, True],
                                                              [False, False, True]]))],
                                      None, True),
    "quantile tensor q": (lambda t, x, q: x.quantile(q.sigmoid()), [(5,), ()], None, False),
    "flip": (lambda t, x: x.flip(0, 1), [(2, 3)], None, True),
    "roll": (lambda t, x: x.roll(1, 1), [(2, 3)], None, False),
    "roll flat": (lambda t, x: t.roll(x, 2), [(2, 3)], None, False),
    "reshape of a strided view": (lambda t, x: x[..., ::2].reshape(-1), [(2, 3, 2)], None, False),
    "reshape of a transposed view": (lambda t, x: x.permute(2, 1, 0).reshape(2, 3, 2),
                                     [(2, 3, 2)], None, False),
    "reshape that copies": (lambda t, x: x.transpose(0, 1).reshape(-1), [(2, 3, 2)], None, False),
    "reshape of a slice": (lambda t, x: x[1:].reshape(3, 1), [(4,)], None, False),
    "squeeze dim": (lambda t, x: x.squeeze(1), [(2, 1, 3)], None, False),
    "movedim": (lambda t, x: x.movedim(0, 2), [(2, 3, 4)], None, False),
    "swapaxes": (lambda t, x: x.swapaxes(0, 1), [(2, 3)], None, False),
    "unbind": (lambda t, x: x.unbind(1), [(2, 3)], None, True),
    "take_along_dim": (lambda t, x, i: t.take_along_dim(x, i, 1), [(2, 3), nograd(IDX)], None,
                       False),
    "take_along_dim flat": (lambda t, x, i: x.take_along_dim(i), [(2, 3), nograd(np.array([5, 0]))],
                            None, False),
    "amax": (lambda t, x: x.amax(1), [(2, 3)], None, False),
    "amin": (lambda t, x: t.amin(x, (0, 1)), [(2, 3)], None, False),
    "topk": (lambda t, x: x.topk(2), [(2, 4)], None, True),
    "topk smallest": (lambda t, x: t.topk(x, 2, 0, largest=False), [(3, 2)], None, False),
    "sort": (lambda t, x: x.sort(1), [(2, 4)], None, True),
    "sort descending": (lambda t, x: t.sort(x, 0, descending=True), [(3, 2)], None, False),
    "argsort": (lambda t, x: x.argsort(1), [(2, 4)], None, False),
    "clamp tensor bounds": (lambda t, x, lo, hi: x.clamp(lo, hi), [(2, 3), (3,), (2, 3)],
                            (-1.0, 1.0), False),
    "clamp tensor min": (lambda t, x, lo: t.clamp(x, min=lo), [(2, 3), (2, 3)], None, False),
}


def test_einsum_with_a_repeated_label_matches_pytorch_values_gradients_and_nodes():
    check_op(lambda t, x: t.einsum("ii->", x), (3, 3))


def _case(table, name):
    fn, specs, domain, gg = table[name]
    check_op(fn, *specs, domain=domain or (-2.0, 2.0), gradgrad=gg)


@pytest.mark.parametrize("name", list(MATH))
def test_math_op_matches_pytorch_and_finite_differences(name):
    _case(MATH, name)


@pytest.mark.parametrize("name", list(SHAPE))
def test_shape_and_index_op_matches_pytorch_and_finite_differences(name):
    _case(SHAPE, name)
