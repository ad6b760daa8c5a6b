"""Fixes found by issue 15's blind adversarial programs on torch.special, torch.linalg, torch.fft,
complex autograd and torch.distributions (branch adv12b, tests/data/learner_programs/adv12b_*):
one test per class of difference, each run in gradsh and in PyTorch 2.13 (the oracle, when it is
installed) and compared: the result's dtype and values, or the exception's class and message."""

import math

import pytest

import gradsh


def _torch():
    return pytest.importorskip("torch", reason="PyTorch is the oracle of this test")


def _outcome(call, lib):
    """What call(lib) gives: ("ok", dtype, values) or (exception class name, message)."""
    try:
        r = call(lib)
    except Exception as e:  # the class and words are what is compared
        return (type(e).__name__, str(e))
    if isinstance(r, tuple):
        return ("ok",) + tuple(_outcome(lambda _: t, lib) for t in r)
    return ("ok", str(r.dtype), str(r.tolist()))  # (as text: nan equals nan)


def _same(call):
    torch = _torch()
    assert _outcome(call, gradsh) == _outcome(call, torch)


# ----- torch.special in float16 / bfloat16: float32 inside, the dtype kept; PyTorch's refusals --
_HALF_OK = ["erf", "erfc", "erfinv", "expit", "logit", "gammaln", "digamma", "psi", "i0", "i1",
            "i1e", "ndtr", "sinc", "entr", "log1p", "expm1", "exp2"]
_HALF_REFUSED = ["erfcx", "ndtri", "log_ndtr", "bessel_j0", "bessel_j1", "bessel_y0",
                 "bessel_y1", "modified_bessel_i0", "modified_bessel_k1",
                 "scaled_modified_bessel_k0", "spherical_bessel_j0", "airy_ai"]


@pytest.mark.parametrize("dtype", ["float16", "bfloat16"])
@pytest.mark.parametrize("name", _HALF_OK + _HALF_REFUSED)
def test_special_half_precision(name, dtype):
    values = [0.5, 1.5, -0.25, 3.0, 0.0, 7.5]
    _same(lambda t: getattr(t.special, name)(t.tensor(values).to(getattr(t, dtype))))


@pytest.mark.parametrize("dtype", ["float16", "bfloat16"])
@pytest.mark.parametrize("n", [0, 1, 2, 3, 5])
def test_polygamma_half_precision(n, dtype):
    _same(lambda t: t.special.polygamma(n, t.tensor([0.5, 1.5, 3.0, 0.25]).to(getattr(t, dtype))))


def test_zeta_refuses_half_and_special_round_refuses_integers():
    _same(lambda t: t.special.zeta(t.tensor([2.0], dtype=t.float16), t.tensor([1.0],
                                                                             dtype=t.float16)))
    for dtype in ("int64", "uint8", "bool"):
        _same(lambda t: t.special.round(t.tensor([1, 0]).to(getattr(t, dtype))))
        _same(lambda t: t.round(t.tensor([1, 0]).to(getattr(t, dtype)), decimals=0))
        _same(lambda t: t.special.round(t.tensor([1, 0]).to(getattr(t, dtype)), decimals=2))


@pytest.mark.parametrize("fn", ["softmax", "log_softmax"])
@pytest.mark.parametrize("dtype", ["float16", "bfloat16"])
def test_half_softmax_over_the_last_dim_is_float32_rounded_once(fn, dtype):
    torch = _torch()
    rows = torch.randn(20, 37, generator=torch.Generator().manual_seed(0)).mul(3).tolist()
    _same(lambda t: getattr(t, fn)(t.tensor(rows).to(getattr(t, dtype)), -1))
    _same(lambda t: getattr(t.special, fn)(t.tensor([1.0, 2.0]).to(getattr(t, dtype)), 0))


# ----- torch.fft: PyTorch's errors and fftfreq's edges -------------------------------------------
@pytest.mark.parametrize("call", [
    lambda t: t.fft.fft(t.ones(4, dtype=t.float16)),
    lambda t: t.fft.rfftn(t.ones(4, dtype=t.bfloat16)),
    lambda t: t.fft.irfft2(t.ones(4, dtype=t.float16)),   # the dims are refused first
    lambda t: t.fft.fft(t.tensor(1.0)),
    lambda t: t.fft.fft2(t.tensor(1.0)),
    lambda t: t.fft.rfftn(t.tensor(1.0)),
    lambda t: t.fft.ihfftn(t.tensor(1.0)),
    lambda t: t.fft.fftn(t.ones(2, 3), s=(2, 2, 2)),
    lambda t: t.fft.irfftn(t.ones(2, 3), s=(2, 2, 2)),
    lambda t: t.fft.fftshift(t.ones(2, 3), dim=3),
    lambda t: t.fft.ifftshift(t.ones(2, 3), dim=(0, -3)),
    lambda t: t.fft.fftshift(t.tensor(1.0), dim=0),
    lambda t: t.fft.fftfreq(0),
    lambda t: t.fft.fftfreq(-1),
    lambda t: t.fft.rfftfreq(0),
    lambda t: t.fft.rfftfreq(-1),
    lambda t: t.fft.rfftfreq(-3),
    lambda t: t.fft.fftfreq(4, d=0.0),
    lambda t: t.fft.fftfreq(4, d=-0.0),
    lambda t: t.fft.fftfreq(2.5),
    lambda t: t.fft.rfftfreq(True),
    lambda t: t.fft.fftfreq(4, dtype=t.int64),
    lambda t: t.fft.rfftfreq(4, dtype=t.complex64),
    lambda t: t.fft.fftfreq(7, 0.1, dtype=t.float64),
])
def test_fft_edges(call):
    _same(call)


