"""The top of the core: every surface of every op, made from the declarations (ops/registry.py).

Tensor methods, operators and properties are set on the class; the torch.* functions and
torch.nn.functional are dictionaries that gradsh/core/torch_functions.py and gradsh/nn re-export.
A method is the op's function object itself (no wrapper: the hot paths count calls); only the
torch.* functions declared `tensor_first` get a wrapper, which checks the first argument.

The op modules that declare only torch.*, nn.functional and torch.special functions (no Tensor
surface) load on first use: ops_index.py records which module declares each of their names,
gradsh/_api.py asks `load` for a name when it is first read, and gradsh/nn/functional.py and
gradsh/special.py `load_all` when they are imported (docs/speed.md, the sixteenth pass).
"""

import functools
import importlib
import types

from . import argcheck, autograd, errors, factories, ops_index, overrides
from . import nn_functional  # noqa: F401 - declares the nn.functional ops
from . import activations  # noqa: F401 - declares more activations and dropouts
from .ops import nn_ops  # noqa: F401 - declares the layers' nn.functional ops
from .ops import padding  # noqa: F401 - F.pad (fft and stft use it)
from .ops import arrange  # noqa: F401 - rot90, tile, block_diag, kron, cartesian_prod, ...
from .ops import combine  # noqa: F401 - addcmul, addcdiv, addmv, addr, addbmm, logaddexp, ...
from .ops import stacking  # noqa: F401 - atleast_*d, meshgrid, tensordot, dstack, hsplit, ...
from .ops import stats  # noqa: F401 - cov, corrcoef, trapezoid, vander, histc, histogram, isin, ...
from .ops import scatters  # noqa: F401 - index_copy, index_fill, masked_scatter, take, put, ...
from .ops import inplace_more  # noqa: F401 - torch.abs_ ..., squeeze_, unsqueeze_, fill_diagonal_, ...
from .ops import dense  # noqa: F401 - declares det, inverse, cholesky, svd, qr, ... (linalg)
from .ops import igamma  # noqa: F401 - igamma, igammac (torch.special.gammainc/gammaincc)
from .ops import attention  # noqa: F401 - baddbmm (a Tensor method: bound at import)
from .ops import removed  # noqa: F401 - torch.solve, lstsq, symeig, eig, matrix_rank: PyTorch's refusals
from .ops import linalg_more  # noqa: F401 - triangular_solve, renorm, nuclear_norm, chain_matmul
from .ops import sparse  # noqa: F401 - sparse COO tensors (core/sparse.py's data)
from .ops import strided  # noqa: F401 - as_strided (and _, _copy, _scatter), empty_strided
from .ops import index_reduce  # noqa: F401 - index_reduce, index_reduce_
from .ops import lu  # noqa: F401 - torch.lu, lu_unpack, lu_solve (and linalg.lu_* in gradsh/linalg.py)
from .ops import special_ops  # noqa: F401 - the gamma family, Bessel, ndtr, zeta (torch.special)
from .ops import stft  # noqa: F401 - torch.stft, torch.istft
from .ops import householder  # noqa: F401 - geqrf, orgqr, ormqr (linalg.householder_product)
from .ops import complex_ops  # noqa: F401 - torch.complex, polar, real/imag, view_as_real, ...
from .ops import complex_formulas  # noqa: F401 - PyTorch's complex gradient formulas (create_graph)
from .ops import aliases  # noqa: F401 - torch.detach, the *_copy family, Tensor.new, unfold, ...
from .ops import (convert, fast, index, inplace, linalg, pointwise, quantile,  # noqa: F401
                  reduce, sampling, shape, sorting)
from .ops import out
from .ops.complex_gate import gated
from .ops.dtype_refusals import guarded
from .ops.meta_route import routed
from .ops.registry import OPS, claimed
from .sparse import SparseTensor
from .tensor import Tensor

# The Python operators that modify their left operand: bound to the op's in-place variant.
INPLACE_OPERATORS = {"__iadd__", "__isub__", "__imul__", "__itruediv__", "__ipow__",
                     "__imatmul__", "__ifloordiv__", "__imod__", "__iand__", "__ior__", "__ixor__",
                     "__ilshift__", "__irshift__"}

