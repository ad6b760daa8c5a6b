"""Classes and exceptions in programs: `class` statements, `type()`, `dir()`, the exception
classes a program names, and the limits no `except` can swallow.

A program's `class` statement makes a real Python class (its methods are the compiled program
functions), through `build_class` below, which Python calls for every class statement: it
accepts as bases only the program's own classes, the exception classes a program may name, and
the provider's public classes (`torch.nn.Module`, `torch.autograd.Function`...), and records
the class as a program class, so the attribute gate (sandbox.py) applies the program's rules to
it and its instances. No metaclass, no `__new__`, `__getattribute__` or `__setattr__` (the
compiler allows only the special methods in compiler.ALLOWED_DUNDERS).

`type(x)` gives a program class itself, and for every other value a `TypeView`: it prints as
Python and PyTorch print the class (`<class 'torch.Tensor'>`, `<class 'int'>`), compares equal
to the class (`type(x) == torch.Tensor`), and calls through to the constructor a program may
already call (`type(x)(...)`), but it is not the class: Python's class machinery stays out of
reach.
"""

import builtins
import re
import sys
import types
import typing

from ...core.dtypes import STAND_INS, TooManyItems
from ...core.torchclass import TorchClass
from ...core.nn.module import ModuleClass
from ..syntax.compiler import ALLOWED_DUNDERS
from .limits import LimitError, add_tuple_class, collect
from .bytesmethods import checked_bytearray, checked_bytes
from . import nesting
from .builtinfns import FACES, builtin, builtin_function_or_method, with_python_refusals
from .classhooks import ClassHooks

__all__ = ["ProgramClasses", "TypeView", "EXCEPTIONS", "UNCATCHABLE", "make_class_builtins",
           "is_uncatchable", "ProgramKeyboardInterrupt", "ProgramRecursionError"]

# The exception classes a program may name, raise, catch and subclass.
# classes above a program's class (the lengths of its bases' MROs added up)
MAX_CLASS_DEPTH = 1000

EXCEPTIONS = ("BaseException", "Exception", "ArithmeticError", "AssertionError",
              "AttributeError", "FloatingPointError", "ImportError", "IndexError", "KeyError",
              "LookupError", "ModuleNotFoundError", "NameError", "NotImplementedError",
              "OverflowError", "RecursionError", "RuntimeError", "StopIteration",
              "TypeError", "UnboundLocalError", "ValueError", "ZeroDivisionError",
              "MemoryError", "Warning", "UserWarning", "DeprecationWarning", "RuntimeWarning",
              "FutureWarning", "PendingDeprecationWarning", "OSError", "FileNotFoundError",
              "ExceptionGroup", "BaseExceptionGroup", "GeneratorExit", "UnicodeError",
              "UnicodeDecodeError", "UnicodeEncodeError", "EOFError")

# What no `except` clause of a program catches (gradsh's limits, Ctrl-C): `.guard()` re-raises
# them at the top of every except block. Another limit registers its class here (one line).
UNCATCHABLE = [KeyboardInterrupt, SystemExit, LimitError, TooManyItems, RecursionError,
               MemoryError]


class ProgramKeyboardInterrupt(KeyboardInterrupt):
    """The class a program's name `KeyboardInterrupt` stands for: a subclass of Python's, shown
    as Python's (`KeyboardInterrupt()`, `<class 'KeyboardInterrupt'>`). What a program raises
    (`raise KeyboardInterrupt`) it may catch; a real Ctrl-C is Python's own KeyboardInterrupt,
    which is no instance of this class, so `except KeyboardInterrupt` in a program never
    matches it and `except BaseException` re-raises it (`.guard()`): no program makes the
    REPL unkillable (docs/security.md)."""

    __module__ = "builtins"


ProgramKeyboardInterrupt.__name__ = ProgramKeyboardInterrupt.__qualname__ = "KeyboardInterrupt"


class ProgramRecursionError(RecursionError):
    """gradsh's depth limit met by a program call (runtime.enter): Python's RecursionError with
    Python's text, raised before the call runs, so the program may catch it as Python's
    (docs/language.md, "Limits"); Python's own RecursionError, met inside gradsh's or Python's
    code, stays uncatchable. `limit` is the session's depth limit, which the located error
    names when the program does not catch it."""

    __module__ = "builtins"
    gradsh_kind = "RecursionError"

    def __init__(self, limit):
        super().__init__("maximum recursion depth exceeded")
        self.gradsh_limit = limit


ProgramRecursionError.__name__ = ProgramRecursionError.__qualname__ = "RecursionError"


def is_uncatchable(exc):
    """Is `exc` one of gradsh's limits (or Ctrl-C), which no program may catch? A
    KeyboardInterrupt the program raised itself is the program's to catch."""
    return isinstance(exc, tuple(UNCATCHABLE)) and not isinstance(
        exc, (ProgramKeyboardInterrupt, ProgramRecursionError)) \
        or getattr(exc, "gradsh_uncatchable", False)


