"""What the runtime's dict-like views of live state share (a program class's `__dict__`, an
object's `vars()`, a module's `_modules`, `_parameters` and hook dicts): copy(), keys(),
values() and items() are dict's, of the state as it is when called (`_plain()`, the mapping as a
plain dict of what the program may see); equality and repr are the plain dict's (repr within
the string limit), and a view is unhashable, as a dict is."""

from .limits import check_text_size


class Snapshots:
    """Mix-in before collections.abc's Mapping: its keys/values/items would walk the view."""

    __slots__ = ()

    def copy(self):
        return self._plain()

    def keys(self):
        return self._plain().keys()

    def values(self):
        return self._plain().values()

    def items(self):
        return self._plain().items()

    def __eq__(self, other):
        if isinstance(other, Snapshots):
            other = other._plain()
        return self._plain() == other if isinstance(other, dict) else NotImplemented

    __hash__ = None

    def __repr__(self):
        plain = self._plain()
        check_text_size(plain, "repr()")
        return repr(plain)