# ... and the forward ones, which give way to an operand's class (core/overrides.py)
FORWARD_OPERATORS = {"__add__", "__sub__", "__mul__", "__truediv__", "__floordiv__", "__mod__",
                     "__pow__", "__matmul__", "__and__", "__or__", "__xor__", "__lshift__",
                     "__rshift__"}

REFLECTED_OPERATORS = {"__radd__", "__rsub__", "__rmul__", "__rtruediv__", "__rfloordiv__",
                       "__rmod__", "__rpow__", "__rmatmul__", "__rand__", "__ror__", "__rxor__",
                       "__rlshift__", "__rrshift__"}

TORCH_FUNCTIONS = {}  # torch.name -> function
NN_FUNCTIONAL = {}  # torch.nn.functional.name -> function
SPECIAL = {}  # torch.special.name -> function (the ops PyTorch has only there)


def _tensor_first(fn, name, arg):
    """torch.name(x) refusing a non-tensor x with PyTorch's TypeError (the method would fail on
    x._data with an internal AttributeError)."""
    @functools.wraps(fn)
    def call(input, *args, **kwargs):
        if type(input) is not Tensor and not isinstance(input, Tensor):
            # PyTorch's parser words it from the signatures: "must be Tensor" for most,
            # "received an invalid combination" where several overloads are listed
            raise TypeError(argcheck.refusal("torch", name, (input,) + args, kwargs) or
                            f"{name}(): argument '{arg}' (position 1) must be Tensor, not "
                            f"{errors.type_name(input)}")
        if type(input) is SparseTensor:  # (its method: sparse, or PyTorch's refusal)
            return sparse.sparse_call(name, input, args, kwargs)
        return fn(input, *args, **kwargs)
    return call


def _reflected(fn, name):
    """fn for a reflected operator (`2 * x` calls __rmul__): a copy under the operator's name when
    the forward operator shares fn (the same code, so no extra call), so that an operand error
    can tell `'a' + x` from `x + 'a'` (errors.operand_error)."""
    if fn.__code__ in errors.REFLECTED_CODES or any(
            getattr(getattr(Tensor, f, None), "__wrapped__", None) is fn
            for f in ("__add__", "__mul__", "__and__", "__or__", "__xor__")):
        copy = types.FunctionType(fn.__code__.replace(co_name=name), fn.__globals__, name,
                                  fn.__defaults__, fn.__closure__)
        copy.__kwdefaults__, copy.__doc__ = fn.__kwdefaults__, fn.__doc__
        copy.__qualname__ = "Tensor." + name
        fn = copy
    errors.REFLECTED_CODES.add(fn.__code__)
    return fn


def _binary_pow(fn):
    """Tensor.__pow__: pow(t, e, m) with a modulus is Python's TypeError, as PyTorch's."""
    def __pow__(self, exponent, modulo=None):
        if modulo is not None:
            raise TypeError("unsupported operand type(s) for ** or pow(): 'Tensor', "
                            f"'{type(exponent).__name__}', '{type(modulo).__name__}'")
        return fn(self, exponent)
    return __pow__


def _bind(o):
    names = (o.name,) + o.aliases
    # PyTorch's refusal of the dtypes its kernel is not built for (an operator's op keeps no
    # layer for the unsigned dtypes' refusal: its named method and function surfaces have it)
    o.fn = guarded(o.name, o.fn, unsigned_too=not o.operators)
    o.fn = routed(o.name, o.fn)  # meta results where the kernel leaves numpy's path (meta_route.py)
    if o.prop:
        setattr(Tensor, o.name, property(o.fn))
    if o.method:
        method = o.fn if o.method is True else routed(o.name, guarded(o.name, o.method))
        for n in names:
            setattr(Tensor, n, method)
    ip = None
    if o.inplace:
        ip = inplace.inplace_of(o.fn, o.name + "_") if o.inplace is True else o.inplace
        for n in names:
            setattr(Tensor, n + "_", ip)
    for n in o.operators:
        if n in INPLACE_OPERATORS and o.name != n:
            if ip is None and not o.name.endswith("_"):
                raise ValueError(f"{o.name}: operator {n} needs an in-place variant")
            setattr(Tensor, n, overrides.binary_operator(ip if ip is not None else o.fn, n))
        elif n == "__rtruediv__":
            setattr(Tensor, n, overrides.reflected_division(_reflected(o.fn, n)))
        elif n in REFLECTED_OPERATORS:
            setattr(Tensor, n, _reflected(o.fn, n))
        elif n == "__pow__":
            setattr(Tensor, n, overrides.binary_operator(_binary_pow(o.fn), n))
        elif n in FORWARD_OPERATORS:
            setattr(Tensor, n, overrides.binary_operator(o.fn, n))
        else:
            setattr(Tensor, n, o.fn)
    if o.function:
        fn = o.fn if o.function is True else routed(o.name, guarded(o.name, o.function))
        for n in names:
            f = _tensor_first(fn, n, o.tensor_first) if o.tensor_first else fn
            TORCH_FUNCTIONS[n] = out.with_out(f, out.MESSAGE_NAMES.get(o.name, o.name)) \
                if n in out.OUT_FUNCTIONS else f
    if o.nn:
        NN_FUNCTIONAL[o.name] = o.fn if o.nn is True else routed(o.name, gated(o.name, o.nn))
    if o.special:
        SPECIAL[o.name] = (_tensor_first(o.fn, "special_" + o.name, o.tensor_first)
                           if o.tensor_first else o.fn)


