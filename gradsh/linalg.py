"""torch.linalg for gradsh: vector and matrix norms; the solvers and decompositions of
core/ops/dense.py (inv, det, slogdet, solve, cholesky, eigh, svd, qr, ...)."""


from .core import function_names as _function_names
from .core import library_errors as _library_errors
from .core import overrides as _overrides
from .core import keywords as _keywords
from .core import number_slots as _number_slots
from .core.ops.reduce import norm as _norm


def vector_norm(x, ord=2, dim=None, keepdim=False, *, dtype=None):
    """The vector ord-norm of x over dim (all elements by default)."""
    if isinstance(ord, str):  # ('fro' and 'nuc' are matrix orders)
        raise TypeError("linalg_vector_norm(): argument 'ord' (position 2) must be Number, not "
                        "str")
    return _norm(x, ord, dim, keepdim, dtype)


def norm(A, ord=None, dim=None, keepdim=False, *, dtype=None):
    """The 2-norm of all elements (the Frobenius norm of a matrix) or over dim; with an ord, a
    matrix norm where PyTorch takes one (a str ord, a 2-d A without dim, two dims)."""
    if isinstance(dim, (tuple, list)) and len(dim) not in (1, 2):
        raise RuntimeError("linalg.norm: If dim is specified, it must be of length 1 or 2. Got "
                           f"{list(dim)}")
    if dim is None and ord is not None and A.ndim not in (1, 2):
        raise RuntimeError("linalg.norm: If dim is not specified but ord is, the input must be 1D "
                           f"or 2D. Got {A.ndim}D.")
    two_dims = isinstance(dim, (tuple, list)) and len(dim) == 2
    if isinstance(ord, str) or ord is not None and (two_dims or dim is None and A.ndim == 2):
        dims = (-2, -1) if dim is None else dim if isinstance(dim, (tuple, list)) else (dim,)
        return matrix_norm(A, ord, dims, keepdim, dtype=dtype)
    return _norm(A, 2 if ord is None else ord, dim, keepdim, dtype)




# ----- solvers and decompositions (core/ops/dense.py) -----------------------------------------
from .core.ops import dense as _dense  # noqa: E402
from .core.ops.dtype_refusals import guarded  # noqa: E402
from .core.ops import meta_route as _meta_route  # noqa: E402

LinAlgError = _dense.LinAlgError
matrix_norm = _dense.matrix_norm
inv = _dense.linalg_inv
inv_ex = _dense.linalg_inv_ex
det = _dense.linalg_det
slogdet = _dense.linalg_slogdet
solve = _dense.linalg_solve
solve_ex = _dense.linalg_solve_ex
solve_triangular = _dense.linalg_solve_triangular
cholesky = _dense.linalg_cholesky
cholesky_ex = _dense.linalg_cholesky_ex
eigh = _dense.linalg_eigh
eigvalsh = _dense.linalg_eigvalsh
svd = _dense.linalg_svd
svdvals = _dense.linalg_svdvals
qr = _dense.linalg_qr
pinv = _dense.linalg_pinv
matrix_rank = _dense.linalg_matrix_rank
multi_dot = _dense.linalg_multi_dot
cross = guarded("cross", _dense.linalg_cross)  # PyTorch's "cross" kernel refuses bool
vecdot = _dense.linalg_vecdot
diagonal = _dense.linalg_diagonal
matmul = _dense.linalg_matmul
matrix_exp = _dense.matrix_exp
cond = _dense.linalg_cond
vander = _dense.linalg_vander
lstsq = _dense.linalg_lstsq
tensorinv = _dense.linalg_tensorinv
tensorsolve = _dense.linalg_tensorsolve

from .core.ops import lu as _lu  # noqa: E402

lu = _lu.linalg_lu
lu_factor = _lu.linalg_lu_factor
lu_factor_ex = _lu.linalg_lu_factor_ex
lu_solve = _lu.linalg_lu_solve

from .core.ops import householder as _householder  # noqa: E402

householder_product = _householder.linalg_householder_product

from .core.ops import ldl as _ldl  # noqa: E402

ldl_factor = _ldl.linalg_ldl_factor
ldl_factor_ex = _ldl.linalg_ldl_factor_ex
ldl_solve = _ldl.linalg_ldl_solve

from .core.ops import complex_ops as _complex_ops  # noqa: E402
from .core.ops import out as _out  # noqa: E402

eig = _complex_ops.linalg_eig
eigvals = _complex_ops.linalg_eigvals


def matrix_power(A, n):
    """A to the integer power n (torch.linalg.matrix_power)."""
    return _dense.matrix_power(A, n)


_meta_route.route_module(globals(), "linalg")  # meta tensors stay meta (core/ops/meta_route.py)
# out= where PyTorch's signature has it, named in its errors as PyTorch names the op it runs;
# its composite norms and ranks take an out= with inputs requiring grad
_out.add_out(globals(), "linalg", {
    "cholesky": "linalg_cholesky_ex", "det": "_linalg_det", "eigvalsh": "_linalg_eigh",
    "inv": "linalg_inv_ex", "matmul": "matmul", "solve": "_linalg_solve_ex",
    "svdvals": "_linalg_svd", "vecdot": "sum"}, no_autograd=frozenset((
        "cond", "matrix_norm", "matrix_power", "matrix_rank", "norm", "tensorinv")),
    # its out= takes only the result's dtype (not any it can be cast to, as torch.*'s)
    exact={name: None for name in (
        "cholesky", "cholesky_ex", "cross", "det", "eig", "eigh", "eigvals", "eigvalsh",
        "householder_product", "inv", "inv_ex", "ldl_factor", "ldl_factor_ex", "ldl_solve",
        "lstsq", "lu", "lu_factor", "lu_factor_ex", "lu_solve", "qr", "slogdet", "solve",
        "solve_ex", "solve_triangular", "svd", "svdvals", "matrix_power")} | {
        "matrix_norm": "linalg.matrix_norm expected out tensor dtype {Want} but got: {Got}",
        "norm": "linalg.norm expected out tensor dtype {Want} but got: {Got}"},
    casts={name: "%s: Expected result to be safely castable from {Want} dtype, but got result "
                 "with dtype {Got}" % label for name, label in (
                     ("pinv", "linalg.pinv"), ("cond", "linalg.cond"),
                     ("matrix_power", "matrix_power"))})
# PyTorch's argument errors for a Python program's calls (core/library_errors.py)
_keywords.guard(globals(), "linalg")  # PyTorch's keyword names (core/keywords.py)
_number_slots.guard(globals(), "linalg")  # PyTorch's refusal of a tensor for a number
_overrides.wrap_module(globals())  # __torch_function__ (core/overrides.py)
_library_errors.install(_library_errors.public_functions(globals()))
_function_names.give(globals(), "linalg")  # PyTorch's __name__ (core/function_names.py)