class ProgramClasses:
    """The classes made by programs. A class is marked in its own namespace under a name no
    program can write (the compiler refuses names starting with '__' in a class body, the gate
    every attribute store starting with '_'): a class dropped by the program is simply freed,
    and the test costs one dict lookup."""

    MARK = "__gradsh_program_class__"

    def add(self, cls):
        type.__setattr__(cls, self.MARK, cls)

    # a class gradsh makes from a program's class counts as the program's (nn.utils.parametrize
    # swaps a module's class for `Parametrized<Class>`, a subclass it names under this key)
    DERIVED = "__gradsh_derived_from__"

    def __contains__(self, cls):
        try:
            own = cls.__dict__
        except AttributeError:  # not a class
            return False
        while own.get(self.MARK) is not cls:
            cls = own.get(self.DERIVED)
            if cls is None:
                return False
            own = cls.__dict__
        return True


def _given_faces(cls):
    """A program class's `__torch_function__` (a classmethod) given `func` as the program
    holds it: the builtin standing for gradsh's function (builtinfns.FACES), so that
    `HANDLED[torch.mean]` finds `func`. Calling func is calling the public function."""
    handler = cls.__dict__["__torch_function__"].__func__

    def __torch_function__(cls, func, types, args=(), kwargs=None):
        return handler(cls, FACES.get(func, func), types, args, kwargs)
    return classmethod(__torch_function__)


class TypeView:
    """What `type(x)` gives for a value that is not an instance of a program class."""

    __slots__ = ("cls", "text", "constructor")

    def __init__(self, cls, text, constructor):
        self.cls, self.text, self.constructor = cls, text, constructor

    def __repr__(self):
        return "<class '%s'>" % self.text

    def __eq__(self, other):
        if isinstance(other, TypeView):
            other = other.cls
        return self.cls is other or other in _WRAPPED_OF.get(self.cls, ())

    def __ne__(self, other):
        return not self == other

    def __hash__(self):
        return hash(self.cls)

    def __call__(self, *args, **kwargs):
        if self.constructor is None:
            raise TypeError("cannot create '%s' instances in gradsh" % self.text)
        return self.constructor(*args, **kwargs)


    def __getitem__(self, args):
        if self.constructor is None or not hasattr(self.cls, "__class_getitem__"):
            raise TypeError("type '%s' is not subscriptable" % self.text)
        return GenericAliasView(self, args if isinstance(args, tuple) else (args,))


# messages name a view's type as Python names a class's: `type` ("must be torch.dtype, not type")
TypeView.__name__ = "type"


def view_new(view, name):
    """`bool.__new__(cls, *args)` on the view of a Python value type (branch lang22): Python's
    checks of `cls` and their 3.11 texts, then the view's own constructor (within its limits)
    when `cls` is the type itself. Never Python's `__new__`, which would make instances of
    any class, gradsh's included. None for every other class (the gate refuses)."""
    if type(view) is not TypeView:  # bool, float, complex: the program holds Python's class
        if view not in _PLAIN_NEW:
            return None
        view = TypeView(view, view.__name__, view)
    if view.cls not in _VALUE_NEW or view.constructor is None:
        return None
    text = view.text

    def __new__(*args, **kwargs):
        if not args:
            raise TypeError("%s.__new__(): not enough arguments" % text)
        cls, rest = args[0], args[1:]
        if type(cls) is not TypeView and not isinstance(cls, type):
            raise TypeError("%s.__new__(X): X is not a type object (%s)"
                            % (text, _type_text(cls)))
        real = cls.cls if type(cls) is TypeView else cls
        if real is view.cls:
            return view(*rest, **kwargs)
        if not issubclass(real, view.cls):
            raise TypeError("%s.__new__(%s): %s is not a subtype of %s"
                            % (text, real.__name__, real.__name__, text))
        if type(cls) is TypeView or cls in _PLAIN_NEW:  # a Python subtype (int.__new__(bool))
            raise TypeError("%s.__new__(%s) is not safe, use %s.__new__()"
                            % (text, real.__name__, real.__name__))
        raise TypeError("%s.__new__(%s): making an instance of a program class through its "
                        "base's __new__ is not supported in gradsh (call %s(...))"
                        % (text, real.__name__, real.__name__))
    return __new__


# the Python classes a program holds as they are, whose call is the program's own (pybuiltins)
_PLAIN_NEW = (bool, float, complex)
# the value types whose `__new__(cls, x)` is their call (`list.__new__(list)` is an empty list
# whatever follows, `type.__new__` makes classes: refused)
_VALUE_NEW = frozenset((bool, int, float, complex, str, bytes, tuple, frozenset))


class GenericAliasView:
    """`list[int]`, `tuple[int, ...]`, `dict[str, torch.Tensor]` in a program (a type alias):
    printed and compared as Python's types.GenericAlias, and called as the program's
    constructor (`list[int](xs)` reads xs within the item limit, as `list(xs)` does)."""

    __slots__ = ("view", "args")
    gradsh_named = True  # `list[int].__name__` is 'list' (sandbox._name_of)

    def __init__(self, view, args):
        self.view, self.args = view, args

    @property
    def __name__(self):
        return self.view.cls.__name__

    def __repr__(self):
        shown = [_alias_argument_text(a) for a in self.args]
        return "%s[%s]" % (self.view.text, ", ".join(shown) if shown else "()")

    def __eq__(self, other):
        if not isinstance(other, GenericAliasView):
            return NotImplemented
        return self.view == other.view and self.args == other.args

    def __hash__(self):
        return hash((self.view, self.args))

    def __call__(self, *args, **kwargs):
        return self.view(*args, **kwargs)

    def __getitem__(self, args):
        raise TypeError("%r is not a generic class" % self)


