"""dtypes and sizes, printed as PyTorch prints them (`torch.float32`, `torch.Size([2, 2])`)."""

from .torchclass import TorchClass

import builtins
import itertools
import math
import operator
import time

import numpy as np


# Callables a host of the library uses in place of Python's types (the .grad language's checked
# `int`, lang/runtime/pybuiltins.py): taken as the type where a dtype may be a Python type
# (`torch.zeros(2, dtype=int)`)
STAND_INS = {}


class _BoundBuiltin:
    """A dtype's method bound to it, shown as PyTorch shows its C methods
    (`<built-in method to_complex of torch.dtype object at 0x7f...>`)."""

    __slots__ = ("__func__", "__self__")

    def __init__(self, fn, obj):
        self.__func__, self.__self__ = fn, obj

    def __call__(self):
        return self.__func__(self.__self__)

    @property
    def __name__(self):
        return self.__func__.__name__

    def __repr__(self):
        return "<built-in method %s of torch.dtype object at 0x%x>" % (
            self.__func__.__name__, id(self.__self__))

    def __eq__(self, other):
        return isinstance(other, _BoundBuiltin) and other.__func__ is self.__func__ and \
            other.__self__ is self.__self__

    def __hash__(self):
        return hash((self.__func__, id(self.__self__)))


# the type's name as PyTorch's (type(torch.float32.to_complex).__name__)
_BoundBuiltin.__name__ = _BoundBuiltin.__qualname__ = "builtin_function_or_method"


class _builtin_method:
    """A method of dtype's bound as a _BoundBuiltin."""

    def __init__(self, fn):
        self.fn = fn
        self.__doc__ = fn.__doc__

    def __get__(self, obj, cls=None):
        return self if obj is None else _BoundBuiltin(self.fn, obj)

    def __call__(self, obj):  # dtype.to_complex(torch.float32)
        return self.fn(obj)


class dtype(metaclass=TorchClass):
    """A tensor element type. Compared by identity; one object per type."""

    __slots__ = ("name", "np", "is_floating_point", "is_signed", "itemsize", "_short", "_legacy")

    def __new__(cls, *args, **kwargs):
        # as PyTorch: the dtypes are the fixed set below. (A program building its own would
        # get numpy dtypes gradsh never meant to hold: 'O' tensors of Python objects, subarray
        # specs multiplying every size, 'V8' bytes past the string limits.)
        raise TypeError("cannot create 'torch.dtype' instances")

    @classmethod
    def _make(cls, name, np_dtype, is_floating_point, is_signed, short, legacy):
        self = object.__new__(cls)
        self.name = name
        self.np = np.dtype(np_dtype)
        self.is_floating_point = is_floating_point
        self.is_signed = is_signed
        self.itemsize = self.np.itemsize
        self._short = short  # the C++ scalar name in messages: Float, Double, Long
        self._legacy = legacy  # the legacy type name in messages: FloatTensor
        return self

    def __repr__(self):
        return "torch." + self.name

    __str__ = __repr__

    def __reduce__(self):
        return (_by_name, (self.name,))

    @property
    def is_complex(self):
        return self._short.startswith("Complex")

    @_builtin_method
    def to_complex(self):
        """The complex dtype of a floating one (a complex dtype is its own; bfloat16's is
        complex64, as PyTorch's)."""
        name = _TO_COMPLEX.get(self.name)
        if name is None:
            raise RuntimeError(f"Unknown Complex ScalarType for {self._short}")
        return _NAMES[name]

    @_builtin_method
    def to_real(self):
        """The dtype of a complex dtype's parts (any other dtype is its own)."""
        return _NAMES[_TO_REAL.get(self.name, self.name)]


_TO_COMPLEX = {"float16": "complex32", "bfloat16": "complex64", "float32": "complex64",
               "float64": "complex128", "complex32": "complex32", "complex64": "complex64",
               "complex128": "complex128"}
_TO_REAL = {"complex32": "float16", "complex64": "float32", "complex128": "float64"}


