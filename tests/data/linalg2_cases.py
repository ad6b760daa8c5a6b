"""Issue 15's second linear-algebra and special-function round (branch linalg2), shared by the
tests of each family (tests/core/test_lu.py, ...) and tools/record_linalg2.py (PyTorch 2.13's
facts into tests/data/linalg2.json): name -> (family, function of (lib, *tensors), input
arrays), built from a seeded generator; each case's cotangents come from a generator seeded by
its name, so recording and testing draw the same. ERRORS: (name, family, call) whose exception
class and message are the fact."""

import math
import zlib

import numpy as np

RNG = np.random.default_rng(2026)


def _mat(*shape):
    return RNG.standard_normal(shape)


_PIV = [2, 3, 3]  # getrf pivots of a 3 x 3 matrix (for lu_unpack / lu_solve on given factors)


def _piv(L, p=None):
    return L.tensor(_PIV if p is None else p, dtype=L.int32)


CASES = {}
ERRORS = []


def _case(family, name, fn, arrays):
    CASES[name] = (family, fn, arrays)


# ----- LU ---------------------------------------------------------------------------------------
for _shape in ((3, 3), (2, 4, 4), (3, 5), (5, 3), (2, 2, 3)):
    _tag = "x".join(map(str, _shape))
    _case("lu", f"linalg.lu {_tag}", lambda L, a: tuple(L.linalg.lu(a)), [_mat(*_shape)])
    _case("lu", f"linalg.lu_factor {_tag}", lambda L, a: tuple(L.linalg.lu_factor(a)),
          [_mat(*_shape)])
    _case("lu", f"linalg.lu_factor_ex {_tag}", lambda L, a: tuple(L.linalg.lu_factor_ex(a)),
          [_mat(*_shape)])
    _case("lu", f"lu_unpack {_tag}", lambda L, a: tuple(L.lu_unpack(*L.linalg.lu_factor(a))),
          [_mat(*_shape)])
_case("lu", "lu_unpack given pivots", lambda L, a: tuple(L.lu_unpack(a, _piv(L))), [_mat(3, 4)])
_case("lu", "lu_unpack no data", lambda L, a: tuple(L.lu_unpack(a, _piv(L), False)),
      [_mat(3, 3)])
_case("lu", "lu_unpack no pivots", lambda L, a: tuple(L.lu_unpack(a, _piv(L), True, False)),
      [_mat(3, 3)])
for _left in (True, False):
    for _adj in (False, True):
        _case("lu", f"linalg.lu_solve left={_left} adjoint={_adj}",
              lambda L, a, b, left=_left, adj=_adj: L.linalg.lu_solve(
                  *L.linalg.lu_factor(a), b, left=left, adjoint=adj),
              [_mat(2, 3, 3), _mat(2, 3, 2) if _left else _mat(2, 2, 3)])
_case("lu", "linalg.lu_solve given factors", lambda L, a, b: L.linalg.lu_solve(a, _piv(L), b),
      [_mat(3, 3) + 2 * np.eye(3), _mat(3, 4)])
_case("lu", "linalg.lu_solve broadcast", lambda L, a, b: L.linalg.lu_solve(
    *L.linalg.lu_factor(a), b), [_mat(3, 3), _mat(2, 3, 2)])
_case("lu", "torch.lu", lambda L, a: tuple(L.lu(a)), [_mat(2, 3, 3)])
_case("lu", "torch.lu get_infos", lambda L, a: tuple(L.lu(a, get_infos=True)), [_mat(4, 3)])
_case("lu", "Tensor.lu", lambda L, a: tuple(a.lu()), [_mat(3, 3)])
_case("lu", "torch.lu_solve", lambda L, b, a: L.lu_solve(b, *L.linalg.lu_factor(a)),
      [_mat(3, 2), _mat(3, 3)])
_case("lu", "Tensor.lu_solve", lambda L, b, a: b.lu_solve(*L.linalg.lu_factor(a)),
      [_mat(2, 3, 1), _mat(2, 3, 3)])
_case("lu", "lu ties and zeros", lambda L, a: tuple(L.linalg.lu_factor_ex(a)),
      [np.array([[1.0, 2.0, 0.0], [-1.0, 3.0, 1.0], [1.0, 0.0, 2.0]])])
_case("lu", "lu singular", lambda L, a: tuple(L.linalg.lu_factor_ex(a)),
      [np.array([[[1.0, 2.0], [2.0, 4.0]], [[0.0, 0.0], [0.0, 0.0]]])])
_case("lu", "linalg.lu singular", lambda L, a: tuple(L.linalg.lu(a)),
      [np.array([[0.0, 0.0, 1.0], [0.0, 0.0, 2.0], [0.0, 3.0, 1.0]])])