GenericAliasView.__name__ = "GenericAlias"


def _alias_argument_text(arg):
    """An argument as Python's GenericAlias prints it: a class by its qualified name
    (`int`, `torch.Tensor`, `__main__.Box`), `...`, anything else by its repr."""
    if arg is Ellipsis:
        return "..."
    text = repr(arg)
    if isinstance(arg, (type, TypeView)) and text.startswith("<class '") and text.endswith("'>"):
        return text[len("<class '"):-2]
    return text


def same_object(a, b):
    """`a is b` in a program: a TypeView (what `type(x)` gives for a torch or Python class) is
    the class it shows (`type(3) is int`, `type(m) is nn.Linear`)."""
    if a is b:
        return True
    if type(a) is TypeView:
        return a == b
    if type(b) is TypeView:
        return b == a
    return False


_WRAPPED_OF = {}  # Python's type -> the program's builtins that stand for it (list -> _list)


def stand_in(real, wrapper):
    """`wrapper` (a program builtin) stands for the Python type `real`."""
    wrappers = _WRAPPED_OF.get(real, ())
    if wrapper not in wrappers:
        _WRAPPED_OF[real] = wrappers + (wrapper,)


def _real_of(value):
    """The Python type a program builtin stands for (the `str` a program names is a function)."""
    for real, wrappers in _WRAPPED_OF.items():
        if value in wrappers:
            return real
    return value


def _torch_class_name(cls, provider, torch_names):
    """PyTorch's printed name of a provider class: `torch.Tensor`, `torch.nn.parameter.Parameter`,
    an autograd node's bare name (`ExpBackward0`)."""
    if provider.is_node_type(cls):
        return cls.__name__
    name = getattr(cls, "torch_name", None)
    if isinstance(name, str):
        return name
    if torch_names.get(cls.__name__) is cls:
        return "torch." + cls.__name__
    module = cls.__module__.replace(provider.root, "torch", 1).replace(".core", "")
    if module.startswith("torch.nn.") and module.rpartition(".")[2] in _NN_MODULES_FILES:
        module = "torch.nn.modules." + module[len("torch.nn."):]   # PyTorch's layers' home
    return "%s.%s" % (module, cls.__qualname__)


# the files of torch.nn.modules that gradsh's layers sit in under the same names
_NN_MODULES_FILES = frozenset("""activation container conv dropout flatten linear loss module
    normalization sparse""".split())


# PyTorch's names for classes that are not at torch's top level
TORCH_CLASS_NAMES = {"Parameter": "torch.nn.parameter.Parameter",
                     "Generator": "torch._C.Generator",
                     "_TensorClass": "torch._C._TensorMeta",
                     "FunctionCtx": "torch.autograd.function.FunctionCtx",
                     "Function": "torch.autograd.function.Function"}


# the body of `class _: locals().update(namespace)`: type(name, bases, namespace) makes its
# class as a class statement does (build_class's checks, __init_subclass__, the gate's records)
_BODY = compile("class _:\n    locals().update(__gradsh_namespace__)\n", "<type()>",
                "exec").co_consts[0]
# the names a namespace may give besides the special methods a class may define
_TYPE_NAMES = frozenset(("__doc__", "__module__", "__qualname__"))


def _namespace_body(name, bases, namespace):
    """A class body function giving `namespace`'s names, after Python's checks of type()'s
    arguments; names starting with '__' are those a class statement may define."""
    for i, (value, kind) in enumerate(((name, str), (bases, tuple), (namespace, dict))):
        if not isinstance(value, kind):
            raise TypeError("type.__new__() argument %d must be %s, not %s"
                            % (i + 1, kind.__name__, _type_text(value)))
    given = {}
    for key, value in list(dict.items(namespace)):  # (the dict's own items: a subclass's
        if type(key) is not str:
            raise TypeError("type(): a class namespace's names must be str in gradsh, not %s"
                            % _type_text(key))
        if key.startswith("__") and key not in ALLOWED_DUNDERS and key not in _TYPE_NAMES:
            raise TypeError("type(): names starting with '__' are reserved in gradsh (%s); a "
                            "class may define its special methods (__init__, __call__...)" % key)
        if key in ("__module__", "__qualname__") and type(value) is not str:
            raise TypeError("type(): %s must be a str" % key)
        given[key] = value  # items() could give other names than the ones checked)
    given.setdefault("__qualname__", name)
    return types.FunctionType(_BODY, {"__name__": "__main__", "__gradsh_namespace__": given,
                                      "locals": builtins.locals, "__builtins__": {}})


_BASETYPE = 1 << 10  # Py_TPFLAGS_BASETYPE: the classes Python lets a class inherit from
# collections.abc's classes a program's class may inherit from, each with gradsh's stand-in that
# a class statement puts in its place (filled by abcmodules.py, branch adv14c)
ABC_STAND_INS = {}