float32 = dtype._make("float32", np.float32, True, True, "Float", "FloatTensor")
float64 = dtype._make("float64", np.float64, True, True, "Double", "DoubleTensor")
float16 = dtype._make("float16", np.float16, True, True, "Half", "HalfTensor")
int64 = dtype._make("int64", np.int64, False, True, "Long", "LongTensor")
int32 = dtype._make("int32", np.int32, False, True, "Int", "IntTensor")
int16 = dtype._make("int16", np.int16, False, True, "Short", "ShortTensor")
int8 = dtype._make("int8", np.int8, False, True, "Char", "CharTensor")
uint8 = dtype._make("uint8", np.uint8, False, False, "Byte", "ByteTensor")
# PyTorch 2.13's "barebones" unsigned types: tensors of them are made, copied, printed, compared
# for equality, sorted and summed, but most kernels are not built for them and promotion with
# any other integer or bool dtype is refused (docs/autograd.md "uint16, uint32, uint64")
uint16 = dtype._make("uint16", np.uint16, False, False, "UInt16", "UInt16Tensor")
uint32 = dtype._make("uint32", np.uint32, False, False, "UInt32", "UInt32Tensor")
uint64 = dtype._make("uint64", np.uint64, False, False, "UInt64", "UInt64Tensor")
WIDE_UNSIGNED = frozenset((uint16.np, uint32.np, uint64.np))
bool_ = dtype._make("bool", np.bool_, False, False, "Bool", "BoolTensor")
# complex: a layer of its own (docs/autograd.md "Complex numbers"); not floating point, as PyTorch
complex64 = dtype._make("complex64", np.complex64, False, True, "ComplexFloat", "ComplexFloatTensor")
complex128 = dtype._make("complex128", np.complex128, False, True, "ComplexDouble",
                         "ComplexDoubleTensor")

class _WithoutArrays(dtype):
    """A dtype of PyTorch's that numpy cannot hold (complex32): it exists, compares, names itself
    and its limits (torch.finfo), but a tensor of it cannot be made (its `np` raises)."""

    __slots__ = ()

    @property
    def np(self):
        raise TypeError(f"gradsh cannot make {self!r} tensors (numpy has no such type): use "
                        "torch.complex64")


def _without_arrays(cls, name, itemsize, short, legacy):
    self = object.__new__(cls)
    self.name, self.is_floating_point, self.is_signed, self.itemsize = name, True, True, itemsize
    self._short, self._legacy = short, legacy
    return self


class _BFloat16(dtype):
    """torch.bfloat16: its arrays are the ml_dtypes package's numpy bfloat16, imported when a
    program first makes one (the import costs about 6 ms of every start-up otherwise). That
    numpy dtype's kind is "V" (a user dtype, not numpy's "f"): gradsh holds no other "V"
    arrays, so its float tests read `kind in "fV"` (docs/autograd.md "bfloat16")."""

    __slots__ = ()

    @property
    def np(self):
        return _BF16[0] if _BF16 else _load_bfloat16()


_BF16 = []


def _load_bfloat16():
    import ml_dtypes
    d = np.dtype(ml_dtypes.bfloat16)
    _BF16.append(d)
    _BY_NP[d] = bfloat16
    return d


bfloat16 = _without_arrays(_BFloat16, "bfloat16", 2, "BFloat16", "BFloat16Tensor")
complex32 = _without_arrays(_WithoutArrays, "complex32", 4, "ComplexHalf", "ComplexHalfTensor")
complex32.is_floating_point = False

# PyTorch's aliases
float = float32
double = float64
half = float16
long = int64
int = int32
short = int16
bool = bool_
cfloat = complex64
cdouble = complex128
chalf = complex32

ALL = (float32, float64, float16, int64, int32, int16, int8, uint8, bool_, complex64, complex128,
       uint16, uint32, uint64)
_BY_NP = {d.np: d for d in ALL}
_NAMES = {d.name: d for d in ALL}


_NAMES[bfloat16.name] = bfloat16
_NAMES[complex32.name] = complex32

# the complex dtype of each floating dtype (torch.complex, polar, view_as_complex) and back
# (real, imag, abs, angle, view_as_real)
COMPLEX_OF = {np.dtype(np.float32): np.dtype(np.complex64),
              np.dtype(np.float64): np.dtype(np.complex128)}
REAL_OF = {c: f for f, c in COMPLEX_OF.items()}


def default_complex_np():
    """The complex numpy dtype that follows torch.get_default_dtype() (complex64 for float32)."""
    return COMPLEX_OF.get(_DEFAULT["float"].np, np.dtype(np.complex64))


def _by_name(name):
    return _NAMES[name]


