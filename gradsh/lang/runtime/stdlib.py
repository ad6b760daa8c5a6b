"""The Python modules a program may import (see lang/importable.py): read-only namespaces of
chosen functions, each refusing what would build a value past gradsh's limits.

`random` is a `random.Random` of its own per session: Python's Mersenne Twister, so
`random.seed(0)` gives the numbers Python gives, and the program never reaches the host's
generator or the module. `time` offers the clocks only (`time`, `perf_counter`), no `sleep`.
"""

import collections
import contextlib
import copy
import dataclasses
import functools
import itertools
import random
import time
import types
import typing

from .limits import (MAX_INT_BITS, MAX_ITEMS, MAX_STR, TUPLE_CLASSES, LimitError,
                     check_text_size, collect, int_like, mapping_args)
from . import comparing
from . import nesting
from .namespaces import Namespace
from .pybuiltins import REAL_TYPES, stand_for
from .classes import (is_uncatchable, NamedTuple, ProgramClasses, TypeView,
                      checked_tuple_class)
from .sandbox import CLASS_METHODS, PYTHON_ALLOWED
from .usercollections import USER_COLLECTION_NAMES, ChainMap, UserDict, UserList, UserString
from .abcmodules import collections_abc_namespace


class _Module:
    """A plain object whose attributes are a namespace's members."""

    def __init__(self, **members):
        for name, value in members.items():
            setattr(self, name, value)


def _named(fn, name, doc):
    fn.__name__ = fn.__qualname__ = name
    fn.__doc__ = doc
    return fn


def _check_count(n, what):
    """A count argument read once (int_like), checked against the item limit."""
    n = int_like(n)
    if isinstance(n, int) and n > MAX_ITEMS:
        raise LimitError("%s would make more than %d items (gradsh's limit)" % (what, MAX_ITEMS))
    return n


_RANDOM_METHODS = ("seed", "random", "uniform", "randint", "randrange", "choice", "shuffle",
                   "gauss", "normalvariate", "lognormvariate", "expovariate", "vonmisesvariate",
                   "gammavariate", "betavariate", "paretovariate", "weibullvariate", "triangular",
                   "getstate", "setstate", "choices", "sample", "getrandbits")


def _check_shuffled(x):
    """Python's shuffle swaps len(x) - 1 times in its own loop, which no limit interrupts: an
    object of the program's claiming 10**12 items ran for ever (round 15). A sequence longer
    than the item limit (none a program can build) is refused before the first swap."""
    n = len(x)
    if n > MAX_ITEMS:
        raise LimitError("random.shuffle() of %d items is more than gradsh's limit of %d"
                         % (n, MAX_ITEMS))


class Random(random.Random):
    """`random.Random(seed)`: Python's generator, a program's own besides the module's, with
    the module's limits on choices, sample, shuffle and getrandbits."""

    __module__ = "random"

    def shuffle(self, x):
        _check_shuffled(x)
        return super().shuffle(x)

    def choices(self, population, weights=None, *, cum_weights=None, k=1):
        _check_count(k, "random.choices(k=...)")
        return super().choices(population, weights, cum_weights=cum_weights, k=k)

    def sample(self, population, k, *, counts=None):
        _check_count(k, "random.sample(k=...)")
        return super().sample(population, k, counts=counts)

    def getrandbits(self, k):
        if isinstance(k, int) and k > MAX_INT_BITS:
            raise LimitError("random.getrandbits(k) is limited to k <= %d in gradsh"
                             % MAX_INT_BITS)
        return super().getrandbits(k)


PYTHON_ALLOWED[Random] = frozenset(_RANDOM_METHODS)


def random_namespace():
    rng = random.Random()

    def choices(population, weights=None, *, cum_weights=None, k=1):
        k = _check_count(k, "random.choices(k=...)")
        return rng.choices(population, weights, cum_weights=cum_weights, k=k)

    def sample(population, k, *, counts=None):
        k = _check_count(k, "random.sample(k=...)")
        return rng.sample(population, k, counts=counts)

    def getrandbits(k):
        k = int_like(k)
        if isinstance(k, int) and k > MAX_INT_BITS:
            raise LimitError("random.getrandbits(k) is limited to k <= %d in gradsh"
                             % MAX_INT_BITS)
        return rng.getrandbits(k)

    def shuffle(x):
        _check_shuffled(x)
        return rng.shuffle(x)

    members = {name: getattr(rng, name) for name in (
        "seed", "random", "uniform", "randint", "randrange", "choice", "gauss",
        "normalvariate", "lognormvariate", "expovariate", "vonmisesvariate", "gammavariate",
        "betavariate", "paretovariate", "weibullvariate", "triangular", "getstate",
        "setstate")}
    members.update(
        choices=_named(choices, "choices", random.Random.choices.__doc__),
        sample=_named(sample, "sample", random.Random.sample.__doc__),
        shuffle=_named(shuffle, "shuffle", random.Random.shuffle.__doc__),
        getrandbits=_named(getrandbits, "getrandbits", random.Random.getrandbits.__doc__),
        Random=Random)
    return Namespace("random", _Module(**members))


def time_namespace():
    # the clocks (no sleep): monotonic and the nanosecond forms since branch adv12c
    return Namespace("time", _Module(time=time.time, perf_counter=time.perf_counter,
                                     monotonic=time.monotonic, time_ns=time.time_ns,
                                     perf_counter_ns=time.perf_counter_ns,
                                     monotonic_ns=time.monotonic_ns,
                                     process_time=time.process_time))


