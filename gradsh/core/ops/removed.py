"""Names PyTorch 2.13 keeps only to refuse: torch.solve, lstsq, symeig, eig, matrix_rank (and
the methods it still has), each raising PyTorch's RuntimeError with its words, so a program
written for an old PyTorch fails here as it fails there, naming the replacement."""

from .registry import declare

_GONE = "This function was deprecated since version 1.9 and is now removed. "

_SOLVE = (
    _GONE + "`torch.solve` is deprecated in favor of `torch.linalg.solve`. `torch.linalg.solve` "
    "has its arguments reversed and does not return the LU factorization.\n\nTo get the LU "
    "factorization see `torch.lu`, which can be used with `torch.lu_solve` or "
    "`torch.lu_unpack`.\nX = torch.solve(B, A).solution should be replaced with:\n"
    "X = torch.linalg.solve(A, B)")
_LSTSQ = (
    _GONE + "`torch.lstsq` is deprecated in favor of `torch.linalg.lstsq`.\n`torch.linalg.lstsq` "
    "has reversed arguments and does not return the QR decomposition in the returned tuple "
    "(although it returns other information about the problem).\n\nTo get the QR decomposition "
    "consider using `torch.linalg.qr`.\n\nThe returned solution in `torch.lstsq` stored the "
    "residuals of the solution in the last m - n columns of the returned value whenever m > n. "
    "In torch.linalg.lstsq, the residuals are in the field 'residuals' of the returned named "
    "tuple.\n\nThe unpacking of the solution, as in\nX, _ = torch.lstsq(B, A).solution"
    "[:A.size(1)]\nshould be replaced with:\nX = torch.linalg.lstsq(A, B).solution")
_SYMEIG = (
    _GONE + "The default behavior has changed from using the upper triangular portion of the "
    "matrix by default to using the lower triangular portion.\n\nL, _ = torch.symeig(A, "
    "upper=upper) should be replaced with:\nL = torch.linalg.eigvalsh(A, UPLO='U' if upper else "
    "'L')\n\nand\n\nL, V = torch.symeig(A, eigenvectors=True) should be replaced with:\n"
    "L, V = torch.linalg.eigh(A, UPLO='U' if upper else 'L')")
_EIG = (
    _GONE + "`torch.linalg.eig` returns complex tensors of dtype `cfloat` or `cdouble` rather "
    "than real tensors mimicking complex tensors.\n\nL, _ = torch.eig(A) should be replaced "
    "with:\nL_complex = torch.linalg.eigvals(A)\n\nand\n\nL, V = torch.eig(A, eigenvectors=True)"
    " should be replaced with:\nL_complex, V_complex = torch.linalg.eig(A)")
_MATRIX_RANK = (
    _GONE.rstrip() + "\nPlease use the `torch.linalg.matrix_rank` function instead. The parameter "
    "'symmetric' was renamed in `torch.linalg.matrix_rank()` to 'hermitian'.")


@declare(tensor_first=True)
def solve(self, A):
    """Removed in PyTorch 1.9: raises PyTorch's RuntimeError (torch.linalg.solve)."""
    raise RuntimeError(_SOLVE)


@declare(tensor_first=True)
def lstsq(self, A):
    """Removed in PyTorch 1.9: raises PyTorch's RuntimeError (torch.linalg.lstsq)."""
    raise RuntimeError(_LSTSQ)


@declare(tensor_first=True)
def symeig(self, eigenvectors=False, upper=True):
    """Removed in PyTorch 1.9: raises PyTorch's RuntimeError (torch.linalg.eigh)."""
    raise RuntimeError(_SYMEIG)


@declare(tensor_first=True)
def eig(self, eigenvectors=False):
    """Removed in PyTorch 1.9: raises PyTorch's RuntimeError (torch.linalg.eig)."""
    raise RuntimeError(_EIG)


@declare(method=False, tensor_first=True)
def matrix_rank(self, tol=None, symmetric=False):
    """Removed in PyTorch 1.9: raises PyTorch's RuntimeError (torch.linalg.matrix_rank)."""
    raise RuntimeError(_MATRIX_RANK)