def make_class_builtins(gate, program_builtins, provider):
    """`__build_class__`, `type`, `dir`, `super`, `staticmethod`, `classmethod`, `property`,
    `object` and the exception classes, for one session's builtins."""
    classes = gate.program_classes
    exceptions = {name: getattr(builtins, name) for name in EXCEPTIONS}
    exceptions["KeyboardInterrupt"] = ProgramKeyboardInterrupt
    # (dict: `class Defaults(dict)` with `__missing__`, its __init__ reading within the limits;
    # property: `class cached(property)`, whose instances hold the program's functions)
    allowed_python_bases = set(exceptions.values()) | {object, dict, property}
    real_build_class = builtins.__build_class__

    for name in ("list", "tuple", "dict", "sorted", "str", "int", "set", "frozenset"):
        real = getattr(builtins, name)
        _WRAPPED_OF.setdefault(real, (program_builtins[name],))

    hooks = ClassHooks(gate)

    def build_class(func, name, /, *bases, **kwargs):
        if "metaclass" in kwargs:
            raise TypeError("class %s: a metaclass (metaclass=...) is not supported in gradsh"
                            % name)
        if bases and all(b is typing.TypedDict or typing.is_typeddict(b) for b in bases):
            # `class Row(TypedDict, total=False):` Python's class, whose calls make plain dicts
            cls = real_build_class(func, name, *bases, **kwargs)
            ProgramClasses().add(cls)
            return cls
        if bases == (NamedTuple,):  # `class P(NamedTuple):` fields from its annotations
            cls = checked_tuple_class(real_build_class(func, name, typing.NamedTuple))
            return _with_program_protocols(cls, gate)
        # a view of Python's class (`int`, `type(ValueError())`) is that class: refused below
        # with its name, or a base as the class named directly would be
        bases = tuple(base.cls if isinstance(base, TypeView) and not provider.owns_type(base.cls)
                      else base for base in bases)
        # `class Dataset(Sequence)`: gradsh's stand-in for the ABC (abcmodules.py, adv14c)
        bases = tuple(ABC_STAND_INS.get(base, base) if isinstance(base, type) else base
                      for base in bases)

        for base in bases:
            if typing.get_origin(base) in (typing.Generic, typing.Protocol):
                continue  # `class Stack(Generic[T])`: Python's __build_class__ makes it Generic
            if isinstance(base, TypeView):
                raise TypeError("class %s: cannot inherit from %r in gradsh" % (name, base))
            base = _real_of(base)
            if not isinstance(base, type):
                raise TypeError("class %s: a base class must be a class, not %r"
                                % (name, _type_text(base)))
            if base in classes or base in allowed_python_bases:
                continue
            if base is typing.Generic or base is typing.Protocol:
                continue
            if base.__dict__.get("gradsh_abstract") or base.__dict__.get("gradsh_base") \
                    or base.__dict__.get("gradsh_stands_for"):
                continue  # abc.ABC (stdlib.py), UserDict... (usercollections.py)
            if any(base in getattr(type(b), "gradsh_mixins", ()) for b in bases):
                continue  # `class Status(str, Enum)`: an enum's data type (enums.py)
            if provider.owns_type(base) and not provider.is_node_type(base) \
                    and base.__name__ not in ("Generator", "dtype", "Size", "device"):
                continue
            if not base.__flags__ & _BASETYPE:  # (adv13c) `class B(bool)`: Python's refusal
                raise TypeError("type '%s' is not an acceptable base type" % base.__name__)
            raise TypeError("class %s: cannot inherit from '%s' in gradsh (a class may inherit "
                            "from the program's classes, exception classes, torch.nn.Module, "
                            "torch.autograd.Function and other torch classes)"
                            % (name, base.__name__))
        above = sum(len(_real_of(base).__mro__) for base in bases if isinstance(base, type))
        if above > MAX_CLASS_DEPTH:
            # Python makes a class in time proportional to the classes above it: a chain
            # built in a loop (`class C(C)`) would take quadratic time
            raise LimitError("class %s would have %d classes above it (counted per base): "
                             "above gradsh's limit of %d" % (name, above, MAX_CLASS_DEPTH))
        made = hooks.keywords(bases, kwargs)
        if any(typing.Protocol in getattr(base, "__mro__", ()) or typing.get_origin(base)
               is typing.Protocol for base in bases):
            made = dict(made, metaclass=_ProtocolMeta)
        cls, deferred = hooks.make(lambda: real_build_class(func, name, *bases, **made))
        cls = _with_program_protocols(cls, gate)
        if isinstance(cls.__dict__.get("__torch_function__"), classmethod):
            type.__setattr__(cls, "__torch_function__", _given_faces(cls))
        if typing.Generic in cls.__mro__:
            type.__setattr__(cls, "__class_getitem__", _GENERIC_ITEM)
        if typing.Protocol in cls.__mro__:
            _checked_protocol(cls, gate)
        if any(base.__dict__.get("gradsh_abstract") for base in cls.__mro__):
            _set_abstract_methods(cls)
        if dict in cls.__mro__ and next(c for c in cls.__mro__ if "__init__" in c.__dict__) \
                is dict:  # Python's dict.__init__ would read any iterable: the checked one
            type.__setattr__(cls, "__init__", gate.checked_dict_init)
        if tuple in cls.__mro__:  # a subclass of a named tuple: its instances are tuples
            add_tuple_class(cls)
        classes.add(cls)
        hooks.finish(cls, deferred)
        return cls

    torch_names = {}
    for name in provider.public_names():
        if name == "default_generator" or name in provider.first_use:
            continue  # (an object, not a class: made on first use, not at start-up; functions)
        try:
            value = provider.torch.get(name)
        except AttributeError:
            continue
        if isinstance(value, type):
            torch_names[value.__name__] = value
    python_constructors = {int: int, float: float, bool: bool, complex: complex, str: str,
                           range: range, slice: slice, enumerate: enumerate, zip: zip,
                           reversed: reversed, type(None): None}
    for real, tagged in ((enumerate, nesting.enumerate), (zip, nesting.zip),
                         (map, nesting.map), (filter, nesting.filter)):
        python_constructors[real] = python_constructors[tagged] = tagged
    # `type(x)(...)` makes values through the same checked builtins as the names a program
    # calls (`type('')(big_list)` is str()'s text limit, `type(1)(text, 16)` int()'s)
    for name in ("list", "tuple", "dict", "str", "int", "set", "frozenset", "slice"):
        python_constructors[getattr(builtins, name)] = program_builtins[name]
    python_constructors[bytes] = checked_bytes
    python_constructors[bytearray] = checked_bytearray
    views = {}
    tensor_class = provider.tensor_type

    def type_(*args, **kwargs):
        """type(obj): the class of obj, as Python and PyTorch print it."""
        if kwargs and len(args) != 3:  # (Python's words)
            raise TypeError("type() takes no keyword arguments" if len(args) == 1
                            else "type() takes 1 or 3 arguments")
        if len(args) == 3:  # type(name, bases, namespace): a class statement's class (its
            # keywords go to the bases' __init_subclass__, as a class statement's)
            return build_class(_namespace_body(*args), args[0], *args[1], **kwargs)
        if len(args) != 1:
            raise TypeError("type() takes 1 or 3 arguments")
        obj, = args
        cls = type(obj)
        if cls is TypeView or cls is TorchClass or cls is ModuleClass:  # type(int), type(nn.Linear): `type`, as in
            cls = type  # Python (TorchClass only prints torch's classes as PyTorch's)
        elif isinstance(obj, builtin_function_or_method):
            cls = builtin_function_or_method  # (each builtin has its own subclass)
        kind = getattr(cls, "gradsh_kind", None)
        if kind in exceptions:  # gradsh's own AttributeError (the gate's) is Python's to a program
            cls = exceptions[kind]
        if cls is tensor_class and provider.parameter_type is not None \
                and isinstance(obj, provider.parameter_type):
            cls = provider.parameter_type
        return class_view(cls)

    def class_view(cls):
        """A class as a program may hold it: the program's own classes and torch.Tensor as
        they are, every other class as a TypeView (what `type()` and `__mro__` give)."""
        if cls in classes or cls is tensor_class:
            return cls  # `type(x) is torch.Tensor` holds: the class torch.Tensor already gives
        view = views.get(cls)
        if view is None:
            view = views[cls] = _view_of(cls)
        return view

    def _view_of(cls):
        if cls is type:  # its call is this session's type()
            return TypeView(cls, "type", type_)
        if cls in python_constructors:
            return _python_view(cls, python_constructors[cls])
        if cls in allowed_python_bases:
            return TypeView(cls, cls.__name__, cls)
        if provider.owns_type(cls):
            text = TORCH_CLASS_NAMES.get(cls.__name__) or _torch_class_name(cls, provider,
                                                                           torch_names)
            # a metaclass (type(torch.Tensor)) would make classes outside build_class: never
            # callable, as no node class is
            callable_ = not (provider.is_node_type(cls) or issubclass(cls, type))
            return TypeView(cls, text, cls if callable_ else None)
        return TypeView(cls, _type_text_of(cls), None)

    def dir_(*obj):
        """dir(obj): the attribute names a program may use on obj, sorted; dir(): the caller's
        own names (vars())."""
        if not obj:
            return sorted(program_names(gate, local=True))
        if len(obj) != 1:
            raise TypeError("dir expected at most 1 argument, got %d" % len(obj))
        return gate.attribute_names(obj[0], saved=True)

    gate.class_view = class_view  # a class's __mro__, read through the gate
    gate.type_of = type_  # `x.__class__`
    type_.__name__, dir_.__name__ = "type", "dir"
    # `type` is the view of Python's `type` calling type_ (one argument only): `type(int)`,
    # `type(C)` and `type(type(x))` are `type` itself, as in Python
    out = dict(exceptions)
    out.update(__build_class__=build_class, type=class_view(type), dir=builtin(dir_),
               super=super, staticmethod=staticmethod, classmethod=classmethod,
               property=property, object=object, NotImplemented=NotImplemented,
               Ellipsis=Ellipsis,
               **{name: builtin(fn) for name, fn in _attribute_builtins(gate).items()})
    # the names standing for Python's types are those types as `type()` shows them: `int` is
    # `type(3)` (same object, hash and repr `<class 'int'>`), calling the checked constructor
    for real in (int, str, list, tuple, dict, set, frozenset, slice, bytes, bytearray):
        out[real.__name__] = class_view(real)
    return out