def io_namespace():
    """io.BytesIO only (an in-memory file for torch.save/torch.load; gradsh/program_files.py)."""
    from ...program_files import BytesIO
    from .textio import StringIO  # (branch adv12c)
    return Namespace("io", _Module(BytesIO=BytesIO, StringIO=StringIO))


class singledispatch:
    """functools.singledispatch: the function called is the one registered for the nearest
    class in the first argument's MRO (the default, registered for `object`, otherwise).
    gradsh's own: Python's reads the annotations gradsh ignores and hands out a function whose
    attributes no gate could offer. `@f.register(cls)` and `f.register(cls, func)` register;
    plain `@f.register` on a function is Python's error for an unannotated one."""

    gradsh_named = True  # `f.__name__` (sandbox._name_of), as a function's

    def __init__(self, func):
        if not callable(func):
            raise TypeError("%r is not a callable object" % (func,))
        functools.update_wrapper(self, func)
        self._registry = {object: func}
        self._given = {object: object}  # each class as the program gave it (int's view)

    @property
    def registry(self):
        """A read-only view of the registry, keyed by the classes as the program holds them."""
        return types.MappingProxyType({self._given[cls]: func
                                       for cls, func in self._registry.items()})

    def dispatch(self, cls):
        if isinstance(cls, TypeView):
            cls = cls.cls
        if not isinstance(cls, type):
            raise TypeError("dispatch() takes a class, not %r" % type(cls).__name__)
        for base in cls.__mro__:
            if base in self._registry:
                return self._registry[base]
        return self._registry[object]

    def register(self, cls, func=None):
        if func is None and isinstance(cls, types.FunctionType) and getattr(
                cls, "__annotations__", None):
            # plain `@f.register` on `def _(x: int)`: the class of its first annotation
            func = cls
            argname, cls = next(iter(func.__annotations__.items()))
            real = cls.cls if isinstance(cls, TypeView) else cls
            if not isinstance(real, type):
                raise TypeError("Invalid annotation for %r. %r is not a class." % (argname, cls))
        given = cls
        if isinstance(cls, TypeView):  # the program's `int`, `list`: the class each shows
            cls = cls.cls
        if not isinstance(cls, type):
            if func is None:
                raise TypeError("Invalid first argument to `register()`: %r. Use either "
                                "`@register(some_class)` or plain `@register` on an annotated "
                                "function." % (cls,))
            raise TypeError("Invalid first argument to `register()`. %r is not a class or "
                            "union type." % (cls,))
        if func is None:
            return lambda f: self.register(given, f)
        self._registry[cls] = func
        self._given[cls] = given
        return func

    def __call__(self, *args, **kwargs):
        if not args:
            raise TypeError("%s requires at least 1 positional argument" % self.__name__)
        return self.dispatch(type(args[0]))(*args, **kwargs)

    def __get__(self, obj, cls=None):
        return self if obj is None else functools.partial(self, obj)

    def __repr__(self):
        return "<function %s at 0x%x>" % (self.__qualname__, id(self))


class singledispatchmethod:
    """functools.singledispatchmethod (branch adv12c): a method whose function is chosen by the
    class of its first argument after self, registered as on singledispatch (gradsh's)."""

    gradsh_named = True

    def __init__(self, func):
        if not callable(func):
            raise TypeError("%r is not callable or a descriptor" % (func,))
        self.dispatcher = singledispatch(func)
        functools.update_wrapper(self, func)

    def register(self, cls, method=None):
        return self.dispatcher.register(cls, method)

    def __get__(self, obj, cls=None):
        def method(*args, **kwargs):
            if not args:
                raise TypeError("%s requires at least 1 positional argument" % self.__name__)
            func = self.dispatcher.dispatch(type(args[0]))
            return func(*args, **kwargs) if obj is None else func(obj, *args, **kwargs)
        method.__name__ = self.__name__
        return method


PYTHON_ALLOWED.update(USER_COLLECTION_NAMES)  # gradsh's own (usercollections.py)
PYTHON_ALLOWED[singledispatchmethod] = frozenset(("register",))
CLASS_METHODS.update({(cls, "fromkeys"): cls.fromkeys for cls in (UserDict, ChainMap)})
# what singledispatch's `registry` gives (its keys as the program gave them)
PYTHON_ALLOWED[types.MappingProxyType] = frozenset("keys values items get copy".split())
PYTHON_ALLOWED[singledispatch] = frozenset(("register", "dispatch", "registry"))


def functools_namespace():
    reduce = nesting.reading(functools.reduce, "functools.reduce()", 1)
    # lru_cache/cache: Python's (the cache holds program values within the memory ceiling; the
    # wrapper offers no attributes through the gate)
    return Namespace("functools", _Module(partial=functools.partial, reduce=reduce,
                                          wraps=functools.wraps, lru_cache=functools.lru_cache,
                                          update_wrapper=functools.update_wrapper,
                                          cache=functools.cache,
                                          total_ordering=functools.total_ordering,
                                          cached_property=functools.cached_property,
                                          cmp_to_key=functools.cmp_to_key,
                                          partialmethod=functools.partialmethod,
                                          singledispatch=singledispatch,
                                          singledispatchmethod=singledispatchmethod,
                                          # the names wraps copies: tuples of str (adv14c)
                                          WRAPPER_ASSIGNMENTS=functools.WRAPPER_ASSIGNMENTS,
                                          WRAPPER_UPDATES=functools.WRAPPER_UPDATES))


