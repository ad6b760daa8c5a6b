"""`import enum` for programs: Enum, IntEnum, StrEnum, Flag, IntFlag, auto and unique, written
here (Python's enum module builds classes with a metaclass that hands out its own machinery:
`_member_map_`, `_missing_`, `__members__`, the mixin's real class).

`class Color(Enum): RED = 1` is a program class (classes.build_class marks it as every other)
whose metaclass, EnumType below, turns the class body's plain values into the members: one
instance each, made when the class is made, named and valued as in Python (`Color.RED.name`,
`.value`; an equal value makes an alias; `auto()` takes the next int, the next flag bit, or
the lowercased name of a StrEnum member). The class is iterable, sized, subscriptable by name
and callable by value as Python's; printing follows Python 3.11's text. The metaclass has no
public names (the gate hands out what a class's metaclass defines), and the base classes
here, shared by every session, refuse attribute stores (a program's `Enum.name = ...` would
reach the next session's enums).
"""

from .classes import ProgramClasses
from .limits import check_spec
from .sandbox import ENUM_MEMBERS, GateError

_STATE = "__gradsh_enum__"  # a class's members: a name no program can read or write ('__')
_PSEUDO = "__gradsh_enum_pseudo__"  # a flag class's combined values made so far


class _State:
    __slots__ = ("members", "order", "by_value")

    def __init__(self):
        self.members = {}  # name -> member (aliases too)
        self.order = []  # the canonical members, in definition order
        self.by_value = {}  # hashable value -> member


class auto:
    """auto(): the member's value is chosen by its class."""

    __slots__ = ()

    def __repr__(self):
        return "auto(_auto_null)"


auto.__module__ = "enum"


class _Namespace(dict):
    """A class body's names: a member name given twice is Python's TypeError."""

    def __setitem__(self, name, value):
        if name in self and _is_member(name, self[name]):
            raise TypeError("%r already defined as %r" % (name, self[name]))
        super().__setitem__(name, value)


def _is_member(name, value):
    if not isinstance(name, str) or not name.isidentifier() or name.startswith("__") or (
            name[:1] == "_" and name[-1:] == "_" and len(name) > 1):
        return False
    return not (callable(value) or isinstance(value, (property, classmethod, staticmethod)))


_BASES = []  # the classes this module defines (no program may set their attributes)


class EnumType(type):
    """The class of an enum class."""

    # the Python classes an enum class may have as a data type (`class S(str, Enum)`):
    # read by classes.build_class
    gradsh_mixins = (int, str, float)

    @classmethod
    def __prepare__(mcls, name, bases, **kwargs):
        return _Namespace()

    def __new__(mcls, name, bases, namespace, **kwargs):
        for base in bases:
            state = base.__dict__.get(_STATE) if isinstance(base, EnumType) else None
            if state is not None and state.order:
                raise TypeError("%r cannot extend %r" % (_Text(name, mcls, bases), base))
        body = {k: v for k, v in namespace.items() if not _is_member(k, v)}
        cls = super().__new__(mcls, name, bases, body, **kwargs)  # (__init_subclass__'s)
        _mixin_specials(cls)
        # a program class before its members are made: its __init__ sets their attributes
        # under the program's rules (build_class marks it too)
        ProgramClasses().add(cls)
        state = _State()
        type.__setattr__(cls, _STATE, state)
        for member_name, value in namespace.items():
            if _is_member(member_name, value):
                if isinstance(value, auto):
                    value = cls.__gradsh_next__(member_name, [m._value_ for m in state.order])
                _add_member(cls, state, member_name, value)
        return cls

    # (the metaclass's own methods are special names only: the gate reads no others)
    def __call__(cls, *args, **kwargs):
        if cls in _BASES:
            raise TypeError("%s() is not supported in gradsh: define the members in a class "
                            "statement" % cls.__name__)
        if len(args) != 1 or kwargs:
            if not args and not kwargs:
                raise TypeError("EnumType.__call__() missing 1 required positional argument: "
                                "'value'")
            raise TypeError("EnumType.__call__() takes 2 positional arguments but %d were "
                            "given" % (len(args) + 1))
        return _lookup(cls, args[0])

    def __iter__(cls):
        return iter(list(_state(cls).order))

    def __reversed__(cls):
        return iter(list(reversed(_state(cls).order)))

    def __len__(cls):
        return len(_state(cls).order)

    def __getitem__(cls, name):
        try:
            return _state(cls).members[name]
        except (KeyError, TypeError):
            raise KeyError(name) from None

    def __contains__(cls, value):
        if isinstance(value, cls):
            return True
        if not isinstance(value, Enum):
            raise TypeError("unsupported operand type(s) for 'in': '%s' and 'EnumType'"
                            % type(value).__name__)
        return False

    def __repr__(cls):
        return "<%s %r>" % ("flag" if _is_flag(cls) else "enum", cls.__name__)

    def __bool__(cls):
        return True

    def __setattr__(cls, name, value):
        if cls in _BASES:
            raise GateError("cannot set attributes of enum.%s in gradsh" % cls.__name__)
        state = cls.__dict__.get(_STATE)
        if state is not None and name in state.members:
            raise GateError("cannot reassign member %r" % name)
        super().__setattr__(name, value)

    def __delattr__(cls, name):
        if cls in _BASES:
            raise GateError("cannot delete attributes of enum.%s in gradsh" % cls.__name__)
        state = cls.__dict__.get(_STATE)
        if state is not None and name in state.members:
            raise GateError("%r cannot delete member %r." % (cls.__name__, name))
        super().__delattr__(name)