# torch.set_default_dtype's choice: the dtype of Python floats made tensors, of the float
# factories (ones, rand, arange(1.0), linspace) and of integer inputs made float (int / int)
_DEFAULT = {"float": float32}


# Python's types where PyTorch takes a dtype (`dtype=int`, `x.to(bool)`, `sum(dtype=float)`)
_OF_PYTHON_TYPE = {builtins.float: float64, builtins.int: int64, builtins.bool: bool_}


def of_python_type(value):
    """The dtype PyTorch reads a Python type (or a host's stand-in for one) as, or None."""
    return _OF_PYTHON_TYPE.get(STAND_INS.get(value, value))


def as_dtype(value):
    """A dtype argument as a dtype when it is a Python type PyTorch reads as one; anything else
    as it is (a wrong value fails where it is used, and the failure path names the argument)."""
    found = of_python_type(value)
    return value if found is None else found


def get_default_dtype():
    """torch.get_default_dtype()."""
    return _DEFAULT["float"]


def default_float_np():
    """The numpy dtype of torch.get_default_dtype()."""
    return _DEFAULT["float"].np


def set_default_dtype(d):
    """torch.set_default_dtype(d): a floating-point dtype, as PyTorch requires."""
    if not isinstance(d, dtype):
        raise TypeError("invalid dtype object: only floating-point types are supported as the "
                        "default type")
    if not d.is_floating_point:
        raise TypeError("only floating-point types are supported as the default type")
    d.np  # noqa: B018 - a dtype without arrays raises its error here
    _DEFAULT["float"] = d


# The C++ type names (gcc's typeid) PyTorch's kernels print in some messages (mm's dtype check,
# assigning a .grad of another dtype)
_C_NAMES = {"float32": "float", "float64": "double", "int64": "long int", "int32": "int",
            "int16": "short int", "int8": "signed char", "uint8": "unsigned char", "bool": "bool",
            "uint16": "short unsigned int", "uint32": "unsigned int",
            "uint64": "long unsigned int",
            "float16": "c10::Half", "bfloat16": "c10::BFloat16",
            "complex64": "c10::complex<float>", "complex128": "c10::complex<double>"}


def c_name(np_dtype):
    """The C++ type name of a numpy dtype's scalar, as PyTorch's messages give it."""
    name = from_numpy_dtype(np_dtype).name
    return _C_NAMES.get(name, name)


def from_numpy_dtype(np_dtype):
    """The gradsh dtype of a numpy dtype; raises TypeError for unsupported ones."""
    np_dtype = np.dtype(np_dtype)
    if not _BF16 and np_dtype.name == "bfloat16" and \
            getattr(np_dtype.type, "__module__", None) == "ml_dtypes":
        _load_bfloat16()  # an ml_dtypes array made before gradsh needed the type (from_numpy)
    try:
        return _BY_NP[np_dtype]
    except KeyError:
        raise TypeError(f"can't convert np.ndarray of type numpy.{np.dtype(np_dtype).name}. "
                        "The only supported types are: float64, float32, float16, int64, "
                        "int32, int16, int8, uint8, and bool.") from None


_UINT64_MASK = (1 << 64) - 1


# A Python number written into a tensor is checked as PyTorch's Scalar conversion checks it
# (c10::checked_convert): a value its dtype cannot hold is refused. An integral dtype takes a
# float in its range (not nan or inf) and an integer in its range, except that an unsigned
# dtype takes a negative integer down to -max (it wraps: uint8 -1 is 255); float32 and float16
# take inf and nan but not a finite value past their largest (float16 only where more than one
# element is filled: PyTorch fills a single element without the check). The scalar forms (full,
# fill_, x[i] = v, masked_fill, clamp, where...) name the C++ type, torch.tensor's data the dtype.
_FILL_C_NAMES = {"uint8": "uint8_t", "uint16": "uint16_t", "uint32": "uint32_t",
                 "uint64": "uint64_t", "int8": "int8_t", "int16": "int16_t", "int32": "int",
                 "int64": "int64_t", "float32": "float", "float16": "c10::Half",
                 "bfloat16": "c10::BFloat16"}


def np_finfo(np_dtype):
    """numpy's finfo of a floating numpy dtype, ml_dtypes' for bfloat16 (numpy's refuses it;
    ml_dtypes is loaded once a bfloat16 array exists)."""
    if np_dtype.kind == "V":
        import ml_dtypes
        return ml_dtypes.finfo(np_dtype)
    return np.finfo(np_dtype)


