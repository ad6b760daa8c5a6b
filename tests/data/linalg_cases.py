"""torch.linalg's cases, shared by tests/core/test_linalg.py (gradsh, and PyTorch live) and
tools/record_linalg.py (PyTorch 2.13's facts into tests/data/linalg.json): name -> (function of
(lib, *tensors), input arrays), built from a seeded generator; the cotangents of each case come
from a generator seeded by its name (`weights`), so recording and testing draw the same."""

import zlib

import numpy as np

RNG = np.random.default_rng(1234)


def _mat(*shape):
    return RNG.standard_normal(shape)


def _spd(*shape):
    a = RNG.standard_normal(shape)
    n = shape[-1]
    return a @ np.swapaxes(a, -1, -2) + n * np.eye(n)


def _sym(*shape):
    a = RNG.standard_normal(shape)
    return a + np.swapaxes(a, -1, -2)


def _tri(*shape):
    return np.triu(RNG.standard_normal(shape)) + 3 * np.eye(shape[-1])


# name -> (function of (lib, *tensors), input arrays)
CASES = {
    "inv": (lambda L, a: L.linalg.inv(a), [_mat(3, 3)]),
    "inv_batch": (lambda L, a: L.linalg.inv(a), [_mat(2, 3, 3)]),
    "inverse": (lambda L, a: L.inverse(a), [_mat(4, 4)]),
    "inverse_method": (lambda L, a: a.inverse(), [_mat(2, 2)]),
    "inv_ex": (lambda L, a: L.linalg.inv_ex(a).inverse, [_mat(3, 3)]),
    "det": (lambda L, a: L.linalg.det(a), [_mat(3, 3)]),
    "det_batch": (lambda L, a: L.det(a), [_mat(2, 4, 4)]),
    "det_method": (lambda L, a: a.det(), [_mat(2, 2)]),
    "slogdet": (lambda L, a: tuple(L.linalg.slogdet(a)), [_mat(3, 3)]),
    "slogdet_batch": (lambda L, a: tuple(L.slogdet(a)), [_mat(2, 3, 3)]),
    "logdet": (lambda L, a: L.logdet(a), [_spd(3, 3)]),
    "logdet_method": (lambda L, a: a.logdet(), [_spd(2, 3, 3)]),
    "solve": (lambda L, a, b: L.linalg.solve(a, b), [_mat(3, 3), _mat(3, 2)]),
    "solve_vec": (lambda L, a, b: L.linalg.solve(a, b), [_mat(3, 3), _mat(3)]),
    "solve_batch_vec": (lambda L, a, b: L.linalg.solve(a, b), [_mat(2, 3, 3), _mat(2, 3)]),
    "solve_bcast": (lambda L, a, b: L.linalg.solve(a, b), [_mat(2, 3, 3), _mat(3, 4)]),
    "solve_right": (lambda L, a, b: L.linalg.solve(a, b, left=False), [_mat(3, 3), _mat(2, 3)]),
    "solve_ex": (lambda L, a, b: L.linalg.solve_ex(a, b).result, [_mat(3, 3), _mat(3, 2)]),
    "cholesky": (lambda L, a: L.linalg.cholesky(a), [_spd(3, 3)]),
    "cholesky_upper": (lambda L, a: L.linalg.cholesky(a, upper=True), [_spd(2, 3, 3)]),
    "cholesky_ex": (lambda L, a: L.linalg.cholesky_ex(a).L, [_spd(4, 4)]),
    "eigh": (lambda L, a: tuple(L.linalg.eigh(a)), [_sym(3, 3)]),
    "eigh_batch": (lambda L, a: tuple(L.linalg.eigh(a)), [_sym(2, 3, 3)]),
    "eigvalsh": (lambda L, a: L.linalg.eigvalsh(a), [_sym(4, 4)]),
    "svd_square": (lambda L, a: tuple(L.linalg.svd(a)), [_mat(3, 3)]),
    "svd_tall": (lambda L, a: tuple(L.linalg.svd(a, full_matrices=False)), [_mat(4, 3)]),
    "svd_wide": (lambda L, a: tuple(L.linalg.svd(a, full_matrices=False)), [_mat(2, 3, 5)]),
    "svdvals": (lambda L, a: L.linalg.svdvals(a), [_mat(4, 3)]),
    "svd_old": (lambda L, a: tuple(L.svd(a)), [_mat(4, 3)]),
    "qr": (lambda L, a: tuple(L.linalg.qr(a)), [_mat(4, 3)]),
    "qr_square": (lambda L, a: tuple(L.linalg.qr(a)), [_mat(2, 3, 3)]),
    "qr_wide": (lambda L, a: tuple(L.linalg.qr(a)), [_mat(3, 5)]),
    "qr_old": (lambda L, a: tuple(L.qr(a)), [_mat(4, 3)]),
    "solve_triangular": (lambda L, a, b: L.linalg.solve_triangular(a, b, upper=True),
                         [_tri(3, 3), _mat(3, 2)]),
    "solve_triangular_lower_right": (
        lambda L, a, b: L.linalg.solve_triangular(a.mT, b, upper=False, left=False),
        [_tri(3, 3), _mat(2, 3)]),
    "matrix_power_3": (lambda L, a: L.linalg.matrix_power(a, 3), [_mat(3, 3)]),
    "matrix_power_5": (lambda L, a: L.matrix_power(a, 5), [_mat(3, 3) / 2]),
    "matrix_power_m2": (lambda L, a: a.matrix_power(-2), [_mat(3, 3)]),
    "matrix_power_1": (lambda L, a: a.matrix_power(1), [_mat(3, 3)]),
    "multi_dot": (lambda L, a, b, c: L.linalg.multi_dot([a, b, c]),
                  [_mat(3), _mat(3, 4), _mat(4, 2)]),
    "multi_dot_4": (lambda L, a, b, c, d: L.linalg.multi_dot([a, b, c, d]),
                    [_mat(5, 2), _mat(2, 6), _mat(6, 3), _mat(3, 4)]),
    "cross": (lambda L, a, b: L.linalg.cross(a, b), [_mat(4, 3), _mat(4, 3)]),
    "cross_dim": (lambda L, a, b: L.cross(a, b, dim=0), [_mat(3, 2), _mat(3, 2)]),
    "vecdot": (lambda L, a, b: L.linalg.vecdot(a, b), [_mat(4, 3), _mat(4, 3)]),
    "pinv": (lambda L, a: L.linalg.pinv(a), [_mat(4, 3)]),
    "cholesky_inverse": (lambda L, a: L.cholesky_inverse(L.linalg.cholesky(a)), [_spd(3, 3)]),
    "cholesky_solve": (lambda L, b, a: L.cholesky_solve(b, L.linalg.cholesky(a)),
                       [_mat(3, 2), _spd(3, 3)]),
    "matrix_exp": (lambda L, a: L.linalg.matrix_exp(a), [_mat(3, 3)]),
    "matrix_exp_batch": (lambda L, a: L.matrix_exp(a), [2 * _mat(2, 4, 4)]),
    "matrix_exp_method": (lambda L, a: a.matrix_exp(), [_mat(2, 2) / 10]),
    "cond": (lambda L, a: L.linalg.cond(a), [_mat(4, 3)]),
    "vander": (lambda L, a: L.linalg.vander(a), [_mat(2, 3)]),
    "norm_2": (lambda L, a: L.linalg.matrix_norm(a, 2), [_mat(2, 3, 4)]),
    "norm_m2_keepdim": (lambda L, a: L.linalg.matrix_norm(a, -2, dim=(0, 2), keepdim=True),
                        [_mat(3, 2, 4)]),
    "norm_nuc": (lambda L, a: L.linalg.norm(a, "nuc"), [_mat(3, 4)]),
    "lstsq": (lambda L, a, b: (L.linalg.lstsq(a, b).solution,), [_mat(5, 3), _mat(5, 2)]),
    "lstsq_wide_batch": (lambda L, a, b: (L.linalg.lstsq(a, b).solution,),
                         [_mat(2, 3, 4), _mat(2, 3, 2)]),
    "lstsq_vector": (lambda L, a, b: (L.linalg.lstsq(a, b).solution,), [_mat(4, 2), _mat(4)]),
    "tensorinv": (lambda L, a: L.linalg.tensorinv(a.reshape(4, 6, 8, 3)),
                  [_mat(24, 24) + 5 * np.eye(24)]),
    "tensorsolve": (lambda L, a, b: L.linalg.tensorsolve(a.reshape(2, 3, 6), b),
                    [_mat(6, 6) + 3 * np.eye(6), _mat(2, 3)]),
    "tensorsolve_dims": (lambda L, a, b: L.linalg.tensorsolve(a.reshape(6, 2, 3), b, dims=(0,)),
                         [_mat(6, 6) + 3 * np.eye(6), _mat(2, 3)]),
}