EnumType.__module__ = "enum"


class _Text:
    """How Python names a class in 'cannot extend' before it exists."""

    def __init__(self, name, mcls, bases):
        self.text = "<%s %r>" % ("flag" if any(_is_flag(b) for b in bases) else "enum", name)

    def __repr__(self):
        return self.text


# what a data type (int, str) would otherwise decide for an enum class: Python's enums print,
# format and combine as enums whatever their data type
_ENUM_SPECIALS = ("__repr__", "__str__", "__format__", "__or__", "__and__", "__xor__", "__ror__",
                  "__rand__", "__rxor__", "__invert__")


def _mixin_specials(cls):
    for name in _ENUM_SPECIALS:
        definers = [k for k in cls.__mro__ if name in k.__dict__]
        if definers and definers[0] in EnumType.gradsh_mixins:
            own = next((k for k in definers if isinstance(k, EnumType)), None)
            if own is not None:
                type.__setattr__(cls, name, own.__dict__[name])


def _state(cls):
    state = None
    for klass in cls.__mro__:
        state = klass.__dict__.get(_STATE)
        if state is not None:
            return state
    return _State()


def _is_flag(cls):
    return isinstance(cls, type) and issubclass(cls, Flag)


def _data_type(cls):
    for klass in cls.__mro__:
        if klass in EnumType.gradsh_mixins:
            return klass
    return None


def _add_member(cls, state, name, value):
    alias = _find(state, value)
    if alias is not None:
        state.members[name] = alias
        type.__setattr__(cls, name, alias)
        return
    kind = _data_type(cls)
    member = object.__new__(cls) if kind is None else kind.__new__(cls, value)
    object.__setattr__(member, "_name_", name)
    object.__setattr__(member, "_value_", value if kind is None else kind(value))
    if any("__init__" in klass.__dict__ for klass in cls.__mro__
           if klass not in _BASES and klass not in (object, int, str, float)):
        # the program's __init__ gets the value (a tuple's items), as Python's members do
        cls.__init__(member, *(value if isinstance(value, tuple) else (value,)))
    state.members[name] = member
    state.order.append(member)
    try:
        state.by_value.setdefault(member._value_, member)
    except TypeError:  # an unhashable value: found by a walk
        pass
    type.__setattr__(cls, name, member)


def _find(state, value):
    try:
        return state.by_value.get(value)
    except TypeError:
        for member in state.order:
            if member._value_ == value:
                return member
        return None


