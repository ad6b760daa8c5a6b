"""How deep the iterators a program builds are nested (issue 16).

CPython recurses in C, without a depth check, through `zip`, `map`, `filter`, `enumerate` and
generator objects nested inside each other (`z = zip(z)` a million times, then `list(z)`), and
through tuples nested inside each other when they are hashed or used as an `isinstance` class
list: a deep enough chain overflows the C stack and the process dies with a signal. So every
such value is made in one place, which records its depth (1 + the deepest of the iterables it
reads) and refuses with a LimitError past MAX_NESTING:

- `zip`, `enumerate`, `map` and `filter` are gradsh's subclasses of Python's (same iteration
  in C, same repr), carrying their depth in a slot (`iter()` of one is itself); the tuples
  `zip` and `enumerate` yield pass `check_tuple` (below), as displays do;
- every generator expression passes through `tag_genexp` (the compiler wraps it), which reads
  the depth of the iterable it consumes and records the generator's in a weak table;
- tuples are checked where they are made: every tuple display of a program (the compiler
  passes `(a, b)` through `check_tuple`), `tuple()`, a function's `*args` and an exception's
  `args` record or compute the depth of the tuples they wrap, so no chain of tuples deeper than MAX_NESTING is ever
  hashed (as a dict key, a set member, by `hash()`) or given to `isinstance`.
"""

import builtins
import itertools
import operator
import weakref

from ...core.dtypes import READ_FREELY, read_lazily

from ...core import return_types
from .limits import TUPLE_CLASSES, LimitError, add_tuple_class, collect

MAX_NESTING = 1000  # iterators (or tuples) read through one another
MAX_TUPLE_PATHS = 10_000_000  # tuples a walk down one tuple meets, shared ones once per path

_GENERATORS = weakref.WeakKeyDictionary()
_GEN_TYPE = type(x for x in ())


# the iterators that skip items in C (filter's false ones, islice's first ones...)
_SKIPPING = ("filter", "filterfalse", "dropwhile", "islice", "compress", "groupby")


def _refuse(what, depth):
    raise LimitError("%s nested %d levels deep: above gradsh's nesting limit of %d (values "
                     "nested this deep crash Python's C code)" % (what, depth, MAX_NESTING))


def depth_of(obj):
    """The recorded depth of an iterator (0 for anything not recorded)."""
    kind = type(obj)
    if kind in _TAGGED:
        return obj._gradsh_depth
    if kind is _GEN_TYPE:
        return _GENERATORS.get(obj, 0)
    return 0


def _deepest(values):
    best = 0
    for v in values:
        kind = type(v)
        if kind in _TAGGED:
            d = v._gradsh_depth
        elif kind is _GEN_TYPE:
            d = _GENERATORS.get(v, 0)
        else:
            continue
        if d > best:
            best = d
    return best


def _python_words(base, cls, args, kwargs, error):
    """Python's message for calling `base` itself with these arguments, when the refusal of
    `base.__new__(cls, ...)` (a subclass: Python's parser words it otherwise, "enumerate()
    missing required argument 'iterable' (pos 1)") is about their number or names, not their
    values: the same with None in place of each (no program code runs on None)."""
    if not (len(error.args) == 1 and type(error.args[0]) is str):
        return None
    stand_ins, names = [None] * len(args), dict.fromkeys(kwargs)
    try:
        base.__new__(cls, *stand_ins, **names)
        return None
    except TypeError as again:
        if again.args != error.args:
            return None  # the values' fault
    try:
        base(*stand_ins, **names)
    except TypeError as refused:
        return refused.args[0] if len(refused.args) == 1 else None
    return None