_PYTHON_VIEWS = {}  # Python's type -> its view, the same for every session (no session state)


def _python_view(cls, constructor):
    """The view of Python's type `cls` (`int`, `list`...), which is also the builtin name: its
    constructor is the checked builtin; `dtype=int` reads it as Python's int."""
    view = _PYTHON_VIEWS.get(cls)
    if view is None or view.constructor is not constructor:
        view = _PYTHON_VIEWS[cls] = TypeView(cls, cls.__name__, constructor)
        STAND_INS[view] = cls
    return view


def _attribute_builtins(gate):
    """getattr, setattr, delattr and hasattr with a computed name: the same rules as `obj.name`
    (read, written) in the program's text, decided for each call (names made in a loop
    leave no cache behind)."""

    def name_of(name, who):
        if not isinstance(name, str):
            raise TypeError("attribute name must be string, not '%s'"  # Python's words
                            % type(name).__name__)
        return name

    def getattr_(obj, name, *default):
        """getattr(object, name[, default]): `object.name`, or default if it has none."""
        if len(default) > 1:
            raise TypeError("getattr expected at most 3 arguments, got %d" % (2 + len(default)))
        name = name_of(name, "getattr")
        try:
            return gate.load_once(obj, name)
        except AttributeError:
            if default:
                return default[0]
            raise

    def setattr_(obj, name, value):
        """setattr(object, name, value): `object.name = value`."""
        gate.store_once(obj, name_of(name, "setattr"), value)

    def delattr_(obj, name):
        """delattr(object, name): `del object.name`."""
        gate.delete_once(obj, name_of(name, "delattr"))

    def hasattr_(obj, name):
        """hasattr(obj, name): would `obj.name` give a value here (not an AttributeError)?"""
        name = name_of(name, "hasattr")
        try:
            gate.load_once(obj, name)
        except AttributeError:
            return False
        return True

    def vars_(*obj):
        """vars(object): the attributes of an instance of the program's classes, a live view;
        vars(): a copy of the caller's own names (as locals())."""
        if not obj:
            return program_names(gate, local=True)
        if len(obj) != 1:
            raise TypeError("vars expected at most 1 argument, got %d" % len(obj))
        return gate.vars_of(obj[0])

    def globals_():
        """globals(): a copy of the program's global names and their values."""
        return program_names(gate, local=False)

    for function in (getattr_, setattr_, delattr_, hasattr_, vars_, globals_):
        function.__name__ = function.__qualname__ = function.__name__.rstrip("_")
    # (Python's words for their arguments' errors: builtinfns.python_refusal)
    getattr_, setattr_, delattr_, hasattr_ = (
        with_python_refusals(fn, real) for fn, real in (
            (getattr_, getattr), (setattr_, setattr), (delattr_, delattr), (hasattr_, hasattr)))
    return {"getattr": getattr_, "setattr": setattr_, "delattr": delattr_, "hasattr": hasattr_,
            "vars": vars_, "globals": globals_}