def _pools(iterables, repeat, what):
    pools = [collect(it, what) for it in iterables]
    repeat = _check_count(repeat, what)
    if sum(len(p) for p in pools) * max(repeat, 1) > MAX_ITEMS:
        raise LimitError("%s would hold more than %d items (gradsh's limit)" % (what, MAX_ITEMS))
    return pools


def itertools_namespace():
    tagged = nesting.ITERTOOLS  # depth-recording subclasses (nesting.py)

    def product(*iterables, repeat=1):
        repeat = int_like(repeat)  # (the count checked is the count used)
        if not isinstance(repeat, int):  # (adv13c: Python's words, before the size check)
            raise TypeError("'%s' object cannot be interpreted as an integer"
                            % type(repeat).__name__)
        return tagged["product"](*_pools(iterables, repeat, "itertools.product()"),
                                 repeat=repeat)

    def permutations(iterable, r=None):
        return tagged["permutations"](_pools([iterable], 1, "itertools.permutations()")[0], r)

    def combinations(iterable, r):
        return tagged["combinations"](_pools([iterable], 1, "itertools.combinations()")[0], r)

    def combinations_with_replacement(iterable, r):
        pool = _pools([iterable], 1, "itertools.combinations_with_replacement()")[0]
        return tagged["combinations_with_replacement"](pool, r)

    def tee(iterable, n=2):
        return itertools.tee(iterable, _check_count(n, "itertools.tee(n)"))

    members = {name: tagged.get(name) or getattr(itertools, name) for name in (
        "count", "cycle", "repeat", "accumulate", "chain", "compress", "dropwhile",
        "filterfalse", "groupby", "islice", "pairwise", "starmap", "takewhile",
        "zip_longest")}
    for fn in (product, permutations, combinations, combinations_with_replacement, tee):
        members[fn.__name__] = _named(fn, fn.__name__, getattr(itertools, fn.__name__).__doc__)
    return Namespace("itertools", _Module(**members))


# typing's names, for annotations (which gradsh accepts and ignores) and type aliases
TYPING_NAMES = ("Any", "Callable", "Dict", "Generator", "Iterable", "Iterator", "List",
                "Mapping", "Optional", "Sequence", "Set", "Tuple", "Union", "Literal", "Final",
                "ClassVar", "Type", "FrozenSet", "DefaultDict", "Deque", "Collection",
                "MutableMapping", "MutableSequence", "Hashable", "Sized", "Container")


class _TypingForm:
    """typing's `Optional`, `List`, `Union`... as a program subscripts them: with the real
    classes its `int`, `str`, `list`... stand for. typing caches its subscriptions by argument,
    and a program's `int` is equal to int: without this, a program's Optional[int] would be
    the one every later Optional[int] of the process gets, the REPL's and the kernel's too."""

    __slots__ = ("form",)

    def __init__(self, form):
        self.form = form

    def __getitem__(self, args):
        return self.form[_real_classes(args)]

    def __repr__(self):
        return repr(self.form)

    def __eq__(self, other):
        return self.form == (other.form if isinstance(other, _TypingForm) else other)

    def __hash__(self):
        return hash(self.form)


def _real_classes(args):
    if isinstance(args, (list, tuple)):  # `Callable[[int], str]`, `Dict[str, int]`
        return type(args)(_real_classes(a) for a in args)
    return args.cls if type(args).__qualname__ == "TypeView" else args


def _type_var(name, *constraints, bound=None, covariant=False, contravariant=False):
    """typing.TypeVar with the real classes the program's names stand for."""
    return typing.TypeVar(name, *_real_classes(constraints), bound=_real_classes(bound),
                          covariant=covariant, contravariant=contravariant)


def _runtime_checkable(cls):
    """typing.runtime_checkable, on the program's own Protocol classes (typing's would mark
    typing.Protocol itself, for every session of the process)."""
    if cls not in ProgramClasses():
        raise TypeError("@runtime_checkable can be only applied to protocol classes, got %r"
                        % (cls,))
    return typing.runtime_checkable(cls)


def _overload(func):
    """typing.overload: the signature is documentation; calling it is Python's error (typing's
    own keeps every overload of the process in a registry)."""

    def overloaded(*args, **kwargs):
        raise NotImplementedError("You should not call an overloaded function. A series of "
                                  "@overload-decorated functions outside a stub module should "
                                  "always be followed by an implementation that is not "
                                  "@overload-ed.")
    overloaded.__name__ = overloaded.__qualname__ = "_overload_dummy"  # typing's name
    return overloaded


