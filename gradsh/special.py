"""torch.special for gradsh: the gamma family, Bessel functions I0 and I1, the normal
distribution's CDF and its inverse, zeta, xlogy/xlog1py, entr, and PyTorch's aliases of ops the
torch namespace has (expit is sigmoid, gammaln is lgamma, psi is digamma, ...).

The ops PyTorch has only here are declared in gradsh/core/ops/special_ops.py (`special=True`);
an alias gives the op's own node (`torch.special.gammaln(x)` records LgammaBackward0).
"""

import functools as _functools

from .core import bindings as _bindings
from .core import errors as _errors
from .core import function_names as _function_names
from .core import library_errors as _library_errors
from .core import overrides as _overrides
from .core import keywords as _keywords
from .core import number_slots as _number_slots
from .core.bindings import SPECIAL as _SPECIAL
from .core.bindings import TORCH_FUNCTIONS as _TORCH
from .core.ops import igamma as _igamma
from .core.ops import out as _out
from .core.ops import special_ops as _ops
from .core.tensor import Tensor as _Tensor

_bindings.load_all()  # the Bessel functions and polynomials load on first use (core/ops_index.py)

i0e = _SPECIAL["i0e"]
i1 = _SPECIAL["i1"]
i1e = _SPECIAL["i1e"]
ndtr = _SPECIAL["ndtr"]
ndtri = _SPECIAL["ndtri"]
log_ndtr = _SPECIAL["log_ndtr"]
erfcx = _SPECIAL["erfcx"]
entr = _SPECIAL["entr"]
xlog1py = _SPECIAL["xlog1py"]
zeta = _SPECIAL["zeta"]
# the orthogonal polynomials (core/ops/polynomials.py: not differentiable, as in PyTorch)
chebyshev_polynomial_t = _SPECIAL["chebyshev_polynomial_t"]
chebyshev_polynomial_u = _SPECIAL["chebyshev_polynomial_u"]
chebyshev_polynomial_v = _SPECIAL["chebyshev_polynomial_v"]
chebyshev_polynomial_w = _SPECIAL["chebyshev_polynomial_w"]
shifted_chebyshev_polynomial_t = _SPECIAL["shifted_chebyshev_polynomial_t"]
shifted_chebyshev_polynomial_u = _SPECIAL["shifted_chebyshev_polynomial_u"]
shifted_chebyshev_polynomial_v = _SPECIAL["shifted_chebyshev_polynomial_v"]
shifted_chebyshev_polynomial_w = _SPECIAL["shifted_chebyshev_polynomial_w"]
hermite_polynomial_h = _SPECIAL["hermite_polynomial_h"]
hermite_polynomial_he = _SPECIAL["hermite_polynomial_he"]
laguerre_polynomial_l = _SPECIAL["laguerre_polynomial_l"]
legendre_polynomial_p = _SPECIAL["legendre_polynomial_p"]
# Bessel functions without derivatives (core/ops/bessel.py)
modified_bessel_i0 = _SPECIAL["modified_bessel_i0"]
modified_bessel_i1 = _SPECIAL["modified_bessel_i1"]
spherical_bessel_j0 = _SPECIAL["spherical_bessel_j0"]
bessel_j0 = _SPECIAL["bessel_j0"]
bessel_j1 = _SPECIAL["bessel_j1"]
bessel_y0 = _SPECIAL["bessel_y0"]
bessel_y1 = _SPECIAL["bessel_y1"]
modified_bessel_k0 = _SPECIAL["modified_bessel_k0"]
modified_bessel_k1 = _SPECIAL["modified_bessel_k1"]
scaled_modified_bessel_k0 = _SPECIAL["scaled_modified_bessel_k0"]
scaled_modified_bessel_k1 = _SPECIAL["scaled_modified_bessel_k1"]
airy_ai = _SPECIAL["airy_ai"]


def _alias(op, special_name):
    """torch.special.<special_name>: the torch op `op`, refusing a first argument that is not a
    tensor in PyTorch's words (special_gammaln(): argument 'input' ...)."""
    fn = _TORCH[op]
    target = getattr(fn, "__wrapped__", fn)

    @_functools.wraps(target)
    def call(input, *args, **kwargs):
        if not isinstance(input, _Tensor):
            raise TypeError(f"special_{special_name}(): argument 'input' (position 1) must be "
                            f"Tensor, not {_errors.type_name(input)}")
        return target(input, *args, **kwargs)
    call.__name__ = call.__qualname__ = special_name
    return call