_case("lu", "linalg.lu empty", lambda L, a: tuple(L.linalg.lu(a)), [np.zeros((2, 0, 3))])

ERRORS += [
    ("lu_factor singular", "lu", lambda L: L.linalg.lu_factor(L.tensor([[1.0, 2.0], [2.0, 4.0]]))),
    ("lu_factor batch singular", "lu", lambda L: L.linalg.lu_factor(
        L.stack([L.eye(3), L.zeros(3, 3)]))),
    ("lu_factor_ex check_errors", "lu", lambda L: L.linalg.lu_factor_ex(
        L.zeros(3, 3), check_errors=True)),
    ("lu_factor no pivot", "lu", lambda L: L.linalg.lu_factor(L.eye(3), pivot=False)),
    ("lu no pivot", "lu", lambda L: L.linalg.lu(L.eye(3), pivot=False)),
    ("torch.lu no pivot", "lu", lambda L: L.lu(L.eye(3), pivot=False)),
    ("lu_factor 1d", "lu", lambda L: L.linalg.lu_factor(L.ones(3))),
    ("lu 1d", "lu", lambda L: L.linalg.lu(L.ones(3))),
    ("lu_factor_ex 1d", "lu", lambda L: L.linalg.lu_factor_ex(L.ones(3))),
    ("lu_factor long", "lu", lambda L: L.linalg.lu_factor(L.ones(3, 3, dtype=L.long))),
    ("lu long", "lu", lambda L: L.linalg.lu(L.ones(3, 3, dtype=L.long))),
    ("lu_factor int arg", "lu", lambda L: L.linalg.lu_factor(1)),
    ("lu_solve B 1d", "lu", lambda L: L.linalg.lu_solve(*L.linalg.lu_factor(L.eye(3)),
                                                        L.ones(3))),
    ("lu_solve shapes", "lu", lambda L: L.linalg.lu_solve(*L.linalg.lu_factor(L.eye(3)),
                                                          L.ones(2, 2))),
    ("lu_solve right shapes", "lu", lambda L: L.linalg.lu_solve(
        *L.linalg.lu_factor(L.eye(3)), L.ones(3, 2), left=False)),
    ("lu_solve dtypes", "lu", lambda L: L.linalg.lu_solve(*L.linalg.lu_factor(L.eye(3)),
                                                          L.ones(3, 2, dtype=L.float64))),
    ("lu_solve pivots dtype", "lu", lambda L: L.linalg.lu_solve(
        L.eye(3), L.ones(3, dtype=L.long), L.ones(3, 2))),
    ("lu_solve nonsquare", "lu", lambda L: L.linalg.lu_solve(
        L.ones(2, 3), L.ones(2, dtype=L.int32), L.ones(2, 2))),
    ("lu_unpack pivots dtype", "lu", lambda L: L.lu_unpack(L.eye(3), L.ones(3, dtype=L.long))),
    ("lu_unpack pivots range", "lu", lambda L: L.lu_unpack(L.eye(3), _piv(L, [5, 1, 1]))),
    ("lu_unpack pivots zero", "lu", lambda L: L.lu_unpack(L.eye(3), _piv(L, [0, 2, 3]))),
]

# ----- the regularized incomplete gamma functions ------------------------------------------------
_GA = [0.5, 1.0, 2.0, 3.5, 0.0, 1.0, 25.0, 7.0, 0.2, 100.0]
_GXV = [0.5, 2.0, 1.0, 3.0, 1.0, 0.0, 17.5, 0.1, 1e-20, 90.0]
_EDGE_A = [-1.0, 0.0, 0.0, 1.0, math.inf, 2.0, math.nan, math.inf, 3.0]
_EDGE_X = [1.0, 0.0, 1.0, math.inf, 1.0, -1.0, 1.0, math.inf, math.nan]
for _fn in ("igamma", "igammac"):
    _case("igamma", f"torch.{_fn}", lambda L, x, f=_fn: getattr(L, f)(
        L.tensor(_GA, dtype=x.dtype), x), [np.array(_GXV)])
    _case("igamma", f"Tensor.{_fn}", lambda L, x, f=_fn: getattr(
        L.tensor([[1.5], [4.0]], dtype=x.dtype), f)(x), [np.array([0.25, 1.0, 6.0])])
    _case("igamma", f"Tensor.{_fn}_", lambda L, x, f=_fn: getattr(
        L.tensor([1.5, 4.0, 0.5], dtype=x.dtype), f + "_")(x), [np.array([0.25, 1.0, 6.0])])
    _case("igamma", f"torch.{_fn} edges", lambda L, x, f=_fn: getattr(L, f)(
        L.tensor(_EDGE_A, dtype=x.dtype), x), [np.array(_EDGE_X)])
    _case("igamma", f"torch.{_fn} grad of a", lambda L, a, x, f=_fn: getattr(L, f)(a, x),
          [np.array([1.0, 2.0]), np.array([0.5, 3.0])])