# the names starting with '__' that globals() and vars() show (Python's text about the module
# or class; never `__builtins__`, whose dict holds gradsh's own helpers)
_SHOWN_DUNDERS = frozenset(("__name__", "__module__", "__qualname__", "__doc__"))


def program_names(gate, local):
    """A new dict of the names of the nearest program frame (its locals, or its module's
    globals) that a program can write: no names of generated code (`.ga`, `.m1`), no
    `__builtins__`. A copy, never the frame's own dict: a store into it would reach names no
    program can write (docs/security.md)."""
    frame = sys._getframe(1)
    while frame is not None and (gate.registry is None or frame.f_code not in gate.registry):
        frame = frame.f_back
    if frame is None:
        return {}
    names = frame.f_locals if local else frame.f_globals
    return {k: v for k, v in names.items()
            if type(k) is str and (k.isidentifier() and (
                not k.startswith("__") or k in _SHOWN_DUNDERS and isinstance(v, (str, type(None))))
                or _COMPREHENSION_ARGUMENT.fullmatch(k))}


# Python's name for a comprehension's iterator (`.0`), which its vars() shows: an iterator over
# the program's own iterable
_COMPREHENSION_ARGUMENT = re.compile(r"\.\d+")


def _real_params(params):
    if isinstance(params, tuple):
        return tuple(_real_params(p) for p in params)
    return params.cls if isinstance(params, TypeView) else params


def _generic_item(cls, params):
    """`Stack[int]` of a program's Generic class: with the classes the program's names stand
    for (`Stack[int]`, not `Stack[<view>]`), by typing's own subscription."""
    return _GENERIC_GETITEM(cls, _real_params(params))


_GENERIC_GETITEM = typing.Generic.__dict__["__class_getitem__"].__func__
_GENERIC_ITEM = classmethod(_generic_item)


# the names of a Protocol class's dict that are not its members (Python 3.11's typing's list,
# and typing's and gradsh's bookkeeping)
_NOT_MEMBERS = frozenset(("__abstractmethods__", "__annotations__", "__dict__", "__doc__",
                          "__init__", "__module__", "__new__", "__slots__", "__subclasshook__",
                          "__weakref__", "__class_getitem__", "__qualname__", "__parameters__",
                          "__orig_bases__", "__orig_class__", "_is_protocol",
                          "_is_runtime_protocol", "__init_subclass__"))