def bind_new():
    """Bind the ops declared since the last call (a first-use module and what it imported)."""
    while _BOUND[0] < len(OPS):
        _BOUND[0] += 1
        _bind(OPS[_BOUND[0] - 1])


def load(module):
    """Import a first-use op module (ops_index.MODULES) and bind its ops; re-entrant: a module
    importing another binds both once the outer import is done."""
    importlib.import_module(module)
    bind_new()


def load_all():
    """Every first-use op module loaded and bound (nn.functional, torch.special, the op table)."""
    for module in ops_index.MODULES:
        if module not in _LOADED:
            load(module)
            _LOADED.add(module)


_BOUND = [0]  # how many of OPS are bound
_LOADED = set()  # (the first-use modules load_all has loaded)
bind_new()

# Sparse tensors (ops/sparse.py): torch.name(sparse) takes the sparse method where no wrapper
# above tests the first argument; the methods without a sparse meaning are refused.
for _n in ("add", "sub", "subtract", "mul", "multiply", "div", "divide", "true_divide", "mm",
           "matmul", "transpose", "swapaxes", "swapdims", "movedim", "moveaxis"):
    if TORCH_FUNCTIONS[_n].__code__.co_name != "call":  # (out.with_out tests it itself)
        TORCH_FUNCTIONS[_n] = sparse.dispatching(TORCH_FUNCTIONS[_n], _n)
sparse.refuse_other_methods(claimed("method"))
del _n

# What the ops layer cannot hold: methods over the API above it.
Tensor.backward = autograd.tensor_backward
# help() and the kernel's inspection show a method by its own name, as PyTorch's Tensor.backward
autograd.tensor_backward.__name__ = "backward"
autograd.tensor_backward.__qualname__ = "Tensor.backward"
Tensor.__init__ = factories.legacy_init


def ops_table():
    """The markdown table of every declared op (docs/autograd.md holds it; a test compares)."""
    load_all()
    rows = ["| op | also named | where it appears |", "| --- | --- | --- |"]
    for o in sorted(OPS, key=lambda o: (o.module, o.name)):
        where = []
        if o.prop:
            where.append("property")
        if o.method:
            where.append("method")
        if o.function:
            where.append("torch." + o.name)
        if o.inplace:
            where.append(o.name + "_")
        if o.nn:
            where.append("F." + o.name)
        if o.special:
            where.append("torch.special." + o.name)
        where += [f"`{n}`" for n in o.operators]
        module = o.module.rsplit(".", 1)[-1]
        rows.append(f"| {o.name} | {' '.join(o.aliases)} | {module}: {', '.join(where)} |")
    return "\n".join(rows) + "\n"


def _not_writable(name):
    def refuse(self, value=None):
        raise errors.TorchAttributeError(
            f"attribute '{name}' of 'torch._C.TensorBase' objects is not writable")
    refuse.refuses_assignment = True  # (the .grad gate lets the assignment reach this error)
    return refuse


# PyTorch's error for an assignment to a read-only attribute (t.shape = ...) and for its
# deletion (del t.shape), for each property
for _name, _attr in list(vars(Tensor).items()):
    if isinstance(_attr, property) and _attr.fset is None:
        _refuse = _not_writable(_name)
        setattr(Tensor, _name, property(_attr.fget, _refuse, _refuse, doc=_attr.__doc__))
del _name, _attr, _refuse
