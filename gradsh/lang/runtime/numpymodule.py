"""`import numpy` in a program: numpy's own arithmetic, printing and random draws behind a gate.

A program never holds one of numpy's objects. Its arrays are `ndarray` values wrapping a real
numpy array, its numbers from arrays `generic` values wrapping a real numpy scalar; both offer
an allow-list of attributes (sandbox.PYTHON_ALLOWED, filled here) and run numpy on the
unwrapped values, so what they compute and print is numpy's. Every argument is read first:
arrays are unwrapped, nested lists are walked (numbers only, within the item limit and numpy's
64 dimensions) and anything else is refused, so numpy never makes an object, string or
structured array, nor runs a program's code. Before an op whose result can be larger than its
inputs (broadcasting, widening to 8-byte items, products, joins, advanced indexing, factories,
random draws) the result's size is checked against the tensor memory limit (core/memory.py).
Only six dtypes can be named (DTYPES); no function reads or writes files or raw memory.

`t.numpy()` and `torch.from_numpy(a)` share memory as PyTorch's do; `torch.tensor(a)` reads
the array through `__array__` (core/factories.py); a tensor on the left of `+ - * / ** // %
@ ==` with an array computes with numpy and gives a tensor, as PyTorch 2.13 does.
"""

import copy
import numbers
import operator

import numpy as np

from ...core.memory import check_numel, limits, max_bytes
from ...core.tensor import Tensor
from .limits import MAX_ITEMS, LimitError
from .namespaces import Namespace
from .sandbox import PYTHON_ALLOWED
from .stdlib import _Module, _named
from .pybuiltins import REAL_TYPES

DTYPES = {name: np.dtype(name) for name in
          ("float32", "float64", "int64", "int32", "bool", "uint8")}
_KINDS = frozenset("biuf")  # what the arrays a program holds are made of
_INT64_MAX = (1 << 63) - 1
_MAX_DIMS = 64  # numpy's
_WIDEST = 8  # bytes of an item of the widest dtype a program may hold


# ------------------------------------------------------------------ sizes
def _check_size(shape, itemsize=_WIDEST):
    """Refuse, before numpy allocates it, an array of `shape` above the tensor memory limit
    (numpy's own ValueError for one no machine could hold)."""
    n = 1
    for s in shape:
        n *= s
    if n * itemsize > _INT64_MAX:
        raise ValueError("array is too big; `arr.size * arr.dtype.itemsize` is larger than the "
                         "maximum possible size.")
    check_numel(n, tuple(shape), itemsize, "allocate an array of shape")


def _check_empty(a):
    """An empty array whose other dimensions together pass the memory limit is refused: a
    reduction over its empty dimension (np.prod(a, axis=1) of shape (10**9, 0)) would fill an
    array of their size, and nothing else stops it (its size, 0, passes every check)."""
    if a.size == 0 and a.ndim > 1:
        n = 1
        for d in a.shape:
            n *= d or 1
        check_numel(n, a.shape, _WIDEST, "make an empty array whose other dimensions would "
                    "be reduced to more than the memory limit: shape")


def _shape(size):
    """A shape argument (an int or a sequence of ints) as a tuple, checked as numpy does."""
    dims = (size,) if not isinstance(size, (tuple, list)) else size
    if len(dims) > _MAX_DIMS:
        raise ValueError("maximum supported dimension for an ndarray is currently %d, found %d"
                         % (_MAX_DIMS, len(dims)))
    try:
        shape = tuple(operator.index(d) for d in dims)
    except TypeError:
        raise TypeError("expected a sequence of integers or a single integer, got '%s'"
                        % (size,)) from None
    if any(d < 0 for d in shape):
        raise ValueError("negative dimensions are not allowed")
    return shape


