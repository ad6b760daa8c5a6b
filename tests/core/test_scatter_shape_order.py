"""gather/scatter/scatter_add/scatter_reduce on index and src of every shape against PyTorch:
its order of shape checks as observed (along each dim self's bound, then src's size, an
IndexError past a 1-d src's dims, stopping at the first too-large size; then a src of other dims;
then the too-large size), and an empty index leaving self as it is whatever the shapes.
A 0-d self or index is swept by tests/core/test_fid23_fixes.py (branch fid23)."""

import itertools

import pytest

import gradsh

SHAPES = [(1,), (2,), (3,), (1, 1), (2, 3), (1, 3), (3, 1), (2, 1), (0,), (1, 0), (2, 3, 1),
          (3, 4), (1, 1, 1), ()]
OPS = {
    "scatter_add": lambda z, d, i, s: z.scatter_add(d, i, s),
    "scatter": lambda z, d, i, s: z.scatter(d, i, s),
    "scatter_reduce": lambda z, d, i, s: z.scatter_reduce(d, i, s, "sum"),
    "scatter_reduce_amax": lambda z, d, i, s: z.scatter_reduce(d, i, s, "amax",
                                                                include_self=False),
    "gather": lambda z, d, i, s: z.gather(d, i),
}


def _outcome(lib, self_shape, index_shape, src_shape, op, dim):
    z = lib.zeros(self_shape)
    index = lib.zeros(index_shape, dtype=lib.long)
    try:
        return "ok", OPS[op](z, dim, index, lib.ones(src_shape)).tolist()
    except Exception as e:
        return type(e).__name__, str(e)


CASES = [(s, i, r, op, dim) for s, i, r in itertools.product([(2, 3), (3,), (2, 3, 2)],
                                                             SHAPES[:-1], SHAPES)
         for op in OPS for dim in (0, -1)][::13]


def test_the_sweep_is_wide():
    assert len(CASES) > 400 and {c[3] for c in CASES} == set(OPS)


@pytest.mark.parametrize("self_shape, index_shape, src_shape, op, dim", CASES)
def test_shape_checks_as_pytorch(self_shape, index_shape, src_shape, op, dim):
    torch = pytest.importorskip("torch", reason="PyTorch is the oracle")
    assert (_outcome(gradsh, self_shape, index_shape, src_shape, op, dim)
            == _outcome(torch, self_shape, index_shape, src_shape, op, dim))