def typing_namespace():
    """typing's forms for annotations and aliases, `TypeVar`, `NamedTuple` and `Generic` as a
    base class (classes.build_class takes `Generic[T]` as Python does; its subscriptions are
    Python's)."""
    members = {name: getattr(typing, name) if name == "Any" else _TypingForm(getattr(typing, name))
               for name in TYPING_NAMES}
    members.update(TypeVar=_named(_type_var, "TypeVar", typing.TypeVar.__doc__),
                   Generic=typing.Generic, NamedTuple=NamedTuple, Protocol=typing.Protocol,
                   runtime_checkable=_named(_runtime_checkable, "runtime_checkable",
                                            typing.runtime_checkable.__doc__),
                   overload=_named(_overload, "overload", typing.overload.__doc__),
                   TYPE_CHECKING=False,
                   # (branch adv12c) TypedDict as a base or called: its class makes plain dicts
                   TypedDict=typing.TypedDict, cast=typing.cast)
    return Namespace("typing", _Module(**members))


# ------------------------------------------------------------------ collections
def _counted_items(iterable, what):
    """What Counter counts: a mapping as it is, anything else read within the item limit."""
    if iterable is None or isinstance(iterable, dict):
        return iterable
    return collect(iterable, what)


def _ordered_dict(*args, **kwargs):
    return collections.OrderedDict(*mapping_args(args, "OrderedDict()"), **kwargs)


def _default_dict(default_factory=None, *args, **kwargs):
    # `defaultdict(list)` holds Python's list, shown as `<class 'list'>` (called without
    # arguments, the program's `list`, `int`... make what Python's make)
    default_factory = REAL_TYPES.get(default_factory, default_factory)
    return collections.defaultdict(default_factory, *mapping_args(args, "defaultdict()"),
                                   **kwargs)


def _counter(iterable=None, /, **kwargs):
    return collections.Counter(_counted_items(iterable, "Counter()"), **kwargs)


def _deque(iterable=(), maxlen=None):
    if type(iterable) not in (list, tuple, str, dict, set):
        iterable = collect(iterable, "deque()")
    return collections.deque(iterable, maxlen)


MAX_FIELDS = 1000  # fields of a named tuple (Python builds its class from source text)


def _field_names(field_names):
    if isinstance(field_names, str):
        if len(field_names) > 100 * MAX_FIELDS:
            raise LimitError("namedtuple() field names of %d characters (gradsh's limit is %d)"
                             % (len(field_names), 100 * MAX_FIELDS))
        field_names = field_names.replace(",", " ").split()
    names = collect(field_names, "namedtuple() field names")
    if len(names) > MAX_FIELDS or any(isinstance(n, str) and len(n) > 100 for n in names):
        raise LimitError("namedtuple() with more than %d field names, or names of more than 100 "
                         "characters (gradsh's limit)" % MAX_FIELDS)
    return names


def _namedtuple(typename, field_names, *, rename=False, defaults=None, module=None):
    """Python's namedtuple class, made a program class (its fields, `_fields`, `_asdict`,
    `_replace`, `_make` are the program's; tuple's `count`/`index` as a tuple's), whose
    instances are made through checks: their depth as tuples (nesting.py) and `_make`'s items
    within MAX_ITEMS."""
    if defaults is not None:
        defaults = collect(defaults, "namedtuple() defaults")
    if module is not None and not isinstance(module, str):
        raise TypeError("namedtuple(): module must be a str, not %s" % type(module).__name__)
    cls = collections.namedtuple(typename, _field_names(field_names), rename=rename,
                                 defaults=defaults, module="__main__" if module is None else module)
    return checked_tuple_class(cls)


# the program's constructors, each standing for Python's class (made once: isinstance and
# `type(x) == OrderedDict` know them in every session)
_COLLECTIONS = {}
for _fn, _real in ((_ordered_dict, collections.OrderedDict),
                   (_default_dict, collections.defaultdict), (_counter, collections.Counter),
                   (_deque, collections.deque)):
    _COLLECTIONS[_real.__name__] = stand_for(_named(_fn, _real.__name__, _real.__doc__), _real)


def collections_namespace():
    """OrderedDict, defaultdict, Counter and deque: Python's own classes (the values a program
    holds are theirs, printed as theirs), made through constructors that read iterables within
    the item limit. Their methods are offered as dict's and list's are (sandbox.py).
    ChainMap, UserDict, UserList and UserString are gradsh's own (usercollections.py)."""
    return Namespace("collections", _Module(
        namedtuple=_named(_namedtuple, "namedtuple", collections.namedtuple.__doc__),
        ChainMap=ChainMap, UserDict=UserDict, UserList=UserList, UserString=UserString,
        abc=collections_abc_namespace(), **_COLLECTIONS))


# ------------------------------------------------------------------ copy
def copy_namespace():
    """copy.copy and copy.deepcopy: Python's, on the values a program holds (a tensor's
    deepcopy is PyTorch's: graph leaves only; a module copies its parameters)."""
    def deepcopy(x, memo=None):
        if memo is not None:  # it would fill a program's dict with the copied values' insides
            raise TypeError("copy.deepcopy(x, memo) is not supported in gradsh: call "
                            "copy.deepcopy(x)")
        return copy.deepcopy(x)

    def shallow(x):
        return copy.copy(x)

    return Namespace("copy", _Module(
        copy=_named(shallow, "copy", copy.copy.__doc__),
        deepcopy=_named(deepcopy, "deepcopy", copy.deepcopy.__doc__)))


