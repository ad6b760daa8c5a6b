"""Python's class machinery a program's classes may use: `__slots__`, the descriptor protocol
(`__get__`, `__set__`, `__delete__`, `__set_name__`) and `__init_subclass__`, each kept to the
program's own classes and instances.

Python calls `__set_name__` and `__init_subclass__` while it makes *any* class (type.__new__),
also the classes gradsh makes from a program's (nn.utils.parametrize's `Parametrized<Class>`):
a program's hook there would be handed a class that is not the program's. So neither is left
where Python finds it:
- a program class's `__set_name__` is kept under a name no program can write, and build_class
  (classes.py) calls it for the values of each new class of the program, in Python's order;
- its `__init_subclass__` becomes a guard: for a class a `class` statement of the program is
  making (build_class passes a token no program can hold) it hands the call back to
  build_class, which runs the program's hook once the class is the program's; for any other
  class it passes on to the class above, as if the program's hook were not there.

`__get__`, `__set__` and `__delete__` stay where Python finds them (that is the protocol), and
run only with the program's own instances and classes (`classmethod(descriptor)` would hand
`__get__` Python's `type`, a call by name any object).
"""

import itertools
import types

from .limits import LimitError

__all__ = ["SET_NAME", "MAX_SLOTS", "checked_slots", "ClassHooks"]

# what binds to an instance without running a program's code
_PLAIN_METHODS = (types.FunctionType, staticmethod, classmethod)
# where a program class's own `__set_name__` is kept (names starting with '__' are not a
# program's to write or read)
SET_NAME = "__gradsh_set_name__"
# the keyword build_class adds to a class statement's keywords when a guard will receive them
_TOKEN = ".gradsh_class_statement"
# slots of one class and of all its classes: each instance holds one pointer per slot
MAX_SLOTS = 1000
# the slot names Python gives a meaning (a dict or weak references for slotted instances)
_SPECIAL_SLOTS = frozenset(("__dict__", "__weakref__"))


def checked_slots(names):
    """`.slots`: a class body's `__slots__ = names`, read within gradsh's limit as Python reads
    it (a string is one name; a dict's keys are the names, its values their docs)."""
    if isinstance(names, str):
        shown = names
        names = (names,)
    else:
        shown = None
    if isinstance(names, dict):
        items = list(itertools.islice(names, MAX_SLOTS + 1))
    else:
        try:
            items = list(itertools.islice(iter(names), MAX_SLOTS + 1))
        except TypeError:
            raise TypeError("'%s' object is not iterable" % type(names).__name__) from None
    if len(items) > MAX_SLOTS:
        raise LimitError("__slots__ with more than %d names: above gradsh's limit of %d slots "
                         "a class" % (MAX_SLOTS, MAX_SLOTS))
    for name in items:
        if type(name) is not str:
            raise TypeError("__slots__ items must be strings, not '%s'" % type(name).__name__)
        if name.startswith("__") and name not in _SPECIAL_SLOTS:
            # Python would store `__x` as `_Class__x`, a name a program cannot write
            raise TypeError("__slots__ name '%s': names starting with '__' are reserved in "
                            "gradsh" % name)
    if shown is not None:
        return shown
    if isinstance(names, dict):  # the docs of the names read above (a dict subclass's own
        # keys() could name others)
        docs = {name: names[name] for name in items}
        if all(isinstance(v, (str, type(None))) for v in docs.values()):
            return docs
    return tuple(items)


