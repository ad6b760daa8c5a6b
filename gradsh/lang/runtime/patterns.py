"""What match/case asks at run time: the items of a sequence pattern, the values of a mapping
pattern, the attributes of a class pattern (compiler.match_stmt makes the rest: an if/elif chain
whose tests call these). Each returns a list its sub-patterns are matched against, or None when
the subject does not have the pattern's shape. Python's rules (PEP 634), within gradsh's: a
class pattern reads attributes through the gate, as `subject.name` in the program's text would
(a name the gate refuses is its error, not a failed match), and a sequence is read within the
item limit.
"""

from collections.abc import Mapping, Sequence

from .classes import TypeView, _real_of
from .limits import collect
from .sandbox import GateError

__all__ = ["make_pattern_helpers"]

# the classes whose instances a single positional sub-pattern matches whole (`case int(n)`)
_SELF_MATCHING = frozenset((bool, bytearray, bytes, dict, float, frozenset, int, list, set, str,
                            tuple))
_MISSING = object()


def match_sequence(subject, before, after, star):
    """The items of `subject` for a sequence pattern of `before` items, a starred name and
    `after` items (or of `before` items without a star); the starred part as one list."""
    if not isinstance(subject, Sequence) or isinstance(subject, (str, bytes, bytearray)):
        return None
    n = len(subject)
    if (n < before + after) if star else (n != before):
        return None
    if not star:
        return list(subject) if n else []
    items = subject if isinstance(subject, (list, tuple)) else collect(
        subject, "a sequence pattern")
    return [*items[:before], list(items[before:n - after]), *items[n - after:]]


def match_mapping(subject, keys, rest):
    """The values of `keys` in `subject` (and, for `**rest`, a dict of the other items)."""
    if not isinstance(subject, Mapping) or len(subject) < len(keys):
        return None
    values, seen = [], set()
    for key in keys:
        if key in seen:
            raise ValueError("mapping pattern checks duplicate key (%r)" % (key,))
        seen.add(key)
        value = subject.get(key, _MISSING)
        if value is _MISSING:
            return None
        values.append(value)
    if rest:
        others = dict(subject)
        for key in keys:
            del others[key]
        values.append(others)
    return values


def make_pattern_helpers(gate):
    """`.mseq`, `.mmap` and `.mcls` for one session (a class pattern reads through its gate)."""

    def match_class(subject, cls, positional, keywords):
        real = cls.cls if isinstance(cls, TypeView) else _real_of(cls)
        if not isinstance(real, type):
            raise TypeError("called match pattern must be a type")
        if not isinstance(subject, real):
            return None
        names = []
        if positional:
            match_args = getattr(real, "__match_args__", _MISSING)
            if match_args is _MISSING:
                # (their subclasses too: torch.Size([a, b]) matches a Size as a tuple)
                matches_self = any(base in _SELF_MATCHING for base in real.__mro__)
                if matches_self and positional == 1:
                    found = _attributes(gate, subject, keywords)
                    return None if found is None else [subject] + found
                match_args = ("",) if matches_self else ()
            if not isinstance(match_args, tuple):
                raise TypeError("%s.__match_args__ must be a tuple (got %s)"
                                % (real.__name__, type(match_args).__name__))
            if positional > len(match_args):
                raise TypeError("%s() accepts %d positional sub-pattern%s (%d given)"
                                % (real.__name__, len(match_args),
                                   "" if len(match_args) == 1 else "s", positional))
            for name in match_args[:positional]:
                if not isinstance(name, str):
                    raise TypeError("__match_args__ elements must be strings (got %s)"
                                    % type(name).__name__)
                names.append(name)
        for name in keywords:
            if name in names:
                raise TypeError("%s() got multiple sub-patterns for attribute %r"
                                % (real.__name__, name))
        return _attributes(gate, subject, names + list(keywords))

    return {"mseq": match_sequence, "mmap": match_mapping, "mcls": match_class}


def _attributes(gate, subject, names):
    """subject.name for each name, as the program's `subject.name` reads it; None when one is
    missing (the pattern does not match), the gate's error when it refuses one."""
    values = []
    for name in names:
        try:
            values.append(gate.load_once(subject, name))
        except AttributeError as e:
            if isinstance(e, GateError) and getattr(e, "name", None) is None:
                raise  # refused, not missing
            return None
    return values
