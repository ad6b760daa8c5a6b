"""torch.linalg for gradsh: vector and matrix norms."""

from .core import library_errors as _library_errors
from .core.ops.reduce import norm as _norm


def vector_norm(x, ord=2, dim=None, keepdim=False, *, dtype=None):
    """The vector ord-norm of x over dim (all elements by default)."""
    return _norm(x, ord, dim, keepdim)


def norm(A, ord=None, dim=None, keepdim=False, *, dtype=None):
    """The 2-norm of all elements (the Frobenius norm of a matrix) or over dim."""
    return _norm(A, 2 if ord is None or ord == "fro" else ord, dim, keepdim)


# PyTorch's argument errors for a Python program's calls (core/library_errors.py)
_library_errors.install(_library_errors.public_functions(globals()))