# ------------------------------------------------------------------ contextlib
def _keeps_limits(cls, name):
    """Python's context-manager class `cls` whose __exit__ never swallows gradsh's limits
    (`suppress(BaseException)`, a generator or a pushed exit function answering True would
    keep a runaway program alive, as a bare `except:` would); shown under Python's name."""

    def __exit__(self, exc_type, exc, tb):
        swallowed = cls.__exit__(self, exc_type, exc, tb)
        if exc is not None and (isinstance(exc, LimitError) or _uncatchable(exc)):
            return False
        return swallowed

    made = type(name, (cls,), {"__exit__": __exit__, "__slots__": ()})
    made.__module__, made.__qualname__ = "contextlib", name
    return made


_uncatchable = is_uncatchable


_GeneratorCM = _keeps_limits(contextlib._GeneratorContextManager, "_GeneratorContextManager")


def _contextmanager(func):
    @functools.wraps(func)
    def helper(*args, **kwds):
        return _GeneratorCM(func, args, kwds)
    return helper


# ------------------------------------------------------------------ dataclasses
_COMPARED = ("__eq__", "__lt__", "__le__", "__gt__", "__ge__")


def _field_values(obj):
    return tuple(getattr(obj, f.name, None) for f in dataclasses.fields(obj))


def _checked_repr(generated):
    def __repr__(self):
        check_text_size(_field_values(self), "repr()")  # formatted in C by @dataclass's code
        return generated(self)
    return __repr__


def _checked_comparison(generated, symbol):
    def compare(self, other):
        if other.__class__ is self.__class__:  # compares the fields' tuples in C
            comparing.check_pair(_field_values(self), _field_values(other), "'%s'" % symbol)
        return generated(self, other)
    return compare


_SYMBOLS = dict(zip(_COMPARED, ("==", "<", "<=", ">", ">=")))


def _dataclass_of(cls, options):
    """@dataclass on a program's class: Python's, then the methods it wrote that format or
    compare the fields in C wrapped in the limits' walks (text size, comparison budget)."""
    if not (isinstance(cls, type) and cls in ProgramClasses()):
        raise TypeError("@dataclass applies to the program's own classes in gradsh, not %r"
                        % getattr(cls, "__name__", type(cls).__name__))
    before = set(cls.__dict__)
    made = dataclasses.dataclass(cls, **options)
    for name in set(made.__dict__) - before:
        method = made.__dict__[name]
        if name == "__repr__":
            setattr(made, name, _checked_repr(method))
        elif name in _SYMBOLS and callable(method):
            setattr(made, name, _checked_comparison(method, _SYMBOLS[name]))
    if made is not cls:  # slots=True makes a new class
        ProgramClasses().add(made)
    return made


def _dataclass(cls=None, /, **options):
    if cls is None:
        return lambda c: _dataclass_of(c, options)
    return _dataclass_of(cls, options)


def _astuple(obj, *, tuple_factory=tuple):
    _check_copy_size(obj, "dataclasses.astuple()")
    return nesting.check_tuple(dataclasses.astuple(obj, tuple_factory=tuple_factory))


def _asdict(obj, *, dict_factory=dict):
    _check_copy_size(obj, "dataclasses.asdict()")
    return dataclasses.asdict(obj, dict_factory=dict_factory)