# names whose top node PyTorch records as one node where gradsh composes
COMPOSED = {"pinv": "LinalgPinvBackward0", "cholesky_inverse": "CholeskyInverseBackward0",
            "cholesky_solve": "CholeskySolveBackward0"}

DTYPES = ("float64", "float32")

# Singular vectors and eigenvectors are unique up to sign only, and numpy's LAPACK build
# (OpenBLAS) picks other signs than PyTorch's (MKL) for some: these cases are compared, and
# differentiated, through the squares of their outputs.
SIGNLESS = {"eigh", "eigh_batch", "svd_square", "svd_tall", "svd_wide", "svd_old"}

ERRORS = [
    ("inv singular", lambda L: L.linalg.inv(L.tensor([[1.0, 2.0], [2.0, 4.0]]))),
    ("inv batch singular", lambda L: L.linalg.inv(L.zeros(2, 3, 3))),
    ("inverse singular", lambda L: L.inverse(L.zeros(2, 2))),
    ("inv nonsquare", lambda L: L.linalg.inv(L.ones(2, 3))),
    ("inv 1d", lambda L: L.linalg.inv(L.ones(3))),
    ("inv int", lambda L: L.linalg.inv(L.ones(2, 2, dtype=L.long))),
    ("det nonsquare", lambda L: L.linalg.det(L.ones(2, 3))),
    ("det int", lambda L: L.det(L.ones(2, 2, dtype=L.long))),
    ("det 1d", lambda L: L.det(L.ones(3))),
    ("slogdet int", lambda L: L.linalg.slogdet(L.ones(2, 2, dtype=L.long))),
    ("logdet nonsquare", lambda L: L.logdet(L.ones(2, 3))),
    ("solve singular", lambda L: L.linalg.solve(L.zeros(2, 2), L.ones(2))),
    ("solve batch singular", lambda L: L.linalg.solve(
        L.stack([L.eye(2), L.zeros(2, 2)]), L.ones(2, 2, 2))),
    ("solve shapes", lambda L: L.linalg.solve(L.eye(2), L.ones(3))),
    ("solve dtypes", lambda L: L.linalg.solve(L.eye(2), L.ones(2, dtype=L.float64))),
    ("solve nonsquare", lambda L: L.linalg.solve(L.ones(2, 3), L.ones(2))),
    ("cholesky not pd", lambda L: L.linalg.cholesky(L.tensor([[1.0, 2.0], [2.0, 1.0]]))),
    ("cholesky batch not pd", lambda L: L.linalg.cholesky(
        L.stack([L.eye(2), L.tensor([[1.0, 2.0], [2.0, 1.0]])]))),
    ("cholesky int", lambda L: L.linalg.cholesky(L.ones(2, 2, dtype=L.long))),
    ("cholesky nonsquare", lambda L: L.linalg.cholesky(L.ones(2, 3))),
    ("matrix_power nonsquare", lambda L: L.linalg.matrix_power(L.ones(2, 3), 2)),
    ("matrix_power 1d", lambda L: L.matrix_power(L.ones(3), 2)),
    ("eigh nonsquare", lambda L: L.linalg.eigh(L.ones(2, 3))),
    ("svd int", lambda L: L.linalg.svd(L.ones(2, 2, dtype=L.long))),
    ("svd 1d", lambda L: L.linalg.svd(L.ones(2))),
    ("qr mode", lambda L: L.linalg.qr(L.ones(2, 2), mode="x")),
    ("qr 1d", lambda L: L.linalg.qr(L.ones(2))),
    ("qr int", lambda L: L.linalg.qr(L.ones(2, 2, dtype=L.long))),
    ("multi_dot one", lambda L: L.linalg.multi_dot([L.ones(2, 2)])),
    ("multi_dot shapes", lambda L: L.linalg.multi_dot([L.ones(2, 2), L.ones(3, 2)])),
    ("multi_dot 3d", lambda L: L.linalg.multi_dot([L.ones(2, 2, 2), L.ones(2, 2)])),
    ("cross length", lambda L: L.linalg.cross(L.ones(2), L.ones(2))),
    ("vecdot dtypes", lambda L: L.linalg.vecdot(L.ones(2), L.ones(2, dtype=L.float64))),
]