class _ProtocolMeta(type(typing.Protocol)):
    """The class of a program's typing.Protocol classes: isinstance() and issubclass() of a
    runtime-checkable protocol ask the object for each member through the attribute gate (what
    `hasattr(obj, name)` in the program would say), never Python's own getattr on any object."""

    def _members(cls):
        names = []
        for base in cls.__mro__[:-1]:
            if base.__name__ in ("Protocol", "Generic") and base.__module__ == "typing":
                continue
            own = base.__dict__
            for name in list(own) + list(own.get("__annotations__", ())):
                if name not in _NOT_MEMBERS and not name.startswith(("_abc_", "__gradsh")) \
                        and name not in names:
                    names.append(name)
        return names

    def _protocol(cls):
        if not cls.__dict__.get("_is_protocol"):
            return False
        if not cls.__dict__.get("_is_runtime_protocol"):
            raise TypeError("Instance and class checks can only be used with @runtime_checkable "
                            "protocols")
        return True

    def __instancecheck__(cls, instance):
        if not cls._protocol() or type.__subclasscheck__(cls, type(instance)):
            return super().__instancecheck__(instance)
        gate = cls.__dict__[_GATE]
        for name in cls._members():
            try:
                value = gate.load_once(instance, name)
            except AttributeError:
                return False
            if value is None and callable(getattr(cls, name, None)):
                return False
        return True

    def __subclasscheck__(cls, other):
        if not cls._protocol() or not isinstance(other, type):
            return super().__subclasscheck__(other)
        members = cls._members()
        if any(not callable(getattr(cls, name, None)) for name in members):
            raise TypeError("Protocols with non-method members don't support issubclass()")
        if type.__subclasscheck__(cls, other):
            return True
        return all(any(base.__dict__.get(name, None) is not None for base in other.__mro__)
                   for name in members)


_ProtocolMeta.__module__ = "typing"
_GATE = "__gradsh_gate__"  # a Protocol class's gate (its isinstance asks through it)


def _checked_protocol(cls, gate):
    """A program's typing.Protocol class: its isinstance() asks through `gate`; typing's
    `__init__` of a protocol (which finds and sets a subclass's `__init__`) is gradsh's own."""
    type.__setattr__(cls, _GATE, gate)
    init = cls.__dict__.get("__init__")
    if getattr(init, "__module__", None) == "typing":
        type.__setattr__(cls, "__init__", _protocol_init)


def _protocol_init(self, *args, **kwargs):
    """A protocol class cannot be instantiated; a class implementing it explicitly is made with
    the first `__init__` above it that is not a protocol's (Python's rule)."""
    cls = type(self)
    if cls not in ProgramClasses():  # `P.__init__(tensor)`: another object's __init__
        raise TypeError("descriptor '__init__' of a Protocol class needs one of the program's "
                        "objects, not a '%s' object" % cls.__name__)
    if cls.__dict__.get("_is_protocol"):
        raise TypeError("Protocols cannot be instantiated")
    for base in cls.__mro__:
        init = base.__dict__.get("__init__")
        if init is not None and init is not _protocol_init:
            return init(self, *args, **kwargs)
    return None


_protocol_init.__name__ = "__init__"


def _set_abstract_methods(cls):
    """What Python's ABCMeta records for a class under abc.ABC: the names whose definition is
    still abstract (`@abstractmethod`, an abstract property); object.__new__ refuses to make
    such a class's instances with Python's error."""
    names = {name for base in cls.__mro__ for name in base.__dict__}
    abstract = frozenset(name for name in names
                         if getattr(getattr(cls, name, None), "__isabstractmethod__", False))
    type.__setattr__(cls, "__abstractmethods__", abstract)


def _type_text(obj):
    return type(obj).__name__


def _type_text_of(cls):
    if cls.__module__ in ("builtins", None):
        return cls.__name__
    return "%s.%s" % (cls.__module__, cls.__qualname__) if not cls.__module__.startswith(
        "gradsh") else cls.__name__


def _with_program_protocols(cls, gate):
    """A program's class with its protocol methods kept within the program's rules."""
    if "__exit__" in cls.__dict__:
        cls.__exit__ = _no_swallowing(cls.__dict__["__exit__"], gate)
    if "__getattr__" in cls.__dict__:
        cls.__getattr__ = _program_names_only(cls.__dict__["__getattr__"])
    for protocol in ("__setattr__", "__delattr__"):
        if protocol in cls.__dict__:
            setattr(cls, protocol, _host_names_below(cls, protocol, gate))
    return cls


def checked_tuple_class(cls):
    """A named tuple class (collections.namedtuple's, typing.NamedTuple's) made a program class
    (its fields, `_fields`, `_asdict`, `_replace`, `_make` are the program's; tuple's
    `count`/`index` as a tuple's), whose instances are made through checks: their depth as
    tuples (nesting.py) and `_make`'s items within MAX_ITEMS."""
    make_new, make = cls.__new__, cls._make

    def __new__(_cls, *args, **kwargs):
        return nesting.check_tuple(make_new(_cls, *args, **kwargs))

    def _make(_cls, iterable):
        return nesting.check_tuple(make.__func__(_cls, collect(iterable, "%s._make()"
                                                               % _cls.__name__)))

    __new__.__doc__, __new__.__qualname__ = make_new.__doc__, make_new.__qualname__
    _make.__doc__, _make.__qualname__ = make.__doc__, make.__qualname__
    cls.__new__ = __new__
    cls._make = classmethod(_make)
    add_tuple_class(cls)
    ProgramClasses().add(cls)
    return cls