for _fn in ("igamma", "igammac"):
    _case("igamma", f"torch.{_fn} smooth", lambda L, x, f=_fn: getattr(L, f)(
        L.tensor([0.5, 2.0, 3.5, 9.0], dtype=x.dtype), x), [np.array([0.75, 1.5, 4.0, 8.0])])
_case("igamma", "special.gammainc", lambda L, x: L.special.gammainc(
    L.tensor([[2.0, 0.5, 8.0]], dtype=x.dtype), x), [np.array([[1.0], [3.0]])])
_case("igamma", "special.gammaincc", lambda L, x: L.special.gammaincc(
    L.tensor([2.0, 0.5, 8.0], dtype=x.dtype), x), [np.array([1.0, 3.0, 12.0])])
_case("igamma", "igamma int first", lambda L, x: L.igamma(L.tensor([1, 2, 3]), x),
      [np.array([1.0, 3.0, 12.0])])

ERRORS += [
    ("igamma number", "igamma", lambda L: L.igamma(L.ones(2), 2.0)),
    ("igamma number first", "igamma", lambda L: L.igamma(2.0, L.ones(2))),
    ("igammac ints", "igamma", lambda L: L.igammac(L.ones(2, dtype=L.long),
                                                  L.ones(2, dtype=L.long))),
    ("gammainc number", "igamma", lambda L: L.special.gammainc(L.ones(2), 1.0)),
    ("gammaincc number", "igamma", lambda L: L.special.gammaincc(1.0, L.ones(2))),
    ("igamma shapes", "igamma", lambda L: L.igamma(L.ones(2), L.ones(3))),
    ("igamma_ ints", "igamma", lambda L: L.ones(2, dtype=L.long).igamma_(L.ones(2))),
]

# exact values (mpmath, 40 digits, recorded beside PyTorch's): (a, x) pairs over the regions
# of the series, the continued fraction and large a near x, where PyTorch's own kernel (Temme's
# expansion) is off by up to ~2e-9 relative
EXACT_GAMMA = [(0.5, 0.5), (2.0, 1.0), (3.5, 3.5), (25.3, 17.8), (50.0, 55.0), (100.0, 90.0),
               (187.9, 219.1), (1e4, 1e4), (1e4, 1.01e4), (0.001, 0.001), (0.2, 1e-30),
               (30.0, 60.0), (7.0, 0.1), (500.0, 274.0), (0.5, 30.0)]

# ----- Bessel J, Y, K and Airy's Ai (no derivatives, as in PyTorch) ------------------------------
BESSEL = ("bessel_j0", "bessel_j1", "bessel_y0", "bessel_y1", "modified_bessel_k0",
          "modified_bessel_k1", "scaled_modified_bessel_k0", "scaled_modified_bessel_k1", "airy_ai")
BESSEL_X = [0.5, -1.0, 2.0, 0.0, -0.0, 30.0, 1e-3, 5.0, 7.3, 10.0, 24.9, 25.1, 100.0, 1e4, -3.0,
            -2.09, -10.0, -11.0, -50.0, -100.0, 3.0, 8.0, 20.0, 50.0, 104.0, 1e-8, 1e-30,
            math.inf, -math.inf, math.nan]
for _fn in BESSEL:
    _case("bessel", f"special.{_fn}", lambda L, x, f=_fn: getattr(L.special, f)(x),
          [np.array(BESSEL_X)])
    _case("bessel", f"special.{_fn} ints", lambda L, x, f=_fn: getattr(L.special, f)(
        L.tensor([0, 1, 2, -3])), [np.array([0.0])])

ERRORS += [(f"{fn} number", "bessel", lambda L, f=fn: getattr(L.special, f)(1.0))
           for fn in BESSEL]

# ----- triangular_solve, renorm, nuclear_norm, chain_matmul ---------------------------------------
def _tri(*shape):
    return np.triu(RNG.standard_normal(shape)) + 3 * np.eye(shape[-1])


for _kw in ({}, {"upper": False}, {"transpose": True}, {"upper": False, "transpose": True,
                                                        "unitriangular": True}):
    _case("linalg_more", f"triangular_solve {_kw}", lambda L, b, a, kw=_kw: tuple(
        L.triangular_solve(b, a, **kw)), [_mat(3, 2), _tri(3, 3) + np.tril(_mat(3, 3), -1)])
_case("linalg_more", "Tensor.triangular_solve batch", lambda L, b, a: tuple(
    b.triangular_solve(a, upper=True)), [_mat(2, 3, 1), _tri(2, 3, 3)])