def _copied_parts(value):
    """The values asdict/astuple copy value into (a dataclass's fields, a list's, tuple's or
    dict's items), or None for a value they deep-copy whole."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return _field_values(value)
    kind = type(value)
    if kind in (list, tuple) or kind in TUPLE_CLASSES:
        return value
    if isinstance(value, dict):
        return (*value.keys(), *value.values())
    return None


def _check_copy_size(obj, what):
    """Refuse asdict/astuple of a value whose copy would hold more than MAX_ITEMS values:
    Python copies a list shared by several others at each place (`l = [l, l]` sixty times is
    2**60 copies). A walk counts each part once, with the copies it makes (iterative: no
    recursion); a cycle, or nesting deeper than MAX_NESTING, is left to Python's own
    RecursionError."""
    sizes = {}  # id -> values its copy holds
    open_parts = set()
    stack = [(obj, None)]
    while stack:
        value, parts = stack.pop()
        key = id(value)
        if parts is None:
            if key in sizes:
                continue
            parts = _copied_parts(value)
            if not parts:
                sizes[key] = 1
                continue
            if key in open_parts or len(open_parts) > nesting.MAX_NESTING:
                return
            open_parts.add(key)
            stack.append((value, parts))
            stack.extend((part, None) for part in parts if id(part) not in sizes)
            continue
        open_parts.discard(key)
        sizes[key] = 1 + sum(sizes.get(id(part), 1) for part in parts)
        if sizes[key] > MAX_ITEMS:
            raise LimitError("%s would copy more than %d values (the value holds the same "
                             "lists, tuples or dicts over and over; gradsh's limit)"
                             % (what, MAX_ITEMS))


def dataclasses_namespace():
    """`@dataclass` (with its options), `field`, `fields`, `asdict`, `astuple`, `replace`,
    `is_dataclass`: Python's, on the program's own classes."""
    return Namespace("dataclasses", _Module(
        dataclass=_named(_dataclass, "dataclass", dataclasses.dataclass.__doc__),
        astuple=_named(_astuple, "astuple", dataclasses.astuple.__doc__),
        asdict=_named(_asdict, "asdict", dataclasses.asdict.__doc__),
        **{name: getattr(dataclasses, name) for name in (
            "field", "fields", "replace", "is_dataclass", "FrozenInstanceError",
            "InitVar", "KW_ONLY", "MISSING")}))


# ------------------------------------------------------------------ statistics
_STATISTICS = ("mean", "fmean", "geometric_mean", "harmonic_mean", "median", "median_low",
               "median_high", "median_grouped", "mode", "multimode", "pstdev", "pvariance",
               "stdev", "variance")


import statistics as _statistics


class NormalDist(_statistics.NormalDist):
    """statistics.NormalDist (branch adv12c), its samples and cut points within the item limit
    and from_samples reading its data within it."""

    __slots__ = ()

    @classmethod
    def from_samples(cls, data):
        return super().from_samples(collect(data, "NormalDist.from_samples()"))

    def samples(self, n, *, seed=None):
        return super().samples(_check_count(n, "NormalDist.samples()"), seed=seed)

    def quantiles(self, n=4):
        return super().quantiles(_check_count(n, "NormalDist.quantiles()"))


# (arithmetic on a NormalDist makes Python's class: its methods that make no lists)
_NORMAL_DIST = frozenset("mean median mode stdev variance cdf inv_cdf pdf overlap zscore".split())
PYTHON_ALLOWED[_statistics.NormalDist] = _NORMAL_DIST
PYTHON_ALLOWED[NormalDist] = _NORMAL_DIST | {"samples", "quantiles", "from_samples"}


def statistics_namespace():
    """statistics' functions of data (Python's, exact as Python's: they add fractions), each
    reading its data within the item limit first; quantiles' count of cut points within it too;
    StatisticsError, a ValueError, to catch."""
    import statistics

    def reading(name):
        real = getattr(statistics, name)

        def read_first(data, *args, **kwargs):
            return real(collect(data, "statistics.%s()" % name), *args, **kwargs)
        return _named(read_first, name, real.__doc__)

    def quantiles(data, *, n=4, method="exclusive"):
        n = _check_count(n, "statistics.quantiles()")
        return statistics.quantiles(collect(data, "statistics.quantiles()"), n=n, method=method)

    def pairs(name):
        real = getattr(statistics, name)

        def read_both(x, y, /, *args, **kwargs):
            what = "statistics.%s()" % name
            return real(collect(x, what), collect(y, what), *args, **kwargs)
        return _named(read_both, name, real.__doc__)

    members = {name: reading(name) for name in _STATISTICS}
    members.update((name, pairs(name)) for name in ("correlation", "covariance",
                                                    "linear_regression"))
    members["quantiles"] = _named(quantiles, "quantiles", statistics.quantiles.__doc__)
    members["StatisticsError"] = statistics.StatisticsError
    members["NormalDist"] = NormalDist
    return Namespace("statistics", _Module(**members))


# ------------------------------------------------------------------ string, operator
def string_namespace(runtime):
    """string's constants, capwords, Template (textmodules.py) and Formatter, whose format is
    the program's own `str.format` (the gate's checked fields, branch lang22)."""
    import string
    members = {name: getattr(string, name) for name in (
        "ascii_letters", "ascii_lowercase", "ascii_uppercase", "digits", "hexdigits",
        "octdigits", "punctuation", "printable", "whitespace")}

    def capwords(s, sep=None):
        check_text_size(s, "string.capwords()")
        return string.capwords(s, sep)

    members["capwords"] = _named(capwords, "capwords", string.capwords.__doc__)
    from .textmodules import Template  # (branch adv12c)
    members["Template"] = Template
    members["Formatter"] = _formatter_class(runtime.gate.load_once)
    return Namespace("string", _Module(**members))


string_namespace.needs_runtime = True


def _module_class(cls, module):
    """A class made inside a namespace's function, named as its module's own (`<class
    'operator.attrgetter'>`, `Formatter.vformat() takes 4 positional arguments`), never by
    gradsh's function that made it (`operator_namespace.<locals>.attrgetter`)."""
    cls.__module__, cls.__qualname__ = module, cls.__name__
    for name, member in vars(cls).items():
        if callable(member) and hasattr(member, "__qualname__"):
            member.__qualname__ = "%s.%s" % (cls.__name__, name)
    return cls


def _formatter_class(load):
    """string.Formatter for one session: `format` and `vformat` are `format_string.format(...)`
    as the program's text would call it (the gate decides each field, `{0.__class__}`
    included), `format_field` and `convert_field` are `format(value, spec)` and `!r`/`!s`/`!a`
    through the same method, `parse` is Python's parser of the text (strings only). Python's
    own Formatter reads fields with getattr, past the gate: it is never offered, nor may a
    program subclass this one (its `get_value`/`get_field` would be the program's hooks into
    nothing)."""
    import _string

    class Formatter:
        __slots__ = ()

        def format(self, format_string, /, *args, **kwargs):
            return self.vformat(format_string, args, kwargs)

        def vformat(self, format_string, args, kwargs):
            try:
                return load(format_string, "format")(*args, **kwargs)
            except IndexError as e:  # Formatter reads `args[0]`: the tuple's own error
                if str(e).startswith("Replacement index"):
                    raise IndexError("tuple index out of range") from None
                raise

        def parse(self, format_string):
            check_text_size(format_string, "Formatter.parse()")
            return _string.formatter_parser(format_string)

        def format_field(self, value, format_spec):
            return load("{0:{1}}", "format")(value, format_spec)

        def convert_field(self, value, conversion):
            if conversion is None:
                return value
            if conversion not in ("r", "s", "a"):
                raise ValueError("Unknown conversion specifier %s" % conversion)
            return load("{0!%s}" % conversion, "format")(value)

    _module_class(Formatter, "string")
    PYTHON_ALLOWED[Formatter] = frozenset(("format", "vformat", "parse", "format_field",
                                           "convert_field"))
    return Formatter


