"""torch.linalg's solvers and decompositions (core/ops/dense.py) against PyTorch 2.13: its
recorded facts (tests/data/linalg.json, by tools/record_linalg.py) and, when installed, PyTorch
live: values (to a tolerance: numpy's LAPACK build is not PyTorch's, see docs/autograd.md
"Linear algebra"), dtypes, grad_fn names, gradients, errors; gradcheck / gradgradcheck in
float64 (mathematics)."""

import json
import pathlib
import sys

import numpy as np
import pytest

import gradsh

DATA = pathlib.Path(__file__).resolve().parent.parent / "data"
sys.path.insert(0, str(DATA))
import linalg_cases as cases  # noqa: E402

FACTS = json.loads((DATA / "linalg.json").read_text())["facts"]
CASES, ERRORS, SIGNLESS, COMPOSED = cases.CASES, cases.ERRORS, cases.SIGNLESS, cases.COMPOSED
TOLERANCE = {"float64": 1e-9, "float32": 2e-4}  # relative to the largest magnitude, and 10x
# for gradients (tools/measure_linalg.py measures the actual differences)


def _assert_close(got, want, tol):
    got, want = np.array(got, dtype=float), np.array(want, dtype=float)
    assert got.shape == want.shape
    scale = max(1.0, float(np.abs(want).max())) if want.size else 1.0
    np.testing.assert_allclose(got, want, rtol=tol, atol=tol * scale)


def _compare(name, dtype_name, got, want):
    tol = TOLERANCE[dtype_name]
    g_outs, g_grads, g_nodes, g_dtypes = got
    w_outs, w_grads, w_nodes, w_dtypes = want
    assert g_dtypes == w_dtypes
    for g, w in zip(g_outs, w_outs):
        _assert_close(g, w, tol)
    for g, w in zip(g_grads, w_grads):
        _assert_close(g, w, 10 * tol)
    if name not in COMPOSED:
        assert g_nodes == w_nodes


@pytest.mark.parametrize("dtype_name", cases.DTYPES)
@pytest.mark.parametrize("name", sorted(CASES))
def test_values_nodes_and_gradients_are_pytorchs_recorded_facts(name, dtype_name):
    _compare(name, dtype_name, cases.run(gradsh, name, dtype_name),
             FACTS[f"{name}|{dtype_name}"])


@pytest.mark.parametrize("dtype_name", cases.DTYPES)
@pytest.mark.parametrize("name", sorted(CASES)[::4])
def test_live_pytorch_gives_the_same(name, dtype_name):
    torch = pytest.importorskip("torch", reason="PyTorch is the oracle")
    _compare(name, dtype_name, cases.run(gradsh, name, dtype_name),
             cases.run(torch, name, dtype_name))


def test_the_recorded_facts_cover_every_case():
    keys = {f"{n}|{d}" for n in CASES for d in cases.DTYPES} | {f"error|{c[0]}" for c in ERRORS}
    assert keys == set(FACTS), "re-record with python tools/record_linalg.py"


GRADCHECK = ["inv_batch", "det", "slogdet", "logdet", "solve", "solve_vec", "solve_right",
             "cholesky", "cholesky_upper", "eigh", "svd_tall", "svd_wide", "svdvals", "qr",
             "qr_wide", "solve_triangular", "matrix_power_m2", "cross", "pinv", "eigvalsh",
             "matrix_exp", "matrix_exp_batch", "cond", "norm_nuc", "vander", "multi_dot", "lstsq",
             "lstsq_wide_batch", "lstsq_vector"]


def _symmetrized(name, fn):
    """eigh, eigvalsh and cholesky read one triangle: check them on (X + X^T) / 2."""
    if name.startswith(("eig", "cholesky")):
        return lambda L, a: fn(L, (a + a.mT) / 2)
    return fn


@pytest.mark.parametrize("name", GRADCHECK)
def test_gradcheck_and_gradgradcheck(name):
    fn, arrays = CASES[name]
    fn = _symmetrized(name, fn)
    xs = [gradsh.tensor(a.tolist(), dtype=gradsh.float64, requires_grad=True) for a in arrays]

    def f(*ts):
        return fn(gradsh, *ts)
    assert gradsh.autograd.gradcheck(f, xs)
    assert gradsh.autograd.gradgradcheck(f, xs)


@pytest.mark.parametrize("p", [1, -1, float("inf"), "fro", "nuc"])
def test_cond_of_other_orders_is_pytorchs(p):
    """(PyTorch 2.13's own backward of these fails: its inverse is modified in place.)"""
    torch = pytest.importorskip("torch", reason="PyTorch is the oracle")
    a = np.random.default_rng(5).standard_normal((2, 3, 3))
    got = gradsh.linalg.cond(gradsh.tensor(a.tolist(), dtype=gradsh.float64), p)
    np.testing.assert_allclose(got.tolist(), torch.linalg.cond(torch.tensor(a), p).numpy(),
                               rtol=1e-12)
    singular = gradsh.linalg.cond(gradsh.zeros(3, 3), p)
    assert str(singular) == str(torch.linalg.cond(torch.zeros(3, 3), p))