def float_max(np_dtype):
    """The largest finite value of a floating numpy dtype (numpy's finfo refuses bfloat16)."""
    if np_dtype.kind == "V":
        return _BFLOAT16_LIMITS[2]
    return builtins.float(np.finfo(np_dtype).max)


def _overflow_error(name):
    return RuntimeError(f"value cannot be converted to type {name} without overflow")


def astype(a, np_dtype):
    """numpy array a in np_dtype, a float64 one reaching float16 through float32 as PyTorch's
    does (its Half is built from a float): a direct rounding goes the other way for a value near
    a float16 halfway point (-0.0940857 is -0.09406 directly, -0.09412 in PyTorch)."""
    np_dtype = np.dtype(np_dtype)
    if np_dtype == np.float16 and a.dtype == np.float64:
        with np.errstate(over="ignore"):
            a = a.astype(np.float32)
    return a.astype(np_dtype)


def half_rounded(value):
    """A Python float as PyTorch rounds it into a float16: through float32 (astype above), as a
    float numpy then rounds to float16 as PyTorch does."""
    with np.errstate(over="ignore"):
        return builtins.float(np.float32(value))


def checked_fill(value, np_dtype, numel=None):
    """`value` (a Python or numpy number) ready to fill `numel` elements (None: any number) of a
    tensor of np_dtype, or PyTorch's error for a value the dtype cannot hold; an integer an
    unsigned dtype takes comes back wrapped (-1: 255)."""
    if isinstance(value, (builtins.bool, np.bool_)):
        return value
    if isinstance(value, (builtins.complex, np.complexfloating)):
        np_dtype = np.dtype(np_dtype)
        if np_dtype.kind == "c":
            return value
        if np_dtype.kind == "b":  # (PyTorch's bool fill asks value != 0, both parts)
            return builtins.bool(value)
        if value.imag != 0:
            raise _overflow_error(_FILL_C_NAMES.get(np_dtype.name, np_dtype.name).replace(
                "float64", "double"))
        value = builtins.float(value.real)
    elif isinstance(value, (builtins.int, np.integer)):
        value = builtins.int(value)
        if value > _UINT64_MASK:  # the widest of PyTorch's Scalar conversions: uint64
            raise OverflowError("int too big to convert")
        if value < -(1 << 63):
            raise OverflowError("can't convert negative int to unsigned")
    elif not isinstance(value, (builtins.float, np.floating)):
        return value
    np_dtype = np.dtype(np_dtype)
    if np_dtype.kind in "fV":
        if np_dtype.itemsize < 8 and (np_dtype.itemsize > 2 or numel != 1) and \
                math.isfinite(value) and abs(value) > float_max(np_dtype):
            raise _overflow_error(_FILL_C_NAMES[np_dtype.name])
        return half_rounded(value) if np_dtype == np.float16 else value
    if np_dtype.kind not in "iu":
        return value
    info = np.iinfo(np_dtype)
    if isinstance(value, builtins.int):
        lowest = -info.max if info.min == 0 else info.min
        if not lowest <= value <= info.max:
            raise _overflow_error(_FILL_C_NAMES[np_dtype.name])
        return value % (info.max + 1) if value < 0 and info.min == 0 else value
    if not info.min <= value <= info.max:  # nan and inf too
        raise _overflow_error(_FILL_C_NAMES[np_dtype.name])
    return value


def check_converted(arr, np_dtype):
    """torch.tensor(data, dtype=...) of Python numbers: PyTorch's error where a number (arr, as
    read from the data) does not fit an integral np_dtype (checked_fill's rules)."""
    np_dtype = np.dtype(np_dtype)
    if np_dtype.kind not in "iu" or arr.dtype.kind not in "iuf" or not arr.size:
        return
    info = np.iinfo(np_dtype)
    if arr.dtype.kind in "fV":
        with np.errstate(invalid="ignore"):
            bad = not builtins.bool(((arr >= info.min) & (arr <= info.max)).all())
    elif info.min == 0:
        bad = builtins.bool(((arr > info.max) | (arr < -builtins.int(info.max))).any())
    else:
        bad = builtins.bool(((arr > info.max) | (arr < info.min)).any())
    if bad:
        raise _overflow_error(np_dtype.name)