def weights(name, shapes):
    """The cotangents of case `name`'s outputs (one array per output shape)."""
    rng = np.random.default_rng(zlib.crc32(name.encode()))
    return [rng.standard_normal(tuple(s)) for s in shapes]


def run(lib, name, dtype_name):
    """(outputs, gradients, output node names) of one case: each output (squared where SIGNLESS)
    times its cotangent, summed, then backward."""
    fn, arrays = CASES[name]
    dtype = getattr(lib, dtype_name)
    xs = [lib.tensor(a.tolist(), dtype=dtype, requires_grad=True) for a in arrays]
    out = fn(lib, *xs)
    outs = out if isinstance(out, tuple) else (out,)
    nodes = [type(o.grad_fn).__name__ for o in outs]
    if name in SIGNLESS:
        outs = tuple(o * o for o in outs)
    ws = weights(name, [tuple(o.shape) for o in outs])
    loss = sum((o * lib.tensor(w.tolist(), dtype=dtype)).sum() for o, w in zip(outs, ws)
               if o.requires_grad)
    loss.backward()
    return ([o.tolist() for o in outs], [None if x.grad is None else x.grad.tolist() for x in xs],
            nodes, [str(o.dtype) for o in outs])


def error(lib, case):
    """[exception class name, message, is a RuntimeError] of one ERRORS case."""
    try:
        case[1](lib)
    except Exception as e:  # noqa: BLE001 - the outcome is the fact
        return [type(e).__name__, str(e), isinstance(e, RuntimeError)]
    return None