def _tagged(base, name, makes_tuples=False, module="builtins"):
    shown = name if module == "builtins" else "%s.%s" % (module, name)
    skips = name in _SKIPPING  # reads its iterables through `bounded` (below)

    def make(cls, *args, **kwargs):
        depth = 1 + _deepest(args)
        if skips:
            args = [bounded(arg, "%s()" % shown) for arg in args]
            kwargs = {key: bounded(arg, "%s()" % shown) for key, arg in kwargs.items()}
        try:
            obj = base.__new__(cls, *args, **kwargs)
        except TypeError as error:
            words = _python_words(base, cls, args, kwargs, error)
            if words is None:
                raise
        else:
            words = None
        if words is not None:
            raise TypeError(words)
        if depth > MAX_NESTING:
            _refuse("%s()" % shown, depth)
        obj._gradsh_depth = depth
        return obj

    def rep(self):
        return "<%s object at %#x>" % (shown, id(self))

    namespace = {"__slots__": ("_gradsh_depth",), "__new__": make, "__repr__": rep,
                 "__module__": module, "__doc__": base.__doc__}
    if makes_tuples:  # its items are tuples around the program's values: checked as displays
        step = base.__next__

        def next_item(self):
            return check_tuple(step(self))
        namespace["__next__"] = next_item
    cls = type(name, (base,), namespace)
    cls.__qualname__ = name
    return cls


zip = _tagged(builtins.zip, "zip", makes_tuples=True)
enumerate = _tagged(builtins.enumerate, "enumerate", makes_tuples=True)
map = _tagged(builtins.map, "map")
filter = _tagged(builtins.filter, "filter")
# itertools' iterators read their iterables lazily too (`it = chain(it)` a million times);
# those that yield tuples around the program's values check them as displays (Python's
# `chain.from_iterable` is gradsh's chain_from_iterable below)
_TUPLE_MAKERS = ("groupby", "pairwise", "zip_longest", "product", "permutations", "combinations",
                 "combinations_with_replacement")
ITERTOOLS = {name: _tagged(getattr(itertools, name), name, name in _TUPLE_MAKERS, "itertools")
             for name in ("accumulate", "chain", "compress", "cycle", "dropwhile", "filterfalse",
                          "islice", "starmap", "takewhile") + _TUPLE_MAKERS}


_TAGGED = frozenset((zip, enumerate, map, filter, *ITERTOOLS.values()))

# Iterators whose items Python makes in C (range's, itertools' count/repeat/tee, iter(f, stop),
# the ones above) or in a generator: a reader in C (sum, any, all, `in`, functools.reduce,
# math.fsum...) or an iterator that skips items in C (filter, filterfalse, dropwhile, islice's
# start, compress, groupby) would read them without returning to Python, past Ctrl-C and the
# reading budget. Such a reader gets them through core.dtypes.read_lazily (`bounded`), which
# returns to Python every few thousand items. Containers, ranges asked `in` (an O(1) test)
# and iterables of at most READ_FREELY items known in advance are read as they are.
LAZY_ITERATORS = frozenset((*_TAGGED, _GEN_TYPE, type(iter(range(0))),
                            type(iter(range(1 << 64))), type(iter(int, 0)), itertools.count,
                            itertools.repeat, itertools.tee(())[0].__class__,
                            *(getattr(itertools, name) for name in ITERTOOLS)))
LAZY_ITERABLES = LAZY_ITERATORS | {range}


def bounded(iterable, what, lazy=LAZY_ITERABLES):
    """iterable, or its items through read_lazily when a reader in C could spend unbounded
    time in it (see LAZY_ITERATORS)."""
    kind = type(iterable)
    if kind not in lazy:
        if _PROGRAM_MARK not in kind.__dict__:
            return iterable
        # a program's object: its __iter__ or __getitem__ may never end, and a reader in C
        # would call it for ever (round 8: sum(L()), any(L()), functools.reduce(f, L()))
    elif 0 <= _hinted_length(iterable) <= READ_FREELY:
        return iterable
    return read_lazily(iterable, what)


_PROGRAM_MARK = "__gradsh_program_class__"  # classes.ProgramClasses.MARK (which imports us)