def _check_broadcast(*values):
    """Check the broadcast of the array arguments (8-byte items: a result may widen); shapes
    that do not broadcast are left to numpy's own error."""
    bound = 1  # the product of the sizes bounds the broadcast: one multiply on the hot path
    for v in values:
        if type(v) is np.ndarray:
            bound *= v.size or 1
    if bound <= (limits.quick if limits.quick >= 0 else max_bytes() // _WIDEST):
        return
    shapes = [np.shape(v) for v in values if isinstance(v, (np.ndarray, np.generic))]
    if not shapes:
        return
    try:
        shape = np.broadcast_shapes(*shapes)
    except ValueError:
        return
    _check_size(shape)


def _check_product(a, b):
    """Before dot/matmul: the result's size (a bound: a's rows times b's other dims)."""
    if np.ndim(a) == 0 or np.ndim(b) == 0:
        _check_broadcast(a, b)
        return
    shape_a, shape_b = np.shape(a), np.shape(b)
    rest = shape_b[:-2] + shape_b[-1:] if len(shape_b) > 1 else ()
    _check_size(shape_a[:-1] + rest)


# ------------------------------------------------------------------ dtypes
def _dtype(dtype):
    """A dtype argument as one of DTYPES (None stays None); numpy's TypeError for a name it
    does not know, gradsh's for one it does not offer."""
    if dtype is None:
        return None
    dtype = REAL_TYPES.get(dtype, dtype)  # the program's `float`, `int`, `bool`
    if isinstance(dtype, type) and dtype in _SCALAR_CLASSES.values():
        return np.dtype(dtype.dtype)
    if dtype in (float, int, bool) or isinstance(dtype, (str, np.dtype)):
        try:
            found = np.dtype(dtype)
        except TypeError:
            raise TypeError("data type %r not understood" % (dtype,)) from None
        if found in DTYPES.values():
            return found
    raise TypeError("data type %s is not available in gradsh's numpy (only %s)"
                    % (_shown(dtype), ", ".join(DTYPES)))


def _shown(value):
    if isinstance(value, (str, np.dtype)):
        return repr(str(value))
    return "of a %s" % type(value).__name__


# ------------------------------------------------------------------ values in and out
class _NotOperand(Exception):
    pass


_TOO_DEEP = ("setting an array element with a sequence. The requested array would exceed the "
             "maximum number of dimension of 64.")


def _from_data(data, dtype=None):
    """np.array(data) of a program's value: nested lists and tuples of numbers, arrays and
    tensors, walked first (without recursion) so that numpy makes only numeric arrays of a
    size within the limits."""
    if isinstance(data, _Wrapper):
        return np.array(data._a, dtype=dtype)
    if isinstance(data, Tensor):
        return np.array(np.asarray(data), dtype=dtype)  # PyTorch's refusal if it requires grad
    if type(data) not in (list, tuple):
        _elements(data)
        return _made(np.array(data, dtype=dtype))
    elements, items, inner = _measure(data)
    if items > MAX_ITEMS:
        raise LimitError("numpy.array() of lists holding more than %d items (gradsh's "
                         "limit)" % MAX_ITEMS)
    _check_size((elements,))
    return _made(np.array(_unwrapped(data) if inner else data, dtype=dtype))


def _made(made):
    if made.dtype.kind not in _KINDS:
        raise OverflowError("Python int too large to convert to C long")  # numpy's object array
    return made


def _elements(value):
    """How many numbers one leaf of nested data holds; anything but a number, an array or a
    tensor is refused (numpy would make an object array of it, or call its methods)."""
    kind = type(value)
    if kind in (int, float, bool):
        return 1
    if isinstance(value, _Wrapper):
        return value._a.size
    if isinstance(value, Tensor):
        return value.numel()
    raise TypeError("gradsh's numpy arrays hold numbers only (bool, int, float), not %s"
                    % _type_name(value))


def _measure(data):
    """(numbers, list items, whether arrays or tensors are inside) of nested lists and tuples,
    each distinct list read once: a list shared at every level (`x = [x, x]` forty times)
    counts 2**40 numbers from 40 lists, where a walk of every path took minutes. A list holding
    itself, or nesting past numpy's 64 dimensions, is numpy's ValueError."""
    done = {}  # id of a list -> (numbers, items, height)
    active = set()  # the lists on the path being walked (a cycle comes back to one)
    read, inner = 0, False
    stack = [(data, False, 0)]
    while stack:
        value, finished, depth = stack.pop()
        key = id(value)
        if finished:
            active.discard(key)
            numbers, items, height = 0, len(value), 0
            for v in value:
                if type(v) in (list, tuple):
                    n, i, h = done[id(v)]
                    numbers, items, height = numbers + n, items + i, max(height, h)
                else:
                    numbers += _elements(v)
                    inner = inner or type(v) not in (int, float, bool)
            if height + 1 > _MAX_DIMS:
                raise ValueError(_TOO_DEEP)
            done[key] = (numbers, items, height + 1)
            continue
        if key in done:
            continue
        if key in active or depth >= _MAX_DIMS:
            raise ValueError(_TOO_DEEP)
        read += len(value)
        if read > MAX_ITEMS:
            raise LimitError("numpy.array() of lists holding more than %d items (gradsh's "
                             "limit)" % MAX_ITEMS)
        active.add(key)
        stack.append((value, True, depth))
        stack.extend((v, False, depth + 1) for v in value
                     if type(v) in (list, tuple) and id(v) not in done)
    numbers, items, _ = done[id(data)]
    return numbers, items, inner


def _unwrapped(data):
    if isinstance(data, _Wrapper):
        return data._a
    if isinstance(data, Tensor):
        return np.asarray(data)
    if type(data) in (list, tuple):
        return [_unwrapped(v) for v in data]  # at most 64 deep (checked)
    return data


def _type_name(value):
    if isinstance(value, _Wrapper):
        return "numpy." + type(value).__name__
    return type(value).__name__


_PLAIN = (int, float, bool, type(None), slice, type(Ellipsis))


def _arg(value, text=False):
    """An argument for numpy: a program's array or number unwrapped, a flat list or tuple of
    numbers as it is (a shape, axes), any other list read by _from_data; anything else is
    refused (numpy would make an object array of it, or call its methods). A str only as a
    keyword's value (order="F"): in an array's place numpy would make an array of strings,
    of any width (np.full(n, "x" * 10**6))."""
    kind = type(value)
    if isinstance(value, _Wrapper):
        return value._a
    if kind in _PLAIN or (text and kind is str):
        return value
    if kind in (list, tuple):
        if all(type(v) in (int, float, bool) for v in value):
            return value
        return _from_data(value)
    if isinstance(value, Tensor):
        return np.asarray(value)  # PyTorch's refusal if it requires grad
    if isinstance(value, type) and value in _SCALAR_CLASSES.values():
        return np.dtype(value.dtype)
    if isinstance(value, np.dtype) and value in DTYPES.values():
        return value
    raise TypeError("gradsh's numpy takes arrays, numbers, and lists or tuples of them, not %s"
                    % _type_name(value))


# the keywords whose value may be a str: each names a choice among numpy's own (a ufunc's
# `signature="OO->O"` would compute on Python objects: `np.power(a, a, signature=...)` of
# int64 arrays raised Python ints to the 10**18th power for ever)
_TEXT_KEYWORDS = frozenset(("order", "kind", "casting"))


def _args(args, kwargs):
    args = [_arg(a) for a in args]
    kwargs = {k: (_dtype(v) if k in ("dtype", "signature", "sig") else _out(v) if k == "out"
                  else _arg(v, text=k in _TEXT_KEYWORDS)) for k, v in kwargs.items()}
    return args, kwargs


def _out(value):
    """out=: the program's arrays themselves, numpy writing into them (a tuple of arrays, as
    numpy takes it for a ufunc, stays a tuple of the same arrays, not a new array of them)."""
    if type(value) is tuple and value and all(type(v) is ndarray for v in value):
        return tuple(v._a for v in value)
    return _arg(value)


def _wrap(value):
    """numpy's result as the program holds it (a tuple's items each)."""
    if isinstance(value, np.ndarray):
        if value.dtype.kind not in _KINDS:
            raise TypeError("gradsh's numpy holds arrays of numbers only, not of dtype %s"
                            % value.dtype)
        check_numel(value.size, value.shape, value.dtype.itemsize, "allocate an array of shape")
        _check_empty(value)
        return ndarray._of(value)
    if isinstance(value, np.generic):
        if value.dtype.kind not in _KINDS:
            raise TypeError("gradsh's numpy holds numbers only, not %s" % value.dtype)
        return _SCALAR_CLASSES.get(value.dtype, generic)._of(value)
    if isinstance(value, tuple):
        return tuple(_wrap(v) for v in value)
    if isinstance(value, list):
        return [_wrap(v) for v in value]
    return value


def _result(value, out):
    """numpy's result of a call given out=: the program's own array when numpy wrote into it."""
    if type(out) is tuple and len(out) == 1:
        out = out[0]
    if type(out) is ndarray and value is out._a:
        return out
    return _wrap(value)


def _call(fn, args, kwargs, check=_check_broadcast):
    out = kwargs.get("out")
    args, kwargs = _args(args, kwargs)
    if check is not None:
        check(*args, *kwargs.values())
    return _result(fn(*args, **kwargs), out)


def _function(fn, name=None, check=_check_broadcast):
    name = name or fn.__name__

    def call(*args, **kwargs):
        return _call(fn, args, kwargs, check)
    return _named(call, name, fn.__doc__)


# ------------------------------------------------------------------ torch beside numpy
def _tensor_of(array):
    from ...core.factories import from_numpy
    return from_numpy(np.ascontiguousarray(array) if array.ndim else np.array(array))


# what PyTorch 2.13 does with `array OP tensor` (ndarray's operator runs first): a tensor for
# / and ==, True for !=, and else a TypeError
_ARRAY_LEFT_ERRORS = {
    "+": "Concatenation operation is not implemented for NumPy arrays, use np.concatenate() "
         "instead. Please do not rely on this error; it may not be given on all Python "
         "implementations."}


def _with_tensor(op, symbol, array, t, tensor_left):
    """`t OP a` (tensor_left) or `a OP t`: numpy computes on the tensor's data (refused for a
    tensor that requires grad, with PyTorch's words), the result a tensor."""
    if not tensor_left and symbol not in ("/", "=="):
        if symbol == "!=":
            return True
        raise TypeError(_ARRAY_LEFT_ERRORS.get(symbol) or
                        "unsupported operand type(s) for %s: 'numpy.ndarray' and 'Tensor'"
                        % ("** or pow()" if symbol == "**" else symbol))
    data = np.asarray(t)
    x, y = (data, array) if tensor_left else (array, data)
    if symbol == "!=":
        return True
    _check_broadcast(x, y)
    return _tensor_of(np.asarray(op(x, y)))


# ------------------------------------------------------------------ arrays
def _binary(op, symbol, reflected=False):
    def method(self, other):
        if isinstance(other, Tensor):
            if isinstance(self, generic):  # with a tensor, a numpy number is Python's number
                number = self._a.item()
                return op(other, number) if reflected else op(number, other)
            return _with_tensor(op, symbol, self._a, other, tensor_left=reflected)
        try:
            b = _operand(other)
        except _NotOperand:
            return NotImplemented
        x, y = (b, self._a) if reflected else (self._a, b)
        if symbol == "@":
            _check_product(x, y)
        else:
            _check_broadcast(x, y)
        return _wrap(op(x, y))
    return method


def _inplace(op):
    def method(self, other):
        if isinstance(other, Tensor):
            other = np.asarray(other)
        try:
            b = _operand(other)
        except _NotOperand:
            return NotImplemented
        result = op(self._a, b)
        return self if result is self._a else _wrap(result)  # a number makes a new one
    return method


def _operand(value):
    kind = type(value)
    if isinstance(value, _Wrapper):
        return value._a
    if kind in (int, float, bool):
        return value
    if kind in (list, tuple):
        return _from_data(value)
    raise _NotOperand


def _method(name, check=_check_broadcast):
    def method(self, *args, **kwargs):
        return _call(getattr(self._a, name), args, kwargs,
                     None if check is None else lambda *a: check(self._a, *a))
    method.__name__ = name
    method.__doc__ = getattr(np.ndarray, name).__doc__
    return method


def _product_method(name):
    return _method(name, lambda a, *rest: _check_product(a, rest[0]) if rest else None)


def _checked_astype(self, dtype, *args, **kwargs):
    return _call(self._a.astype, (_dtype(dtype),) + args, kwargs)


def _tolist(self):
    if self._a.size > MAX_ITEMS:
        raise LimitError("tolist() of an array of %d numbers is more than gradsh's limit of %d "
                         "items" % (self._a.size, MAX_ITEMS))
    return self._a.tolist()


_OPERATORS = {"add": (operator.add, "+"), "sub": (operator.sub, "-"),
              "mul": (operator.mul, "*"), "truediv": (operator.truediv, "/"),
              "floordiv": (operator.floordiv, "//"), "mod": (operator.mod, "%"),
              "pow": (operator.pow, "**"), "matmul": (operator.matmul, "@"),
              "and": (operator.and_, "&"), "or": (operator.or_, "|"),
              "xor": (operator.xor, "^")}
_COMPARISONS = {"eq": (operator.eq, "=="), "ne": (operator.ne, "!="),
                "lt": (operator.lt, "<"), "le": (operator.le, "<="), "gt": (operator.gt, ">"),
                "ge": (operator.ge, ">=")}
_INPLACE = {"iadd": operator.iadd, "isub": operator.isub, "imul": operator.imul,
            "itruediv": operator.itruediv, "ifloordiv": operator.ifloordiv,
            "imod": operator.imod, "ipow": operator.ipow, "iand": operator.iand,
            "ior": operator.ior, "ixor": operator.ixor}


class _Wrapper:
    """What ndarray and generic share: printing, numbers' protocols, operators."""

    __slots__ = ("_a", "__weakref__")
    __array_ufunc__ = None  # numpy's own objects defer to the program's values' operators

    @classmethod
    def _of(cls, raw):
        value = object.__new__(cls)
        value._a = raw
        return value

    def __array__(self, dtype=None, copy=None):
        """The array itself, for gradsh's core (torch.tensor(a) reads it)."""
        return np.asarray(self._a) if dtype is None else np.asarray(self._a).astype(dtype)

    def __repr__(self):
        return repr(self._a)

    def __str__(self):
        return str(self._a)

    def __format__(self, spec):
        return format(self._a, spec)

    def __bool__(self):
        return bool(self._a)

    def __float__(self):
        return float(self._a)

    def __int__(self):
        return int(self._a)

    def __index__(self):
        return operator.index(self._a)

    def __neg__(self):
        return _wrap(-self._a)

    def __pos__(self):
        return _wrap(+self._a)

    def __abs__(self):
        return _wrap(abs(self._a))

    def __invert__(self):
        return _wrap(~self._a)

    def __round__(self, ndigits=None):
        return _wrap(round(self._a, ndigits))

    def __reduce_ex__(self, protocol):  # copy.copy and copy.deepcopy: a copy of the array
        return (type(self)._of, (self._a.copy(),))

    @property
    def shape(self):
        return self._a.shape

    @property
    def dtype(self):
        return self._a.dtype

    @property
    def ndim(self):
        return self._a.ndim

    @property
    def size(self):
        return self._a.size

    @property
    def itemsize(self):
        return self._a.itemsize

    @property
    def nbytes(self):
        return self._a.nbytes

    @property
    def T(self):
        return _wrap(self._a.T)

    def item(self, *args):
        return self._a.item(*[_arg(a) for a in args])

    tolist = _tolist
    astype = _checked_astype


for _name, (_op, _symbol) in _OPERATORS.items():
    setattr(_Wrapper, "__%s__" % _name, _binary(_op, _symbol))
    setattr(_Wrapper, "__r%s__" % _name, _binary(_op, _symbol, reflected=True))
for _name, (_op, _symbol) in _COMPARISONS.items():
    setattr(_Wrapper, "__%s__" % _name, _binary(_op, _symbol))
for _name, _op in _INPLACE.items():
    setattr(_Wrapper, "__%s__" % _name, _inplace(_op))


class ndarray(_Wrapper):
    """A numpy array, as a program holds it."""

    __slots__ = ()
    __hash__ = None
    _stands_for = np.ndarray  # what the gate says of numpy's other attributes

    def __init__(self, shape, dtype=float):
        shape, dtype = _shape(shape), _dtype(dtype)
        _check_size(shape, dtype.itemsize)
        self._a = np.zeros(shape, dtype)

    def __len__(self):
        return len(self._a)

    def __iter__(self):
        if self._a.ndim == 0:
            raise TypeError("iteration over a 0-d array")
        return (_wrap(self._a[i]) for i in range(len(self._a)))

    def __contains__(self, value):
        return bool(self._a.__contains__(_arg(value)))

    def __getitem__(self, key):
        key = _index(key)
        _check_indexing(self._a, key)
        return _wrap(self._a[key])

    def __setitem__(self, key, value):
        self._a[_index(key)] = _arg(value)

    reshape = _method("reshape", None)
    flatten = _method("flatten")
    ravel = _method("ravel", None)
    copy = _method("copy")
    transpose = _method("transpose", None)
    squeeze = _method("squeeze", None)
    sum = _method("sum")
    prod = _method("prod")
    mean = _method("mean")
    std = _method("std")
    var = _method("var")
    min = _method("min")
    max = _method("max")
    argmin = _method("argmin")
    argmax = _method("argmax")
    cumsum = _method("cumsum")
    all = _method("all")
    any = _method("any")
    clip = _method("clip")
    round = _method("round")
    fill = _method("fill")
    dot = _product_method("dot")


ndarray.__module__ = "numpy"


class generic(_Wrapper):
    """A numpy number (np.float64(1.5)...), as a program holds it: hashable, usable as an
    index or a size."""

    __slots__ = ()
    _stands_for = np.generic

    def __new__(cls, *args, **kwargs):  # (each scalar class has its own)
        raise TypeError("cannot create 'numpy.generic' instances")

    def __hash__(self):
        return hash(self._a)

    def __iter__(self):  # (else Python would iterate with __getitem__)
        raise TypeError("'numpy.%s' object is not iterable" % type(self).__name__)

    def __getitem__(self, key):  # x[()]
        return _wrap(self._a[_index(key)])


generic.__module__ = "numpy"
numbers.Number.register(generic)  # gradsh's core reads it as a Python number, as PyTorch does


def _scalar_class(dtype):
    """np.float32, np.int64...: the class of the program's numbers of that dtype (printed as
    numpy's, `<class 'numpy.float32'>`), a dtype argument (np.dtype reads its `dtype`: `a.dtype
    == np.float32` is numpy's answer), and a constructor of such a number or of an array."""
    def __new__(cls, value=0):
        if type(value) is str:  # numpy reads a number's text (np.float64('inf'))
            return _wrap(dtype.type(value))
        made = _from_data(value) if type(value) in (list, tuple) else _arg(value)
        return _wrap(dtype.type(made))

    name = dtype.type.__name__
    cls = type(name, (generic,), {"__slots__": (), "__new__": __new__, "dtype": dtype,
                                  "__module__": "numpy", "__doc__": dtype.type.__doc__})
    return cls


_SCALAR_CLASSES = {dt: _scalar_class(dt) for dt in DTYPES.values()}
_SCALAR_TYPES = {name: _SCALAR_CLASSES[dt] for name, dt in DTYPES.items()}


def _index(key):
    """An index for numpy: arrays and lists unwrapped (lists as arrays, read as _from_data)."""
    parts = key if type(key) is tuple else (key,)
    out = []
    for part in parts:
        kind = type(part)
        if kind in _PLAIN or isinstance(part, (_Wrapper, Tensor)):
            out.append(_arg(part))
        elif kind in (list, tuple):
            out.append(_from_data(part))
        else:
            out.append(part)  # numpy's IndexError names what it takes
    return tuple(out) if type(key) is tuple else out[0]


def _check_indexing(a, key):
    """Advanced indexing makes a copy whose size is the index arrays' broadcast shape times
    the dimensions they leave: a bound of it, checked before numpy makes it."""
    parts = key if type(key) is tuple else (key,)
    arrays = [p for p in parts if isinstance(p, np.ndarray) and p.ndim > 0]
    if not arrays:
        return
    shapes, consumed = [], 0
    for p in parts:
        if isinstance(p, np.ndarray) and p.dtype.kind == "b":
            shapes.append((int(p.sum()),))
            consumed += p.ndim
        elif isinstance(p, (np.ndarray, int, np.integer)):
            shapes.append(np.shape(p))
            consumed += 1
        elif isinstance(p, slice):
            consumed += 1
    try:
        index_shape = np.broadcast_shapes(*shapes)
    except ValueError:
        return  # numpy's IndexError
    rest = 1
    for n in a.shape[consumed:]:
        rest *= n
    slices = 1
    for p, n in zip([p for p in parts if p is not None and p is not Ellipsis], a.shape):
        if isinstance(p, slice):
            slices *= n
    _check_size(index_shape + (rest * slices,), a.itemsize)


# ------------------------------------------------------------------ functions
def _array(object, dtype=None, *, copy=True, ndmin=0):
    made = _from_data(object, _dtype(dtype))
    if ndmin:
        made = made.reshape((1,) * (ndmin - made.ndim) + made.shape)
    return _wrap(made)


def _asarray(a, dtype=None):
    dtype = _dtype(dtype)
    if type(a) is ndarray and (dtype is None or a._a.dtype == dtype):
        return a
    return _wrap(_from_data(a, dtype))


def _filled(fill):
    def make(shape, dtype=float):
        shape, dtype = _shape(shape), _dtype(dtype)
        _check_size(shape, dtype.itemsize)
        return _wrap(fill(shape, dtype))
    return make


def _full(shape, fill_value, dtype=None):
    shape, dtype = _shape(shape), _dtype(dtype)
    _check_size(shape, _WIDEST)
    return _wrap(np.full(shape, _arg(fill_value), dtype))


def _like(fill):
    def make(a, dtype=None, shape=None):
        raw = _arg(a) if type(a) is not list else _from_data(a)
        shape = np.shape(raw) if shape is None else _shape(shape)
        dtype = _dtype(dtype) or np.asarray(raw).dtype
        _check_size(shape, dtype.itemsize)
        return _wrap(fill(shape, dtype))
    return make


def _count(n):
    """A count argument (linspace's num, permutation's n), its array's size checked."""
    n = operator.index(n)
    _check_size((max(n, 0),))
    return n


def _arange(*args, dtype=None):
    args = [_arg(a) for a in args]
    bounds = [float(a) for a in args if isinstance(a, (int, float, np.number))]
    if len(bounds) == len(args) and 1 <= len(args) <= 3:
        start, stop, step = ([0.0] + bounds + [1.0])[-3:] if len(args) == 1 else (
            bounds + [1.0])[:3]
        if step and np.isfinite([start, stop, step]).all():
            _check_size((max(int(np.ceil((stop - start) / step)), 0),))
    return _wrap(np.arange(*args, dtype=_dtype(dtype)))


def _linspace(start, stop, num=50, endpoint=True, retstep=False, dtype=None, axis=0):
    _count(num)
    return _wrap(np.linspace(_arg(start), _arg(stop), operator.index(num), endpoint=endpoint,
                             retstep=retstep, dtype=_dtype(dtype), axis=axis))


def _eye(N, M=None, k=0, dtype=float):
    dtype = _dtype(dtype)
    n, m = operator.index(N), operator.index(N if M is None else M)
    _check_size((max(n, 0), max(m, 0)), dtype.itemsize)
    return _wrap(np.eye(n, m, operator.index(k), dtype))


def _joined(fn):
    def join(arrays, *args, **kwargs):
        if type(arrays) is ndarray:
            parts = [arrays._a]
        elif type(arrays) in (list, tuple):
            parts = [_arg(a) if isinstance(a, (_Wrapper, Tensor))
                     else _from_data(a) for a in arrays]
        else:
            raise TypeError("%s() takes a list or tuple of arrays in gradsh's numpy"
                            % fn.__name__)
        _check_size((sum(np.size(p) for p in parts),))
        args, kwargs = _args(args, kwargs)
        return _wrap(fn(parts, *args, **kwargs))
    return _named(join, fn.__name__, fn.__doc__)


def _product(fn):
    def call(a, b, *args, **kwargs):
        return _call(fn, (a, b) + args, kwargs, lambda x, y, *rest: _check_product(x, y))
    return _named(call, fn.__name__, fn.__doc__)


# numpy's functions offered as they are (their arguments read by _arg, their results wrapped,
# the broadcast of their array arguments checked first)
_FUNCTIONS = """sin cos tan arcsin arccos arctan arctan2 sinh cosh tanh exp expm1 exp2 log
    log2 log10 log1p sqrt cbrt abs absolute square sign power float_power maximum minimum fmax
    fmin clip where add multiply subtract divide true_divide floor_divide mod remainder
    negative reciprocal floor ceil trunc rint round around isnan isinf isfinite isclose allclose
    array_equal logical_and logical_or logical_not logical_xor greater greater_equal less
    less_equal equal not_equal sum prod mean std var max min amax amin argmax argmin cumsum
    cumprod all any transpose reshape ravel squeeze expand_dims sort argsort shape ndim size
    count_nonzero nonzero flip median""".split()


# where each draw takes its size= positionally (np.random.normal(0, 1, 100))
_SIZE_AT = {"random": 0, "random_sample": 0, "standard_normal": 0, "normal": 2, "uniform": 2,
            "randint": 2, "integers": 2, "exponential": 1, "binomial": 2, "poisson": 1,
            "beta": 2, "gamma": 2}


def _drawn(fn):
    """A random function whose size (or the broadcast of its array parameters) is checked
    before numpy draws."""
    at = _SIZE_AT[fn.__name__]

    def draw(*args, **kwargs):
        if len(args) > at:
            args, kwargs = args[:at], dict(kwargs, size=args[at])
        size = kwargs.pop("size", None)
        args, kwargs = _args(args, kwargs)
        if size is not None:
            size = _shape(size)
            _check_size(size)
        else:
            _check_broadcast(*args, *kwargs.values())
        return _wrap(fn(*args, size=size, **kwargs))
    return _named(draw, fn.__name__, fn.__doc__)


def _dims_drawn(fn):
    """rand(d0, d1...) and randn(...): dimensions as arguments."""
    def draw(*dims):
        shape = _shape(dims) if dims else ()
        _check_size(shape)
        return _wrap(fn(*shape))
    return _named(draw, fn.__name__, fn.__doc__)


def _shuffler(fn):
    def shuffle(x):
        if type(x) is ndarray:
            fn(x._a)
        elif type(x) is list:
            fn(x)
        else:
            raise TypeError("shuffle() takes a numpy array or a list in gradsh")
    return _named(shuffle, fn.__name__, fn.__doc__)


def _permuted(fn):
    def permutation(x):
        if isinstance(x, (int, generic)):
            _count(x)
            return _wrap(fn(operator.index(x)))
        return _wrap(fn(_arg(x) if type(x) is not list else _from_data(x)))
    return _named(permutation, fn.__name__, fn.__doc__)


def _choice(fn):
    def choice(a, size=None, replace=True, p=None):
        if size is not None:
            size = _shape(size)
            _check_size(size)
        if isinstance(a, (int, generic)):
            a = operator.index(a)
            if not replace:  # numpy draws from a permutation of range(a)
                _check_size((max(a, 0),))
        else:
            a = _arg(a) if type(a) is not list else _from_data(a)
        return _wrap(fn(a, size, replace, None if p is None else _arg(p)))
    return _named(choice, fn.__name__, fn.__doc__)


def _random_members(state):
    """The functions of np.random drawing from `state` (a RandomState or a Generator)."""
    members = {}
    for name in ("random", "normal", "uniform", "randint", "integers", "standard_normal",
                 "random_sample", "exponential", "binomial", "poisson", "beta", "gamma"):
        fn = getattr(state, name, None)
        if fn is not None:
            members[name] = _drawn(fn)
    for name in ("rand", "randn"):
        if hasattr(state, name):
            members[name] = _dims_drawn(getattr(state, name))
    members["shuffle"] = _shuffler(state.shuffle)
    members["permutation"] = _permuted(state.permutation)
    members["choice"] = _choice(state.choice)
    return members


class Generator:
    """np.random.default_rng(seed): numpy's Generator (PCG64), its draws numpy's."""

    __slots__ = ("_rng", "__dict__")

    def __init__(self, rng):
        self._rng = rng
        self.__dict__.update(_random_members(rng))

    def __repr__(self):
        return "Generator(PCG64) at 0x%X" % id(self)

    # as numpy's: copy.copy shares the bit generator, copy.deepcopy makes an independent
    # generator in the same state (the draw functions are bound to the generator they read)
    def __copy__(self):
        return Generator(self._rng)

    def __deepcopy__(self, memo):
        return Generator(copy.deepcopy(self._rng, memo))


Generator.__module__ = "numpy.random"
_GENERATOR_NAMES = frozenset(("random", "normal", "uniform", "integers", "standard_normal",
                              "exponential", "binomial", "poisson", "beta", "gamma",
                              "shuffle", "permutation", "choice"))


def _seed_value(seed):
    if seed is None or type(seed) is int:
        return seed
    if isinstance(seed, generic):
        return operator.index(seed)
    raise TypeError("seed must be an int or None in gradsh's numpy, not %s" % _type_name(seed))


def random_namespace(state):
    def seed(seed=None):
        state.seed(_seed_value(seed))

    def default_rng(seed=None):
        return Generator(np.random.default_rng(_seed_value(seed)))

    members = _random_members(state)
    members.update(seed=_named(seed, "seed", np.random.seed.__doc__),
                   default_rng=_named(default_rng, "default_rng", np.random.default_rng.__doc__))
    return Namespace("numpy.random", _Module(**members))


def numpy_namespace():
    """The `numpy` a program imports (importable.py): one per session, built on first import."""
    members = {name: _function(getattr(np, name)) for name in _FUNCTIONS}
    members.update(
        array=_named(_array, "array", np.array.__doc__),
        asarray=_named(_asarray, "asarray", np.asarray.__doc__),
        zeros=_named(_filled(np.zeros), "zeros", np.zeros.__doc__),
        ones=_named(_filled(np.ones), "ones", np.ones.__doc__),
        empty=_named(_filled(np.zeros), "empty", np.empty.__doc__),  # zero-filled: no old memory
        zeros_like=_named(_like(np.zeros), "zeros_like", np.zeros_like.__doc__),
        ones_like=_named(_like(np.ones), "ones_like", np.ones_like.__doc__),
        empty_like=_named(_like(np.zeros), "empty_like", np.empty_like.__doc__),
        full=_named(_full, "full", np.full.__doc__),
        arange=_named(_arange, "arange", np.arange.__doc__),
        linspace=_named(_linspace, "linspace", np.linspace.__doc__),
        eye=_named(_eye, "eye", np.eye.__doc__),
        dot=_product(np.dot), matmul=_product(np.matmul), inner=_product(np.inner),
        concatenate=_joined(np.concatenate), stack=_joined(np.stack),
        vstack=_joined(np.vstack), hstack=_joined(np.hstack),
        pi=np.pi, e=np.e, inf=np.inf, nan=np.nan, newaxis=None,
        ndarray=ndarray, generic=generic,
        random=random_namespace(np.random.RandomState()),
        **_SCALAR_TYPES, bool_=_SCALAR_TYPES["bool"])
    return Namespace("numpy", _Module(**members))


# ------------------------------------------------------------------ the bridge to torch
def from_numpy(array):
    """torch.from_numpy(a) in a program: a tensor sharing the array's memory."""
    if type(array) is not ndarray:
        raise TypeError("expected np.ndarray (got %s)" % _type_name(array))
    from ...core.factories import from_numpy as core_from_numpy
    return core_from_numpy(array._a)


def tensor_numpy(t, name=None):
    """`t.numpy` in a program: PyTorch's method, the array sharing the tensor's memory."""
    method = t.numpy  # (a tensor's, or super()'s in a subclass of Tensor)

    def numpy(*, force=False):
        array = method(force=force)
        _check_empty(array)
        return ndarray._of(array)
    numpy.__doc__ = method.__doc__
    numpy.__qualname__ = "Tensor.numpy"   # printed <function Tensor.numpy at ...>
    return numpy


_ARRAY_NAMES = frozenset("""shape dtype ndim size itemsize nbytes T item tolist astype reshape
    flatten ravel copy transpose squeeze sum prod mean std var min max argmin argmax cumsum all
    any clip round fill dot""".split())
PYTHON_ALLOWED[ndarray] = _ARRAY_NAMES
PYTHON_ALLOWED[generic] = frozenset("shape dtype ndim size itemsize nbytes item tolist "
                                    "astype".split())
for _cls in _SCALAR_CLASSES.values():
    PYTHON_ALLOWED[_cls] = PYTHON_ALLOWED[generic]
PYTHON_ALLOWED[Generator] = _GENERATOR_NAMES