# the most sizes one torch.Size holds: the language's limit on the items of a tuple
# (lang/runtime/limits.py MAX_ITEMS is this), held where every Size is made
MAX_SIZE_LENGTH = 10_000_000


class TooManyItems(ValueError):
    """More than MAX_SIZE_LENGTH items read from a program's iterable where gradsh's core
    reads one whole (`torch.Size(range(10**8))`, an endless iterator given as the tensors of
    `torch.autograd.backward`)."""

    gradsh_kind = "LimitError"


# An iterable of unknown length (a generator, a program's iterator class) is read whole up to
# an item limit, for at most READ_SECONDS of CPU time once READ_FREELY items were read (the
# clock runs from the first item): an endless `__next__` written in a program costs a
# microsecond or more a call, so reading 10**7 items took up to 15 s before the limit's error,
# and with a floor of 10**6 items counted before the clock, an iterator whose items cost 13 us
# each still took 13 s. So reading costs at most READ_SECONDS, or what READ_FREELY items cost
# when each costs more than 30 us. A slow but short generator (fewer than READ_FREELY items, a
# few a second) is never refused. The language's own readers (list(), tuple(),
# comprehensions, * unpacking: lang/runtime/limits.py collect) read here too.
READ_FREELY = 100_000
READ_CHUNK = 1 << 12
READ_SECONDS = 3.0


def read_bounded(iterable, most):
    """(items, out_of_time): a list of at most most + 1 items of iterable, and whether reading
    stopped because it took more than READ_SECONDS with READ_FREELY items read."""
    iterator = iter(iterable)
    started = time.process_time()
    items = []
    while len(items) <= most:
        before = len(items)
        items.extend(itertools.islice(iterator, min(READ_CHUNK, most + 1 - before)))
        if len(items) - before < READ_CHUNK:
            break
        if len(items) >= READ_FREELY and time.process_time() - started > READ_SECONDS:
            return items, True
    return items, False


def out_of_time(what, items):
    count = items if builtins.type(items) is builtins.int else len(items)
    return ("%s read %d items in %g seconds and was not done: gradsh reads an iterable of "
            "unknown length for at most %g seconds once it has %d items"
            % (what, count, READ_SECONDS, READ_SECONDS, READ_FREELY))


def _mark_end(ended):
    """An empty iterator that notes, when it is reached, that the one before it ended."""
    ended.append(True)
    return
    yield


def read_lazily(iterable, what):
    """iterable's items one by one, for a reader in C that would otherwise run without ever
    returning to Python (sum() of an endless map, `x in itertools.count()`, a filter skipping
    items of range(10**18)): every READ_CHUNK items control comes back here, so Ctrl-C stops
    the reading, and once READ_FREELY items were read the reading budget holds (at most
    READ_SECONDS of CPU time from the first item, as read_bounded). Each item is asked for only
    when the reader asks (any() stopping early reads no further); the iterable's end is noted
    by a marker chained after it, so an exhausted iterator is never asked twice."""
    ended = []
    source = itertools.chain(iterable, _mark_end(ended))
    started = time.process_time()
    count = 0
    while True:
        yield from itertools.islice(source, READ_CHUNK)
        if ended:
            return
        count += READ_CHUNK
        if count >= READ_FREELY and time.process_time() - started > READ_SECONDS:
            raise TooManyItems(out_of_time(what, count))


def read_each(iterable, what):
    """iterable's items one at a time, for core code that acts on each as it comes (a
    ModuleList extended from a program's iterator, as PyTorch does): a list or tuple as it is,
    anything else through read_lazily, refused past MAX_SIZE_LENGTH items (an endless iterable
    stops at the item limit or the reading budget)."""
    if type(iterable) in (list, tuple):
        return iterable
    return _counted(read_lazily(iterable, what), what)


def _counted(items, what):
    for count, item in enumerate(items, 1):
        if count > MAX_SIZE_LENGTH:
            raise TooManyItems("%s of more than %d items: above gradsh's limit of items in a "
                               "tuple" % (what, MAX_SIZE_LENGTH))
        yield item


def read_items(iterable, what):
    """tuple(iterable), refused past MAX_SIZE_LENGTH items, or when reading takes too long
    (read_bounded): an endless iterable stops there."""
    items, late = read_bounded(iterable, MAX_SIZE_LENGTH)
    if late:
        raise TooManyItems(out_of_time(what, items))
    items = tuple(items)
    if len(items) > MAX_SIZE_LENGTH:
        raise TooManyItems("%s of more than %d items: above gradsh's limit of items in a tuple"
                           % (what, MAX_SIZE_LENGTH))
    return items