def test_det_of_a_singular_matrix_under_create_graph_has_the_adjugate_gradient():
    """With a graph PyTorch goes through the SVD there: the adjugate (the derivative of the
    determinant), differentiable again; the second derivative of sum(adj(A)^T) is constant."""
    a = gradsh.tensor([[1.0, 2.0], [2.0, 4.0]], dtype=gradsh.float64, requires_grad=True)
    (g,) = gradsh.autograd.grad(gradsh.linalg.det(a), a, create_graph=True)
    np.testing.assert_allclose(g.tolist(), [[4.0, -2.0], [-2.0, 1.0]], atol=1e-12)  # adj(A)^T
    (h,) = gradsh.autograd.grad(g.sum(), a)
    np.testing.assert_allclose(h.tolist(), [[1.0, -1.0], [-1.0, 1.0]], atol=1e-12)


@pytest.mark.parametrize("case", ERRORS, ids=[c[0] for c in ERRORS])
def test_errors_are_pytorchs(case):
    assert cases.error(gradsh, case) == FACTS[f"error|{case[0]}"]


def test_linalg_error_is_a_runtime_error_named_as_pytorchs():
    assert issubclass(gradsh.linalg.LinAlgError, RuntimeError)
    with pytest.raises(gradsh.linalg.LinAlgError):
        gradsh.linalg.inv(gradsh.zeros(2, 2))


@pytest.mark.parametrize("check", ["inv_ex", "cholesky_ex", "solve_ex"])
def test_ex_variants_report_info_instead_of_raising(check):
    torch = pytest.importorskip("torch", reason="PyTorch is the oracle")
    outs = []
    for L in (gradsh, torch):
        bad = L.stack([L.eye(2), L.zeros(2, 2)])
        r = (L.linalg.inv_ex(bad) if check == "inv_ex" else L.linalg.cholesky_ex(bad)
             if check == "cholesky_ex" else L.linalg.solve_ex(bad, L.ones(2, 2)))
        outs.append((r[1].tolist(), str(r[1].dtype), r[0][0].tolist()))
    assert outs[0] == outs[1]


def test_lstsq_returns_pytorchs_named_tuple_of_its_default_driver():
    torch = pytest.importorskip("torch", reason="PyTorch is the oracle")
    a, b = np.random.default_rng(7).standard_normal((2, 5, 3)), np.ones((2, 5, 2))
    got = gradsh.linalg.lstsq(gradsh.tensor(a.tolist()), gradsh.tensor(b.tolist()))
    want = torch.linalg.lstsq(torch.tensor(a, dtype=torch.float32), torch.ones(2, 5, 2))
    assert [str(v.dtype) for v in got] == [str(v.dtype) for v in want]
    assert [tuple(v.shape) for v in got] == [tuple(v.shape) for v in want]
    assert got.rank.tolist() == want.rank.tolist()
    assert got.solution.stride() == want.solution.stride()


SINGULAR = [[[0.0, 0.0], [0.0, 0.0]], [[1.0, 2.0], [2.0, 4.0]], [[1.0, 0.0], [0.0, 0.0]],
            [[0.0, 0.0], [0.0, 1.0]], [[0.0, 1.0, 2.0], [0.0, 3.0, 4.0], [0.0, 5.0, 6.0]],
            [[2.0, 1.0, 0.0], [4.0, 2.0, 0.0], [1.0, 1.0, 1.0]], [[0.0] * 3] * 3]


@pytest.mark.parametrize("rows", SINGULAR, ids=[str(i) for i in range(len(SINGULAR))])
@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_singular_matrices_leave_lapacks_inf_and_nan_in_inv_ex_and_solve_ex(rows, dtype):
    # PyTorch's inv_ex / solve_ex of a singular matrix return what getrf and the triangular
    # solves leave (inf where a zero pivot divides, nan where 0 * inf meets), and getrf's info
    torch = pytest.importorskip("torch", reason="PyTorch is the oracle")
    outs = []
    for L in (gradsh, torch):
        A = L.tensor(rows, dtype=getattr(L, dtype))
        n = A.shape[-1]
        batch = L.stack([L.eye(n, dtype=A.dtype), A])
        rhs = L.arange(float(2 * n), dtype=A.dtype).reshape(n, 2) - 1
        runs = [L.linalg.inv_ex(A), L.linalg.inv_ex(batch), L.linalg.solve_ex(A, rhs),
                L.linalg.solve_ex(A, rhs[:, 0]), L.linalg.solve_ex(A, rhs.mT, left=False),
                L.linalg.solve_ex(batch, rhs)]
        outs.append([(np.asarray(r[0].tolist()), r[1].tolist()) for r in runs])
    for (ours, info), (theirs, want) in zip(*outs):
        assert info == want
        # inf and nan in the same places; LAPACK's blocked kernels round the finite rest
        # otherwise, and the sign of an inf made from a rounding residue (x - y = +-1e-16
        # where x = y, times 1 / 0) follows that rounding
        assert np.array_equal(np.isnan(ours), np.isnan(theirs))
        assert np.array_equal(np.isinf(ours), np.isinf(theirs))
        finite = np.isfinite(theirs)
        assert np.allclose(ours[finite], theirs[finite], rtol=1e-5)