def _lookup(cls, value):
    if isinstance(value, cls):
        return value
    state = _state(cls)
    found = _find(state, value)
    if found is not None:
        return found
    if _is_flag(cls) and isinstance(value, int) and not isinstance(value, bool):
        return _combined(cls, state, value)
    raise ValueError("%r is not a valid %s" % (value, cls.__qualname__))


def _all_bits(state):
    bits = 0
    for member in state.order:
        bits |= member._value_
    return bits


def _combined(cls, state, value):
    """A flag class's value made of its members' bits (`Perm.READ | Perm.WRITE`), one object
    per value, as Python's."""
    bits = _all_bits(state)
    keeps = issubclass(cls, int)  # IntFlag keeps bits no member has
    if value < 0 or (value & ~bits and not keeps):
        width = max(value.bit_length(), bits.bit_length())
        raise ValueError("%r invalid value %d\n    given 0b0 %s\n  allowed 0b0 %s"
                         % (cls, value, format(value, "0%db" % width),
                            format(bits, "0%db" % width)))
    cache = cls.__dict__.get(_PSEUDO)
    if cache is None:
        cache = {}
        type.__setattr__(cls, _PSEUDO, cache)
    if value in cache:
        return cache[value]
    parts = [m._name_ for m in _single_bits(state) if m._value_ & value == m._value_]
    rest = value & ~bits
    if rest:
        parts.append(str(rest))
    member = int.__new__(cls, value) if keeps else object.__new__(cls)
    object.__setattr__(member, "_name_", "|".join(parts) if parts else None)
    object.__setattr__(member, "_value_", value)
    cache[value] = member
    return member


def _single_bits(state):
    return [m for m in state.order if m._value_ and m._value_ & (m._value_ - 1) == 0]


def _other(self, other):
    """The value a flag combines with: a member of its class (or an int, for an IntFlag)."""
    _member(self, "a flag operator")
    if isinstance(other, type(self)):
        return other._value_
    if isinstance(self, int) and isinstance(other, int) and not isinstance(other, Enum):
        return int(other)
    return None


def _member(self, what):
    if not isinstance(self, Enum) or not hasattr(self, "_value_"):
        raise TypeError("%s expects an enum member, not '%s'" % (what, type(self).__name__))
    return self


class Enum(metaclass=EnumType):
    """A class whose members are its instances, each with a name and a value."""

    @property
    def name(self):
        """The member's name."""
        return _member(self, "name")._name_

    @name.setter
    def name(self, value):
        raise GateError("<enum 'Enum'> cannot set attribute 'name'")

    @name.deleter
    def name(self):
        raise GateError("<enum 'Enum'> cannot delete attribute 'name'")

    @property
    def value(self):
        """The member's value."""
        return _member(self, "value")._value_

    @value.setter
    def value(self, value):
        raise GateError("<enum 'Enum'> cannot set attribute 'value'")

    @value.deleter
    def value(self):
        raise GateError("<enum 'Enum'> cannot delete attribute 'value'")

    @classmethod
    def __gradsh_next__(cls, name, values):
        ints = [v for v in values if isinstance(v, int)]
        return ints[-1] + 1 if ints else 1

    def __repr__(self):
        _member(self, "repr()")
        kind = _data_type(type(self))
        shown = repr(self._value_) if kind is None or kind is str else kind.__repr__(self)
        return "<%s.%s: %s>" % (type(self).__name__, self._name_, shown)

    def __str__(self):
        return "%s.%s" % (type(_member(self, "str()")).__name__, self._name_)

    def __format__(self, spec):
        check_spec(spec)  # (a program may call `member.__format__(spec)` by name)
        return format(str(self), spec)

    def __hash__(self):
        return hash(_member(self, "hash()")._name_)

    def __reduce_ex__(self, protocol):
        return type(self), (self._value_,)

    def __copy__(self):
        return self

    def __deepcopy__(self, memo):
        return self


class IntEnum(int, Enum):
    """Members that are ints."""

    def __str__(self):
        return int.__repr__(_member(self, "str()"))

    def __format__(self, spec):
        check_spec(spec)
        return int.__format__(self, spec)