def reading(real, what, index=0):
    """real (any, all, functools.reduce, math.fsum: a function that reads an iterable argument
    in C), with its argument at index read through `bounded`."""
    def reader(*args, **kwargs):
        if len(args) > index:
            args = (*args[:index], bounded(args[index], what), *args[index + 1:])
        return real(*args, **kwargs)
    reader.__name__ = reader.__qualname__ = real.__name__
    reader.__doc__ = real.__doc__
    return reader


def bounded_args(args, what):
    """A builtin's arguments, the iterable of a call with one argument (min(it)) `bounded`."""
    return (bounded(args[0], what),) if len(args) == 1 else args


def _hinted_length(iterable):
    try:
        return operator.length_hint(iterable, -1)
    except (OverflowError, ValueError):  # a range longer than sys.maxsize
        return READ_FREELY + 1
REAL = {zip: builtins.zip, enumerate: builtins.enumerate, map: builtins.map,
        filter: builtins.filter}


def tag_genexp(gen):
    """Record a new generator expression's depth: one more than the iterable it reads."""
    frame = gen.gi_frame
    if frame is not None:
        inner = frame.f_locals.get(".0")
        if inner is not None:
            kind = type(inner)
            if kind in _TAGGED or kind is _GEN_TYPE:
                depth = 1 + depth_of(inner)
                if depth > MAX_NESTING:
                    gen.close()
                    _refuse("a generator expression", depth)
                _GENERATORS[gen] = depth
    return gen


def check_tuple_depth(value, what):
    """Refuse a tuple nested more than MAX_NESTING levels (walked iteratively: no recursion)."""
    if type(value) not in TUPLE_CLASSES:
        return
    stack = [(value, 1)]
    seen = 0
    while stack:
        t, d = stack.pop()
        if d > MAX_NESTING:
            _refuse(what, d)
        for item in t:
            if type(item) in TUPLE_CLASSES:
                stack.append((item, d + 1))
                seen += 1
                if seen > 10_000_000:
                    return


# Tuples cannot carry a depth, so it is computed: a walk down the tuple children, stopped past
# MAX_NESTING. A chain built in a loop wraps the tuple made just before, so the last tuples made
# that hold tuples are kept with their depths (by id, with a strong reference so that the id
# stays theirs: a few tuples live a little longer) and the walk is skipped for them.
_RECENT = {}
_map = builtins.map  # this module's `map` is the tagged one
_RECENT_SIZE = 16


def _tuple_depth(value):
    """(depth, paths) of a tuple holding tuples: depth is 1 + the deepest of its tuple
    children; paths counts the tuples a walk down it meets (hash, ==, repr visit a shared tuple
    once per path). Computed leaves first (iteratively: no recursion) and once per tuple, so a
    tuple shared at every level (`t = (t, t)` forty times) costs its size, not its 2**40 paths."""
    entry = _RECENT.get(id(value))
    if entry is not None and entry[0] is value:
        return entry[1], entry[2]
    found = {}
    stack = [(value, False)]
    while stack:
        t, children_done = stack.pop()
        entry = _RECENT.get(id(t))
        if entry is not None and entry[0] is t:  # a tuple walked or made a moment ago
            found[id(t)] = entry[1], entry[2]
        elif children_done:
            d, n = 0, 1
            for c in t:
                if type(c) in TUPLE_CLASSES:
                    cd, cn = found[id(c)]
                    d = cd if cd > d else d
                    n += cn
            if d + 1 > MAX_NESTING:
                _refuse("a tuple", d + 1)
            found[id(t)] = (d + 1, n)
        elif id(t) not in found:
            stack.append((t, True))
            stack.extend((c, False) for c in t if type(c) in TUPLE_CLASSES and id(c) not in found)
    depth, paths = found[id(value)]
    _remember(value, depth, paths)  # a chain built through slices wraps this one next
    return depth, paths


def _remember(value, depth, paths):
    if len(_RECENT) >= _RECENT_SIZE:
        _RECENT.clear()
    _RECENT[id(value)] = (value, depth, paths)