def unicodedata_namespace():
    """unicodedata's lookups of one character, and normalize (NLP from scratch strips accents
    with `normalize('NFD', s)` and `category(c) != 'Mn'`), whose result may grow to 18 times
    its input (NFKD): the input is checked so that it stays within the string limit."""
    import unicodedata
    members = {name: getattr(unicodedata, name) for name in (
        "category", "name", "lookup", "decimal", "digit", "numeric", "combining",
        "bidirectional", "east_asian_width", "mirrored", "decomposition", "unidata_version")}

    def normalize(form, unistr):
        if isinstance(unistr, str) and len(unistr) * 18 > MAX_STR:
            raise LimitError("unicodedata.normalize() of a string of %d characters could make "
                             "more than gradsh's limit of %d" % (len(unistr), MAX_STR))
        return unicodedata.normalize(form, unistr)

    def is_normalized(form, unistr):
        return unicodedata.is_normalized(form, unistr)

    members["normalize"] = _named(normalize, "normalize", unicodedata.normalize.__doc__)
    members["is_normalized"] = _named(is_normalized, "is_normalized",
                                      unicodedata.is_normalized.__doc__)
    return Namespace("unicodedata", _Module(**members))


def operator_namespace(runtime):
    """operator's functions as the program's own operators run them: `+`, `*`, `**`, `%`, `<<`,
    `|`, `&`, `^` through the checked helpers (limits.make_operators), comparisons and `in`
    within the comparison budget (comparing.py), attrgetter and methodcaller through the
    attribute gate, as `obj.name` in the program's text."""
    import operator
    from .builtinfns import builtin
    from .containermethods import slice_target
    from .limits import make_operators
    ops = make_operators(runtime.provider.tensor_type)
    compare = comparing.COMPARISONS
    load = runtime.gate.load_once

    class attrgetter:
        """Python's operator.attrgetter, each name read through the attribute gate."""

        def __init__(self, *attrs):
            if not attrs:
                raise TypeError("attrgetter expected 1 argument, got 0")
            for name in attrs:
                if not isinstance(name, str):
                    raise TypeError("attribute name must be a string")
            self._shown = attrs
            self._paths = [name.split(".") for name in self._shown]

        def __call__(self, *args, **kwargs):
            if kwargs or len(args) != 1:
                raise TypeError("attrgetter expected 1 argument, got %d"
                                % (len(args) + len(kwargs)))
            obj, values = args[0], []
            for parts in self._paths:
                value = obj
                for part in parts:
                    value = load(value, part)
                values.append(value)
            return values[0] if len(values) == 1 else tuple(values)

        def __repr__(self):
            return "operator.attrgetter(%s)" % ", ".join(map(repr, self._shown))

    class methodcaller:
        """Python's operator.methodcaller, the method read through the attribute gate."""

        def __init__(self, *args, **kwargs):
            if not args:
                raise TypeError("methodcaller needs at least one argument, the method name")
            name, args = args[0], args[1:]
            if not isinstance(name, str):
                raise TypeError("method name must be a string")
            self._name, self._args, self._kwargs = name, args, kwargs

        def __call__(self, *args, **kwargs):
            if kwargs or len(args) != 1:
                raise TypeError("methodcaller expected 1 argument, got %d"
                                % (len(args) + len(kwargs)))
            return load(args[0], self._name)(*self._args, **self._kwargs)

        def __repr__(self):
            shown = [repr(self._name)] + [repr(a) for a in self._args] + [
                "%s=%r" % item for item in self._kwargs.items()]
            return "operator.methodcaller(%s)" % ", ".join(shown)

    def countOf(a, b):
        return sum(1 for item in a if item is b or compare["=="](item, b))

    def indexOf(a, b):
        for i, item in enumerate(a):
            if item is b or compare["=="](item, b):
                return i
        raise ValueError("sequence.index(x): x not in sequence")

    def contains(a, b):
        return compare["in"](b, a)

    def setitem(a, b, c):
        slice_target(a)[b] = c  # `xs[i:j] = items` within the item limit, as in code

    def concat(a, b):
        if not hasattr(a, "__getitem__"):
            raise TypeError("'%s' object can't be concatenated" % type(a).__name__)
        return ops["add"](a, b)

    def call(obj, /, *args, **kwargs):
        return obj(*args, **kwargs)

    def iconcat(a, b):
        if not hasattr(a, "__getitem__"):
            raise TypeError("'%s' object can't be concatenated" % type(a).__name__)
        return ops["iadd"](a, b)

    members = {
        "add": ops["add"], "mul": ops["mul"], "pow": ops["pow"], "mod": ops["mod"],
        "lshift": ops["lshift"], "or_": ops["or"], "and_": ops["and"], "xor": ops["xor"],
        "iadd": ops["iadd"], "imul": ops["imul"], "concat": concat, "iconcat": iconcat,
        "ipow": ops["ipow"], "imod": ops["imod"], "ilshift": ops["ilshift"],
        "ior": ops["ior"], "iand": ops["iand"], "ixor": ops["ixor"],
        "eq": compare["=="], "ne": compare["!="], "lt": compare["<"], "le": compare["<="],
        "gt": compare[">"], "ge": compare[">="], "contains": contains,
        "attrgetter": _module_class(attrgetter, "operator"),
        "methodcaller": _module_class(methodcaller, "operator"), "setitem": setitem,
        "countOf": countOf, "indexOf": indexOf, "call": call,
    }
    # the rest are Python's own: they make no value past a limit and read no attribute
    for name in ("sub", "truediv", "floordiv", "matmul", "neg", "pos", "abs", "invert", "inv",
                 "rshift", "not_", "truth", "is_", "is_not", "index", "getitem", "delitem", "itemgetter",
                 "isub", "itruediv", "ifloordiv", "imatmul", "length_hint", "irshift"):
        members[name] = getattr(operator, name)
    for name, fn in list(members.items()):
        if type(fn) is types.FunctionType:  # shown as Python's: <built-in function add>
            fn.__doc__ = getattr(operator, name).__doc__
            members[name] = builtin(fn, name)
    return Namespace("operator", _Module(**members))


