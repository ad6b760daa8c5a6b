"""Builtin functions written in Python that show themselves as Python's own
(`<built-in function max>`), never as gradsh functions."""


# A builtin written in Python that shows itself as Python's own (`<built-in function print>`),
# never as a gradsh function. (No docstring: each instance has its own __doc__.)
class builtin_function_or_method:  # noqa: N801 - the name Python gives print's type

    __slots__ = ("_fn", "__name__", "__qualname__", "__doc__", "_repr", "__signature__")

    def __init__(self, fn, name, doc, text=None):
        import inspect
        self._fn = fn
        self.__name__ = self.__qualname__ = name
        self.__doc__ = doc
        self.__signature__ = inspect.signature(fn)
        self._repr = text or "<built-in function %s>" % name

    def __call__(self, *args, **kwargs):
        return self._fn(*args, **kwargs)

    def __repr__(self):
        return self._repr


_DOC_SLOT = builtin_function_or_method.__dict__["__doc__"]  # (type() would shadow it with None)


def builtin(fn, name=None, text=None):
    """`fn` as a program sees a Python builtin function: `<built-in function max>`, and
    `type(max)` is `builtin_function_or_method`. Each gets a subclass whose `__call__` is `fn`
    itself, so a call costs no extra Python frame (sorted, max, isinstance run in loops)."""
    name = name or fn.__name__
    cls = type("builtin_function_or_method", (builtin_function_or_method,),
               {"__slots__": (), "__call__": staticmethod(fn), "__module__": __name__,
                "__doc__": _DOC_SLOT})
    return cls(fn, name, fn.__doc__, text)


def torch_builtin(fn, shown):
    """gradsh's Python function `fn` shown as PyTorch's C++ builtin it stands for (`shown`,
    recorded: torch_builtins.py), e.g. `<built-in method relu of type object at 0x...>`: the
    address is one object's for all, as PyTorch's is its one functions class's."""
    if shown.startswith("<built-in method"):
        shown += " at 0x%x>" % id(builtin_function_or_method)
    return builtin(fn, fn.__name__, shown)