def check_tuple(items):
    """items (a tuple just made), after checking how deep it nests tuples and how many paths
    down to tuples it has (a tuple repeated at every level makes hashing it exponential)."""
    deepest = 0
    paths = 1
    for item in items:
        if type(item) in TUPLE_CLASSES:
            if not TUPLE_CLASSES.isdisjoint(_map(type, item)):
                d, n = _tuple_depth(item)
                if d > deepest:
                    deepest = d
                paths += n
            else:
                paths += 1
                if not deepest:
                    deepest = 1
    if deepest > 1:
        if deepest >= MAX_NESTING:
            _refuse("a tuple", deepest + 1)
        if paths > MAX_TUPLE_PATHS:
            raise LimitError("a tuple that holds the same tuples over and over: a walk through "
                             "it (hash, ==, print) would visit more than %d tuples (gradsh's "
                             "limit); build it from fewer repeated levels" % MAX_TUPLE_PATHS)
        _remember(items, deepest + 1, paths)
    return items


# torch.return_types' classes are tuples a program can build (`torch.return_types.max((r, r))`):
# known to the walks as named tuples are, and each one a program makes checked as displays are
for _cls in return_types.MADE:
    add_tuple_class(_cls)
return_types.ON_CLASS.append(add_tuple_class)
return_types.ON_MADE.append(check_tuple)


def chain_from_iterable(iterables):
    """`itertools.chain.from_iterable(iterables)`: the outer iterable read at once, within the
    item limit, so that the chain's nesting depth is counted from the iterables it holds (a
    lazy outer iterable could hide `it = chain.from_iterable([it])` repeated without bound)."""
    return ITERTOOLS["chain"](*collect(iterables, "itertools.chain.from_iterable()"))


chain_from_iterable.__name__ = chain_from_iterable.__qualname__ = "from_iterable"


# Exception groups: Python splits a group (`except*`, `split`, `subgroup`) by walking it in C,
# every nested group once per path to it, in time that grows faster than the number of
# exceptions reached (a binary tree of 65,536 took 5.6 s; a group holding itself twice at each
# of 40 levels, 2**40 paths, never ends). A group is checked before it is raised or split.
MAX_GROUP_PATHS = 10_000  # groups met walking down one group, once per path
MAX_GROUP_LEAVES = 1_000_000  # exceptions met the same way


def check_group(exc):
    """exc, after checking that an exception group is within the limits above (anything else
    passes as it is). Each distinct group is read once: counts through shared groups add up."""
    if not isinstance(exc, BaseExceptionGroup):
        return exc
    counts = {}  # id of a group -> (groups, exceptions) through every path below it
    stack = [(exc, False)]
    while stack:
        group, finished = stack.pop()
        if not finished:
            if id(group) not in counts:
                stack.append((group, True))
                stack.extend((inner, False) for inner in group.exceptions
                             if isinstance(inner, BaseExceptionGroup) and id(inner) not in counts)
            continue
        groups, leaves = 1, 0
        for inner in group.exceptions:
            if isinstance(inner, BaseExceptionGroup):
                g, n = counts[id(inner)]
                groups, leaves = groups + g, leaves + n
            else:
                leaves += 1
        if groups > MAX_GROUP_PATHS or leaves > MAX_GROUP_LEAVES:
            raise LimitError("an exception group holding %d groups and %d exceptions (each "
                             "counted once for every path to it): above gradsh's limits of %d "
                             "and %d" % (groups, leaves, MAX_GROUP_PATHS, MAX_GROUP_LEAVES))
        counts[id(group)] = (groups, leaves)
    return exc


def checked_split(group, name):
    """A group's `split` or `subgroup`, the group checked first (check_group)."""
    method = getattr(group, name)

    def split(condition, /):
        check_group(group)
        return method(condition)

    split.__name__ = split.__qualname__ = name
    split.__doc__ = method.__doc__
    return split