operator_namespace.needs_runtime = True


# ------------------------------------------------------------------ contextlib
def contextlib_namespace(runtime):
    """contextmanager (on the program's generator functions), nullcontext (Python's),
    suppress, ExitStack and closing (Python's, made to let gradsh's limits through: a context
    manager whose __exit__ says the exception was handled would swallow them as a bare
    `except:` would; closing's `close` is read through the attribute gate, as `obj.close` in
    code)."""
    import contextlib
    uncatchable = runtime.gate.is_uncatchable
    load = runtime.gate.load_once

    class suppress(contextlib.suppress):
        def __init__(self, *exceptions):
            for kind in exceptions:
                if not (isinstance(kind, type) and issubclass(kind, BaseException)):
                    raise TypeError("catching classes that do not inherit from BaseException "
                                    "is not allowed")
            super().__init__(*exceptions)

        def __exit__(self, kind, exc, tb):
            return False if exc is not None and uncatchable(exc) else super().__exit__(kind, exc,
                                                                                        tb)

    class ExitStack(contextlib.ExitStack):
        def __exit__(self, kind, exc, tb):
            handled = super().__exit__(kind, exc, tb)
            return False if exc is not None and uncatchable(exc) else handled

    class closing(contextlib.closing):
        def __exit__(self, *exc_info):
            load(self.thing, "close")()

    for cls in (suppress, ExitStack, closing):
        _module_class(cls, "contextlib")
    for cls, names in ((suppress, ()), (ExitStack, ("enter_context", "callback", "push",
                                                     "pop_all", "close")), (closing, ())):
        PYTHON_ALLOWED[cls] = frozenset(names)
    from .textio import redirections  # (branch adv12c)
    return Namespace("contextlib", _Module(
        contextmanager=_named(_contextmanager, "contextmanager",
                              contextlib.contextmanager.__doc__),
        nullcontext=contextlib.nullcontext,
        suppress=suppress, ExitStack=ExitStack, closing=closing,
        **dict(zip(("redirect_stdout", "redirect_stderr"), redirections(runtime)))))


contextlib_namespace.needs_runtime = True


# ------------------------------------------------------------------ abc
class ABC:
    """Helper class: a class that derives from it cannot be made while it has abstract methods
    (classes.build_class sets what Python's ABCMeta would: the class's `__abstractmethods__`,
    which object.__new__ checks). Not a program class: its attributes stay gradsh's."""

    __slots__ = ()
    __module__ = "abc"
    gradsh_abstract = True  # read by build_class


def abc_namespace(runtime):
    """`from abc import ABC, abstractmethod`: abstract methods, properties and classes, with
    Python's error for a class made while abstract; no ABCMeta (a metaclass) and no
    `register` (virtual subclasses). abstractmethod marks the program's own functions only
    (Python's sets an attribute on whatever it is given: torch's classes are shared)."""
    import abc
    is_program_function = runtime.gate.is_program_function

    def abstractmethod(funcobj):
        if not is_program_function(funcobj):
            raise TypeError("abstractmethod() applies to the program's own functions in gradsh, "
                            "not %r" % type(funcobj).__name__)
        return abc.abstractmethod(funcobj)

    return Namespace("abc", _Module(ABC=ABC, abstractmethod=_named(
        abstractmethod, "abstractmethod", abc.abstractmethod.__doc__)))


abc_namespace.needs_runtime = True


# ------------------------------------------------------------------ cmath
def cmath_namespace():
    """cmath's functions and constants: Python's (each works on one number)."""
    import cmath
    return Namespace("cmath", _Module(**{name: getattr(cmath, name) for name in dir(cmath)
                                         if not name.startswith("_")}))


# ------------------------------------------------------------------ keyword (branch adv13c)
def keyword_namespace():
    """keyword's lists and tests: Python's (data about its own grammar; fresh lists per
    session, which a program may change without touching another's)."""
    import keyword
    return Namespace("keyword", _Module(kwlist=list(keyword.kwlist),
                                        softkwlist=list(keyword.softkwlist),
                                        iskeyword=keyword.iskeyword,
                                        issoftkeyword=keyword.issoftkeyword))