# ----- torch.linalg: PyTorch's words for integer, bool and half inputs, by op -------------------
_LINALG = {
    "eigh": lambda t, A: t.linalg.eigh(A), "eigvalsh": lambda t, A: t.linalg.eigvalsh(A),
    "pinv": lambda t, A: t.linalg.pinv(A), "lstsq": lambda t, A: t.linalg.lstsq(A, A),
    "matrix_rank": lambda t, A: t.linalg.matrix_rank(A), "cond": lambda t, A: t.linalg.cond(A),
    "solve_triangular": lambda t, A: t.linalg.solve_triangular(A, A, upper=True),
    "vecdot": lambda t, A: t.linalg.vecdot(A, A), "eigvals": lambda t, A: t.linalg.eigvals(A),
    "lu_solve": lambda t, A: t.linalg.lu_solve(A, t.tensor([1, 2], dtype=t.int32), A),
    "cholesky_inverse": lambda t, A: t.cholesky_inverse(A),
    "vander": lambda t, A: t.linalg.vander(A[0]), "matmul": lambda t, A: A @ A,
    "mv": lambda t, A: A @ A[0], "dot": lambda t, A: A[0] @ A[0],
    "bmm": lambda t, A: A.expand(2, 2, 2) @ A,
}


@pytest.mark.filterwarnings("ignore:ComplexHalf support is experimental")  # (PyTorch's own)
@pytest.mark.parametrize("dtype", ["int64", "bool", "float16", "bfloat16"])
@pytest.mark.parametrize("op", sorted(_LINALG))
def test_linalg_refusals_by_dtype(op, dtype):
    _same(lambda t: _LINALG[op](t, t.tensor([[2, 1], [1, 2]]).to(getattr(t, dtype))))


@pytest.mark.parametrize("call", [
    lambda t: t.linalg.cond(t.tensor([[1.0, 1.0], [1.0, 1.0]]), 1),
    lambda t: t.linalg.cond(t.tensor([[1.0, 1.0], [1.0, 1.0]]), "fro"),
    lambda t: t.linalg.cond(t.stack([t.eye(2), t.ones(2, 2)]), -math.inf),
    lambda t: t.linalg.cond(t.zeros(0, 0)),
    lambda t: t.linalg.cond(t.zeros(0, 0), 1),
    lambda t: t.linalg.cond(t.ones(3)),
    lambda t: t.linalg.cond(t.ones(2, 3), "fro"),
    lambda t: t.linalg.cond(t.ones(2, 3), math.inf),
    lambda t: t.linalg.cond(t.ones(2, 2), 3),
    lambda t: t.linalg.inv_ex(t.tensor([[1.0, 2.0], [2.0, 4.0]]), check_errors=True),
    lambda t: t.linalg.tensorinv(t.zeros(4, 2, 2), 1),
    lambda t: t.linalg.cross(t.ones(2, 3), t.ones(4, 3)),
    lambda t: t.linalg.matrix_exp(t.empty(0, 0)),
    lambda t: t.linalg.matrix_exp(t.empty(2, 0, 0)),
    lambda t: t.linalg.matrix_norm(t.empty(0, 3), 2),
    lambda t: t.linalg.matrix_norm(t.empty(0, 3), math.inf),
    lambda t: t.linalg.matrix_norm(t.empty(2, 0, 3), 2),
    lambda t: t.linalg.matrix_norm(t.ones(2, 2), dtype=t.int64),
    lambda t: t.linalg.vector_norm(t.empty(0), -1),
    lambda t: t.linalg.vector_norm(t.empty(0), -0.5),
    lambda t: t.linalg.vector_norm(t.empty(2, 0), -1, dim=1),
    lambda t: t.linalg.vector_norm(t.ones(2), dtype=t.int64),
    lambda t: t.linalg.vector_norm(t.ones(2), dtype=t.float16),
    lambda t: t.linalg.vector_norm(t.ones(2, dtype=t.complex64), dtype=t.float32),
    lambda t: t.linalg.vector_norm(t.ones(2), dtype=t.complex64),
    lambda t: t.linalg.vector_norm(t.ones(2, dtype=t.int64), dtype=t.float32),
    lambda t: t.norm(t.ones(2), dtype=t.float16),
])
def test_linalg_edges(call):
    _same(call)


