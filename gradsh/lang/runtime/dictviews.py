"""What the runtime's dict-like views of live state share (a program class's `__dict__`, an
object's `vars()`, a module's `_modules`, `_parameters` and hook dicts): copy(), keys(),
values() and items() are dict's, of the state as it is when called (`_plain()`, the mapping as a
plain dict of what the program may see)."""


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