class StrEnum(str, Enum):
    """Members that are strings; auto() gives the lowercased name."""

    @classmethod
    def __gradsh_next__(cls, name, values):
        return name.lower()

    def __str__(self):
        return str.__str__(_member(self, "str()"))

    def __format__(self, spec):
        check_spec(spec)
        return str.__format__(self, spec)


class Flag(Enum):
    """Members that combine with `|`, `&`, `^` and `~`; auto() gives the next bit."""

    @classmethod
    def __gradsh_next__(cls, name, values):
        ints = [v for v in values if isinstance(v, int)]
        return 1 << max(ints).bit_length() if ints and max(ints) > 0 else 1

    def __or__(self, other):
        value = _other(self, other)
        return NotImplemented if value is None else _lookup(type(self), self._value_ | value)

    def __and__(self, other):
        value = _other(self, other)
        return NotImplemented if value is None else _lookup(type(self), self._value_ & value)

    def __xor__(self, other):
        value = _other(self, other)
        return NotImplemented if value is None else _lookup(type(self), self._value_ ^ value)

    __ror__, __rand__, __rxor__ = __or__, __and__, __xor__

    def __invert__(self):
        _member(self, "~")
        return _lookup(type(self), _all_bits(_state(type(self))) & ~self._value_)

    def __contains__(self, other):
        _member(self, "in")
        if not isinstance(other, type(self)):
            raise TypeError("unsupported operand type(s) for 'in': '%s' and '%s'"
                            % (type(other).__name__, type(self).__name__))
        return other._value_ & self._value_ == other._value_

    def __iter__(self):
        _member(self, "iter()")
        return iter([m for m in _single_bits(_state(type(self)))
                     if m._value_ & self._value_ == m._value_])

    def __len__(self):
        return len(list(self.__iter__()))

    def __bool__(self):
        return bool(_member(self, "bool()")._value_)

    def __repr__(self):
        _member(self, "repr()")
        if self._name_ is None:
            return "<%s: %d>" % (type(self).__name__, self._value_)
        return "<%s.%s: %d>" % (type(self).__name__, self._name_, self._value_)

    def __str__(self):
        _member(self, "str()")
        if self._name_ is None:
            return "%s(%d)" % (type(self).__name__, self._value_)
        return "%s.%s" % (type(self).__name__, self._name_)


class IntFlag(int, Flag):
    """Flags that are ints."""

    def __str__(self):
        return int.__repr__(_member(self, "str()"))

    def __format__(self, spec):
        check_spec(spec)
        return int.__format__(self, spec)


def unique(cls):
    """@unique: refuse an enum class with aliases."""
    if not isinstance(cls, EnumType):
        raise TypeError("unique() applies to enum classes")
    state = _state(cls)
    aliases = [(name, m._name_) for name, m in state.members.items() if name != m._name_]
    if aliases:
        raise ValueError("duplicate values found in %r: %s"
                         % (cls, ", ".join("%s -> %s" % pair for pair in aliases)))
    return cls


for _cls in (Enum, IntEnum, StrEnum, Flag, IntFlag):
    _cls.__module__ = "enum"
    _BASES.append(_cls)
    ProgramClasses().add(_cls)


def enum_namespace():
    from .namespaces import Namespace
    from .stdlib import _Module
    return Namespace("enum", _Module(Enum=Enum, IntEnum=IntEnum, StrEnum=StrEnum, Flag=Flag,
                                     IntFlag=IntFlag, auto=auto, unique=unique,
                                     EnumType=EnumType, EnumMeta=EnumType))


def _members_view(cls):
    """`Color.__members__`: name -> member (aliases too), in the order of the class body, as a
    read-only mapping (Python's mappingproxy)."""
    import types
    state = cls.__dict__.get(_STATE) if isinstance(cls, EnumType) else None
    if state is None:
        return None
    return types.MappingProxyType(dict(state.members))


ENUM_MEMBERS.append(_members_view)