_A = [[1.0, 1.0], [1.0, 2.0], [1.0, 3.0], [1.0, 4.0]]
_B = [[6.0], [5.0], [7.0], [10.0]]


@pytest.mark.parametrize("driver", ["gels", "gelsy", "gelsd", "gelss", "foo"])
@pytest.mark.parametrize("case", ["tall", "vector", "batched", "deficient", "wide"])
def test_lstsq_fields_follow_the_driver(driver, case):
    def call(t):
        A, B = t.tensor(_A, dtype=t.float64), t.tensor(_B, dtype=t.float64)
        if case == "vector":
            B = B[:, 0]
        elif case == "batched":
            A, B = t.stack([A, t.cat([A[:, :1], A[:, :1]], 1)]), B.expand(2, 4, 1)
        elif case == "deficient":
            A = t.cat([A[:, :1], 2 * A[:, :1]], 1)
        elif case == "wide":
            A, B = A.T.contiguous(), B[:2]
        r = t.linalg.lstsq(A, B, driver=driver)
        return (r.solution.round(decimals=10), r.residuals.round(decimals=10), r.rank,
                r.singular_values.round(decimals=10))
    _same(call)


def test_lstsq_refuses_unbroadcastable_batches_before_the_rows():
    _same(lambda t: t.linalg.lstsq(t.ones(2, 4, 2), t.ones(4, 1)))


def test_svd_full_matrices_backward_ignores_the_extra_vectors():
    def call(t):
        A = t.tensor([[3.0, 0.0], [4.0, 5.0], [0.0, 0.0]], dtype=t.float64, requires_grad=True)
        U, S, Vh = t.linalg.svd(A, full_matrices=True)
        (U[:, :2].sum() + Vh.sum() + S.sum() + U[:, 2].sum() * 0).backward()
        first = A.grad.round(decimals=10)
        A.grad = None
        t.linalg.svd(A, full_matrices=True).U[:, 2].sum().backward()
        return first, A.grad
    _same(call)


def test_polar_abs_gradient_is_the_direction_of_the_result():
    def call(t):
        a = t.tensor([-1.0, 0.0, 2.0], dtype=t.float64, requires_grad=True)
        ang = t.tensor([0.5, 1.0, 0.3], dtype=t.float64, requires_grad=True)
        p = t.polar(a, ang)
        (p.real * 2 + p.imag * 3).sum().backward()
        return a.grad.round(decimals=12), ang.grad.round(decimals=12)
    _same(call)


def test_view_as_complex_of_a_0d_tensor():
    _same(lambda t: t.view_as_complex(t.tensor(1.0)))


# ----- empty inputs: PyTorch's shapes where numpy's reshape(-1, 0, 0) failed, and its order of
# checks (found by a sweep of linalg over empty shapes after the programs) ------------------------
def _shapes_or_error(r):
    return tuple((tuple(t.shape), str(t.dtype)) for t in (r if isinstance(r, tuple) else (r,)))


@pytest.mark.parametrize("shape", [(0, 0), (2, 0, 0), (3, 0), (0, 3), (2, 3, 0)])
@pytest.mark.parametrize("op", [
    lambda t, A: t.linalg.lstsq(A, A), lambda t, A: t.linalg.ldl_factor(A),
    lambda t, A: t.linalg.pinv(A, hermitian=True), lambda t, A: t.linalg.eigvals(A),
    lambda t, A: t.linalg.cond(A, 1), lambda t, A: t.linalg.cond(A, -math.inf),
    lambda t, A: t.linalg.cond(A, "nuc"), lambda t, A: t.linalg.matrix_norm(A, -2),
])
def test_linalg_of_empty_inputs(op, shape):
    torch = _torch()

    def outcome(lib):
        try:
            return _shapes_or_error(op(lib, lib.ones(shape, dtype=lib.float64)))
        except Exception as e:  # the class and words are what is compared
            return (type(e).__name__, str(e))
    assert outcome(gradsh) == outcome(torch)


def test_amax_amin_name_the_empty_dim_as_given():
    for call in (lambda t: t.ones(2, 0).amin(-1), lambda t: t.ones(2, 0).amax((-1,)),
                 lambda t: t.ones(0, 2).amax((0, 1))):
        _same(call)