def _size_item(i, item):
    """A size as PyTorch reads it: an int (a bool is one), anything with __index__ (an integer
    tensor of one element); int64 at most."""
    if type(item) is not int:
        try:
            item = operator.index(item)
        except TypeError:
            raise TypeError("torch.Size() takes an iterable of 'int' (item %d is '%s')"
                            % (i, type(item).__name__)) from None
    if not -(1 << 63) <= item < (1 << 63):
        raise ValueError("Overflow when unpacking long long")
    return item


class Size(tuple, metaclass=TorchClass):
    """A tensor's shape: a tuple of ints that prints as `torch.Size([2, 2])`. Made from a
    program's values, each is checked as PyTorch checks it, and at most MAX_SIZE_LENGTH are
    read; gradsh's own shapes (numpy's tuples of ints) take `Size.of`, which checks nothing."""

    __slots__ = ()

    def __new__(cls, sizes=()):
        items = read_items(sizes, "torch.Size()")
        return tuple.__new__(cls, [_size_item(i, item) for i, item in enumerate(items)])

    @classmethod
    def of(cls, shape):
        """A Size of a shape gradsh made (a tuple of ints): no checks."""
        return tuple.__new__(cls, shape)

    def __repr__(self):
        return f"torch.Size([{', '.join(map(str, self))}])"

    __str__ = __repr__

    # Python's words for a tuple name the class; PyTorch's C type is named 'torch.Size'
    def __setitem__(self, i, value):
        raise TypeError("'torch.Size' object does not support item assignment")

    def __delitem__(self, i):
        raise TypeError("'torch.Size' object doesn't support item deletion")

    def numel(self):
        """The product of the sizes, in int64 arithmetic that wraps, as PyTorch's (so a Size of
        many large numbers never builds a huge Python int)."""
        n = 1
        for s in self:
            n = (n * s) & _UINT64_MASK
        return n - (1 << 64) if n >> 63 else n

    def __getitem__(self, i):
        r = tuple.__getitem__(self, i)
        return Size.of(r) if isinstance(i, slice) else r

    def __add__(self, other):
        if not isinstance(other, tuple):   # (Python's words would name the class 'Size')
            raise TypeError(f"can only concatenate tuple (not {type(other).__name__}) to "
                            "torch.Size")
        return Size(tuple.__add__(self, other))

    def __radd__(self, other):  # (1,) + size is a Size too, as PyTorch's
        if isinstance(other, list):
            raise TypeError('can only concatenate list (not "torch.Size") to list')
        if not isinstance(other, tuple):
            raise TypeError(f"unsupported operand type(s) for +: '{type(other).__name__}' and "
                            "'torch.Size'")
        return Size(tuple.__add__(other, self))

    def __mul__(self, n):
        if not hasattr(type(n), "__index__"):
            raise TypeError(f"can't multiply sequence by non-int of type '{type(n).__name__}'")
        return Size.of(tuple.__mul__(self, n))

    __rmul__ = __mul__


def _size_unsupported(symbol, name):
    """Size's operators that tuples lack, refused naming 'torch.Size' as PyTorch's C type
    does (another operand with the reflected operator is asked first)."""
    def op(self, other):
        if (not isinstance(other, Size) and type(other).__module__ != "builtins"
                and hasattr(type(other), name)):
            return NotImplemented   # (a tensor's reflected operator answers for itself)
        reflected = None if isinstance(other, Size) else getattr(type(other), name, None)
        result = NotImplemented if reflected is None else reflected(other, self)
        if result is not NotImplemented:
            return result
        raise TypeError(f"unsupported operand type(s) for {symbol}: 'torch.Size' and "
                        f"'{_type_name(other)}'")

    def rop(self, other):
        raise TypeError(f"unsupported operand type(s) for {symbol}: '{_type_name(other)}' and "
                        "'torch.Size'")
    return op, rop


def _type_name(x):
    return "torch.Size" if isinstance(x, Size) else type(x).__name__


