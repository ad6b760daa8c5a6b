"""Builtin functions written in Python that show themselves as Python's own
(`<built-in function max>`), never as gradsh functions."""

import functools
import inspect


# A functools.partial of the function (no arguments bound): partial's call is C's and adds no
# frame and no recursion count, so `hash(self)` inside a program's __hash__ recurses as deep as
# with Python's own hash before gradsh's limit fires. The gate decides by exact type: none of
# partial's attributes (func, args) are offered on these, only `__name__`.
class builtin_function_or_method(functools.partial):  # noqa: N801 - the name Python gives print's type
    """A builtin function (no docstring of its own: each instance has its own __doc__)."""

    def __new__(cls, fn, name, doc, text=None):
        return super().__new__(cls, fn)

    def __init__(self, fn, name, doc, text=None):
        import types
        if type(fn) is types.FunctionType:
            # Python names the function in its argument errors by its qualified name:
            # `sorted() got an unexpected keyword argument`, not gradsh's `_sorted()` or
            # `make_print.<locals>.print_()`
            fn.__qualname__ = name
        self.__name__ = self.__qualname__ = name
        self.__module__ = "builtins"  # `print() argument after * must be an iterable` names it so
        self.__doc__ = doc
        self._repr = text or "<built-in function %s>" % name

    @property
    def __signature__(self):  # (computed when asked: a tensor's method is made at each read)
        import inspect
        return inspect.signature(self.func)

    def __repr__(self):
        text = self._repr
        return text if type(text) is str else text()  # (a method's: builtin_method)

    def __reduce__(self):
        raise TypeError("cannot pickle 'builtin_function_or_method' object")

    def __copy__(self):  # copy.copy and copy.deepcopy keep Python's builtins as they are
        return self

    def __deepcopy__(self, memo):
        return self


def builtin(fn, name=None, text=None):
    """`fn` as a program sees a Python builtin function: `<built-in function max>`, and
    `type(max)` is `builtin_function_or_method`."""
    return builtin_function_or_method(fn, name or fn.__name__, fn.__doc__, text)


@functools.lru_cache(maxsize=None)
def torch_builtin(fn, shown):
    """gradsh's Python function `fn` shown as PyTorch's C++ builtin it stands for (`shown`,
    recorded: torch_builtins.py), e.g. `<built-in method relu of type object at 0x...>`: the
    address is one object's for all, as PyTorch's is its one functions class's. One wrapper
    per function, whichever path reaches it (torch.utils.data.dataset.randperm is
    torch.randperm)."""
    if shown.startswith("<built-in method"):
        shown += " at 0x%x>" % id(builtin_function_or_method)
    face = FACES[fn] = builtin(fn, fn.__name__, shown)
    return face


# gradsh's function -> the builtin a program holds for it (torch_builtin): what a program's
# __torch_function__ is given as `func` (classes.py), so `HANDLED[torch.mean]` finds it
FACES = {}


_C_METHOD = type(list.count)  # method_descriptor: a method written in C


def builtin_method(method, name, obj):
    """`method` (gradsh's stand-in for Python's C method `name` of obj, obj bound) as a program
    sees Python's: `<built-in method count of list object at 0x...>`, of type
    builtin_function_or_method (its text made when shown: methods are made at each read)."""
    cls = type(obj)
    owner = cls.__name__ if cls.__module__ == "builtins" else cls.__module__ + "." + cls.__name__
    face = builtin(method, name, lambda: "<built-in method %s of %s object at %#x>"
                   % (name, owner, id(obj)))
    face.__qualname__ = "%s.%s" % (cls.__qualname__, name)  # (Python's `f(*1)` error names it)
    return face


def bound_wrapper(fn, real=None):
    """A wrapped method of Python's values: `bind(obj, name)` gives the method `fn(obj, ...)`
    named and documented as Python's `real` (by default the method `name` of obj's type), with
    Python's own words when fn refuses the arguments themselves, shown as a built-in method
    when Python's is written in C."""
    def bind(obj, name):
        own = real if real is not None else getattr(type(obj), name)

        def method(*args, **kwargs):
            try:
                return fn(obj, *args, **kwargs)
            except TypeError:  # (Python's words when fn refused the arguments themselves)
                refused = python_refusal(fn, own, (obj, *args), kwargs, method=True)
                if refused is None:
                    raise
            raise refused
        method.__name__, method.__qualname__ = name, own.__qualname__
        method.__doc__ = own.__doc__
        if type(own) is _C_METHOD:  # (adv13c) shown as Python's: <built-in method count ...>
            return builtin_method(method, name, obj)
        return method
    return bind


def python_refusal(fn, real, args, kwargs, method=False):
    """Python's own TypeError for calling its C function `real` with these arguments, when
    gradsh's stand-in `fn` (whose signature mirrors real's) refused to bind them; else None.

    Python words a C function's argument errors otherwise than a def's ("isinstance expected 2
    arguments, got 1", "list.count() takes exactly one argument (0 given)", "'foo' is an invalid
    keyword argument for split()"), so real is asked: with None for every argument (its parser
    refuses their number and names before it reads a value) and, for a method, a new empty
    instance of real's own class, so nothing of the program's runs or changes."""
    try:
        inspect.signature(fn).bind(*args, **kwargs)
        return None  # the TypeError came from inside fn: it stands
    except (TypeError, ValueError):
        pass
    stand_ins = [None] * len(args)
    if method:  # args[0] is the instance
        owner = getattr(real, "__objclass__", None)
        if owner is None or owner.__module__ not in ("builtins", "collections"):
            return None
        stand_ins[0] = owner()
    try:
        real(*stand_ins, **dict.fromkeys(kwargs))
    except TypeError as refused:
        if type(refused) is TypeError and len(refused.args) == 1 and \
                type(refused.args[0]) is str:
            return TypeError(refused.args[0])
    return None


def with_python_refusals(fn, real, method=False):
    """fn, whose argument errors are real's as Python words them (python_refusal); method: fn
    takes the instance first, as real (a method descriptor: str.encode) does."""
    def call(*args, **kwargs):
        try:
            return fn(*args, **kwargs)
        except TypeError:
            refused = python_refusal(fn, real, args, kwargs, method)
            if refused is None:
                raise
        raise refused
    call.__name__ = call.__qualname__ = getattr(real, "__name__", fn.__name__)
    call.__doc__ = fn.__doc__
    call.__wrapped__ = fn
    return call


def one_argument(name, args, kwargs):
    """The one argument of hash(), repr() or ascii(), refused in Python's words otherwise."""
    if kwargs:
        raise TypeError("%s() takes no keyword arguments" % name)
    if len(args) != 1:
        raise TypeError("%s() takes exactly one argument (%d given)" % (name, len(args)))
    return args[0]