class ClassHooks:
    """One session's class-statement hooks (see the module's docstring)."""

    def __init__(self, gate):
        self.gate = gate
        self.classes = gate.program_classes
        self._building = []  # one list per class statement being made (nested ones inside)
        self._initializing = set()  # classes whose program hooks are running

    # ------------------------------------------------------------ a class statement
    def keywords(self, bases, kwargs):
        """The keywords to make a class with: the token when a guard is above it."""
        for base in bases:
            for cls in getattr(base, "__mro__", ()):
                hook = cls.__dict__.get("__init_subclass__")
                if hook is not None and getattr(getattr(hook, "__func__", None),
                                                "gradsh_guard", False):
                    return dict(kwargs, **{_TOKEN: self})
        return kwargs

    def make(self, build):
        """Run `build()` (Python's class making, with keywords()'s keywords) and return the class
        with the arguments of its deferred `__init_subclass__`, if a guard deferred it."""
        deferred = []
        self._building.append(deferred)
        try:
            cls = build()
        finally:
            self._building.pop()
        return cls, (deferred[0] if deferred else None)

    def finish(self, cls, deferred):
        """Once `cls` is the program's: keep its own hooks from Python, check its slots and
        descriptors, then call `__set_name__` of its values and the `__init_subclass__` above
        it (Python's order)."""
        own = cls.__dict__
        if "__set_name__" in own:
            type.__setattr__(cls, SET_NAME, own["__set_name__"])
            type.__delattr__(cls, "__set_name__")
        if "__init_subclass__" in own:
            type.__setattr__(cls, "__init_subclass__", self._guard(cls, own["__init_subclass__"]))
        for name in ("__get__", "__set__", "__delete__"):
            if name in own:
                type.__setattr__(cls, name, self._descriptor_method(name, own[name]))
        self._check_slots(cls)
        self._check_descriptors(cls)
        for name, value in list(own.items()):
            if type(value) in self.classes and hasattr(type(value), SET_NAME):
                self._set_name(cls, name, value)
        if deferred is not None:
            owner, kwargs = deferred
            self.run_init_subclass(owner, cls, kwargs)

    def _set_name(self, cls, name, value):
        try:
            getattr(value, SET_NAME)(cls, name)
        except BaseException as e:
            if self.gate.is_uncatchable(e):
                raise
            # Python 3.11's words
            raise RuntimeError("Error calling __set_name__ on '%s' instance '%s' in '%s'"
                               % (type(value).__name__, name, cls.__name__)) from e

    def run_init_subclass(self, owner, cls, kwargs):
        """The program's `__init_subclass__` of `owner` (a class above `cls`) with `cls`."""
        hook = owner.__dict__["__init_subclass__"].__func__.gradsh_hook
        self._initializing.add(cls)
        try:
            return hook(cls, **kwargs)
        finally:
            self._initializing.discard(cls)

    def _check_slots(self, cls):
        slots = cls.__dict__.get("__slots__")
        if slots is None:
            return
        for name in (slots,) if isinstance(slots, str) else slots:
            if name.startswith("_") and name not in _SPECIAL_SLOTS \
                    and self._torch_keeps(cls, name):
                raise TypeError("class %s: __slots__ name '%s' is a name of its torch base "
                                "class's own in gradsh" % (cls.__name__, name))
        total = sum(len(c.__dict__.get("__slots__", ())) for c in cls.__mro__
                    if c in self.classes or c is cls)
        if total > MAX_SLOTS:
            raise LimitError("class %s would have %d slots with its base classes: above "
                             "gradsh's limit of %d" % (cls.__name__, total, MAX_SLOTS))

    def _check_descriptors(self, cls):
        """A property or descriptor may not stand under a name a torch base class keeps its own
        state in (nn.Module's `_parameters`...): gradsh's code reads and writes those names on
        the program's instances, and would run the program's code with its own values."""
        for name, value in cls.__dict__.items():
            if type(name) is str and name.startswith("_") and not name.startswith("__") \
                    and not isinstance(value, _PLAIN_METHODS) \
                    and hasattr(type(value), "__get__") and self._torch_keeps(cls, name):
                raise TypeError("class %s: '%s' is a name its torch base class keeps its own "
                                "state under: a property or descriptor may not stand there in "
                                "gradsh" % (cls.__name__, name))

    def _torch_keeps(self, cls, name):
        """Does a torch base class of `cls` keep its own state under `name`: a name in its
        class dict (a method, a slot such as a tensor's `_data`) or one it declares its code
        sets on instances (nn.Module's `_gradsh_private_names`: `_parameters`...)?"""
        for base in cls.__mro__[1:]:
            if base in self.classes or not self.gate.provider.owns_type(base):
                continue
            if name in base.__dict__ or name in base.__dict__.get("_gradsh_private_names", ()):
                return True
        return False

    # ------------------------------------------------------------ guards
    def _guard(self, owner, hook):
        """`owner.__init_subclass__` as Python finds it (see the module's docstring)."""
        hooks = self
        program_hook = _bound_hook(hook)

        def __init_subclass__(cls, **kwargs):
            if kwargs.pop(_TOKEN, None) is hooks and hooks._building \
                    and not hooks._building[-1]:
                hooks._building[-1].append((owner, kwargs))  # build_class runs it
                return None
            if cls in hooks._initializing or cls in hooks.classes:
                return program_hook(cls, **kwargs)
            return super(owner, cls).__init_subclass__(**kwargs)

        __init_subclass__.gradsh_guard = True
        __init_subclass__.gradsh_hook = program_hook
        __init_subclass__.__qualname__ = "%s.__init_subclass__" % owner.__qualname__
        return classmethod(__init_subclass__)

    def _descriptor_method(self, name, method):
        """A program descriptor's `__get__` / `__set__` / `__delete__`, for the program's own
        instances (and, for `__get__`, classes) only."""
        classes = self.classes

        def check(obj=None, owner=None):
            if obj is not None and type(obj) not in classes or \
                    owner is not None and owner not in classes:
                shown = obj if obj is not None else owner
                raise TypeError("%s of a program's descriptor runs for the program's own "
                                "classes and instances in gradsh, not for a '%s' object"
                                % (name, type(shown).__name__))

        def checked(self, *args):
            check(*args[:1 if name != "__get__" else 2])
            return method(self, *args)

        checked.__name__ = name
        checked.__qualname__ = getattr(method, "__qualname__", name)
        checked.__wrapped__ = method
        return checked


def _bound_hook(hook):
    """Call `hook` (what a class body's `__init_subclass__` became) as Python would."""
    if isinstance(hook, classmethod):
        return hook.__func__
    if isinstance(hook, staticmethod):
        return lambda cls, **kwargs: hook.__func__(**kwargs)
    return lambda cls, **kwargs: hook(**kwargs)