def NamedTuple(typename, fields=(), /):
    """typing.NamedTuple: as a base (`class P(NamedTuple):`, fields from the class body's
    annotations, build_class) or called with (name, type) pairs; a checked named tuple class."""
    fields = collect(fields, "NamedTuple() fields")
    return checked_tuple_class(typing.NamedTuple(typename, fields))


def _no_swallowing(exit_method, gate):
    """A program's `__exit__` cannot swallow gradsh's limits (returning True from __exit__
    would otherwise keep a runaway program alive, as a bare `except:` would)."""

    def __exit__(self, exc_type, exc, tb):
        result = exit_method(self, exc_type, exc, tb)
        if exc is not None and gate.is_uncatchable(exc):
            return False
        return result

    __exit__.__wrapped__ = exit_method
    return __exit__


def _program_names_only(getattr_method):
    """A program's `__getattr__` answers only names a program can ask for: Python's and the
    host's machinery ask an object for special names (`copy.deepcopy` for `__deepcopy__`,
    Jupyter's display for `_repr_html_`, Rich for `__rich__`), and the program's answer would
    be called with their internals. Names starting with '_' are missing, as a program never
    reads them."""

    def __getattr__(self, name):
        if type(name) is str and name.startswith("_"):
            raise AttributeError("'%s' object has no attribute '%s'" % (type(self).__name__, name))
        return getattr_method(self, name)

    __getattr__.__wrapped__ = getattr_method
    return __getattr__


def _host_names_below(cls, protocol, gate):
    """A program's `__setattr__` / `__delattr__` sees the names a program may write: gradsh's
    own code stores its names starting with '_' on a program's objects (nn.Module's
    `_parameters`...), and those go to the method of the class below, as if the program's
    were not there (its values never reach the program)."""
    method = cls.__dict__[protocol]

    def checked(self, name, *value):
        if type(name) is str and name.startswith("_") and not gate.own_private_name(
                type(self).__mro__, name):
            return getattr(super(cls, self), protocol)(name, *value)
        return method(self, name, *value)

    checked.__name__ = checked.__qualname__ = protocol
    checked.__wrapped__ = method
    return checked


def group_leaves(group):
    """The exceptions an exception group holds at any depth (its nested groups walked without
    recursion), in no particular order."""
    stack = [group]
    while stack:
        for inner in stack.pop().exceptions:
            if isinstance(inner, BaseExceptionGroup):
                stack.append(inner)
            else:
                yield inner


def _holds_uncatchable(exc, gate):
    """Does an exception group (what an `except*` block handles) hold one of gradsh's limits,
    at any depth? (`except* Exception` would otherwise catch a LimitError wrapped in a group.)"""
    return isinstance(exc, BaseExceptionGroup) and any(
        gate.is_uncatchable(inner) for inner in group_leaves(exc))


def make_exception_helpers(state, gate):
    """`.guard()`, `.fin()` and `.tick()` (see compiler.try_except)."""

    def guard():
        exc = sys.exc_info()[1]
        if gate.is_uncatchable(exc) or _holds_uncatchable(exc, gate):
            state.dying = exc
            raise  # noqa: PLE0704 - re-raises the exception the except block was handling
        if exc is state.recursing:  # the program caught the depth limit
            state.recursing = None
        if state.dying is not None and isinstance(exc, GeneratorExit):
            # a generator closed while a limit ends the program (dying_error): the program's
            # `except GeneratorExit` may not hold it open
            raise  # noqa: PLE0704
        if state.retyped is not None and state.retyped[0] is exc:
            # PyTorch's TypeError, raised where gradsh's exception was handled: the chain the
            # program reads is the one gradsh's exception had (callsite.make_retype)
            exc.__context__, state.retyped = state.retyped[1], None

    def fin():
        exc = sys.exc_info()[1]
        if isinstance(exc, GeneratorExit) and state.recursing is not None and state.depth:
            # a generator left in a `for` closed while the depth limit unwinds uncaught through
            # program calls (its GeneratorExit is what the block sees): final too
            exc = state.recursing
        if isinstance(exc, ProgramRecursionError):
            # the depth limit passing a `finally` block is final from there (the block could
            # loop or recurse for ever while it unwinds: `finally: while True: pass`)
            exc.gradsh_uncatchable = True
        if exc is not None and gate.is_uncatchable(exc):
            state.dying = exc

    def tick():
        if state.dying is not None:
            raise dying_error()

    def dying_error():
        """The limit again, or, in a generator being closed, GeneratorExit (which ends the
        generator quietly instead of an "Exception ignored" report)."""
        handled = sys.exc_info()[1]
        return handled if isinstance(handled, GeneratorExit) else state.dying

    return guard, fin, tick, dying_error
