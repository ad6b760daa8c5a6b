"""Ops of three tensors whose shapes do not broadcast (where, lerp, clamp with tensor bounds,
addcmul, addcdiv and their in-place forms) raise PyTorch's RuntimeError, which folds the
shapes in the operands' order and names the shape so far and the first operand that does not
fit (gradsh/core/errors.py, broadcast_error_of); never numpy's ValueError."""

import pytest

import gradsh

torch = pytest.importorskip("torch", reason="PyTorch is the oracle for the messages")

SHAPES = [((3,), (2,), (2,)), ((2,), (3,), (2,)), ((2,), (2,), (3,)), ((4, 1), (3,), (2, 1)),
          ((2, 3), (3, 2), (1,))]
OPS = {
    "where": lambda T, a, b, c: T.where(a > 0, b, c),
    "where_scalar": lambda T, a, b, c: T.where(a > 0, b, 0.0),
    "lerp": lambda T, a, b, c: T.lerp(a, b, c),
    "clamp": lambda T, a, b, c: T.clamp(a, b, c),
    "clamp_min": lambda T, a, b, c: T.clamp(a, min=b),
    "addcmul": lambda T, a, b, c: T.addcmul(a, b, c),
    "addcdiv_": lambda T, a, b, c: a.clone().addcdiv_(b, c),
}


def _message(T, op, shapes):
    try:
        OPS[op](T, *(T.ones(s) for s in shapes))
    except RuntimeError as e:
        return str(e)
    return None


@pytest.mark.parametrize("shapes", SHAPES, ids=str)
@pytest.mark.parametrize("op", list(OPS))
def test_three_operand_broadcast_error_is_pytorchs(op, shapes):
    assert _message(gradsh, op, shapes) == _message(torch, op, shapes)