for _args in ((2, 0, 1.5), (1, 1, 2.0), (3.0, -1, 0.5), (2, 0, 100.0)):
    _case("linalg_more", f"renorm {_args}", lambda L, x, a=_args: L.renorm(x, *a),
          [_mat(2, 3, 2)])
_case("linalg_more", "Tensor.renorm_", lambda L, x: x.clone().renorm_(2, 1, 1.0), [_mat(3, 4)])
_case("linalg_more", "nuclear_norm", lambda L, x: L.nuclear_norm(x), [_mat(3, 4)])
_case("linalg_more", "nuclear_norm dim keepdim", lambda L, x: L.nuclear_norm(x, (0, 2), True),
      [_mat(3, 2, 4)])
_case("linalg_more", "chain_matmul", lambda L, a, b, c: L.chain_matmul(a, b, c),
      [_mat(2, 3), _mat(3, 4), _mat(4, 2)])

ERRORS += [
    ("renorm 1d", "linalg_more", lambda L: L.renorm(L.ones(3), 2, 0, 1.0)),
    ("renorm p 0", "linalg_more", lambda L: L.renorm(L.ones(2, 3), 0, 0, 1.0)),
    ("nuclear_norm 1d", "linalg_more", lambda L: L.nuclear_norm(L.ones(3))),
]

# ----- names PyTorch keeps only to refuse -------------------------------------------------------
ERRORS += [(expr, "removed", lambda L, expr=expr: eval(expr, {"torch": L, "A": L.eye(2)}))
           for expr in ("torch.solve(A, A)", "torch.lstsq(A, A)", "torch.symeig(A)",
                        "torch.symeig(A, eigenvectors=True)", "torch.eig(A)",
                        "torch.eig(A, True)", "torch.matrix_rank(A)", "A.solve(A)",
                        "A.lstsq(A)", "A.symeig()", "A.eig()", "A.matrix_rank()")]

# the cases gradcheck and gradgradcheck run on (float64; mathematics, no PyTorch needed)
GRADCHECK = {
    "linalg_more": ["triangular_solve {}", "triangular_solve {'upper': False, 'transpose': True, "
                    "'unitriangular': True}", "renorm (2, 0, 1.5)", "renorm (1, 1, 2.0)",
                    "nuclear_norm"],
    "igamma": ["torch.igamma smooth", "torch.igammac smooth", "special.gammaincc",
               "Tensor.igamma"],
    "lu": ["linalg.lu 3x3", "linalg.lu 3x5", "linalg.lu 5x3", "linalg.lu_factor 2x4x4",
           "linalg.lu_factor_ex 3x5", "linalg.lu_factor 5x3", "lu_unpack given pivots",
           "linalg.lu_solve left=True adjoint=False", "linalg.lu_solve left=False adjoint=True",
           "linalg.lu_solve given factors", "torch.lu_solve"],
}

DTYPES = ("float64", "float32")


def weights(name, shapes):
    """The cotangents of case `name`'s outputs (one array per output shape)."""
    rng = np.random.default_rng(zlib.crc32(name.encode()))
    return [rng.standard_normal(tuple(s)) for s in shapes]


def _clean(v):
    if isinstance(v, list):
        return [_clean(a) for a in v]
    if isinstance(v, float) and (math.isnan(v) or math.isinf(v)):
        return repr(v)
    return v


def run(lib, name, dtype_name):
    """(outputs, gradients, output node names, dtypes, strides) of one case: each float output
    that requires grad times its cotangent, summed, then backward."""
    import warnings
    _, fn, arrays = CASES[name]
    dtype = getattr(lib, dtype_name)
    xs = [lib.tensor(a.tolist(), dtype=dtype, requires_grad=True) for a in arrays]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        out = fn(lib, *xs)
    outs = out if isinstance(out, tuple) else (out,)
    nodes = [None if o.grad_fn is None else type(o.grad_fn).__name__ for o in outs]
    diff = [o for o in outs if o.requires_grad]
    ws = weights(name, [tuple(o.shape) for o in diff])
    grads = None
    if diff:
        loss = sum((o * lib.tensor(w.tolist(), dtype=dtype)).sum() for o, w in zip(diff, ws))
        try:
            loss.backward()
        except Exception as e:  # noqa: BLE001 - the outcome is the fact
            grads = [f"{type(e).__name__}: {e}"]
    return (_clean([o.tolist() for o in outs]),
            grads or _clean([None if x.grad is None else x.grad.tolist() for x in xs]),
            nodes, [str(o.dtype) for o in outs], [list(o.stride()) for o in outs])


def error(lib, case):
    """[exception class name, message] of one ERRORS case."""
    import warnings
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            case[2](lib)
    except Exception as e:  # noqa: BLE001 - the outcome is the fact
        return [type(e).__name__, str(e)]
    return None