for _symbol, _name in (("-", "sub"), ("/", "truediv"), ("//", "floordiv"), ("%", "mod"),
                       ("** or pow()", "pow"), ("@", "matmul"), ("&", "and"), ("|", "or"), ("^", "xor"),
                       ("<<", "lshift"), (">>", "rshift")):
    _op, _rop = _size_unsupported(_symbol, f"__r{_name}__")
    setattr(Size, f"__{_name}__", _op)
    setattr(Size, f"__r{_name}__", _rop)
del _symbol, _name, _op, _rop


# torch.finfo(torch.bfloat16), as PyTorch 2.13 gives it: bits, eps, max, tiny, resolution, name
_BFLOAT16_LIMITS = (16, 0.0078125, 3.3895313892515355e+38, 1.1754943508222875e-38, 0.01,
                    "bfloat16")


class finfo(metaclass=TorchClass):
    """torch.finfo(dtype): the limits of a floating-point dtype (the default dtype without one)."""

    def __init__(self, type=None):
        dt = get_default_dtype() if type is None else type
        if dt is bfloat16:
            self._set(*_BFLOAT16_LIMITS)
            return
        if dt.np.kind == "c":  # a complex dtype's limits are its parts' (dtype='float32')
            dt = dt.to_real()
        if dt.np.kind not in "fV":
            raise TypeError("torch.finfo() requires a floating point input type. Use "
                            "torch.iinfo to handle 'torch.finfo'")
        info = np.finfo(dt.np)
        self._set(info.bits, info.eps.item(), info.max.item(), info.smallest_normal.item(),
                  10.0 ** -info.precision, str(dt.np))

    def _set(self, bits, eps, max, tiny, resolution, dtype):
        self.bits, self.eps, self.max, self.min = bits, eps, max, -max
        self.tiny = self.smallest_normal = tiny
        self.resolution, self.dtype = resolution, dtype

    def __eq__(self, other):
        return isinstance(other, finfo) and other.dtype == self.dtype

    __hash__ = None

    def __repr__(self):
        return (f"finfo(resolution={self.resolution:g}, min={self.min:g}, max={self.max:g}, "
                f"eps={self.eps:g}, smallest_normal={self.smallest_normal:g}, "
                f"tiny={self.tiny:g}, dtype={self.dtype})")


class iinfo(metaclass=TorchClass):
    """torch.iinfo(dtype): the limits of an integer dtype."""

    def __init__(self, type):
        if type.np.kind not in "iu":
            raise TypeError("torch.iinfo() requires an integer input type. Use torch.finfo to "
                            "handle 'torch.iinfo'")
        info = np.iinfo(type.np)
        self.bits, self.min, self.max, self.dtype = info.bits, info.min, info.max, str(type.np)

    def __eq__(self, other):
        return isinstance(other, iinfo) and other.dtype == self.dtype

    __hash__ = None

    def __repr__(self):
        return f"iinfo(min={self.min:g}, max={self.max:g}, dtype={self.dtype})"


_F32_NP = np.dtype(np.float32)


def promote_pair(a, b):
    """PyTorch's promotion of two numpy dtypes: a float dtype beats every integer one (int64
    with float16 is float16, where numpy says float64), else numpy's rule."""
    if a is b:
        return a
    if (a.kind in "fV") != (b.kind in "fV"):
        if a.kind == "c" or b.kind == "c":
            return _complex_pair(a, b)
        return a if a.kind in "fV" else b
    if a.kind == "c" or b.kind == "c":
        return _complex_pair(a, b)
    if a.kind == "V" or b.kind == "V":  # bfloat16 with float16 is float32, as PyTorch's
        wide = a if a.itemsize > b.itemsize else b
        return a if a == b else wide if wide.itemsize > 2 else _F32_NP
    if (a.kind == "u" or b.kind == "u") and (a in WIDE_UNSIGNED or b in WIDE_UNSIGNED):
        raise RuntimeError("Promotion for uint16, uint32, uint64 types is not supported, "
                           f"attempted to promote {from_numpy_dtype(a)._short} and "
                           f"{from_numpy_dtype(b)._short}")
    return np.promote_types(a, b)


def _complex_pair(a, b):
    """A complex dtype with another: the complex one, widened to hold a float's precision
    (float64 with complex64 is complex128; an integer never widens it, where numpy widens)."""
    if a.kind != "c":
        a, b = b, a
    if b.kind == "c" or b.kind in "fV":
        return np.promote_types(a, b) if b.itemsize != 2 else a
    return a