expit = _alias("sigmoid", "expit")
logit = _alias("logit", "logit")
erf = _alias("erf", "erf")
erfc = _alias("erfc", "erfc")
erfinv = _alias("erfinv", "erfinv")
exp2 = _alias("exp2", "exp2")
expm1 = _alias("expm1", "expm1")
log1p = _alias("log1p", "log1p")
gammaln = _alias("lgamma", "gammaln")
digamma = _alias("digamma", "digamma")
psi = _alias("digamma", "psi")
i0 = _alias("i0", "i0")
sinc = _alias("sinc", "sinc")
multigammaln = _alias("mvlgamma", "multigammaln")
logsumexp = _alias("logsumexp", "logsumexp")


def gammainc(input, other):
    """The regularized lower incomplete gamma function P(input, other) (torch.igamma)."""
    _igamma.checked_args(input, other, "special_gammainc")
    return _igamma.igamma(input, other)


def gammaincc(input, other):
    """The regularized upper incomplete gamma function Q(input, other) (torch.igammac)."""
    _igamma.checked_args(input, other, "special_gammaincc")
    return _igamma.igammac(input, other)


def polygamma(n, input):
    """The n-th derivative of digamma (torch.polygamma)."""
    return _TORCH["polygamma"](n, input)


def xlogy(input, other):
    """input * log(other), 0 where input is 0 (torch.xlogy; input or other may be a number)."""
    return _TORCH["xlogy"](input, other)


def softmax(input, dim, *, dtype=None):
    """torch.softmax (dim is required here)."""
    return _TORCH["softmax"](input, dim, dtype=dtype)


def log_softmax(input, dim, *, dtype=None):
    """torch.log_softmax (dim is required here)."""
    return _TORCH["log_softmax"](input, dim, dtype=dtype)


def round(input, *, decimals=0):
    """torch.round(input, decimals=decimals); PyTorch records RoundBackward1 even for 0."""
    if not isinstance(input, _Tensor):
        raise TypeError(f"special_round(): argument 'input' (position 1) must be Tensor, not "
                        f"{_errors.type_name(input)}")
    return _ops.round_decimals(input, decimals)


# out= where PyTorch's signature has it, named in its errors as PyTorch names the op: the
# torch op an alias stands for, else special_<name>; the ops without a derivative take an out=
# with inputs requiring grad
_out.add_out(globals(), "special", {
    "expit": "sigmoid", "gammaln": "lgamma", "psi": "digamma", "multigammaln": "mvlgamma",
    "gammainc": "igamma", "gammaincc": "igammac", **{n: n for n in (
        "logit", "erf", "erfc", "erfinv", "exp2", "expm1", "log1p", "digamma", "i0", "sinc",
        "logsumexp", "polygamma", "xlogy", "round")}}, no_autograd=frozenset((
            "ndtr", "airy_ai", "bessel_j0", "bessel_j1", "bessel_y0", "bessel_y1",
            "modified_bessel_i0", "modified_bessel_i1", "modified_bessel_k0",
            "modified_bessel_k1", "scaled_modified_bessel_k0", "scaled_modified_bessel_k1",
            "spherical_bessel_j0", "chebyshev_polynomial_t", "chebyshev_polynomial_u",
            "chebyshev_polynomial_v", "chebyshev_polynomial_w", "shifted_chebyshev_polynomial_t",
            "shifted_chebyshev_polynomial_u", "shifted_chebyshev_polynomial_v",
            "shifted_chebyshev_polynomial_w", "hermite_polynomial_h", "hermite_polynomial_he",
            "laguerre_polynomial_l", "legendre_polynomial_p")))
# PyTorch's refusal of a tensor in a number slot (core/number_slots.py), then its argument
# errors for a Python program's calls (core/library_errors.py)
_keywords.guard(globals(), "special")  # PyTorch's keyword names (core/keywords.py)
_number_slots.guard(globals(), "special")
_overrides.wrap_module(globals())  # __torch_function__ (core/overrides.py)
_library_errors.install(_library_errors.public_functions(globals()))
_function_names.give(globals(), "special")  # PyTorch's __name__ (core/function_names.py)
